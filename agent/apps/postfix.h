/* SPDX-License-Identifier: MIT */
/* Asking a Postfix instance where its smtp client finds trust anchors:
 * `postconf -c DIR -h -x` for the expanded settings and `postconf -c DIR -M
 * smtp/unix` for whether that client runs chrooted. */
#ifndef ANCHORSYNC_POSTFIX_H
#define ANCHORSYNC_POSTFIX_H

#include <stdbool.h>

#include "status.h"
#include "strlist.h"

/* Seconds postconf and postmap may take before they are stopped (SIGTERM, then
 * SIGKILL): a hung postconf must not hold the refresh and its lock. */
#define POSTFIX_COMMAND_TIMEOUT 30

struct postfix_view {
	char *queue_directory;
	char *capath;		/* smtp_tls_CApath, or NULL when unset */
	char *cafile;		/* smtp_tls_CAfile, or NULL */
	char *tafile;		/* smtp_tls_trust_anchor_file, or NULL; a chrooted
				 * smtp opens it inside the chroot: QUEUE + it */
	bool chroot;		/* the smtp unix service runs chrooted */
	char *copy_dir;		/* chrooted with a CApath: QUEUE + CApath, the copy
				 * it reads; else NULL */
	char *security_level;	/* smtp_tls_security_level ("" when unset) */
	char *policy_maps;	/* smtp_tls_policy_maps, or NULL */
};

/* Runs postconf for the instance in config_dir and fills v (the caller frees
 * it with postfix_view_free, also on failure). STATUS_STORE with the command
 * and what it printed when postconf fails or says what cannot be parsed. */
enum status postfix_view_read(const char *config_dir, struct postfix_view *v,
			      struct error *err);

void postfix_view_free(struct postfix_view *v);

/* Adds to watch the files behind smtp_tls_policy_maps ("type:/path": the path
 * and its .db and .lmdb), so that a changed policy is judged again. False when
 * out of memory. */
bool postfix_policy_files(const struct postfix_view *v, struct strlist *watch);

/* Whether the instance in config_dir verifies the server's certificate when it
 * delivers to each of destinations: the first entry of smtp_tls_policy_maps
 * (asked with `postmap -q`) for "[host]:port", "[host]", host or a parent
 * ".domain", else smtp_tls_security_level. destinations holds "host" or
 * "host:port" strings (a recipient domain or a [delivery] target). When some
 * destination goes out at a level that does not verify (none, may, encrypt,
 * dane, ...), *warning gets one line naming it, the level and the setting that
 * gave it (caller frees); otherwise *warning is NULL. */
enum status postfix_protection(const char *config_dir, const struct postfix_view *v,
			       const struct strlist *destinations, char **warning,
			       struct error *err);

#endif
