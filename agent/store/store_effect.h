/* SPDX-License-Identifier: MIT */
/* The effect check: whether the OS trust store really trusts what anchorsync
 * means it to. An update command's exit status is a claim; this reads what the
 * command produced. It decodes every PEM certificate of the bundle the
 * family's clients read (the backend's bundle, under root= when set) and
 * compares DER by SHA-256, and for a backend whose tool links each anchor
 * (Debian) it follows the links in the link directory as a program inside the
 * tree would.
 *
 * The outcome of the last check is remembered in STATE_DIR/store-check with
 * the identity (device, inode, size, mtime) of the bundle and the link
 * directory, so that a run that changes nothing re-reads the store only when
 * it changed. */
#ifndef ANCHORSYNC_STORE_EFFECT_H
#define ANCHORSYNC_STORE_EFFECT_H

#include <stdbool.h>
#include <stddef.h>

#include "pin.h"
#include "status.h"
#include "store.h"

/* A root the check looks for (or must not find): its pin, and its file name
 * inside the anchors directory. */
struct store_root {
	struct pin pin;
	const char *file;
};

/* Whether pin is the pin of one of the count roots. */
bool store_roots_contain(const struct store_root *roots, size_t count, const struct pin *pin);

/* The outcome for one wanted root. */
struct store_verdict {
	struct pin pin;
	bool trusted;
	char *why;		/* when not trusted: what is missing where; else NULL */
	unsigned long long file[4];	/* its anchor file as the check read it:
					 * device, inode, size, mtime (ns) */
};

/* A retired root the store still trusts through a file anchorsync does not
 * manage (an administrator's own copy): anchorsync's part of the retirement
 * is done, and the file is named for the administrator. */
struct store_foreign {
	struct pin pin;
	char *ours;		/* the file name anchorsync had given it */
	char *file;		/* the path of the file that keeps it trusted */
};

/* Identity of the bundle and the link directory: device, inode, size and
 * mtime in nanoseconds of each; all zero when absent. */
struct store_stamp {
	unsigned long long bundle[4];
	unsigned long long links[4];
};

/* What one check found. */
struct store_effect {
	long long checked;		/* when, seconds since the epoch; 0: never */
	struct store_stamp stamp;	/* the store as the check read it */
	bool ok;			/* every wanted root trusted, no retired one left */
	size_t duplicates;		/* certificates the bundle holds more than once */
	struct store_verdict *roots;	/* one per wanted root */
	size_t count;
	struct store_foreign *foreign;	/* retired roots trusted through others' files */
	size_t foreign_count;
};

/* Reads the store s and checks that it trusts every root of want (in the
 * bundle, and linked when the backend's tool links anchors) and that none of
 * gone is left there. Fills out (the caller frees it with store_effect_free,
 * also after a failure). Returns STATUS_OK when all is well, STATUS_STORE with
 * one line naming the first root missing or left and the file it is missing
 * from or left in, STATUS_INTERNAL when out of memory. A bundle that holds a
 * certificate twice is warned about and counted in out->duplicates. A root of
 * gone still in the bundle because a file anchorsync does not manage holds it
 * (store_source_find) is no failure: it is listed in out->foreign. The roots
 * the last check (in s->state_dir) listed there are judged again as gone, so
 * the list lasts until the administrator removes the file. */
enum status store_effect_run(const struct store *s, const struct store_root *want,
			    size_t want_count, const struct store_root *gone,
			    size_t gone_count, struct store_effect *out, struct error *err);

/* Takes the identity of s's bundle and link directory now. */
void store_stamp_take(const struct store *s, struct store_stamp *out);

/* Whether last was a good check of exactly the roots of want and the store is
 * still as it read it (now): then there is nothing to re-read. */
bool store_effect_current(const struct store_effect *last, const struct store_stamp *now,
			 const struct store_root *want, size_t want_count);

/* The verdict for pin in c, or NULL when c did not look for it. */
/* Whether every root of want has its anchor file exactly as last read it
 * (same device, inode, size and mtime): then its content was checked and need
 * not be read again. A stamp that changed means the file must be read. */
bool store_effect_files_current(const struct store *s, const struct store_effect *last,
				const struct store_root *want, size_t want_count);

const struct store_verdict *store_effect_find(const struct store_effect *c,
					     const struct pin *pin);

/* Reads STATE_DIR/store-check into out; a missing file is a check that never
 * ran (checked 0). The caller frees out with store_effect_free. */
enum status store_effect_load(const char *state_dir, struct store_effect *out,
			     struct error *err);

/* Writes c to STATE_DIR/store-check atomically, and only when it differs
 * from what the file holds. */
enum status store_effect_save(const char *state_dir, const struct store_effect *c,
			     struct error *err);

void store_effect_free(struct store_effect *c);

#endif
