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
	char *transport_maps;	/* transport_maps, or NULL */
	char *relayhost;	/* relayhost, or NULL */
	char *default_transport;	/* default_transport ("" when unset) */
};

/* Runs postconf for the instance in config_dir and fills v (the caller frees
 * it with postfix_view_free, also on failure). STATUS_STORE with the command
 * and what it printed when postconf fails or says what cannot be parsed. */
enum status postfix_view_read(const char *config_dir, struct postfix_view *v,
			      struct error *err);

void postfix_view_free(struct postfix_view *v);

/* Adds to watch the files behind smtp_tls_policy_maps and transport_maps
 * ("type:/path": the path and its .db and .lmdb), so that a changed policy or
 * route is judged again. False when out of memory. */
bool postfix_map_files(const struct postfix_view *v, struct strlist *watch);

/* Where the instance in config_dir sends mail for domain, as Postfix's
 * trivial-rewrite would: the nexthop of its transport_maps entry (the domain,
 * then its parents as ".domain", asked with `postmap -q`), else relayhost, else
 * the domain itself. *nexthop is a new string ("[host]:port", "[host]" or a
 * domain), or NULL when that mail does not leave over SMTP (an error, discard,
 * local or lmtp transport). */
enum status postfix_next_hop(const char *config_dir, const struct postfix_view *v,
			     const char *domain, char **nexthop, struct error *err);

/* Adds to keys what smtp_tls_policy_maps is searched for when mail goes to
 * nexthop: a bracketed nexthop as it is; a domain, then its parents as
 * ".domain". False when out of memory. */
bool postfix_policy_keys(const char *nexthop, struct strlist *keys);

/* Whether the instance verifies the server's certificate for mail to the
 * destination shown: the first smtp_tls_policy_maps entry found for keys (in
 * order, with `postmap -q`), else smtp_tls_security_level. At a level that
 * does not verify (none, may, encrypt, dane, fingerprint), *warning gets one
 * line naming the destination, the level and the setting that gave it (the
 * caller frees it); otherwise NULL. */
enum status postfix_protection(const char *config_dir, const struct postfix_view *v,
			       const char *shown, const struct strlist *keys, char **warning,
			       struct error *err);

#endif
