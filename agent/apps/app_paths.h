/* SPDX-License-Identifier: MIT */
/* Where an application's files may be: the checks every [app] path gets when
 * the configuration is loaded, before anything is fetched or written. */
#ifndef ANCHORSYNC_APP_PATHS_H
#define ANCHORSYNC_APP_PATHS_H

#include "config.h"
#include "status.h"
#include "store.h"

/* Checks each file application's path for cfg with the store backend:
 * - its directory and every one above it, as state_dir's are
 *   (path_check_safe: owned by root or the running user, writable by no one
 *   else, symbolic links resolved and checked the same way), so that no other
 *   user can redirect a write or a removal there;
 * - it is not inside state_dir, the store's anchors directory, or the
 *   directories of the files the store's update command generates (the
 *   bundle's, the hash links'): such a file would be overwritten, or become a
 *   source of the OS store, or keep a retired root trusted.
 * Returns STATUS_CONFIG with one line naming the application and the reason. */
enum status apps_check_paths(const struct config *cfg, const struct store_backend *backend,
			     struct error *err);

#endif
