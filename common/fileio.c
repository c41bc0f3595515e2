/* SPDX-License-Identifier: MIT */
#include "fileio.h"

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
	return rename(tmp, path) == 0;
}

enum status file_write_atomic(const char *path, const void *data, size_t len,
			      mode_t mode, bool durable, struct error *err)
{
	enum status st = STATUS_OK;
	char *tmp;
	int fd;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	fd = mkstemp(tmp);
	if (fd < 0) {
		st = error_set(err, STATUS_IO, "cannot create '%s': %s", tmp, strerror(errno));
		goto out_free;
	}
	if (!write_all(fd, data, len) || fchmod(fd, mode) < 0 ||
	    (durable && fsync(fd) < 0)) {
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
	if (durable && !parent_sync(path))
		st = error_set(err, STATUS_IO, "cannot sync the directory of '%s': %s", path,
			       strerror(errno));
	goto out_free;
out_unlink:
	unlink(tmp);
out_free:
	free(tmp);
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
