/* SPDX-License-Identifier: MIT */
/* What anchorsync remembers about each [app] in the state directory:
 *
 * STATE_DIR/apps, the journal of the files anchorsync created for each
 * application, written durably before a file is created and after the
 * application's update settled. One file a line:
 *     NAME<TAB>PATH[<TAB>adding][<TAB>sha256:HEX[,sha256:HEX]]
 * "adding" marks a file that may or may not have been written when a run was
 * interrupted; the next run settles it. PATH is escaped as the manifest's
 * fields are. The digests are of what anchorsync wrote there (a file's bytes,
 * a link's target): the content before and after an unsettled change, one
 * once settled. A file listed here is anchorsync's; no other file is ever
 * overwritten, and a listed file is deleted only while it still holds what
 * anchorsync wrote (app_owned_recognised).
 *
 * STATE_DIR/apps-check, the last check of each application's view ("key
 * value" lines, a record starting at each "app" key): whether it trusted the
 * roots, why not, the stat stamp of what it reads (so a run that changes
 * nothing re-reads a view only when it changed), and the last restart. */
#ifndef ANCHORSYNC_APP_STATE_H
#define ANCHORSYNC_APP_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"
#include "strlist.h"

#define STATE_APPS "apps"
#define STATE_APPS_CHECK "apps-check"

#include "pin.h"

/* At most two digests: the content before and after an unsettled change. */
#define APP_OWNED_DIGESTS 2

struct app_owned {
	char *app;
	char *path;
	bool adding;
	struct pin digest[APP_OWNED_DIGESTS];	/* SHA-256 of what was written */
	size_t digest_count;			/* 0: written by an older anchorsync */
};

struct app_journal {
	struct app_owned *items;
	size_t count;
};

/* Reads STATE_DIR/apps (a missing file is empty; a malformed line is skipped
 * with a warning). The caller frees j with app_journal_free, also on failure. */
enum status app_journal_load(struct app_journal *j, const char *state_dir,
			     struct error *err);

/* Writes j to STATE_DIR/apps atomically and durably. */
enum status app_journal_save(const struct app_journal *j, const char *state_dir,
			     struct error *err);

/* The entry for app and path, or NULL. */
struct app_owned *app_journal_find(const struct app_journal *j, const char *app,
				   const char *path);

/* Adds app's path (marked adding) unless listed; false when out of memory. */
bool app_journal_add(struct app_journal *j, const char *app, const char *path);

/* Records that o's file now holds (or is about to hold) data (len bytes):
 * the digest is added, the oldest dropped when there are more than two. */
void app_owned_wrote(struct app_owned *o, const void *data, size_t len);

/* Keeps only o's newest digest (its change settled). */
void app_owned_settle(struct app_owned *o);

/* Drops the entry at index i. */
void app_journal_drop(struct app_journal *j, size_t i);

void app_journal_free(struct app_journal *j);

/* The last check of one application. */
struct app_record {
	char *name;
	char *type;			/* "postfix" or "file" */
	bool trusted;
	long long checked;		/* seconds since the epoch; 0: never */
	unsigned long long stamp;	/* of what it reads, when trusted */
	char *reason;			/* why not trusted, or NULL */
	char *warning;			/* trusted, but that does not protect its mail */
	struct strlist watch;		/* files besides its own whose change re-checks it */
	char *restart;			/* "ok", or how the last restart failed; NULL: never */
	long long restarted;		/* when it last ran */
};

struct app_records {
	struct app_record *items;
	size_t count;
};

/* Reads STATE_DIR/apps-check; a missing file has no records. The caller frees
 * r with app_records_free. */
enum status app_records_load(struct app_records *r, const char *state_dir,
			     struct error *err);

/* Writes r to STATE_DIR/apps-check atomically (not fsync'ed: a lost check
 * only makes the next run check again). */
enum status app_records_save(const struct app_records *r, const char *state_dir,
			     struct error *err);

/* The record called name, added (empty) when missing; NULL when out of memory. */
struct app_record *app_records_get(struct app_records *r, const char *name);

void app_record_clear(struct app_record *rec);
void app_records_free(struct app_records *r);

#endif
