/* SPDX-License-Identifier: MIT */
#include "kvfile.h"

#include <stdlib.h>
#include <string.h>

#include "fileio.h"

#define KVFILE_MAX (1024 * 1024)

enum status kvfile_read(const char *path, void (*handler)(void *user, const char *key,
							   const char *value),
			void *user, bool *missing, struct error *err)
{
	char *text, *line, *next;
	bool absent;
	size_t len;
	enum status st = file_read_state(path, KVFILE_MAX, &text, &len, &absent, err);

	if (missing)
		*missing = absent;
	if (st != STATUS_OK)
		return absent ? STATUS_OK : st;
	for (line = text; *line; line = next) {
		char *space;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		space = strchr(line, ' ');
		if (space == NULL)
			continue;
		*space = '\0';
		handler(user, line, space + 1);
	}
	free(text);
	return STATUS_OK;
}

enum status kvfile_load(const char *dir, const char *name,
			void (*handler)(void *user, const char *key, const char *value),
			void *user, bool *missing, struct error *err)
{
	char *path = path_join(dir, name);
	enum status st;

	if (path == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	st = kvfile_read(path, handler, user, missing, err);
	free(path);
	return st;
}
