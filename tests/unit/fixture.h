/* SPDX-License-Identifier: MIT */
/* Fixtures for the C unit tests: files in tests/unit/data, and scratch
 * directories that are removed again. */
#ifndef ANCHORSYNC_FIXTURE_H
#define ANCHORSYNC_FIXTURE_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fileio.h"

/* The path of tests/unit/data/name in out. */
static inline void fixture_path(const char *name, char *out, size_t size)
{
	snprintf(out, size, "%s/tests/unit/data/%s", getenv("top_srcdir"), name);
}

/* The contents of tests/unit/data/name (NUL-terminated; caller frees; len may
 * be NULL). A fixture that cannot be read bails out of the test. */
static inline char *fixture_read(const char *name, size_t *len)
{
	char path[1024], *data = NULL;
	size_t n;

	fixture_path(name, path, sizeof(path));
	if (file_read(path, 1 << 20, &data, &n, NULL, NULL) != STATUS_OK) {
		printf("Bail out! cannot read %s\n", path);
		exit(1);
	}
	if (len)
		*len = n;
	return data;
}

/* Makes a fresh directory from dir, a template ending in XXXXXX; bails out
 * when it cannot. */
static inline void scratch_make(char *dir)
{
	if (mkdtemp(dir) == NULL) {
		printf("Bail out! cannot make %s\n", dir);
		exit(1);
	}
}

static inline int scratch_unlink(const char *path, const struct stat *sb, int type,
				 struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* Removes dir and everything below it. */
static inline void scratch_remove(const char *dir)
{
	nftw(dir, scratch_unlink, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
