/* SPDX-License-Identifier: MIT */
/* The symbolic links of one directory, remembered so they can be put back.
 *
 * A store's update command rebuilds its link directory (Debian's
 * /etc/ssl/certs) in place; when it fails halfway, and fails again on the
 * rollback, the remembered links restore what TLS clients read there. */
#ifndef ANCHORSYNC_LINKSET_H
#define ANCHORSYNC_LINKSET_H

#include <stdbool.h>
#include <stddef.h>

struct linkset {
	char *dir;
	char **names;
	char **targets;
	size_t count;
};

/* Records every symbolic link in dir. A missing dir is an empty set. Returns
 * false when out of memory or dir cannot be read; free with linkset_free. */
bool linkset_take(struct linkset *set, const char *dir);

/* Makes dir's links what they were: removes links that appeared, recreates
 * links that went away or now point elsewhere. Regular files are left alone.
 * Returns false, with errno of the last failure, when any step failed. */
bool linkset_restore(const struct linkset *set);

void linkset_free(struct linkset *set);

#endif
