/* SPDX-License-Identifier: MIT */
/* State files of "key value" lines: the key up to the first space, the value
 * the rest of the line. Not for configuration (that is INI, read by inih). */
#ifndef ANCHORSYNC_KVFILE_H
#define ANCHORSYNC_KVFILE_H

#include <stdbool.h>

#include "status.h"

/* Calls handler for every line of path; value has no trailing newline. A
 * missing file calls nothing and succeeds, setting *missing (may be NULL). The
 * file is read with file_read_state: a symbolic link, a FIFO or anything else
 * that is not a regular file is STATUS_IO. */
enum status kvfile_read(const char *path, void (*handler)(void *user, const char *key,
							   const char *value),
			void *user, bool *missing, struct error *err);

/* The state file name in dir: kvfile_read of dir/name. */
enum status kvfile_load(const char *dir, const char *name,
			void (*handler)(void *user, const char *key, const char *value),
			void *user, bool *missing, struct error *err);

#endif
