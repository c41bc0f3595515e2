/* SPDX-License-Identifier: MIT */
/* Delivery targets as users write them: smtp://HOST[:PORT], submission://HOST[:PORT],
 * smtps://HOST[:PORT] and mx:DOMAIN[:PORT] (the port of every MX host; 25 unless a
 * test lab or an unusual intranet says otherwise). */
#ifndef ANCHORSYNC_TARGET_H
#define ANCHORSYNC_TARGET_H

#include <stdbool.h>

#include "status.h"

enum target_kind {
	TARGET_SMTP,		/* port 25, STARTTLS required */
	TARGET_SUBMISSION,	/* port 587, STARTTLS required */
	TARGET_SMTPS,		/* port 465, implicit TLS */
	TARGET_MX,		/* the MX hosts of a domain, port 25, STARTTLS */
};

#define TARGET_HOST_MAX 253

struct target {
	enum target_kind kind;
	char host[TARGET_HOST_MAX + 1];	/* host name or address literal, no brackets;
					 * for TARGET_MX the domain */
	unsigned port;
	bool implicit_tls;
};

/* Parses text into t. A host is a DNS name, an IPv4 address or a bracketed
 * IPv6 address; a port is 1..65535. Returns STATUS_USAGE with the reason in err
 * when text is not a target. */
enum status target_parse(const char *text, struct target *t, struct error *err);

/* "smtp", "submission", "smtps" or "mx". */
const char *target_scheme(enum target_kind kind);

#endif
