/* SPDX-License-Identifier: MIT */
/* Asking a Postfix instance where its smtp client finds trust anchors:
 * `postconf -c DIR -h -x` for the expanded settings and `postconf -c DIR -M
 * smtp/unix` for whether that client runs chrooted. */
#ifndef ANCHORSYNC_POSTFIX_H
#define ANCHORSYNC_POSTFIX_H

#include <stdbool.h>

#include "status.h"

struct postfix_view {
	char *queue_directory;
	char *capath;		/* smtp_tls_CApath, or NULL when unset */
	char *cafile;		/* smtp_tls_CAfile, or NULL */
	char *tafile;		/* smtp_tls_trust_anchor_file, or NULL; a chrooted
				 * smtp opens it inside the chroot: QUEUE + it */
	bool chroot;		/* the smtp unix service runs chrooted */
	char *copy_dir;		/* chrooted with a CApath: QUEUE + CApath, the copy
				 * it reads; else NULL */
};

/* Runs postconf for the instance in config_dir and fills v (the caller frees
 * it with postfix_view_free, also on failure). STATUS_STORE with the command
 * and what it printed when postconf fails or says what cannot be parsed. */
enum status postfix_view_read(const char *config_dir, struct postfix_view *v,
			      struct error *err);

void postfix_view_free(struct postfix_view *v);

#endif
