/* SPDX-License-Identifier: MIT */
/* The manifest: the roots anchorsync installed, kept in STATE_DIR/manifest.
 * It is how anchorsync knows which files in the anchors directory are its own.
 *
 * Format, one root per line, '#' starts a comment:
 *     sha256:<64 hex>	<not-after, seconds since the epoch>	<file name>	<subject DN>[	<state>]
 * The file name is relative to the backend's anchors directory. In the file
 * name and the subject, a backslash, tab, newline and every other control
 * character is written escaped (\\, \t, \n, \r, \xHH), so a line is always
 * one root. The state field appears only on a change not yet settled:
 * "adding" (written before the root's file and the update command, which may
 * not have happened) or "retiring" (the file may still be there). A refresh
 * or remove --all that was interrupted leaves such entries; the next run
 * settles them (see cmd_refresh.c). */
#ifndef ANCHORSYNC_MANIFEST_H
#define ANCHORSYNC_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "pin.h"
#include "status.h"

enum manifest_state {
	MANIFEST_INSTALLED = 0,	/* file written and the store updated */
	MANIFEST_ADDING,	/* about to be installed */
	MANIFEST_RETIRING,	/* about to be retired */
};

struct manifest_entry {
	struct pin pin;
	time_t not_after;
	char *file;		/* "" when unknown: the name manifest_file_name gives */
	char *subject;
	enum manifest_state state;
};

struct manifest {
	struct manifest_entry *entries;
	size_t count;
};

/* Room for a name from manifest_file_name, suffix of up to 8 bytes included. */
#define MANIFEST_NAME_SIZE 40

/* The one name anchorsync gives a root's file in the anchors directory:
 * "anchorsync-" and the first 16 hex digits of its pin, then suffix (".crt"). */
void manifest_file_name(const struct pin *pin, const char *suffix,
			char out[MANIFEST_NAME_SIZE]);

/* Reads STATE_DIR/manifest into m. A missing file is an empty manifest. A
 * malformed line never fails the load: it is skipped with a warning naming the
 * line, except that when its first field is a readable pin it is kept as an
 * entry to retire (file "" and subject naming the line), so that the root it
 * stood for is either confirmed (still pinned and offered) or retired. Fails
 * only when the file cannot be read. The caller frees m with manifest_free,
 * also after a failure. */
enum status manifest_load(struct manifest *m, const char *state_dir, struct error *err);

/* Writes m to STATE_DIR/manifest atomically and durably (file and directory
 * fsync'ed). */
enum status manifest_save(const struct manifest *m, const char *state_dir, struct error *err);

/* The entry whose pin is pin, or NULL. */
const struct manifest_entry *manifest_find(const struct manifest *m, const struct pin *pin);

/* The entry of a root installed and settled (its file named, no change
 * pending on it) that has not expired at now, or NULL. The same pin is the
 * same certificate, which passed every root check when it was installed:
 * only time can have changed the verdict. */
const struct manifest_entry *manifest_find_current(const struct manifest *m,
						   const struct pin *pin, time_t now);

/* Appends a copy of e; false when out of memory. */
bool manifest_add(struct manifest *m, const struct manifest_entry *e);

/* Appends a copy of e in the given state; false when out of memory. */
bool manifest_add_as(struct manifest *m, const struct manifest_entry *e,
		     enum manifest_state state);

/* "adding" or "retiring" for a change not yet settled; "" for MANIFEST_INSTALLED. */
const char *manifest_state_name(enum manifest_state state);

/* Writes text with the manifest's escapes to out (for tests and messages). */
void manifest_escape(FILE *out, const char *text);

/* Undoes manifest_escape in place; false when text holds a malformed escape
 * or an escaped NUL. */
bool manifest_unescape(char *text);

void manifest_free(struct manifest *m);

#endif
