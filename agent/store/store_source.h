/* SPDX-License-Identifier: MIT */
/* Finding which file makes the store trust a root: the anchors directory and
 * the distribution's certificate sources, read as the update command reads
 * them, certificates compared by DER. Used when a retired root is still
 * trusted, to name the file anchorsync does not manage that keeps it. */
#ifndef ANCHORSYNC_STORE_SOURCE_H
#define ANCHORSYNC_STORE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "pin.h"
#include "store.h"

/* Looks through s's anchors directory and the distribution's certificate
 * directories (under root= when set), a few levels deep, for a regular file
 * holding a PEM certificate whose SHA-256 is pin; skip (a file name inside the
 * anchors directory, may be NULL) is passed over. On success out holds the
 * file's path and true is returned; false when none holds it. */
bool store_source_find(const struct store *s, const struct pin *pin, const char *skip,
		       char *out, size_t outlen);

#endif
