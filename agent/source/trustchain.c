/* SPDX-License-Identifier: MIT */
#include "trustchain.h"

#include <gnutls/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "kvfile.h"
#include "log.h"
#include "parse.h"
#include "signed_bundle.h"
#include "state_files.h"
#include "timefmt.h"

#define ROOTS_MAX (4 * 1024 * 1024)

static const struct trust_pending *pending_find(const struct trustchain *tc, const struct pin *pin)
{
	for (size_t i = 0; i < tc->pending_count; i++)
		if (pin_equal(&tc->pending[i].pin, pin))
			return &tc->pending[i];
	return NULL;
}

static bool add_root(struct trustchain *tc, const struct pin *pin)
{
	struct pin *grown = realloc(tc->roots, (tc->root_count + 1) * sizeof(*grown));

	if (grown == NULL)
		return false;
	tc->roots = grown;
	tc->roots[tc->root_count++] = *pin;
	return true;
}

static bool add_pending(struct trustchain *tc, const struct pin *pin, long long since)
{
	struct trust_pending *grown = realloc(tc->pending,
					      (tc->pending_count + 1) * sizeof(*grown));

	if (grown == NULL)
		return false;
	tc->pending = grown;
	tc->pending[tc->pending_count++] = (struct trust_pending){ *pin, since };
	return true;
}

/* "sha256:<body> sha256:<policy> <at> <until>"; anything else is forgotten. */
static void parse_verified(const char *value, struct trust_verified *v)
{
	char body[96], policy[96];
	long long at, until;
	char extra;

	if (sscanf(value, "%95s %95s %lld %lld %c", body, policy, &at, &until, &extra) != 4 ||
	    !pin_parse(body, &v->body) || !pin_parse(policy, &v->policy) || at <= 0 ||
	    until <= at) {
		memset(v, 0, sizeof(*v));
		return;
	}
	v->at = at;
	v->until = until;
}

static void on_line(void *user, const char *key, const char *value)
{
	struct trustchain *tc = user;
	struct pin pin;
	long long since;
	char *end;

	if (strcmp(key, "serial") == 0 && !signed_parse_serial(value, &tc->serial))
		tc->serial = 0;
	else if (strcmp(key, "content") == 0)
		pin_parse(value, &tc->content);
	else if (strcmp(key, "expires") == 0)
		parse_int(value, &tc->expires);
	else if (strcmp(key, "accepted") == 0)
		parse_int(value, &tc->accepted);
	else if (strcmp(key, "signer") == 0) {
		free(tc->signer);
		tc->signer = strdup(value);
	} else if (strcmp(key, "root") == 0 && pin_parse(value, &pin))
		add_root(tc, &pin);
	else if (strcmp(key, "verified") == 0)
		parse_verified(value, &tc->verified);
	else if (strcmp(key, "pending") == 0 && (end = strchr(value, ' ')) != NULL) {
		char text[PIN_TEXT_SIZE + 8];
		size_t n = (size_t)(end - value);

		if (n < sizeof(text)) {
			memcpy(text, value, n);
			text[n] = '\0';
			if (pin_parse(text, &pin) && parse_int(end + 1, &since))
				add_pending(tc, &pin, since);
		}
	}
}

enum status trustchain_load(struct trustchain *tc, const char *state_dir, struct error *err)
{
	char *path = path_join(state_dir, STATE_SIGNED);
	char *roots = path_join(state_dir, STATE_SIGNED_ROOTS);
	bool missing = true;
	enum status st;
	size_t len;

	memset(tc, 0, sizeof(*tc));
	if (path == NULL || roots == NULL) {
		st = error_set(err, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	st = kvfile_read(path, on_line, tc, &missing, err);
	if (st == STATUS_OK && !missing && tc->serial == 0)
		st = error_set(err, STATUS_IO, "'%s' names no serial; remove it to start again "
			       "from the configured pins", path);
	if (st == STATUS_OK && !missing) {
		/* A state file: never followed as a link, only a regular file. */
		bool absent;
		st = file_read_state(roots, ROOTS_MAX, &tc->roots_pem, &len, &absent, err);
		if (st != STATUS_OK && absent)
			st = STATUS_OK;
	}
out:
	free(path);
	free(roots);
	return st;
}

enum status trustchain_save(const struct trustchain *tc, const char *state_dir,
			    struct error *err)
{
	char *path = path_join(state_dir, STATE_SIGNED);
	char *roots = path_join(state_dir, STATE_SIGNED_ROOTS);
	char pin[PIN_TEXT_SIZE];
	struct file_draft d;
	enum status st;

	if (path == NULL || roots == NULL || !file_draft_open(&d)) {
		st = error_set(err, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	pin_format(&tc->content, pin);
	fprintf(d.out, "serial %llu\ncontent %s\nexpires %lld\naccepted %lld\nsigner %s\n",
		tc->serial, pin, tc->expires, tc->accepted, tc->signer ? tc->signer : "");
	for (size_t i = 0; i < tc->root_count; i++) {
		pin_format(&tc->roots[i], pin);
		fprintf(d.out, "root %s\n", pin);
	}
	for (size_t i = 0; i < tc->pending_count; i++) {
		pin_format(&tc->pending[i].pin, pin);
		fprintf(d.out, "pending %s %lld\n", pin, tc->pending[i].since);
	}
	if (tc->verified.at != 0) {
		char policy[PIN_TEXT_SIZE];

		pin_format(&tc->verified.body, pin);
		pin_format(&tc->verified.policy, policy);
		fprintf(d.out, "verified %s %s %lld %lld\n", pin, policy, tc->verified.at,
			tc->verified.until);
	}
	/* The certificates first: the state file is what makes them count. */
	st = file_write_atomic(roots, tc->roots_pem ? tc->roots_pem : "",
			       tc->roots_pem ? strlen(tc->roots_pem) : 0, 0644, true, err);
	if (st == STATUS_OK)
		st = file_draft_commit(&d, path, 0644, true, err);
	else
		file_draft_discard(&d);
out:
	free(path);
	free(roots);
	return st;
}

bool trustchain_differs(const struct trustchain *a, const struct trustchain *b)
{
	if (a->serial != b->serial || !pin_equal(&a->content, &b->content) ||
	    a->root_count != b->root_count || a->pending_count != b->pending_count ||
	    memcmp(&a->verified, &b->verified, sizeof(a->verified)) != 0)
		return true;
	for (size_t i = 0; i < a->pending_count; i++)
		if (!pin_equal(&a->pending[i].pin, &b->pending[i].pin) ||
		    a->pending[i].since != b->pending[i].since)
			return true;
	return false;
}

void trustchain_free(struct trustchain *tc)
{
	free(tc->signer);
	free(tc->roots);
	free(tc->pending);
	free(tc->roots_pem);
	memset(tc, 0, sizeof(*tc));
}

/* The roots that may sign: the pins until a signed bundle was accepted, then
 * the roots it listed that are not held down. The caller frees the array. */
static struct pin *distribution_roots(const struct trustchain *tc, const struct config *cfg,
				      size_t *count)
{
	size_t n = tc->serial ? tc->root_count : cfg->pin_count;
	struct pin *out = calloc(n + 1, sizeof(*out));

	*count = 0;
	for (size_t i = 0; out && i < n; i++) {
		if (tc->serial == 0)
			out[(*count)++] = cfg->pins[i];
		else if (pending_find(tc, &tc->roots[i]) == NULL)
			out[(*count)++] = tc->roots[i];
	}
	return out;
}

void trustchain_policy(const struct trustchain *tc, const struct config *cfg, struct pin *out)
{
	static const char tag[] = "anchorsync signed policy 1";
	const char *purpose = cfg->signer_purpose ? cfg->signer_purpose : "";
	size_t dist_count = 0;
	struct pin *dist = distribution_roots(tc, cfg, &dist_count);
	gnutls_hash_hd_t h;
	char numbers[64];
	int n;

	memset(out, 0, sizeof(*out));
	n = snprintf(numbers, sizeof(numbers), "%u %d %zu %zu", cfg->hold_down,
		     cfg->require_signature, cfg->pin_count, dist_count);
	if (dist == NULL || gnutls_hash_init(&h, GNUTLS_DIG_SHA256) < 0) {
		free(dist);
		return;	/* all zero: matches no decision, so it is made again */
	}
	gnutls_hash(h, tag, sizeof(tag));
	gnutls_hash(h, purpose, strlen(purpose) + 1);
	gnutls_hash(h, numbers, (size_t)n + 1);
	gnutls_hash(h, cfg->pins, cfg->pin_count * sizeof(*cfg->pins));
	gnutls_hash(h, dist, dist_count * sizeof(*dist));
	gnutls_hash_deinit(h, out->sha256);
	free(dist);
}

long long trustchain_verified_until(long long claimed, long long now, long long expires)
{
	long long day_end = (now / 86400 + 1) * 86400;
	long long until = claimed < expires ? claimed : expires;

	return until < day_end ? until : day_end;
}

/* Whether tc's remembered decision stands for the bytes whose hash is body
 * under policy at now: they are the accepted bundle's, whose content, serial,
 * expiry, signer and roots tc holds. */
static bool verified_applies(const struct trustchain *tc, const struct pin *body,
			     const struct pin *policy, time_t now)
{
	const struct trust_verified *v = &tc->verified;

	return v->at != 0 && tc->serial != 0 && tc->signer != NULL && tc->roots_pem != NULL &&
	       pin_equal(&v->body, body) && pin_equal(&v->policy, policy) &&
	       v->at <= (long long)now &&
	       (long long)now < trustchain_verified_until(v->until, v->at, tc->expires);
}

/* next from the accepted bundle tc, whose very bytes came again: its roots
 * (tc->roots_pem, in its order) pass the root checks again at now, the rest
 * is as it was. */
static enum status accept_recalled(const struct trustchain *tc, const struct manifest *installed,
				   time_t now, struct anchor_set *out, struct trustchain *next,
				   struct error *err)
{
	enum status st;

	log_debug("signed bundle serial %llu: the same bytes as accepted, under the same "
		  "policy; its signature as verified before, until %lld", tc->serial,
		  tc->verified.until);
	st = signed_select_roots(tc->roots_pem, strlen(tc->roots_pem), installed, now, out, err);
	if (st != STATUS_OK)
		return st;
	next->serial = tc->serial;
	next->content = tc->content;
	next->expires = tc->expires;
	next->accepted = tc->accepted;
	next->verified = tc->verified;
	next->signer = strdup(tc->signer);
	return next->signer ? STATUS_OK : error_set(err, STATUS_INTERNAL, "out of memory");
}

/* The signature and signer chain of b, verified; next->verified records the
 * decision (v: the bytes' hash and the policy). */
static enum status verify(const struct trustchain *tc, const struct config *cfg,
			  const char *installed_pem, struct signed_bundle *b, time_t now,
			  struct trust_verified v, struct trustchain *next, struct error *err)
{
	struct pin *dist;
	size_t dist_count = 0;
	time_t until = 0;
	enum status st;

	if ((dist = distribution_roots(tc, cfg, &dist_count)) == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	st = signed_verify(b, dist, dist_count, tc->roots_pem ? tc->roots_pem : installed_pem,
			   cfg->signer_purpose, now, &until, err);
	free(dist);
	v.at = (long long)now;
	v.until = trustchain_verified_until((long long)until, v.at, (long long)b->header.expires);
	if (st == STATUS_OK && v.until > v.at)
		next->verified = v;
	return st;
}

/* Refuses an expired bundle or a lower serial: a replay is named as one even
 * when the root it was signed under has been retired since. */
static enum status check_freshness(const struct trustchain *tc, const struct signed_bundle *b,
				   time_t now, struct error *err)
{
	const struct signed_header *h = &b->header;
	char when[TIME_TEXT_SIZE];

	if (h->expires <= now) {
		time_format_rfc3339(h->expires, when);
		return error_set(err, STATUS_DATA, "the signed bundle (serial %llu) expired on %s",
				 h->serial, when);
	}
	if (tc->serial && h->serial < tc->serial)
		return error_set(err, STATUS_DATA, "rollback from serial %llu to %llu refused",
				 tc->serial, h->serial);
	return STATUS_OK;
}

/* Refuses a validly signed bundle that reuses the accepted serial for other content. */
static enum status check_equivocation(const struct trustchain *tc, const struct signed_bundle *b,
				      struct error *err)
{
	if (tc->serial && b->header.serial == tc->serial &&
	    !pin_equal(&tc->content, &b->content_hash))
		return error_set(err, STATUS_DATA, "serial %llu was accepted before with other "
				 "content (equivocation) refused", b->header.serial);
	return STATUS_OK;
}

static bool is_distribution_root(const struct trustchain *tc, const struct config *cfg,
				 const struct pin *pin)
{
	if (tc->serial == 0)
		return pin_list_contains(cfg->pins, cfg->pin_count, pin);
	return pin_list_contains(tc->roots, tc->root_count, pin) && pending_find(tc, pin) == NULL;
}

bool trustchain_held_down(const struct trustchain *tc, const struct config *cfg,
			  const struct manifest *installed, const struct pin *pin, time_t now,
			  long long *since)
{
	const struct trust_pending *p = pending_find(tc, pin);
	long long first = p ? p->since : (long long)now;
	bool vouched_only = !pin_list_contains(cfg->pins, cfg->pin_count, pin) &&
			    !is_distribution_root(tc, cfg, pin) &&
			    manifest_find(installed, pin) == NULL;

	if (since)
		*since = first;
	return vouched_only && (long long)now - first < (long long)cfg->hold_down;
}

/* Builds next from the accepted bundle and moves held-down roots out of set. */
static enum status hold_down(const struct trustchain *tc, const struct config *cfg,
			     const struct manifest *installed, time_t now,
			     struct anchor_set *set, struct trustchain *next, struct error *err)
{
	struct file_draft d;
	size_t kept = 0;

	if (!file_draft_open(&d))
		return error_set(err, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < set->count; i++) {
		struct anchor *a = &set->items[i];
		long long since;

		fwrite(a->pem, 1, a->pem_len, d.out);
		if (!add_root(next, &a->pin))
			goto oom;
		if (trustchain_held_down(tc, cfg, installed, &a->pin, now, &since)) {
			if (!add_pending(next, &a->pin, since))
				goto oom;
			free(a->subject);
			free(a->pem);
			continue;
		}
		set->items[kept++] = *a;
	}
	set->count = kept;
	if (fclose(d.out) != 0)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	next->roots_pem = d.text;
	return STATUS_OK;
oom:
	set->count = kept;	/* items past kept are still whole: drop them */
	file_draft_discard(&d);
	return error_set(err, STATUS_INTERNAL, "out of memory");
}

/* Notes the pinned roots that are installed but that the bundle dropped. */
static void note_dropped_pins(const struct config *cfg, const struct manifest *installed,
			      const struct trustchain *next)
{
	for (size_t i = 0; i < cfg->pin_count; i++) {
		const struct manifest_entry *e = manifest_find(installed, &cfg->pins[i]);
		char pin[PIN_TEXT_SIZE];

		if (e == NULL || pin_list_contains(next->roots, next->root_count, &cfg->pins[i]))
			continue;
		pin_format(&cfg->pins[i], pin);
		log_warn("pinned root %s '%s' is not in the signed bundle (serial %llu): "
			   "retiring it", pin, e->subject, next->serial);
	}
}

/* next from the bundle in body, opened and verified. */
static enum status accept_opened(const struct trustchain *tc, const struct config *cfg,
				 const struct manifest *installed, const char *installed_pem,
				 const char *body, size_t len, time_t now,
				 const struct trust_verified *v, struct anchor_set *out,
				 struct trustchain *next, struct error *err)
{
	struct signed_bundle b;
	enum status st;

	st = signed_open(body, len, &b, err);
	if (st == STATUS_OK)
		st = check_freshness(tc, &b, now, err);
	if (st == STATUS_OK)
		st = verify(tc, cfg, installed_pem, &b, now, *v, next, err);
	if (st == STATUS_OK)
		st = check_equivocation(tc, &b, err);
	if (st == STATUS_OK)
		st = signed_select_roots(b.content + b.header.body, b.content_len - b.header.body,
					 installed, now, out, err);
	if (st == STATUS_OK) {
		next->serial = b.header.serial;
		next->content = b.content_hash;
		next->expires = (long long)b.header.expires;
		next->accepted = tc->serial == b.header.serial ? tc->accepted : (long long)now;
		next->signer = b.signer;
		b.signer = NULL;
	}
	signed_bundle_free(&b);
	return st;
}

enum status trustchain_accept(const struct trustchain *tc, const struct config *cfg,
			      const struct manifest *installed, const char *installed_pem,
			      const char *body, size_t len, time_t now, struct anchor_set *out,
			      struct trustchain *next, struct error *err)
{
	struct trust_verified v = { .at = 0 };
	enum status st;

	memset(out, 0, sizeof(*out));
	memset(next, 0, sizeof(*next));
	pin_of_der((const unsigned char *)body, len, &v.body);
	trustchain_policy(tc, cfg, &v.policy);
	if (verified_applies(tc, &v.body, &v.policy, now))
		st = accept_recalled(tc, installed, now, out, next, err);
	else
		st = accept_opened(tc, cfg, installed, installed_pem, body, len, now, &v, out, next,
				   err);
	if (st == STATUS_OK)
		st = hold_down(tc, cfg, installed, now, out, next, err);
	if (st == STATUS_OK && next->pending_count == next->root_count)
		st = error_set(err, STATUS_DATA, "the signed bundle (serial %llu) lists no root "
			       "that may sign the next one: every root it lists is held down",
			       next->serial);
	if (st == STATUS_OK)
		note_dropped_pins(cfg, installed, next);
	return st;
}

enum status trustchain_select(const struct trustchain *tc, const struct config *cfg,
			      const struct manifest *installed, const char *installed_pem,
			      const char *body, size_t len, time_t now, struct anchor_set *out,
			      struct trustchain *next, struct error *err)
{
	memset(next, 0, sizeof(*next));
	if (signed_detect(body, len))
		return trustchain_accept(tc, cfg, installed, installed_pem, body, len, now, out,
					 next, err);
	memset(out, 0, sizeof(*out));
	if (cfg->require_signature)
		return error_set(err, STATUS_DATA, "the bundle is not signed, and "
				 "require_signature is set");
	if (tc->serial)
		return error_set(err, STATUS_DATA, "the bundle is not signed, but signed bundle "
				 "serial %llu was accepted before: refusing the downgrade",
				 tc->serial);
	return bundle_select(body, len, &(struct bundle_rules){ .pins = cfg->pins,
			     .pin_count = cfg->pin_count, .installed = installed, .now = now },
			     out, err);
}

void trustchain_log(const struct trustchain *tc, const struct config *cfg, time_t now)
{
	char when[TIME_TEXT_SIZE], pin[PIN_TEXT_SIZE];
	long long left;

	if (tc->serial == 0)
		return;
	for (size_t i = 0; i < tc->pending_count; i++) {
		pin_format(&tc->pending[i].pin, pin);
		time_format_rfc3339((time_t)(tc->pending[i].since + cfg->hold_down), when);
		log_notice("root %s is held down until %s (hold_down)", pin, when);
	}
	left = time_days_left((time_t)tc->expires, now);
	if (left < (long long)cfg->warn_days) {
		time_format_rfc3339((time_t)tc->expires, when);
		log_warn("the signed bundle (serial %llu) expires on %s, in %lld days; publish "
			 "a new one", tc->serial, when, left);
	}
}

void trustchain_write_json(struct json *j, const struct trustchain *tc, unsigned hold_down_s)
{
	char text[PIN_TEXT_SIZE], when[32];

	json_key(j, "signed");
	if (tc == NULL || tc->serial == 0) {
		json_null(j);
		return;
	}
	json_object_begin(j);
	json_member_int(j, "serial", (long long)tc->serial);
	json_member_int(j, "expires", tc->expires);
	time_format_rfc3339((time_t)tc->expires, when);
	json_member_string(j, "expires_at", when);
	json_member_int(j, "accepted", tc->accepted);
	json_member_string(j, "signer", tc->signer);
	pin_format(&tc->content, text);
	json_member_string(j, "content", text);
	json_key(j, "roots");
	json_array_begin(j);
	for (size_t i = 0; i < tc->root_count; i++) {
		pin_format(&tc->roots[i], text);
		json_string(j, text);
	}
	json_array_end(j);
	json_key(j, "pending");
	json_array_begin(j);
	for (size_t i = 0; i < tc->pending_count; i++) {
		pin_format(&tc->pending[i].pin, text);
		json_object_begin(j);
		json_member_string(j, "fingerprint", text);
		json_member_int(j, "since", tc->pending[i].since);
		json_member_int(j, "eligible", tc->pending[i].since + hold_down_s);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

void trustchain_write_text(FILE *out, const struct trustchain *tc, unsigned hold_down_s)
{
	char text[PIN_TEXT_SIZE], when[32];

	if (tc == NULL || tc->serial == 0)
		return;
	time_format_rfc3339((time_t)tc->expires, when);
	fprintf(out, "signed bundle: serial %llu, expires %s\n  signer: %s\n", tc->serial, when,
		tc->signer ? tc->signer : "");
	for (size_t i = 0; i < tc->pending_count; i++) {
		pin_format(&tc->pending[i].pin, text);
		time_format_rfc3339((time_t)(tc->pending[i].since + hold_down_s), when);
		fprintf(out, "  pending root %s: eligible %s\n", text, when);
	}
}

void trustchain_write_metrics(FILE *out, const struct trustchain *tc)
{
	if (tc == NULL || tc->serial == 0)
		return;
	fprintf(out, "# HELP anchorsync_signed_bundle_serial Serial of the accepted signed bundle.\n"
		"# TYPE anchorsync_signed_bundle_serial gauge\n"
		"anchorsync_signed_bundle_serial %llu\n", tc->serial);
	fprintf(out, "# HELP anchorsync_signed_bundle_expiry_timestamp_seconds When the accepted "
		"signed bundle expires.\n"
		"# TYPE anchorsync_signed_bundle_expiry_timestamp_seconds gauge\n"
		"anchorsync_signed_bundle_expiry_timestamp_seconds %lld\n", tc->expires);
	fputs("# HELP anchorsync_signed_bundle_signer_info The signer of the accepted signed bundle.\n"
	      "# TYPE anchorsync_signed_bundle_signer_info gauge\n"
	      "anchorsync_signed_bundle_signer_info{signer=\"", out);
	for (const char *p = tc->signer ? tc->signer : ""; *p; p++) {
		if (*p == '\\' || *p == '"')
			fputc('\\', out);
		fputc(*p == '\n' ? ' ' : *p, out);
	}
	fprintf(out, "\"} 1\n# HELP anchorsync_pending_roots Roots held down (hold_down).\n"
		"# TYPE anchorsync_pending_roots gauge\nanchorsync_pending_roots %zu\n",
		tc->pending_count);
}
