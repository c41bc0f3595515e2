/* SPDX-License-Identifier: MIT */
/* Helpers shared by the harnesses (see fuzz.h). */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"

static char dir[] = "/tmp/anchorsync-fuzz-XXXXXX";
static const char *names[8];

char *fuzz_text(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	return text;
}

static void fuzz_dir_remove(void)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && names[i]; i++) {
		char *path = path_join(dir, names[i]);
		if (path)
			unlink(path);
		free(path);
	}
	rmdir(dir);
}

const char *fuzz_dir(void)
{
	static int made;

	if (!made) {
		if (mkdtemp(dir) == NULL)
			abort();
		atexit(fuzz_dir_remove);
		log_open("fuzz", -1);
		made = 1;
	}
	return dir;
}

void fuzz_write_file(const char *name, const uint8_t *data, size_t size)
{
	char *path = path_join(fuzz_dir(), name);
	size_t i = 0;

	while (i < sizeof(names) / sizeof(names[0]) && names[i] && strcmp(names[i], name) != 0)
		i++;
	if (i < sizeof(names) / sizeof(names[0]))
		names[i] = name;
	if (path == NULL || file_write_atomic(path, data, size, 0600, false, NULL) != STATUS_OK)
		abort();
	free(path);
}
