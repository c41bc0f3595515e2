/* SPDX-License-Identifier: MIT */
/* Privilege separation: the work that reads the network and parses its bytes
 * runs in a child process that has given up root, and hands the parent one
 * frame (common/frame.h) over a pipe. The parent checks that frame before it
 * acts on anything in it.
 *
 * As root, the child becomes [agent] user before it runs its work: no
 * supplementary groups, then setresgid and setresuid to the user's ids; it
 * then makes sure root cannot be regained (setresuid(0, 0, 0) must fail and
 * no real, effective or saved id may be 0) and sets PR_SET_NO_NEW_PRIVS. Run
 * by an ordinary user, the child keeps that user (nothing to drop). Either
 * way it closes every descriptor but stdin, stdout, stderr and the pipe, so
 * it holds no open state or lock file, and leads a process group of its own. */
#ifndef ANCHORSYNC_PRIVSEP_H
#define ANCHORSYNC_PRIVSEP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "frame.h"
#include "status.h"

#define PRIVSEP_NAME_MAX 64

/* Whom the child runs as. */
struct privsep_user {
	bool drop;			/* running as root: become uid/gid */
	uid_t uid;
	gid_t gid;
	char name[PRIVSEP_NAME_MAX];
};

/* Looks name up in the user database, whoever runs this (reading it needs
 * no privilege): on STATUS_OK u holds the name and ids, drop left false.
 * STATUS_CONFIG with one line naming the user and how to create it when it
 * does not exist, and when its uid or primary gid is 0. check-config calls
 * this, so that it refuses what refresh would. */
enum status privsep_user_lookup(const char *name, struct privsep_user *u, struct error *err);

/* privsep_user_lookup when running as root (effective uid 0), and then u
 * drops to that user; otherwise there is nothing to drop and u says so (the
 * name kept, nothing looked up). The same STATUS_CONFIG. */
enum status privsep_user_find(const char *name, struct privsep_user *u, struct error *err);

/* Becomes u (when u->drop) and checks that root cannot come back, then sets
 * PR_SET_NO_NEW_PRIVS. STATUS_INTERNAL naming the step that failed. */
enum status privsep_drop(const struct privsep_user *u, struct error *err);

/* The work a child does: fill w with the payload records, or with
 * frame_put_error when it failed. */
typedef void privsep_work(void *arg, struct frame_writer *w);

/* Forks a child that becomes u (privsep_drop) and runs work(arg, w), then
 * writes the frame to the parent and exits. The parent reads at most max
 * bytes within timeout seconds, then makes sure the child and its process
 * group are gone. On STATUS_OK *frame (caller frees) and *len hold what the
 * child sent, not yet checked beyond its size. Otherwise, with what one-line
 * naming the child's job ("the unprivileged fetch"):
 *   STATUS_UNAVAILABLE  it outlived timeout and was killed;
 *   STATUS_DATA         it died, exited with a failure, or sent more than max;
 *   STATUS_INTERNAL     no pipe or process could be made.
 * stdout is flushed before the fork, so nothing buffered prints twice. A child
 * that sent a whole frame (frame_is_whole) is killed and left to
 * privsep_reap_finished, so that its teardown overlaps the parent's work. */
enum status privsep_run(const struct privsep_user *u, const char *what, unsigned timeout,
			size_t max, privsep_work *work, void *arg, unsigned char **frame,
			size_t *len, struct error *err);

/* Reaps the children privsep_run left behind; a command calls it before it
 * returns. */
void privsep_reap_finished(void);

/* Reads a frame that may be an error: STATUS_OK when it does not start with
 * FRAME_TAG_STATUS (a payload, for its own decoder); otherwise exactly a
 * status, a message and the end, and the status returned is the child's when
 * it is one of allowed (count entries), else STATUS_DATA, with the child's
 * message (escaped) in err. A malformed error is STATUS_DATA naming what. */
enum status privsep_frame_error(const unsigned char *frame, size_t len,
				const enum status *allowed, size_t count, const char *what,
				struct error *err);

#endif
