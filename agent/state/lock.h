/* SPDX-License-Identifier: MIT */
/* One refresh at a time: an flock on STATE_DIR/lock that also records the
 * holder's pid for the message a second run prints. */
#ifndef ANCHORSYNC_LOCK_H
#define ANCHORSYNC_LOCK_H

#include "status.h"

/* Takes the lock, creating STATE_DIR when missing. A STATE_DIR not owned by
 * root or the running user, or writable by group or others, is STATUS_CONFIG;
 * a lock file that is a symbolic link or not a regular file is STATUS_IO (it
 * is never followed). With wait_seconds 0 a held
 * lock fails at once with STATUS_LOCKED naming the holder's pid; otherwise it
 * waits that long first. On success *fd holds the lock until lock_release. */
enum status lock_acquire(const char *state_dir, unsigned wait_seconds, int *fd,
			 struct error *err);

void lock_release(int fd);

#endif
