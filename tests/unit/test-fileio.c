/* SPDX-License-Identifier: MIT */
/* Whole-file reads, atomic writes and drafts. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "tap.h"

/* How many entries dir holds besides . and .. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	if (d)
		closedir(d);
	return n;
}

static struct error err_unused;

static char *read_all(const char *path)
{
	char *text = NULL;
	size_t len;

	return file_read(path, 1 << 20, &text, &len, NULL, NULL) == STATUS_OK ? text : NULL;
}

/* Creates dir/name (a file) holding "x". */
static void put(const char *dir, const char *name)
{
	char *p = path_join(dir, name);
	FILE *f = p ? fopen(p, "w") : NULL;

	if (f)
		fputs("x", f), fclose(f);
	free(p);
}

static bool exists(const char *dir, const char *name)
{
	char *p = path_join(dir, name);
	bool yes = p && access(p, F_OK) == 0;

	free(p);
	return yes;
}

/* A killed write leaves at most a file in the staging directory; the next
 * write of the same file, or file_tmp_sweep, removes it and an earlier
 * version's temporary file beside it, and nothing that only looks alike. */
static void test_leftovers(const char *dir, const char *path)
{
	char *stage = path_join(dir, FILE_TMP_DIR);

	mkdir(stage, 0700);
	put(stage, "state.Ab3dE9");
	put(dir, "state.Zz9Zz9");
	put(dir, "state.bak");
	put(dir, "state.Ab3dE9x");
	ok(file_write_atomic(path, "two", 3, 0644, false, &err_unused) == STATUS_OK,
	   "a write after a killed one succeeds");
	ok(!exists(dir, FILE_TMP_DIR), "  ... the staging directory and its leftover are gone");
	ok(!exists(dir, "state.Zz9Zz9"), "  ... and so is the temporary name of an earlier version");
	ok(exists(dir, "state.bak") && exists(dir, "state.Ab3dE9x"),
	   "  ... names that only look alike stay");
	mkdir(stage, 0700);
	put(stage, "other.Ab3dE9");
	put(stage, "state.Qq1Qq1");
	ok(file_tmp_sweep(path) == 1 && exists(stage, "other.Ab3dE9"),
	   "file_tmp_sweep removes the leftovers of that file alone");
	ok(file_tmp_sweep_dir(dir) == 1 && !exists(dir, FILE_TMP_DIR),
	   "file_tmp_sweep_dir empties and removes the staging directory");
	unlink(stage);
	free(stage);
	stage = path_join(dir, "state.bak");
	unlink(stage);
	free(stage);
	stage = path_join(dir, "state.Ab3dE9x");
	unlink(stage);
	free(stage);
}

int main(void)
{
	char dir[] = "/tmp/anchorsync-test-fileio-XXXXXX";
	struct file_draft d;
	struct error err;
	struct stat sb;
	char *path, *missing_dir, *missing_path, *text = NULL;
	bool missing = false;
	char old[8];
	size_t len;
	int reader;

	if (mkdtemp(dir) == NULL)
		return 99;
	path = path_join(dir, "state");
	missing_dir = path_join(dir, "no/such");
	missing_path = path_join(missing_dir, "file");

	text = path_join("/a/", "/b");
	is_str(text, "/a/b", "path_join puts one slash between");
	free(text);
	ok(path_is_within("/var/spool/postfix/etc", "/var/spool/postfix"),
	   "a path below a directory is within it");
	ok(path_is_within("/var/spool/postfix", "/var/spool/postfix/"),
	   "a directory is within itself, trailing slash or not");
	ok(path_is_within("//var//spool/postfix/x/", "/var/spool/postfix"),
	   "repeated slashes do not matter");
	ok(!path_is_within("/var/spool/postfixes/etc", "/var/spool/postfix"),
	   "a path that only starts with the directory's text is not within it");
	ok(!path_is_within("/var/spool", "/var/spool/postfix"), "a parent is not within");
	ok(path_is_within("/etc", "/"), "everything is within /");

	ok(file_write_atomic(path, "one\n", 4, 0640, true, &err) == STATUS_OK,
	   "a durable atomic write succeeds");
	text = read_all(path);
	is_str(text, "one\n", "the file holds what was written");
	free(text);
	ok(stat(path, &sb) == 0 && (sb.st_mode & 07777) == 0640, "with the mode asked for");
	reader = open(path, O_RDONLY);
	ok(file_write_atomic(path, "two", 3, 0644, false, &err) == STATUS_OK,
	   "replacing it, not durably, succeeds");
	text = read_all(path);
	is_str(text, "two", "the file holds the new content");
	free(text);
	ok(reader >= 0 && pread(reader, old, sizeof(old), 0) == 4 && memcmp(old, "one\n", 4) == 0,
	   "a reader that had the old file open still reads it whole");
	if (reader >= 0)
		close(reader);
	ok(entries(dir) == 1, "no temporary file is left behind");
	unlink(path);
	ok(file_write_atomic(path, "new", 3, 0644, false, &err) == STATUS_OK && entries(dir) == 1,
	   "a write that is not durable creates a file that was not there");
	unlink(path);
	mkdir(path, 0755);
	ok(file_write_atomic(path, "x", 1, 0644, false, &err) == STATUS_IO &&
	   stat(path, &sb) == 0 && S_ISDIR(sb.st_mode) && entries(dir) == 1,
	   "nor one that is not durable replaces a directory: it fails and leaves it");
	rmdir(path);
	file_write_atomic(path, "two", 3, 0644, false, &err);

	ok(file_write_atomic(missing_path, "x", 1, 0644, true, &err) == STATUS_IO,
	   "writing into a missing directory fails with STATUS_IO");
	ok(strstr(err.msg, missing_dir) != NULL, "naming the path");
	ok(entries(dir) == 1, "and leaves nothing behind");

	test_leftovers(dir, path);

	ok(file_draft_open(&d), "a draft opens");
	fprintf(d.out, "line %d\n", 1);
	fputs("line 2\n", d.out);
	ok(file_draft_commit(&d, path, 0644, true, &err) == STATUS_OK, "the draft commits");
	text = read_all(path);
	is_str(text, "line 1\nline 2\n", "the file holds the draft");
	free(text);
	ok(d.out == NULL && d.text == NULL, "the draft is released");
	ok(file_draft_open(&d), "another draft opens");
	fputs("lost", d.out);
	ok(file_draft_commit(&d, missing_path, 0644, true, &err) == STATUS_IO,
	   "a draft that cannot be written fails");
	ok(d.out == NULL && d.text == NULL, "and is released all the same");
	ok(file_draft_open(&d), "a third draft opens");
	fputs("never written", d.out);
	file_draft_discard(&d);
	ok(d.out == NULL && d.text == NULL, "a discarded draft is released");
	text = read_all(path);
	is_str(text, "line 1\nline 2\n", "and the file keeps what it held");
	free(text);

	ok(file_read(missing_path, 100, &text, &len, &missing, &err) == STATUS_IO && missing,
	   "reading a missing file fails, telling it is missing");
	ok(file_read(path, 3, &text, &len, &missing, &err) == STATUS_IO && !missing,
	   "a file over the limit is refused");

	ok(dir_sync(dir), "dir_sync syncs a directory");
	ok(!dir_sync(missing_dir), "dir_sync says when it cannot");
	ok(dir_create(missing_dir, 0755, &err) == STATUS_OK && dir_sync(missing_dir),
	   "dir_create makes the missing parents");

	rmdir(missing_dir);
	{
		char *no = path_join(dir, "no");
		rmdir(no);
		free(no);
	}
	unlink(path);
	rmdir(dir);
	free(path);
	free(missing_dir);
	free(missing_path);
	return tap_done();
}
