/* SPDX-License-Identifier: MIT */
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "pathsafe.h"
#include "state_files.h"

/* The pid written by the holder, or 0 when unreadable. */
static long lock_holder(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

static double monotonic_seconds(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* Polls for the lock for wait_seconds; flock has no timeout of its own. */
static bool lock_wait(int fd, unsigned wait_seconds)
{
	struct timespec pause = { 0, 100 * 1000 * 1000 };
	double deadline = monotonic_seconds() + wait_seconds;

	do {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return true;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return false;
		nanosleep(&pause, NULL);
	} while (monotonic_seconds() < deadline);
	return flock(fd, LOCK_EX | LOCK_NB) == 0;
}

/* Refuses a state directory that someone other than root or the running user
 * could change or swap, itself or through a directory above it: its manifest
 * decides which trust-store files anchorsync deletes, and its custody state
 * which signed bundles it accepts. */
static enum status state_dir_check(const char *dir, struct error *err)
{
	return path_check_safe(dir, PATH_DIR, "state_dir", NULL, err);
}

/* Opens STATE_DIR/lock without following a symbolic link, and only as a
 * regular file. */
static enum status lock_open(const char *path, int *fd, struct error *err)
{
	struct stat sb;
	int lfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);

	if (lfd < 0 && errno == ELOOP)
		return error_set(err, STATUS_IO, "cannot open lock '%s': it is a symbolic link",
				 path);
	if (lfd < 0)
		return error_set(err, STATUS_IO, "cannot open lock '%s': %s", path, strerror(errno));
	if (fstat(lfd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(lfd);
		return error_set(err, STATUS_IO, "cannot open lock '%s': not a regular file", path);
	}
	*fd = lfd;
	return STATUS_OK;
}

enum status lock_acquire(const char *state_dir, unsigned wait_seconds, int *fd,
			 struct error *err)
{
	char *path = path_join(state_dir, STATE_LOCK);
	enum status st = STATUS_OK;
	char pid[32];
	int lfd = -1;

	if (path == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	st = dir_create(state_dir, 0755, err);
	if (st == STATUS_OK)
		st = state_dir_check(state_dir, err);
	if (st == STATUS_OK)
		st = lock_open(path, &lfd, err);
	if (st != STATUS_OK)
		goto out;
	if (!lock_wait(lfd, wait_seconds)) {
		long holder = lock_holder(lfd);
		st = error_set(err, STATUS_LOCKED,
			       "another refresh (pid %ld) holds '%s'%s", holder, path,
			       wait_seconds ? "; gave up waiting" : "");
		goto out;
	}
	/* The same width on every run: the size never changes, so nothing is
	 * truncated (on ext4, truncating a written file costs a flush). */
	snprintf(pid, sizeof(pid), "%-10ld\n", (long)getpid());
	if (pwrite(lfd, pid, strlen(pid), 0) < 0 || ftruncate(lfd, (off_t)strlen(pid)) < 0) {
		st = error_set(err, STATUS_IO, "cannot write lock '%s': %s", path, strerror(errno));
		goto out;
	}
	*fd = lfd;
	lfd = -1;
out:
	if (lfd >= 0)
		close(lfd);
	free(path);
	return st;
}

void lock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}
