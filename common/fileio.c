/* SPDX-License-Identifier: MIT */
#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* file_read and file_read_state: open_flags adds O_NOFOLLOW for the latter.
 * O_NONBLOCK keeps a FIFO from blocking the open; fstat then refuses it. */
static enum status read_whole(const char *path, int open_flags, size_t max, char **data,
			      size_t *len, bool *missing, struct error *err)
{
	enum status st = STATUS_OK;
	struct stat sb;
	char *buf = NULL;
	size_t have = 0;
	int fd;

	if (missing)
		*missing = false;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | open_flags);
	if (fd < 0 && errno == ELOOP && (open_flags & O_NOFOLLOW))
		return error_set(err, STATUS_IO, "cannot read '%s': it is a symbolic link", path);
	if (fd < 0) {
		if (missing)
			*missing = errno == ENOENT;
		return error_set(err, STATUS_IO, "cannot read '%s': %s", path, strerror(errno));
	}
	if (fstat(fd, &sb) < 0) {
		st = error_set(err, STATUS_IO, "cannot read '%s': %s", path, strerror(errno));
		goto out_close;
	}
	if (!S_ISREG(sb.st_mode)) {
		st = error_set(err, STATUS_IO, "cannot read '%s': not a regular file", path);
		goto out_close;
	}
	if ((size_t)sb.st_size > max) {
		st = error_set(err, STATUS_IO, "'%s' is larger than %zu bytes", path, max);
		goto out_close;
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (buf == NULL) {
		st = error_set(err, STATUS_INTERNAL, "out of memory reading '%s'", path);
		goto out_close;
	}
	while (have < (size_t)sb.st_size) {
		ssize_t n = read(fd, buf + have, (size_t)sb.st_size - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			st = error_set(err, STATUS_IO, "cannot read '%s': %s", path, strerror(errno));
			goto out_free;
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	buf[have] = '\0';
	*data = buf;
	*len = have;
	buf = NULL;
out_free:
	free(buf);
out_close:
	close(fd);
	return st;
}

enum status file_read(const char *path, size_t max, char **data, size_t *len,
		      bool *missing, struct error *err)
{
	return read_whole(path, 0, max, data, len, missing, err);
}

enum status file_read_state(const char *path, size_t max, char **data, size_t *len,
			    bool *missing, struct error *err)
{
	return read_whole(path, O_NOFOLLOW, max, data, len, missing, err);
}

static bool write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* fsyncs the directory holding path, so that a rename into it survives a
 * crash. False with errno set when it cannot. */
static bool parent_sync(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash == NULL ? strdup(".") :
		    strndup(path, slash == path ? 1 : (size_t)(slash - path));
	bool ok;

	if (dir == NULL)
		return false;
	ok = dir_sync(dir);
	free(dir);
	return ok;
}

/* Puts tmp in path's place. A rename over an existing file makes ext4
 * (auto_da_alloc) allocate and start writing tmp's blocks at once, about
 * 0.2 ms each time; a write that need not survive a power loss exchanges the
 * two names instead, as atomically for readers, then removes the old file
 * (now tmp), and its blocks are written back at the usual pace. Only a
 * regular file is exchanged: rename refuses a directory in path's place, and
 * so must this. */
static bool replace_file(const char *tmp, const char *path, bool durable)
{
#ifdef RENAME_EXCHANGE
	struct stat sb;

	if (!durable && lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) == 0) {
		unlink(tmp);
		return true;
	}
#endif
	return renameat(AT_FDCWD, tmp, AT_FDCWD, path) == 0;
}

/* Whether name is base followed by '.' and mkstemp's six letters or digits:
 * a temporary name file_write_atomic gives (or gave) a write of base. */
static bool is_tmp_name(const char *name, const char *base)
{
	size_t n = strlen(base);

	if (strncmp(name, base, n) != 0 || name[n] != '.' || strlen(name + n + 1) != 6)
		return false;
	for (const char *p = name + n + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return false;
	return true;
}

/* The directory part of path (a new string, NULL on OOM) and its last name. */
static char *split_path(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');

	*base = slash ? slash + 1 : path;
	return slash == NULL ? strdup(".") :
	       strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* Removes the regular file (or, with links, the symbolic link) dir/name when
 * it is ours (our uid) and tells whether it did. */
static bool remove_ours(int dirfd, const char *name, bool links)
{
	struct stat sb;

	return fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	       (S_ISREG(sb.st_mode) || (links && S_ISLNK(sb.st_mode))) &&
	       sb.st_uid == geteuid() && unlinkat(dirfd, name, 0) == 0;
}

/* Removes from dir every regular file of ours that match(name, user) accepts
 * (and symbolic links of ours, with links: the staging directory's); counts
 * them into *removed. */
static void sweep_dir(const char *dir, bool (*match)(const char *name, const void *user),
		      const void *user, bool links, size_t *removed)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (match(de->d_name, user) && remove_ours(dirfd(d), de->d_name, links))
			(*removed)++;
	closedir(d);
}

static bool match_base(const char *name, const void *base)
{
	return is_tmp_name(name, base);
}

/* The staging directory of dir (a new string, NULL on OOM). */
static char *stage_path(const char *dir)
{
	return path_join(dir, FILE_TMP_DIR);
}

/* Creates dir's staging directory: private, and refused unless it is a
 * directory of ours (never followed through a link). */
static enum status stage_make(const char *stage, const char *path, struct error *err)
{
	struct stat sb;

	if (mkdir(stage, 0700) < 0 && errno != EEXIST)
		return error_set(err, STATUS_IO, "cannot write '%s': cannot create '%s': %s", path,
				 stage, strerror(errno));
	if (lstat(stage, &sb) < 0)
		return error_set(err, STATUS_IO, "cannot examine '%s': %s", stage, strerror(errno));
	if (!S_ISDIR(sb.st_mode) || sb.st_uid != geteuid())
		return error_set(err, STATUS_IO, "'%s' is not a directory of anchorsync's", stage);
	return STATUS_OK;
}

/* Removes dir's staging directory when it is empty (else the next sweep
 * does). */
static void stage_drop(const char *stage)
{
	int saved = errno;

	(void)rmdir(stage);
	errno = saved;
}

size_t file_tmp_sweep(const char *path)
{
	const char *base;
	char *dir = split_path(path, &base), *stage = dir ? stage_path(dir) : NULL;
	size_t removed = 0;

	if (stage != NULL) {
		sweep_dir(dir, match_base, base, false, &removed);	/* earlier versions' */
		sweep_dir(stage, match_base, base, true, &removed);
		stage_drop(stage);
	}
	free(stage);
	free(dir);
	return removed;
}

static bool match_any(const char *name, const void *user)
{
	(void)user;
	return strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

size_t file_tmp_sweep_dir(const char *dir)
{
	char *stage = stage_path(dir);
	size_t removed = 0;

	if (stage != NULL) {
		sweep_dir(stage, match_any, NULL, true, &removed);
		stage_drop(stage);
	}
	free(stage);
	return removed;
}

/* Writes data into fd with mode, fsync'ed when durable. */
static bool fill(int fd, const void *data, size_t len, mode_t mode, bool durable)
{
	return write_all(fd, data, len) && fchmod(fd, mode) == 0 && (!durable || fsync(fd) == 0);
}

/* A new file at path, which does not exist: written as an unnamed file in its
 * directory (O_TMPFILE) and given its name only once whole. *done tells
 * whether it was; not done and STATUS_OK when the filesystem or kernel cannot
 * (or path appeared meanwhile): then a staged write follows. */
static enum status create_unnamed(const char *dir, const char *path, const void *data,
				  size_t len, mode_t mode, bool durable, bool *done,
				  struct error *err)
{
	enum status st = STATUS_OK;

	*done = false;
#ifdef O_TMPFILE
	char proc[64];
	int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);

	if (fd < 0)
		return STATUS_OK;	/* no O_TMPFILE here */
	if (!fill(fd, data, len, mode, durable)) {
		st = error_set(err, STATUS_IO, "cannot write '%s': %s", path, strerror(errno));
	} else {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		*done = linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 ||
			linkat(fd, "", AT_FDCWD, path, AT_EMPTY_PATH) == 0;
	}
	close(fd);
#else
	(void)dir; (void)path; (void)data; (void)len; (void)mode; (void)durable; (void)err;
#endif
	return st;
}

/* Writes data to a temporary name in stage, then puts it in path's place. */
static enum status replace_staged(const char *stage, const char *base, const char *path,
				  const void *data, size_t len, mode_t mode, bool durable,
				  struct error *err)
{
	enum status st = STATUS_OK;
	char *tmp;
	int fd;

	if (asprintf(&tmp, "%s/%s.XXXXXX", stage, base) < 0)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	fd = mkstemp(tmp);
	if (fd < 0) {
		st = error_set(err, STATUS_IO, "cannot create '%s': %s", tmp, strerror(errno));
		goto out_free;
	}
	if (!fill(fd, data, len, mode, durable)) {
		st = error_set(err, STATUS_IO, "cannot write '%s': %s", tmp, strerror(errno));
		close(fd);
		goto out_unlink;
	}
	if (close(fd) < 0) {
		st = error_set(err, STATUS_IO, "cannot write '%s': %s", tmp, strerror(errno));
		goto out_unlink;
	}
	if (!replace_file(tmp, path, durable)) {
		st = error_set(err, STATUS_IO, "cannot replace '%s': %s", path, strerror(errno));
		goto out_unlink;
	}
	goto out_free;
out_unlink:
	unlink(tmp);
out_free:
	free(tmp);
	return st;
}

enum status file_link_atomic(const char *path, const char *target, struct error *err)
{
	const char *base;
	char *dir = split_path(path, &base), *stage = dir ? stage_path(dir) : NULL, *tmp = NULL;
	enum status st = STATUS_OK;

	if (stage == NULL || asprintf(&tmp, "%s/%s.link00", stage, base) < 0) {
		st = error_set(err, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	st = stage_make(stage, path, err);
	if (st == STATUS_OK) {
		unlink(tmp);	/* a killed run's */
		if (symlink(target, tmp) < 0 || renameat(AT_FDCWD, tmp, AT_FDCWD, path) < 0) {
			st = error_set(err, STATUS_IO, "cannot link '%s' to '%s': %s", path, target,
				       strerror(errno));
			unlink(tmp);
		}
	}
	stage_drop(stage);
out:
	free(tmp);
	free(stage);
	free(dir);
	return st;
}

enum status file_write_atomic(const char *path, const void *data, size_t len,
			      mode_t mode, bool durable, struct error *err)
{
	const char *base;
	char *dir = split_path(path, &base), *stage = dir ? stage_path(dir) : NULL;
	enum status st = STATUS_OK;
	struct stat sb;
	bool done = false;

	if (stage == NULL) {
		st = error_set(err, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	file_tmp_sweep(path);
	if (lstat(path, &sb) < 0 && errno == ENOENT)
		st = create_unnamed(dir, path, data, len, mode, durable, &done, err);
	if (st == STATUS_OK && !done) {
		st = stage_make(stage, path, err);
		if (st == STATUS_OK)
			st = replace_staged(stage, base, path, data, len, mode, durable, err);
		stage_drop(stage);
	}
	if (st == STATUS_OK && durable && !parent_sync(path))
		st = error_set(err, STATUS_IO, "cannot sync the directory of '%s': %s", path,
			       strerror(errno));
out:
	free(stage);
	free(dir);
	return st;
}

bool file_draft_open(struct file_draft *d)
{
	d->text = NULL;
	d->len = 0;
	d->out = open_memstream(&d->text, &d->len);
	return d->out != NULL;
}

void file_draft_discard(struct file_draft *d)
{
	fclose(d->out);
	free(d->text);
	memset(d, 0, sizeof(*d));
}

enum status file_draft_commit(struct file_draft *d, const char *path, mode_t mode,
			      bool durable, struct error *err)
{
	enum status st;

	if (fclose(d->out) != 0)
		st = error_set(err, STATUS_INTERNAL, "out of memory writing '%s'", path);
	else
		st = file_write_atomic(path, d->text, d->len, mode, durable, err);
	free(d->text);
	memset(d, 0, sizeof(*d));
	return st;
}

enum status file_draft_commit_in(struct file_draft *d, const char *dir, const char *name,
				 mode_t mode, bool durable, struct error *err)
{
	char *path = path_join(dir, name);
	enum status st;

	if (path == NULL) {
		file_draft_discard(d);
		return error_set(err, STATUS_INTERNAL, "out of memory");
	}
	st = file_draft_commit(d, path, mode, durable, err);
	free(path);
	return st;
}

enum status dir_create(const char *dir, mode_t mode, struct error *err)
{
	char *copy;
	enum status st = STATUS_OK;

	if (mkdir(dir, mode) == 0 || errno == EEXIST)
		return STATUS_OK;	/* the usual case: one call, not one per component */
	copy = strdup(dir);
	if (copy == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	for (char *p = copy + 1; ; p++) {
		bool last = *p == '\0';
		if (*p != '/' && !last)
			continue;
		*p = '\0';
		if (mkdir(copy, mode) < 0 && errno != EEXIST) {
			st = error_set(err, STATUS_IO, "cannot create directory '%s': %s",
				       copy, strerror(errno));
			break;
		}
		if (last)
			break;
		*p = '/';
	}
	free(copy);
	return st;
}

bool dir_sync(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	bool ok;
	int saved;

	if (fd < 0)
		return false;
	ok = fsync(fd) == 0;
	saved = errno;
	close(fd);
	errno = saved;
	return ok;
}

char *path_join(const char *a, const char *b)
{
	size_t la = strlen(a);
	char *out;

	while (la > 0 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	if (asprintf(&out, "%.*s/%s", (int)la, a, b) < 0)
		return NULL;
	return out;
}

/* Skips the slashes at *p; true when a component follows. */
static bool next_component(const char **p)
{
	while (**p == '/')
		(*p)++;
	return **p != '\0';
}

bool path_is_within(const char *path, const char *dir)
{
	for (;;) {
		size_t n;

		if (!next_component(&dir))
			return true;
		if (!next_component(&path))
			return false;
		n = strcspn(dir, "/");
		if (strcspn(path, "/") != n || memcmp(path, dir, n) != 0)
			return false;
		path += n;
		dir += n;
	}
}

char *path_under_root(const char *root, const char *path)
{
	return path_join(root ? root : "/", path);
}
