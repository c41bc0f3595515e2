/* SPDX-License-Identifier: MIT */
/* Reading what Postfix says about itself: the output of `postconf -h -x P...`
 * and of `postconf -M` (or master.cf). Pure parsers of outside input, kept
 * apart from running postconf (postfix.c) so they can be fuzzed. */
#ifndef ANCHORSYNC_POSTCONF_H
#define ANCHORSYNC_POSTCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

/* The longest value kept; a longer one is refused. */
#define POSTCONF_VALUE_MAX 4096

/* Splits the output of `postconf -h -x P1 ... Pn` (len bytes) into n values,
 * one a line, in order: values[i] is a copy the caller frees, "" for an empty
 * value. Lines postconf prints about itself ("postconf: warning: ...") are
 * skipped. STATUS_DATA with a line naming the problem when the output does not
 * have exactly n values or a value holds a control character or is too long;
 * values is then all NULL. */
enum status postconf_values(const char *out, size_t len, char **values, size_t n,
			    struct error *err);

/* The chroot column of a master.cf service. */
enum postconf_chroot {
	POSTCONF_CHROOT_ABSENT,		/* no such service */
	POSTCONF_CHROOT_YES,
	POSTCONF_CHROOT_NO,
	POSTCONF_CHROOT_DEFAULT,	/* "-": n since Postfix 3.0 */
};

/* Finds the service name/type ("smtp", "unix") in master.cf text or the
 * output of `postconf -M` (len bytes; comments, blank lines and continuation
 * lines are skipped) and returns its chroot column. A line with fewer than
 * eight fields or a chroot column other than y, n or - is STATUS_DATA. */
enum status postconf_master_chroot(const char *text, size_t len, const char *name,
				   const char *type, enum postconf_chroot *out,
				   struct error *err);

/* The host path of path inside a chroot at queue (the queue directory), joined
 * component by component into *out (the caller frees it). path must be
 * absolute; a "." or ".." component, a control character or a backslash
 * (postconf's output reaches anchorsync with control characters escaped as
 * \xNN) is STATUS_DATA with a line saying so. A path already within queue is
 * taken as it is (a copy). */
enum status postconf_chroot_path(const char *queue, const char *path, char **out,
				 struct error *err);

/* What a Postfix TLS security level (the first word of a value of
 * smtp_tls_security_level or of a smtp_tls_policy_maps entry) makes of the
 * server's certificate. */
enum postconf_level {
	POSTCONF_LEVEL_VERIFIES,	/* verify, secure: checked against the CAs */
	POSTCONF_LEVEL_UNVERIFIED,	/* none, may, encrypt, dane, dane-only, fingerprint */
	POSTCONF_LEVEL_UNKNOWN,		/* another word */
};

/* The level of value; *word (may be NULL) gets the level's name, at most
 * size - 1 bytes of it. An empty value is "none". */
enum postconf_level postconf_level_of(const char *value, char *word, size_t size);

#endif
