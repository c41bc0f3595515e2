/* SPDX-License-Identifier: MIT */
/* Whether a path anchorsync trusts (its configuration, its state directory)
 * can be changed by nobody but root and the running user: the rule OpenSSH's
 * StrictModes applies. Every place that trusts a path asks here. */
#ifndef ANCHORSYNC_PATHSAFE_H
#define ANCHORSYNC_PATHSAFE_H

#include <stdbool.h>

#include "status.h"

enum path_kind {
	PATH_FILE,		/* a regular file */
	PATH_DIR,		/* a directory */
};

/* Checks path and every directory above it, up to /: each must be owned by
 * root or the running user, and writable by neither group nor others -- a
 * directory above path may be when it has the sticky bit (/tmp); path itself
 * never. A symbolic link on the way is followed and both the directory that
 * holds it and where it leads are checked the same way. path must be of kind.
 * what names path in messages ("state_dir", "configuration").
 * Returns STATUS_OK; STATUS_CONFIG with one line naming the component and why
 * ("unsafe state_dir '/a/b': '/a' is owned by uid 1000, ..."); STATUS_IO when
 * path cannot be examined (*missing, which may be NULL, tells a path that
 * does not exist); STATUS_INTERNAL when out of memory. */
enum status path_check_safe(const char *path, enum path_kind kind, const char *what,
			    bool *missing, struct error *err);

#endif
