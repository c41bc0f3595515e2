/* SPDX-License-Identifier: MIT */
/* The chain of custody for signed bundles, kept in STATE_DIR/signed: what the
 * last accepted signed bundle said, and so which roots may sign the next one.
 *
 * Format, "key value" lines (common/kvfile.h):
 *     serial 42
 *     content sha256:<SHA-256 of the signed content>
 *     expires <seconds since the epoch>
 *     accepted <when this serial was first accepted>
 *     signer <subject DN of its signer>
 *     root sha256:<hex>            one per root the bundle lists
 *     pending sha256:<hex> <since> a listed root held down since <since>
 *     verified sha256:<bundle> sha256:<policy> <at> <until>
 *                                  the signature decision remembered (below)
 * STATE_DIR/signed-roots.pem holds the listed roots' certificates, so a later
 * bundle signed under one of them verifies even if it no longer lists it.
 *
 * Without the files (never signed, or state lost) the distribution roots are
 * the configured pins. */
#ifndef ANCHORSYNC_TRUSTCHAIN_H
#define ANCHORSYNC_TRUSTCHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "bundle.h"
#include "config.h"
#include "json.h"
#include "manifest.h"
#include "pin.h"
#include "status.h"

struct trust_pending {
	struct pin pin;
	long long since;	/* first offered by an accepted bundle */
};

/* The last accepted bundle's signature and signer chain, as verified: the
 * same bytes (body, the SHA-256 of the bundle as fetched) under the same
 * policy (trustchain_policy) need not be verified again before until. until
 * is at most the earliest expiry of the signer and the certificates of its
 * chain, the bundle's Expires, and the end of the UTC day of at
 * (trustchain_verified_until). */
struct trust_verified {
	struct pin body;
	struct pin policy;
	long long at;		/* 0: nothing remembered */
	long long until;
};

struct trustchain {
	unsigned long long serial;	/* 0: no signed bundle accepted */
	struct pin content;
	long long expires;
	long long accepted;
	char *signer;
	struct pin *roots;
	size_t root_count;
	struct trust_pending *pending;
	size_t pending_count;
	char *roots_pem;		/* the roots' certificates, or NULL */
	struct trust_verified verified;
};

/* Reads the state into tc; missing files are an empty chain. The caller frees
 * tc with trustchain_free, also after a failure. */
enum status trustchain_load(struct trustchain *tc, const char *state_dir, struct error *err);

/* Writes tc atomically and durably. */
enum status trustchain_save(const struct trustchain *tc, const char *state_dir,
			    struct error *err);

/* Whether a and b differ in anything worth writing down. */
bool trustchain_differs(const struct trustchain *a, const struct trustchain *b);

void trustchain_free(struct trustchain *tc);

/* Checks the signed bundle body against tc at now, with cfg's pins, purpose
 * and hold-down: signature (signer chains to a distribution root), expiry,
 * rollback and equivocation, then every listed certificate must be a valid
 * root. On success out holds the roots to install now (held-down ones left
 * out) and next the state to save once they are installed. installed roots
 * are not held down again. Before any signed bundle was accepted, the pinned
 * roots' certificates are also looked for in installed_pem (the installed
 * roots' PEM, may be NULL). When tc->verified holds for these very bytes
 * under this policy at now, the bundle is the one tc records: it is not
 * opened or verified again, its roots (tc->roots_pem) pass the root checks
 * and hold-down again, and next keeps tc->verified; otherwise next records
 * the new decision.
 * STATUS_DATA with a one-line reason on refusal. The caller frees out and
 * next, also after a failure. */
enum status trustchain_accept(const struct trustchain *tc, const struct config *cfg,
			      const struct manifest *installed, const char *installed_pem,
			      const char *body, size_t len, time_t now, struct anchor_set *out,
			      struct trustchain *next, struct error *err);

/* The SHA-256 of what a signature decision under tc depends on besides the
 * bundle's bytes: cfg's pins, signer_purpose, hold_down and
 * require_signature, and tc's distribution roots. A change in any of them
 * makes the decision again. */
void trustchain_policy(const struct trustchain *tc, const struct config *cfg, struct pin *out);

/* The latest a decision made at now may stand: claimed (the chain's earliest
 * expiry), cut at the bundle's expires and at the end of now's UTC day. */
long long trustchain_verified_until(long long claimed, long long now, long long expires);

/* Whether a root that a signed bundle lists waits for cfg's hold_down at now:
 * it is not pinned, not a distribution root under tc, not installed, and
 * accepted bundles have offered it for less than hold_down. *since (may be
 * NULL) gets when it was first offered: tc's record, or now. */
bool trustchain_held_down(const struct trustchain *tc, const struct config *cfg,
			  const struct manifest *installed, const struct pin *pin, time_t now,
			  long long *since);

/* Selects the roots of a fetched body at now. A signed bundle goes through
 * trustchain_accept and fills next (next->serial != 0). A plain PEM bundle is
 * selected by the configured pins (bundle_select) unless cfg requires a
 * signature, or tc shows that a signed bundle was accepted before (taking a
 * plain one then would undo its rollback protection). The caller frees out
 * and next, also after a failure. */
enum status trustchain_select(const struct trustchain *tc, const struct config *cfg,
			      const struct manifest *installed, const char *installed_pem,
			      const char *body, size_t len, time_t now, struct anchor_set *out,
			      struct trustchain *next, struct error *err);

/* Logs what every run should say about tc: roots held down and the bundle's
 * approaching expiry (within warn_days). (Pinned roots a bundle drops are
 * logged once, when it is accepted.) */
void trustchain_log(const struct trustchain *tc, const struct config *cfg, time_t now);

/* Renderings for status, status.json and the metrics file; tc may be empty. */
void trustchain_write_json(struct json *j, const struct trustchain *tc, unsigned hold_down);
void trustchain_write_text(FILE *out, const struct trustchain *tc, unsigned hold_down);
void trustchain_write_metrics(FILE *out, const struct trustchain *tc);

#endif
