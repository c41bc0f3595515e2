/* SPDX-License-Identifier: MIT */
/* The verification report: human text or JSON, one target at a time. */
#ifndef ANCHORSYNC_VERDICT_H
#define ANCHORSYNC_VERDICT_H

#include <stdio.h>

#include "target_check.h"

/* Writes c for a person: per server the address, TLS parameters, the chain,
 * the trust anchor and whether anchorsync installed it, then one verdict line
 * and, on failure, the fix. */
void verdict_human(FILE *out, const struct target_check *c);

/* Writes c as one JSON object on one line. */
void verdict_json(FILE *out, const struct target_check *c);

/* One line for c: "verified ..." or the first failure's cause and fix, into
 * a new string the caller frees (NULL when out of memory). */
char *verdict_summary(const struct target_check *c);

#define VERDICT_NAMES_MAX 1024

/* The facts a delivery check keeps for later: the cause (probe_cause_id's
 * name of the first failure, "verified", or "unreachable" when the target
 * could not be looked up), the server certificate's DNS names, and the
 * certificate in the chains the servers sent that expires first. */
struct verdict_facts {
	const char *cause;			/* static text */
	char names[VERDICT_NAMES_MAX];		/* "a, b", "" when none or unknown */
	time_t expiry;				/* earliest notAfter; 0: no chain seen */
	char expiring[4 * TLS_DN_MAX];		/* that certificate's subject, escaped
						   as text_escape does */
};

/* Fills f from c. */
void verdict_facts(const struct target_check *c, struct verdict_facts *f);

#endif
