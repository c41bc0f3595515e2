/* SPDX-License-Identifier: MIT */
/* Changing the trust store with the manifest as its journal.
 *
 * The manifest is written before the store is touched, listing every root
 * the change involves: those kept, those being added (marked "adding") and
 * those being retired ("retiring"). Only once the files are written and the
 * update command has succeeded is it rewritten without the marks. Whatever
 * interrupts a change (a kill, a crash, a full disk), the manifest names
 * every anchorsync file that may be in the store, and the next run, seeing
 * the marks, settles them: refresh installs again what is still wanted
 * (running the update command as after a removal, so that a tool killed
 * half-way rebuilds every link it left unmade) and retires the rest; remove
 * --all retires all of them. */
#ifndef ANCHORSYNC_APPLY_H
#define ANCHORSYNC_APPLY_H

#include "manifest.h"
#include "plan.h"
#include "status.h"
#include "store.h"

/* Applies p, made against before, to s and records it in STATE_DIR/manifest;
 * *touched tells whether the store was changed (false when the only change
 * was forgetting files that are not anchorsync's).
 * A root to retire whose file is not verifiably anchorsync's
 * (store_file_owner) is left in place with a warning and forgotten. On
 * success *after (which the caller frees with manifest_free, also after a
 * failure) is the manifest now saved and every change is logged as a notice.
 * Fails with STATUS_IO, the store untouched, when the intent cannot be
 * saved; with STATUS_STORE when the update failed (the manifest is put back
 * as it was when the rollback was complete, and otherwise keeps the marks
 * for the next run); with STATUS_IO when the store changed but the settled
 * manifest could not be written (the marks remain; the next run settles). */
enum status apply_plan(struct store *s, const char *state_dir, const struct manifest *before,
		       const struct plan *p, struct manifest *after, bool *touched,
		       struct error *err);

#endif
