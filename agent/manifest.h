/* The manifest: the roots anchorsync installed, kept in STATE_DIR/manifest.
 * It is how anchorsync knows which files in the anchors directory are its own.
 *
 * Format, one root per line, '#' starts a comment:
 *     sha256:<64 hex>	<not-after, seconds since the epoch>	<file name>	<subject DN>
 * The file name is relative to the backend's anchors directory. */
#ifndef ANCHORSYNC_MANIFEST_H
#define ANCHORSYNC_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "pin.h"
#include "status.h"

struct manifest_entry {
	struct pin pin;
	time_t not_after;
	char *file;
	char *subject;
};

struct manifest {
	struct manifest_entry *entries;
	size_t count;
};

/* Reads STATE_DIR/manifest into m. A missing file is an empty manifest. A
 * malformed line is STATUS_IO naming the line. The caller frees m with
 * manifest_free, also after a failure. */
enum status manifest_load(struct manifest *m, const char *state_dir, struct error *err);

/* Writes m to STATE_DIR/manifest atomically and durably. */
enum status manifest_save(const struct manifest *m, const char *state_dir, struct error *err);

/* The entry whose pin is pin, or NULL. */
const struct manifest_entry *manifest_find(const struct manifest *m, const struct pin *pin);

/* Appends a copy of e; false when out of memory. */
bool manifest_add(struct manifest *m, const struct manifest_entry *e);

void manifest_free(struct manifest *m);

#endif
