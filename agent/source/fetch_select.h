/* SPDX-License-Identifier: MIT */
/* One refresh's fetch step: fetch the bundle (mirrors, conditional GET on the
 * kept bundle), authenticate it and select its roots (trustchain_select). It
 * reads the network and parses what came, so refresh runs it in an
 * unprivileged child (fetch_select_unprivileged); the parent gets the outcome
 * back through fetch_frame.h, checked. */
#ifndef ANCHORSYNC_FETCH_SELECT_H
#define ANCHORSYNC_FETCH_SELECT_H

#include <stddef.h>

#include "bundle.h"
#include "config.h"
#include "fetch.h"
#include "manifest.h"
#include "privsep.h"
#include "status.h"
#include "trustchain.h"

/* What the step decides with; everything is read before it starts (the child
 * reads no state file). */
struct fetch_request {
	const struct config *cfg;
	const struct trustchain *chain;		/* the custody state */
	const struct manifest *installed;
	const char *kept;			/* the kept bundle, or NULL */
	size_t kept_len;
	const struct fetch_cache *cache;	/* its validators */
	/* The installed roots' PEM, asked for only before a first signed bundle
	 * (caller frees; may return NULL); installed_pem may be NULL. */
	char *(*installed_pem)(void *user);
	void *user;
	/* [source] ca_file's PEM when the parent read it, else NULL (the file is
	 * then opened by path). fetch_select_unprivileged fills it. */
	const char *ca_pem;
	size_t ca_len;
};

/* What it found. fetched.url points into cfg; on a 304 fetched.body is NULL
 * and anchors come from the kept bundle. next.serial != 0 for a signed bundle. */
struct fetch_outcome {
	struct fetch_result fetched;
	struct anchor_set anchors;
	struct trustchain next;
};

/* The step, in this process: when the validators are fresh and the kept bundle
 * still passes, a conditional request; otherwise a whole fetch. Statuses as
 * fetch_bundle. The caller frees out with fetch_outcome_free, also after a
 * failure. */
enum status fetch_select(const struct fetch_request *rq, struct fetch_outcome *out,
			 struct error *err);

/* The step in a child that runs as u (privsep.h), with a deadline of every
 * mirror's [source] timeout and FETCH_CHILD_MARGIN seconds more; its result is
 * checked by fetch_frame_check before anything here sees it. [source] ca_file
 * is read here, before the fork, so the child needs no access to it; a file
 * that cannot be read is STATUS_CONFIG. A child that
 * outlives the deadline is STATUS_UNAVAILABLE, one that dies or sends a
 * malformed or inconsistent result STATUS_DATA; otherwise the child's own
 * outcome. The caller frees out with fetch_outcome_free. */
enum status fetch_select_unprivileged(const struct fetch_request *rq,
				      const struct privsep_user *u, struct fetch_outcome *out,
				      struct error *err);

#define FETCH_CHILD_MARGIN 15
#define FETCH_CA_MAX (4 * 1024 * 1024)

void fetch_outcome_free(struct fetch_outcome *out);

#endif
