/* SPDX-License-Identifier: MIT */
/* A refresh's delivery checks: after a change, and on the schedule [delivery]
 * interval sets, through the OS store and every application's view; their
 * results kept in the run record, and warnings for certificates about to
 * expire in the chains the servers sent. */
#ifndef ANCHORSYNC_REFRESH_DELIVERY_H
#define ANCHORSYNC_REFRESH_DELIVERY_H

#include <stdbool.h>
#include <time.h>

#include "config.h"
#include "manifest.h"
#include "record.h"
#include "status.h"
#include "store.h"

/* Whether a check is due at now: [delivery] interval is set and the last check
 * (rec's) is older than it, or in the future (the clock went back), or a
 * configured target has no result yet. Reads only rec, already loaded. */
bool delivery_due(const struct config *cfg, const struct run_record *rec, time_t now);

/* Forgets rec's results for targets and views taken out of cfg (they leave
 * status and the metrics); with no target left, the last check time too. */
void delivery_forget_unconfigured(const struct config *cfg, struct run_record *rec);

/* Checks cfg's targets through every view of the open store and records the
 * results in rec; after_change says why (a change, or the schedule). Each
 * failure is logged as one line naming the target, the view and the cause,
 * and each target whose chain holds a certificate within [delivery] warn_days
 * gets one warning. STATUS_OK, or STATUS_VERIFY_FAILED (or the failure
 * verify_views returned) with a one-line summary in err. */
enum status delivery_check(const struct config *cfg, const struct store *store,
			   const struct manifest *installed, struct run_record *rec,
			   bool after_change, struct error *err);

#endif
