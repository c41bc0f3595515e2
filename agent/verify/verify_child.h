/* SPDX-License-Identifier: MIT */
/* Delivery checks in an unprivileged child (common/privsep.h): the SMTP and
 * TLS dialogue, MX lookups and certificate parsing run as [agent] user, with
 * the trust anchors the parent loaded before the fork. The child prints what
 * the session asks for itself (stdout is inherited) and returns the results
 * in a frame:
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

#include "frame.h"
#include "verify.h"

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

/* verify_targets' work, in this process (verify.c). */
enum status verify_targets_here(struct verify_session *run, char *const *targets,
				size_t count, struct verify_result *results, struct error *err);

/* verify_targets_here in a child that runs as run->user, within a deadline
 * well past the checks' own (each target's --timeout four times over, and
 * ten seconds, and VERIFY_CHILD_MARGIN); results as verify_targets_here. A
 * child that dies, hangs or sends a malformed frame fails every target not
 * reported (STATUS_DATA or STATUS_UNAVAILABLE). */
enum status verify_targets_unprivileged(struct verify_session *run, char *const *targets,
					size_t count, struct verify_result *results,
					struct error *err);

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
