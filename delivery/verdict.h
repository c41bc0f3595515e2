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

#endif
