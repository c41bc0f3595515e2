/* SPDX-License-Identifier: MIT */
/* Telling anchorsync's files in an application's view from everyone else's,
 * and removing only those. */
#ifndef ANCHORSYNC_APP_OWNED_H
#define ANCHORSYNC_APP_OWNED_H

#include <stdbool.h>

#include "app_state.h"
#include "status.h"

/* Whether name in dir is a root's file by anchorsync's naming: exactly
 * manifest_file_name(pin, ".pem") of the certificate it holds. */
bool app_named_ours(const char *dir, const char *name);

/* Removes o's file if it still holds what anchorsync wrote there (a digest in
 * the journal; an entry from before digests were kept counts when it is a
 * root's file by anchorsync's naming or a link to one) and its directory is
 * safe (path_check_safe: no other user can swap a link in between);
 * otherwise it is left in place with a warning. *removed (may be NULL) tells
 * which. A file already gone is fine. STATUS_STORE when unlink fails. */
enum status app_owned_remove(const struct app_owned *o, bool *removed, struct error *err);

#endif
