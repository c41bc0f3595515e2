/* SPDX-License-Identifier: MIT */
/* What a refresh would change: the difference between the roots the bundle
 * offers and the roots the manifest says anchorsync installed. */
#ifndef ANCHORSYNC_PLAN_H
#define ANCHORSYNC_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "bundle.h"
#include "manifest.h"

struct plan {
	const struct anchor **add;		/* in the bundle, not installed */
	size_t add_count;
	const struct manifest_entry **retire;	/* installed, no longer offered */
	size_t retire_count;
	const struct manifest_entry **keep;	/* installed and still offered */
	size_t keep_count;
};

/* Compares wanted with installed. The plan points into both, which must outlive
 * it. Returns false when out of memory. */
bool plan_make(struct plan *p, const struct manifest *installed,
	       const struct anchor_set *wanted);

/* Moves each kept root for which missing(entry, user) is true back to the
 * roots to add: its file went away (an admin deleted it) and must be put back. */
void plan_readd_missing(struct plan *p, const struct anchor_set *wanted,
			bool (*missing)(const struct manifest_entry *e, void *user), void *user);

bool plan_is_empty(const struct plan *p);

void plan_free(struct plan *p);

#endif
