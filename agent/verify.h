/* SPDX-License-Identifier: MIT */
/* `anchorsync verify`, and the same delivery checks for refresh. This is the
 * front end: options, configuration, which trust anchors to use and which of
 * them anchorsync installed. The checks themselves are delivery/'s. */
#ifndef ANCHORSYNC_VERIFY_H
#define ANCHORSYNC_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "manifest.h"
#include "status.h"
#include "store.h"

struct verify_result {
	char *target;		/* as configured, e.g. "smtp://mail.corp.internal" */
	bool ok;
	char *detail;		/* the verdict line: "verified ..." or the cause and fix */
};

/* Checks every [delivery] target of cfg, quietly, trusting the bundle of the
 * open store (or [delivery] ca_file when set) and counting an anchor as
 * anchorsync's when installed lists it; both stay the caller's. On return
 * *results holds *count entries (caller frees with verify_results_free), also
 * on failure. Returns STATUS_OK when all verified (or there are no targets),
 * STATUS_VERIFY_FAILED when a check failed, STATUS_UNAVAILABLE when no server
 * could be reached. */
enum status verify_configured_targets(const struct config *cfg, const struct store *store,
				      const struct manifest *installed,
				      struct verify_result **results, size_t *count,
				      struct error *err);

void verify_results_free(struct verify_result *results, size_t count);

/* Checks the [delivery] targets, resolve entries and nameserver of cfg without
 * contacting anything; STATUS_CONFIG names the first bad one. */
enum status verify_config_check(const struct config *cfg, struct error *err);

#endif
