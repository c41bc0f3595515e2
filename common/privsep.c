/* SPDX-License-Identifier: MIT */
#include "privsep.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/* What the child's exit status means: 0 after it wrote its frame. */
#define CHILD_WRITE_FAILED 71

/* u for name, no ids and nothing to drop. */
static void user_named(struct privsep_user *u, const char *name)
{
	memset(u, 0, sizeof(*u));
	snprintf(u->name, sizeof(u->name), "%s", name ? name : "");
}

enum status privsep_user_lookup(const char *name, struct privsep_user *u, struct error *err)
{
	struct passwd *pw;

	user_named(u, name);
	errno = 0;
	pw = name && *name ? getpwnam(name) : NULL;
	if (pw == NULL)
		return error_set(err, STATUS_CONFIG, "[agent] user '%s' does not exist: create it "
				 "(useradd --system --no-create-home --shell /usr/sbin/nologin %s) "
				 "or name another unprivileged user", u->name, u->name);
	if (pw->pw_uid == 0 || pw->pw_gid == 0)
		return error_set(err, STATUS_CONFIG, "[agent] user '%s' has uid %u and gid %u: "
				 "it must be an unprivileged user (neither may be 0)", u->name,
				 (unsigned)pw->pw_uid, (unsigned)pw->pw_gid);
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	return STATUS_OK;
}

enum status privsep_user_find(const char *name, struct privsep_user *u, struct error *err)
{
	enum status st;

	if (geteuid() != 0) {
		user_named(u, name);
		return STATUS_OK;
	}
	st = privsep_user_lookup(name, u, err);
	u->drop = st == STATUS_OK;
	return st;
}

/* Whether root is out of reach: regaining it fails and no id is 0. */
static bool root_gone(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;

	if (setresuid(0, 0, 0) == 0)
		return false;
	if (getresuid(&r, &e, &s) < 0 || getresgid(&gr, &ge, &gs) < 0)
		return false;
	return r != 0 && e != 0 && s != 0 && gr != 0 && ge != 0 && gs != 0;
}

enum status privsep_drop(const struct privsep_user *u, struct error *err)
{
	if (u->drop) {
		if (setgroups(0, NULL) < 0)
			return error_set(err, STATUS_INTERNAL, "cannot drop supplementary groups: %s",
					 strerror(errno));
		if (setresgid(u->gid, u->gid, u->gid) < 0)
			return error_set(err, STATUS_INTERNAL, "cannot become group %u: %s",
					 (unsigned)u->gid, strerror(errno));
		if (setresuid(u->uid, u->uid, u->uid) < 0)
			return error_set(err, STATUS_INTERNAL, "cannot become user '%s': %s", u->name,
					 strerror(errno));
		if (!root_gone())
			return error_set(err, STATUS_INTERNAL, "root privileges could be regained "
					 "after becoming user '%s'", u->name);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return error_set(err, STATUS_INTERNAL, "cannot set no_new_privs: %s",
				 strerror(errno));
	return STATUS_OK;
}

/* Closes every descriptor from low up, but keep. */
static void close_others(int low, int keep)
{
	struct rlimit rl;
	long max = 1024;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		max = rl.rlim_cur > 65536 ? 65536 : (long)rl.rlim_cur;
#ifdef SYS_close_range
	if (keep > low && syscall(SYS_close_range, (unsigned)low, (unsigned)keep - 1, 0) == 0 &&
	    syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0) == 0)
		return;
#endif
	for (long fd = low; fd < max; fd++)
		if (fd != keep)
			close((int)fd);
}

static bool write_all(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* The child: never returns. */
static void child_main(const struct privsep_user *u, pid_t parent, int out_fd,
		       privsep_work *work, void *arg)
{
	struct frame_writer w;
	struct error err = { .status = STATUS_OK };
	unsigned char *frame = NULL;
	size_t len = 0;

	setpgid(0, 0);
	closelog();		/* its socket is closed below; syslog reopens it */
	close_others(3, out_fd);
	frame_writer_init(&w);
	if (privsep_drop(u, &err) != STATUS_OK) {
		frame_put_error(&w, &err);
	} else {
		/* Cleared by the change of ids: set it now, and catch a parent
		 * that died before it took. */
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != parent)
			_exit(CHILD_WRITE_FAILED);
		work(arg, &w);
	}
	fflush(stdout);
	if (!frame_finish(&w, &frame, &len) || !write_all(out_fd, frame, len))
		_exit(CHILD_WRITE_FAILED);
	close(out_fd);		/* the parent's end of file now, not after our teardown */
	_exit(0);
}

static long long monotonic_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Reads the pipe until end of file, the deadline, or more than max bytes. */
static enum status read_frame(int fd, long long deadline, size_t max, unsigned char **out,
			      size_t *len, bool *timed_out, bool *too_big)
{
	size_t cap = 0, have = 0;
	unsigned char *buf = NULL;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long long left = deadline - monotonic_ms();
		ssize_t n;

		if (left <= 0) {
			*timed_out = true;
			break;
		}
		if (poll(&p, 1, left > 1000 ? 1000 : (int)left) <= 0)
			continue;
		if (have == cap) {
			size_t want = cap ? cap * 2 : 64 * 1024;
			unsigned char *bigger;

			if (want > max + 1)
				want = max + 1;
			if (want <= have || (bigger = realloc(buf, want)) == NULL) {
				free(buf);
				return STATUS_INTERNAL;
			}
			buf = bigger;
			cap = want;
		}
		n = read(fd, buf + have, cap - have);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		if (have > max) {
			*too_big = true;
			break;
		}
	}
	*out = buf;
	*len = have;
	return STATUS_OK;
}

/* Children that sent a whole frame: killed at once (their work is done),
 * reaped by privsep_reap_finished so that the parent does not wait for
 * their teardown. */
#define FINISHING_MAX 8
static pid_t finishing[FINISHING_MAX];
static size_t finishing_count;

/* Reaps pid; its wait status. */
static int wait_gone(pid_t pid)
{
	int ws = 0;

	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	return ws;
}

static void finish_later(pid_t pid)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	if (finishing_count == FINISHING_MAX)
		privsep_reap_finished();
	finishing[finishing_count++] = pid;
}

void privsep_reap_finished(void)
{
	for (size_t i = 0; i < finishing_count; i++)
		wait_gone(finishing[i]);
	finishing_count = 0;
}

/* Waits for the child until the deadline (on a pidfd when the kernel has
 * them), then kills its process group (the child itself is not yet reaped, so
 * its pid still names the group) and reaps it. */
static int reap(pid_t pid, long long deadline, bool kill_now, bool *timed_out)
{
	struct timespec pause = { 0, 1000 * 1000 };
	int pid_fd = kill_now ? -1 : (int)syscall(SYS_pidfd_open, pid, 0);

	while (!kill_now) {
		siginfo_t si = { 0 };
		long long left = deadline - monotonic_ms();
		struct pollfd p = { .fd = pid_fd, .events = POLLIN };

		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == pid)
			break;
		if (left <= 0) {
			*timed_out = true;
			break;
		}
		if (pid_fd < 0 || poll(&p, 1, left > 1000 ? 1000 : (int)left) < 0)
			nanosleep(&pause, NULL);
	}
	if (pid_fd >= 0)
		close(pid_fd);
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	return wait_gone(pid);
}

enum status privsep_run(const struct privsep_user *u, const char *what, unsigned timeout,
			size_t max, privsep_work *work, void *arg, unsigned char **frame,
			size_t *len, struct error *err)
{
	long long deadline = monotonic_ms() + (long long)timeout * 1000;
	bool timed_out = false, too_big = false;
	pid_t parent = getpid(), pid;
	int fds[2], ws;

	*frame = NULL;
	*len = 0;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return error_set(err, STATUS_INTERNAL, "%s: cannot make a pipe: %s", what,
				 strerror(errno));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return error_set(err, STATUS_INTERNAL, "%s: cannot fork: %s", what, strerror(errno));
	}
	if (pid == 0) {
		close(fds[0]);
		child_main(u, parent, fds[1], work, arg);
	}
	setpgid(pid, pid);	/* also here: no window where a kill misses it */
	close(fds[1]);
	if (read_frame(fds[0], deadline, max, frame, len, &timed_out, &too_big) != STATUS_OK) {
		close(fds[0]);
		reap(pid, deadline, true, &timed_out);
		return error_set(err, STATUS_INTERNAL, "%s: out of memory", what);
	}
	close(fds[0]);
	/* A whole frame was written in full before the child exits with 0: its
	 * exit status would tell nothing more. */
	if (!timed_out && !too_big && frame_is_whole(*frame, *len)) {
		finish_later(pid);
		return STATUS_OK;
	}
	ws = reap(pid, deadline, timed_out || too_big, &timed_out);
	if (timed_out || too_big || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
		free(*frame);
		*frame = NULL;
		*len = 0;
	}
	if (timed_out)
		return error_set(err, STATUS_UNAVAILABLE, "%s did not finish within %u s and was "
				 "killed; nothing was changed", what, timeout);
	if (too_big)
		return error_set(err, STATUS_DATA, "%s sent more than %zu bytes; nothing was "
				 "changed", what, max);
	if (WIFSIGNALED(ws))
		return error_set(err, STATUS_DATA, "%s was killed by signal %d; nothing was "
				 "changed", what, WTERMSIG(ws));
	if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
		return error_set(err, STATUS_DATA, "%s exited with status %d; nothing was changed",
				 what, WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
	return STATUS_OK;
}

enum status privsep_frame_error(const unsigned char *frame, size_t len,
				const enum status *allowed, size_t count, const char *what,
				struct error *err)
{
	struct frame_reader r;
	struct frame_item it;
	uint64_t status = 0;
	char *msg = NULL;
	enum status st = STATUS_DATA;

	frame_reader_init(&r, frame, len);
	if (frame_next(&r, 8, &it) != FRAME_ITEM || it.tag != FRAME_TAG_STATUS)
		return STATUS_OK;	/* a payload, or what its decoder will refuse */
	if (!frame_item_u64(&it, &status) ||
	    frame_next(&r, sizeof(err->msg), &it) != FRAME_ITEM || it.tag != FRAME_TAG_MESSAGE ||
	    (msg = frame_item_text(&it, sizeof(err->msg) - 1)) == NULL ||
	    frame_next(&r, 0, &it) != FRAME_DONE) {
		free(msg);
		return error_set(err, STATUS_DATA, "%s sent a malformed error; nothing was changed",
				 what);
	}
	for (size_t i = 0; i < count; i++)
		if (status == (uint64_t)allowed[i] && allowed[i] != STATUS_OK)
			st = allowed[i];
	error_set(err, st, "%s", msg);
	free(msg);
	return st;
}
