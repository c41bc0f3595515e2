/* SPDX-License-Identifier: MIT */
/* One delivery check of one SMTP server: connect, the SMTP dialogue with
 * STARTTLS or implicit TLS, the certificate verdict, and an optional probe or
 * delivery of a test message. */
#ifndef ANCHORSYNC_PROBE_H
#define ANCHORSYNC_PROBE_H

#include <stdbool.h>

#include "net.h"
#include "pin.h"
#include "status.h"
#include "strlist.h"
#include "target.h"
#include "tls.h"

struct probe_options {
	const char *helo;		/* EHLO name */
	const char *from;		/* MAIL FROM address, "" for <> */
	const char *to;			/* RCPT TO address, or NULL */
	const char *name;		/* name to verify, or NULL for the host */
	bool send;			/* deliver a test message (needs to) */
	bool allow_cn;			/* a CN-only certificate is a warning */
	bool transcript;		/* -v: print the dialogue */
	unsigned timeout;		/* seconds for each server, from connecting to QUIT */
	const struct strlist *resolve;	/* HOST:PORT:ADDR overrides */
	struct tls_trust *trust;
	const char *trust_desc;		/* "CA file '...'", for messages */
	/* Whether the trust anchor with pin is one the caller installed (NULL:
	 * nobody knows); user is passed through. */
	bool (*anchor_is_ours)(const struct pin *pin, void *user);
	void *anchor_user;
};

enum probe_cause {
	PROBE_VERIFIED,
	PROBE_UNREACHABLE,		/* no address accepted the connection */
	PROBE_TIMEOUT,			/* a reply did not come in time */
	PROBE_PROTOCOL,			/* malformed reply, closed connection */
	PROBE_REFUSED,			/* greeting or EHLO refused */
	PROBE_NO_STARTTLS,
	PROBE_STARTTLS_REFUSED,
	PROBE_INJECTION,
	PROBE_HANDSHAKE,
	PROBE_UNKNOWN_ISSUER,
	PROBE_SELF_SIGNED,
	PROBE_EXPIRED,
	PROBE_NOT_YET_VALID,
	PROBE_NAME_MISMATCH,
	PROBE_NO_SAN,
	PROBE_CERT_INVALID,
	PROBE_SENDER_REFUSED,
	PROBE_RECIPIENT_REFUSED,
	PROBE_MESSAGE_REFUSED,
};

#define PROBE_TEXT_MAX 1024

struct probe_result {
	char host[TARGET_HOST_MAX + 1];	/* the server's host name */
	char name[TARGET_HOST_MAX + 1];	/* the name verified */
	unsigned port;
	bool implicit_tls;
	char address[NET_ADDR_TEXT_MAX];	/* "" when not connected */
	bool tls_done;			/* the handshake got as far as a certificate */
	struct tls_info tls;
	bool anchor_installed;		/* anchor_is_ours said yes */
	enum probe_cause cause;
	char message[PROBE_TEXT_MAX];	/* the cause in words ("" when verified) */
	char fix[PROBE_TEXT_MAX];	/* what to do about it */
	char warning[PROBE_TEXT_MAX];	/* a verified result's reservation, or "" */
	char queue_id[128];		/* --send: the server's queue id */
};

/* Checks host:port and fills r (a caller-allocated result). Returns STATUS_OK
 * when the server verified, STATUS_UNAVAILABLE when it could not be reached,
 * STATUS_VERIFY_FAILED for every other failure; r says why either way. */
enum status probe_run(const char *host, unsigned port, bool implicit_tls,
		      const struct probe_options *opt, struct probe_result *r);

/* A short stable identifier of a cause for --json ("unknown-issuer"). */
const char *probe_cause_id(enum probe_cause cause);

#endif
