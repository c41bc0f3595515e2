/* SPDX-License-Identifier: MIT */
/* Delivery checks with anchorsync's trust anchors, for `anchorsync verify` and
 * for refresh: which anchors to trust (a CA file, the system store, or the
 * bundle of the store under [store] root), which of them anchorsync installed,
 * the envelope from the configuration, then delivery/'s checks. */
#ifndef ANCHORSYNC_VERIFY_H
#define ANCHORSYNC_VERIFY_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "manifest.h"
#include "privsep.h"
#include "probe.h"
#include "record.h"
#include "status.h"
#include "store.h"

enum verify_output { VERIFY_OUTPUT_NONE, VERIFY_OUTPUT_HUMAN, VERIFY_OUTPUT_JSON };

/* One set of checks. A command sets ca_file, nameserver, output and opt's
 * fields from its command line before verify_open; what it leaves unset comes
 * from the configuration. */
struct verify_session {
	const struct config *cfg;
	const char *ca_file;		/* --ca-file, or NULL */
	const char *ca_dir;		/* a CA directory (an application's view), or NULL */
	const char *nameserver;		/* --nameserver, $ANCHORSYNC_NAMESERVER, [delivery]
					   nameserver, or NULL */
	struct probe_options opt;
	enum verify_output output;	/* what verify_targets prints on stdout */
	char helo[HOST_NAME_MAX + 1];
	char trust_desc[PATH_MAX + 64];
	struct tls_trust *trust;
	struct manifest manifest;	/* loaded here when the caller has none */
	bool have_manifest;
	struct privsep_user user;	/* whom the checks run as ([agent] user) */
};

/* Completes run from cfg and loads its trust anchors, with the caller's open
 * store and manifest when it has them (either may be NULL; both stay the
 * caller's). STATUS_USAGE names a bad envelope value, STATUS_CONFIG a bad
 * nameserver or resolve entry, or an [agent] user that does not exist when
 * running as root. The caller calls verify_close either way. */
enum status verify_open(struct verify_session *run, const struct config *cfg,
			const struct store *store, const struct manifest *installed,
			struct error *err);

/* Checks each target in an unprivileged child (verify_child.h), which prints
 * per run->output; results (may be NULL) gets
 * one entry per target, owned by the caller. Returns STATUS_OK when all
 * verified, STATUS_UNAVAILABLE when no server answered, STATUS_VERIFY_FAILED
 * otherwise; STATUS_USAGE for a malformed target. */
enum status verify_targets(struct verify_session *run, char *const *targets, size_t count,
			   struct verify_result *results, struct error *err);

void verify_close(struct verify_session *run);

/* Checks every [delivery] target of cfg, quietly, trusting the bundle of the
 * open store (or [delivery] ca_file when set) and counting an anchor as
 * anchorsync's when installed lists it; both stay the caller's. On return
 * *results holds *count entries (caller frees with verify_results_free), also
 * on failure. Returns STATUS_OK when all verified (or there are no targets),
 * STATUS_VERIFY_FAILED when a check failed, STATUS_UNAVAILABLE when no server
 * could be reached. */
enum status verify_configured_targets(const struct config *cfg, const struct store *store,
				      const struct manifest *installed,
				      struct verify_result **results, size_t *count,
				      struct error *err);

/* As verify_configured_targets, trusting exactly ca_file and/or ca_dir (an
 * application's view; either may be NULL, not both). */
enum status verify_configured_targets_with(const struct config *cfg, const char *ca_file,
					   const char *ca_dir, const struct manifest *installed,
					   struct verify_result **results, size_t *count,
					   struct error *err);

/* Checks the [delivery] targets, resolve entries and nameserver of cfg without
 * contacting anything; STATUS_CONFIG names the first bad one. */
enum status verify_config_validate(const struct config *cfg, struct error *err);

#endif
