/* SPDX-License-Identifier: MIT */
/* Delivery checks in an unprivileged child (common/privsep.h): the SMTP and
 * TLS dialogue, MX lookups and certificate parsing run as [agent] user, with
 * the trust anchors the parent loaded before the fork. The checks themselves
 * are the caller's (verify.c hands them in as a function): this module only
 * runs them in the child and carries their results back, so the dependency
 * points one way, verify.c to here. The child prints what the checks print
 * (stdout is inherited) and returns the results in a frame:
 *     OUTCOME   8 bytes: the status verify_targets returned
 *     MESSAGE   its one-line error, when not STATUS_OK
 *     RESULT    (one per target checked, in order) 1 byte ok (0 or 1), then
 *               the verdict line; after it, at most one each of
 *     CAUSE     the cause's name (probe_cause_id)
 *     NAMES     the server certificate's DNS names
 *     EXPIRY    8 bytes: the earliest notAfter in the chain the server sent
 *     EXPIRING  that certificate's subject
 * (or privsep_frame_error's error, STATUS_INTERNAL). */
#ifndef ANCHORSYNC_VERIFY_CHILD_H
#define ANCHORSYNC_VERIFY_CHILD_H

#include <stddef.h>

#include "frame.h"
#include "privsep.h"
#include "record.h"
#include "status.h"

enum verify_tag {
	VERIFY_TAG_OUTCOME = FRAME_TAG_PAYLOAD,
	VERIFY_TAG_MESSAGE,
	VERIFY_TAG_RESULT,
	VERIFY_TAG_CAUSE,
	VERIFY_TAG_NAMES,
	VERIFY_TAG_EXPIRY,
	VERIFY_TAG_EXPIRING,
};

#define VERIFY_DETAIL_MAX 4096
#define VERIFY_FACTS_MAX 2048	/* the facts of one result, together */

/* What the child runs: check fills results (count entries, calloc'd by the
 * child) and returns the outcome, with err when not STATUS_OK. timeout is
 * one target's --timeout, for the deadline. */
struct verify_child_job {
	const struct privsep_user *user;
	unsigned timeout;
	enum status (*check)(void *arg, char *const *targets, size_t count,
			     struct verify_result *results, struct error *err);
	void *arg;
};

/* job->check in a child that runs as job->user, within a deadline well past
 * the checks' own (job->timeout four times over per target, and ten seconds,
 * and VERIFY_CHILD_MARGIN); results as job->check fills them. A child that
 * dies, hangs or sends a malformed frame fails every target not reported
 * (STATUS_DATA or STATUS_UNAVAILABLE). */
enum status verify_child_run(const struct verify_child_job *job, char *const *targets,
			     size_t count, struct verify_result *results, struct error *err);

#define VERIFY_CHILD_MARGIN 15

/* Writes the outcome st (with err when not STATUS_OK) and count results. */
void verify_frame_encode(enum status st, const struct error *err,
			 const struct verify_result *results, size_t count, struct frame_writer *w);

/* Reads a frame for count targets into results (may be NULL): each result
 * the child reported gets targets[i] (a copy), ok and the verdict (escaped);
 * no more than count, an outcome of STATUS_OK only when every one verified.
 * Returns the child's outcome, with its message, or STATUS_DATA for a
 * malformed frame. */
enum status verify_frame_check(const unsigned char *frame, size_t len, char *const *targets,
			       size_t count, struct verify_result *results, struct error *err);

#endif
