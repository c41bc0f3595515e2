/* SPDX-License-Identifier: MIT */
/* Outcomes shared by every module, and the error detail that goes with them.
 *
 * Functions return an enum status and, on failure, fill a struct error with one
 * readable line. Only agent/cmd/main.c turns a status into a process exit code. */
#ifndef ANCHORSYNC_STATUS_H
#define ANCHORSYNC_STATUS_H

enum status {
	STATUS_OK = 0,
	STATUS_VERIFY_FAILED,	/* a delivery check failed */
	STATUS_USAGE,		/* bad command line */
	STATUS_DATA,		/* fetched data rejected */
	STATUS_UNAVAILABLE,	/* no source or server reachable */
	STATUS_INTERNAL,	/* out of memory, library failure */
	STATUS_IO,		/* cannot read or write local state */
	STATUS_STORE,		/* trust store update failed (rolled back) */
	STATUS_LOCKED,		/* another run holds the lock */
	STATUS_CONFIG,		/* configuration invalid */
};

#define ERROR_MSG_SIZE 2048

struct error {
	enum status status;
	char msg[ERROR_MSG_SIZE];	/* a message too long for it ends in "..." */
};

/* Records status and a printf-style message in err (which may be NULL) and
 * returns status, so callers can write `return error_set(err, ...)`. */
enum status error_set(struct error *err, enum status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes err->msg with "prefix: " (for context added by a caller). */
void error_prefix(struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
