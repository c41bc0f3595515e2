/* SPDX-License-Identifier: MIT */
/* The fetch step's result as a frame (common/frame.h), from the unprivileged
 * child to the parent, and the parent's check of it.
 *
 * Records (each at most once unless said):
 *     URL            the mirror that answered; must be one of [source] url
 *     NOT_MODIFIED   (empty) it answered 304 to a conditional request
 *     BODY           the body to keep, at most [source] max_size; absent on a 304
 *     ETAG, LAST_MODIFIED   validators (fetch_validator_valid)
 *     ROOT           (repeated) DER of a root to install now
 *     HELD           (repeated) DER of a root the signed bundle lists, held down
 *     SERIAL, EXPIRES, CONTENT (32 bytes), SIGNER   a signed bundle's custody
 *                    state; ROOT and HELD then come in the bundle's order
 *     VERIFIED       (16 bytes: at, until) a signed bundle's signature decision
 *                    (trustchain.h, struct trust_verified): when it was made,
 *                    and the earliest expiry on its chain
 * or an error (privsep_frame_error): DATA, UNAVAILABLE or INTERNAL with a
 * message. */
#ifndef ANCHORSYNC_FETCH_FRAME_H
#define ANCHORSYNC_FETCH_FRAME_H

#include <stddef.h>
#include <time.h>

#include "fetch_select.h"
#include "frame.h"

enum fetch_tag {
	FETCH_TAG_URL = FRAME_TAG_PAYLOAD,
	FETCH_TAG_NOT_MODIFIED,
	FETCH_TAG_BODY,
	FETCH_TAG_ETAG,
	FETCH_TAG_LAST_MODIFIED,
	FETCH_TAG_ROOT,
	FETCH_TAG_HELD,
	FETCH_TAG_SERIAL,
	FETCH_TAG_EXPIRES,
	FETCH_TAG_CONTENT,
	FETCH_TAG_SIGNER,
	FETCH_TAG_VERIFIED,
};

/* Caps on what a frame may carry beyond the body. */
#define FETCH_FRAME_MAX_ROOTS BUNDLE_MAX_ROOTS
#define FETCH_FRAME_MAX_DER BUNDLE_MAX_DER
#define FETCH_FRAME_MAX_SIGNER 1024

/* The largest frame for cfg: the body, every root, the rest. */
size_t fetch_frame_max(const struct config *cfg);

/* Writes out (from fetch_select) into w: the roots as DER, the custody state
 * of a signed bundle, the body and validators. A certificate that cannot be
 * encoded writes an error instead. */
void fetch_frame_encode(const struct fetch_outcome *out, struct frame_writer *w);

/* Checks a frame from the child against what the parent knows (rq: the
 * configuration, the custody state, the installed roots) at now, and fills
 * out. Beyond the framing (every length capped, every record known, single
 * ones once): the url is a configured mirror; each root's SHA-256, computed
 * here from its DER, is pinned (a plain bundle; then no custody state may
 * come, and none may be kept: no require_signature, no signed bundle accepted
 * before) or is one the signed bundle lists, with no root twice; a signed
 * bundle's serial is not below the accepted one, the same serial has the
 * same content, it has not expired, a root installed now is not held down by
 * the parent's own reckoning, and one held down really is; every root to
 * install passes bundle_select's checks again, from its DER, but for one the
 * manifest lists as installed and not expired: the same SHA-256 is the same
 * bytes, which passed those checks when they were installed, so its subject
 * and expiry are taken from the manifest (the steady state parses no
 * certificate here). The custody
 * state is built here (the accepted time and hold-down clocks from rq->chain),
 * and so is the signature decision to remember: the bundle's SHA-256 and the
 * policy are computed here from the body (or the kept bundle on a 304) and the
 * configuration; rq->chain's decision is kept when the child says it took it
 * and it applies, else the decision is dated now and lasts at most until
 * the child's expiry, cut at the bundle's expiry and the end of the UTC day.
 * The child's error comes back as its status (DATA, UNAVAILABLE, INTERNAL).
 * Anything else is STATUS_DATA naming the problem. The caller frees out with
 * fetch_outcome_free, also after a failure. */
enum status fetch_frame_check(const unsigned char *frame, size_t len,
			      const struct fetch_request *rq, time_t now,
			      struct fetch_outcome *out, struct error *err);

#endif
