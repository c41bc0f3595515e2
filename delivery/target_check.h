/* SPDX-License-Identifier: MIT */
/* One target checked end to end: an mx: target is looked up and each of its
 * hosts probed; the other forms are one probe. */
#ifndef ANCHORSYNC_TARGET_CHECK_H
#define ANCHORSYNC_TARGET_CHECK_H

#include <stddef.h>

#include "probe.h"
#include "status.h"

struct target_check {
	char *target;			/* as given */
	enum status status;		/* OK, VERIFY_FAILED or UNAVAILABLE */
	char error[ERROR_MSG_SIZE];	/* a target-level failure (MX lookup), or "" */
	bool implicit_mx;		/* mx: without MX records: the domain itself */
	struct probe_result *probes;	/* one per server tried */
	size_t probe_count;
};

/* Checks text with opt, using nameserver ("ADDR[:PORT]" or NULL) for MX
 * lookups, and fills c (release with check_free). Returns c->status:
 * STATUS_OK when every server verified, STATUS_UNAVAILABLE when none could be
 * reached, STATUS_VERIFY_FAILED otherwise. STATUS_USAGE or STATUS_INTERNAL
 * (with err filled) mean the target could not be checked at all. */
enum status target_check_run(const char *text, const struct probe_options *opt,
			 const char *nameserver, struct target_check *c, struct error *err);

void target_check_free(struct target_check *c);

#endif
