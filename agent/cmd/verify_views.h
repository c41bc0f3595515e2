/* SPDX-License-Identifier: MIT */
/* The delivery check (after a change, or when the last is older than
 * [delivery] interval) through every view of the roots: the
 * OS store's and each [app]'s own (its CA file or directory), so that a root
 * one application cannot see fails the run as a missing one does. */
#ifndef ANCHORSYNC_VERIFY_VIEWS_H
#define ANCHORSYNC_VERIFY_VIEWS_H

#include <stddef.h>

#include "config.h"
#include "manifest.h"
#include "status.h"
#include "store.h"
#include "verify.h"

/* Checks every [delivery] target through the open store (as
 * verify_configured_targets), then through each application's view, whose
 * results carry the application's name as their view. *results holds *count entries
 * (caller frees with verify_results_free), also on failure. STATUS_OK when
 * all verified, else the first failure's status (STATUS_VERIFY_FAILED when a
 * check failed). */
enum status verify_views(const struct config *cfg, const struct store *store,
			 const struct manifest *installed, struct verify_result **results,
			 size_t *count, struct error *err);

/* Whether v's target is among cfg's (a struct config) [delivery] targets and
 * its view is the store's or a configured [app]'s: a record_filter_verify
 * predicate that forgets what the configuration no longer names. */
bool verify_result_configured(const struct verify_result *v, void *cfg);

#endif
