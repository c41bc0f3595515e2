/* SPDX-License-Identifier: MIT */
/* Applications ([app NAME]): consumers of trust anchors that do not read the
 * OS store live. Each application's view is kept like the OS store: planned
 * from the roots anchorsync manages, written atomically (only files anchorsync
 * created, remembered in STATE_DIR/apps), read back and compared as DER,
 * checked cheaply (stat stamps) on runs that change nothing with drift
 * repaired, restarted once per change, and recorded (STATE_DIR/apps-check). */
#ifndef ANCHORSYNC_APPS_H
#define ANCHORSYNC_APPS_H

#include <stdbool.h>
#include <stdio.h>

#include "app_state.h"
#include "config.h"
#include "manifest.h"
#include "status.h"
#include "store.h"

struct apps {
	const struct config *cfg;
	const struct store *store;	/* borrowed: anchors dir and bundle */
	struct app_journal journal;
	struct app_records records;
	bool changed;			/* some view was written or reloaded */
	bool checked;			/* some view was read in full: save the records */
	bool repaired;			/* ... on a run where the OS store did not change */
};

/* Loads the journal and the last checks for cfg's applications, with the
 * caller's open store (borrowed). apps_close releases a, also on failure. */
enum status apps_open(struct apps *a, const struct config *cfg, const struct store *store,
		      struct error *err);

/* Whether state_dir remembers applications (a journal or checks): a refresh
 * with no [app] section left must still retire their views. */
bool apps_remembered(const char *state_dir);

/* Brings every application's view in line with roots (the managed roots,
 * whose files are in the store's anchors directory). store_changed says the
 * OS store changed this run: each view is then checked in full; otherwise a
 * view whose stat stamp is as last checked is not read. An application's
 * restart runs when its view changed. Views that cannot be made to trust the
 * roots are logged one line each; the first is returned as STATUS_STORE. The
 * records are saved either way. */
enum status apps_sync(struct apps *a, const struct manifest *roots, bool store_changed,
		      struct error *err);

/* Prints one line per application: what apps_sync would change for the
 * roots to add and retire, and where ("app 'postfix': would add 1 root to
 * DIR"), or "app 'NAME': no change". */
void apps_print_plan(const struct config *cfg, size_t add_count, size_t retire_count);

/* Takes anchorsync's files out of every application view (journal and
 * records emptied); a restart runs where a view changed. */
enum status apps_remove(struct apps *a, struct error *err);

void apps_close(struct apps *a);

/* The trust anchors app reads: a CA file and/or a CA directory (each a new
 * string the caller frees, or NULL). STATUS_STORE when it reads none. */
enum status apps_trust_paths(const struct app_config *app, char **file, char **dir,
			     struct error *err);

/* `status` renderings of the last checks (state_dir's), and their metrics. */
struct json;
void apps_write_json(struct json *j, const char *state_dir);
void apps_write_text(FILE *out, const char *state_dir);
void apps_write_metrics(FILE *out, const char *state_dir);

#endif
