/* SPDX-License-Identifier: MIT */
/* Replays a corpus through a harness without libFuzzer, for `make check` with
 * any compiler: each file of the directories (or the files) named on the
 * command line, or of $top_srcdir/fuzz/corpus/FUZZ_NAME when none is, is
 * passed to LLVMFuzzerTestOneInput once, one TAP line each. A crash or a
 * sanitizer report fails the run. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "fuzz.h"

#define REPLAY_MAX (4 * 1024 * 1024)

static int count;

static void replay_file(const char *path)
{
	char *data = NULL;
	size_t len = 0;
	struct error err;

	if (file_read(path, REPLAY_MAX, &data, &len, NULL, &err) != STATUS_OK) {
		printf("not ok %d - %s\n", ++count, err.msg);
		exit(1);
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
	printf("ok %d - %s\n", ++count, path);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void replay(const char *path)
{
	struct dirent **entries;
	struct stat sb;
	int n;

	if (stat(path, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
		replay_file(path);
		return;
	}
	n = scandir(path, &entries, NULL, by_name);
	if (n < 0) {
		printf("Bail out! cannot read corpus '%s'\n", path);
		exit(1);
	}
	for (int i = 0; i < n; i++) {
		if (entries[i]->d_name[0] != '.') {
			char *file = path_join(path, entries[i]->d_name);
			if (file == NULL)
				exit(1);
			replay_file(file);
			free(file);
		}
		free(entries[i]);
	}
	free(entries);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			replay(argv[i]);
	} else {
		const char *top = getenv("top_srcdir");
		char *corpus = NULL;
		if (asprintf(&corpus, "%s/fuzz/corpus/%s", top ? top : ".", FUZZ_NAME) < 0)
			return 1;
		replay(corpus);
		free(corpus);
	}
	printf("1..%d\n", count);
	return 0;
}
