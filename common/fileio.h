/* SPDX-License-Identifier: MIT */
/* Whole-file reads and crash-safe writes. */
#ifndef ANCHORSYNC_FILEIO_H
#define ANCHORSYNC_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "status.h"

/* Reads all of path, refusing files over max bytes and anything that is not a
 * regular file (a FIFO or a device fails at once instead of blocking). On
 * success *data is a NUL-terminated buffer the caller frees and *len its length
 * without the NUL. A missing file is STATUS_IO with errno-style text; *missing
 * (may be NULL) tells that case apart. */
enum status file_read(const char *path, size_t max, char **data, size_t *len,
		      bool *missing, struct error *err);

/* As file_read, for anchorsync's own state files: a symbolic link at path is
 * refused too (STATUS_IO), not followed. */
enum status file_read_state(const char *path, size_t max, char **data, size_t *len,
			    bool *missing, struct error *err);

/* The directory, inside the directory of a file being replaced, that holds
 * the new content under a temporary name until it is renamed into place:
 * never a name in the directory itself, which a reader such as p11-kit's
 * trust module reads whole (it skips subdirectories). */
#define FILE_TMP_DIR ".anchorsync-tmp"

/* Replaces path atomically, and never shows a partial or temporary file in
 * path's directory. A new file is written unnamed (O_TMPFILE) in that
 * directory and linked to path once whole; a file that exists (or a
 * filesystem without O_TMPFILE) gets a temporary name in FILE_TMP_DIR beside
 * it, is renamed over path, and the staging directory is removed again. The
 * file is given mode and fsync'ed when durable, and when durable the directory
 * is fsync'ed too, so the new file is there after a power loss. A crash
 * leaves the old file or the new one (and at most a temporary file in the
 * staging directory, removed by the next write of path or file_tmp_sweep); a
 * power loss may leave a write that was not durable empty (it is not forced
 * to disk before it replaces the old). */
enum status file_write_atomic(const char *path, const void *data, size_t len,
			      mode_t mode, bool durable, struct error *err);

/* Puts a symbolic link to target at path, replacing what is there in one
 * rename: the link is made in path's staging directory (FILE_TMP_DIR, so no
 * other name ever shows in path's directory) and renamed into place.
 * STATUS_IO naming path on failure. */
enum status file_link_atomic(const char *path, const char *target, struct error *err);

/* Removes what a killed file_write_atomic of path left: regular files of
 * ours named path's name followed by '.' and six letters or digits, beside
 * path (where earlier versions wrote them) and in its staging directory, and
 * that directory once empty. Returns how many files it removed. */
size_t file_tmp_sweep(const char *path);

/* Removes dir's staging directory and every regular file of ours in it (for
 * a directory whose every write is anchorsync's, under its lock). Returns how
 * many files it removed. */
size_t file_tmp_sweep_dir(const char *dir);

/* A file composed in memory with stdio, then written with file_write_atomic. */
struct file_draft {
	FILE *out;		/* write to this */
	char *text;
	size_t len;
};

/* Starts a draft; false when out of memory. */
bool file_draft_open(struct file_draft *d);

/* Releases a draft that will not be written. */
void file_draft_discard(struct file_draft *d);

/* Ends the draft and replaces path with it; the draft is released either way. */
enum status file_draft_commit(struct file_draft *d, const char *path, mode_t mode,
			      bool durable, struct error *err);

/* file_draft_commit to the file name in dir (a state file). */
enum status file_draft_commit_in(struct file_draft *d, const char *dir, const char *name,
				 mode_t mode, bool durable, struct error *err);

/* Creates dir and its missing parents with mode. */
enum status dir_create(const char *dir, mode_t mode, struct error *err);

/* fsyncs a directory so that renames and unlinks in it are durable. False,
 * with errno set, when it cannot. */
bool dir_sync(const char *dir);

/* Joins a and b with one '/', into a new string the caller frees (NULL on OOM). */
char *path_join(const char *a, const char *b);

/* Whether path is dir or lies below it, compared component by component
 * ("/a/bc" is not below "/a/b"). Both must be absolute and free of "." and
 * ".." components; repeated and trailing slashes are ignored. */
bool path_is_within(const char *path, const char *dir);

/* The host path of path inside the tree at root (NULL root: /), as path_join. */
char *path_under_root(const char *root, const char *path);

#endif
