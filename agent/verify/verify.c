/* SPDX-License-Identifier: MIT */
/* Delivery checks with anchorsync's trust anchors: which anchors to trust,
 * which of them anchorsync installed, the envelope, then delivery/'s checks
 * over the targets. `anchorsync verify` and refresh both come here. */
#include "verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "target_check.h"
#include "log.h"
#include "mx.h"
#include "verdict.h"
#include "verify_child.h"

static bool anchor_in_manifest(const struct pin *pin, void *user)
{
	return manifest_find(user, pin) != NULL;
}

/* Picks and loads the trust anchors: --ca-file, [delivery] ca_file, the
 * system store, or the bundle of the store under [store] root (store when the
 * caller holds it open, else opened here). */
static enum status run_trust(struct verify_session *run, const struct store *store, struct error *err)
{
	const struct config *cfg = run->cfg;
	const char *file = run->ca_file ? run->ca_file : cfg->delivery_ca_file;
	struct store opened = { 0 };
	enum status st = STATUS_OK;

	if (run->ca_dir != NULL) {
		snprintf(run->trust_desc, sizeof(run->trust_desc), "the CA %s '%s'",
			 run->ca_file ? "file" : "directory", run->ca_file ? run->ca_file : run->ca_dir);
		if (run->ca_file)
			snprintf(run->trust_desc + strlen(run->trust_desc),
				 sizeof(run->trust_desc) - strlen(run->trust_desc),
				 " and the CA directory '%s'", run->ca_dir);
		return tls_trust_new_paths(run->ca_file, run->ca_dir, &run->trust, err);
	}
	if (file != NULL) {
		snprintf(run->trust_desc, sizeof(run->trust_desc), "the CA file '%s'", file);
		return tls_trust_new(file, &run->trust, err);
	}
	if (cfg->root == NULL) {
		snprintf(run->trust_desc, sizeof(run->trust_desc), "the system trust store");
		return tls_trust_new(NULL, &run->trust, err);
	}
	if (store == NULL) {
		st = store_open(&opened, cfg, err);
		store = &opened;
	}
	if (st == STATUS_OK) {
		snprintf(run->trust_desc, sizeof(run->trust_desc), "the trust store bundle '%s'",
			 store->bundle_path);
		st = tls_trust_new(store->bundle_path, &run->trust, err);
	}
	store_close(&opened);
	return st;
}

/* Tells the probes which anchors anchorsync installed: installed when the
 * caller holds it, else the manifest in the state directory (if readable). */
static void run_installed(struct verify_session *run, const struct manifest *installed)
{
	struct error merr = { .status = STATUS_OK };

	if (installed == NULL) {
		if (manifest_load(&run->manifest, run->cfg->state_dir, &merr) != STATUS_OK) {
			log_debug("cannot tell which anchors anchorsync installed: %s", merr.msg);
			manifest_free(&run->manifest);
			return;
		}
		run->have_manifest = true;
		installed = &run->manifest;
	}
	run->opt.anchor_is_ours = anchor_in_manifest;
	run->opt.anchor_user = (void *)installed;
}

/* An envelope value goes into an SMTP command line: no CR, LF or other
 * control character. */
static enum status envelope_check(const char *what, const char *value, struct error *err)
{
	for (const unsigned char *p = (const unsigned char *)value; p && *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return error_set(err, STATUS_USAGE, "%s contains a %s; it must be "
					 "one line of printable text", what,
					 *p == '\r' || *p == '\n' ? "line break" : "control character");
	return STATUS_OK;
}

/* Fills the probe options from cfg where the command line left them unset. */
static enum status run_settings(struct verify_session *run, const struct config *cfg, struct error *err)
{
	const char *env;
	enum status st;

	run->cfg = cfg;
	if (run->nameserver == NULL && (env = getenv("ANCHORSYNC_NAMESERVER")) != NULL && *env)
		run->nameserver = env;
	if (run->nameserver == NULL)
		run->nameserver = cfg->nameserver;
	st = mx_nameserver_check(run->nameserver, err);
	if (st != STATUS_OK)
		return st;
	if (run->opt.resolve == NULL)
		run->opt.resolve = &cfg->resolve;
	st = net_resolve_check(run->opt.resolve, err);
	if (st != STATUS_OK)
		return st;
	if (run->opt.helo == NULL)
		run->opt.helo = cfg->helo;
	if (run->opt.helo == NULL) {
		if (gethostname(run->helo, sizeof(run->helo) - 1) < 0 || run->helo[0] == '\0')
			snprintf(run->helo, sizeof(run->helo), "localhost");
		run->opt.helo = run->helo;
	}
	if (run->opt.from == NULL)
		run->opt.from = cfg->from ? cfg->from : "";
	if (run->opt.to == NULL)
		run->opt.to = cfg->to;
	run->opt.send = run->opt.send || cfg->send;
	run->opt.allow_cn = run->opt.allow_cn || cfg->allow_cn;
	if (run->opt.timeout == 0)
		run->opt.timeout = cfg->delivery_timeout;
	if (run->opt.send && run->opt.to == NULL)
		return error_set(err, STATUS_USAGE, "verify: --send needs a recipient (--to ADDRESS)");
	if ((st = envelope_check("verify: the EHLO name (--helo)", run->opt.helo, err)) != STATUS_OK ||
	    (st = envelope_check("verify: the sender (--from)", run->opt.from, err)) != STATUS_OK ||
	    (st = envelope_check("verify: the recipient (--to)", run->opt.to, err)) != STATUS_OK ||
	    (st = envelope_check("verify: the name (--name)", run->opt.name, err)) != STATUS_OK)
		return st;
	return STATUS_OK;
}

/* Fills run from cfg (command-line values already in run take precedence),
 * with the caller's open store and manifest when it has them (may be NULL). */
enum status verify_open(struct verify_session *run, const struct config *cfg, const struct store *store,
			    const struct manifest *installed, struct error *err)
{
	enum status st = run_settings(run, cfg, err);

	if (st == STATUS_OK)
		st = privsep_user_find(cfg->user, &run->user, err);
	if (st == STATUS_OK)
		st = run_trust(run, store, err);
	if (st != STATUS_OK)
		return st;
	run->opt.trust = run->trust;
	run->opt.trust_desc = run->trust_desc;
	run_installed(run, installed);
	return STATUS_OK;
}

void verify_close(struct verify_session *run)
{
	tls_trust_free(run->trust);
	if (run->have_manifest)
		manifest_free(&run->manifest);
}

/* v for the check c of target: the verdict line and the facts. */
static void result_fill(struct verify_result *v, const char *target, bool ok,
			const struct target_check *c)
{
	struct verdict_facts f;

	verdict_facts(c, &f);
	v->target = strdup(target);
	v->ok = ok;
	v->detail = verdict_summary(c);
	v->cause = strdup(f.cause);
	v->names = f.names[0] ? strdup(f.names) : NULL;
	v->expiry = (long long)f.expiry;
	v->expiring = f.expiry ? strdup(f.expiring) : NULL;
}

/* Checks each target; results (may be NULL) gets one entry per target.
 * Returns the worst outcome: VERIFY_FAILED over UNAVAILABLE when some server
 * answered, UNAVAILABLE when none did. */
static enum status targets_here(void *arg, char *const *targets, size_t count,
				struct verify_result *results, struct error *err)
{
	struct verify_session *run = arg;
	size_t failed = 0, unreachable = 0;
	enum status st;

	for (size_t i = 0; i < count; i++) {
		struct target_check c;

		st = target_check_run(targets[i], &run->opt, run->nameserver, &c, err);
		if (st == STATUS_USAGE || st == STATUS_INTERNAL) {
			target_check_free(&c);
			return st;
		}
		if (run->output == VERIFY_OUTPUT_HUMAN)
			verdict_human(stdout, &c);
		else if (run->output == VERIFY_OUTPUT_JSON)
			verdict_json(stdout, &c);
		fflush(stdout);
		if (results != NULL)
			result_fill(&results[i], targets[i], st == STATUS_OK, &c);
		if (st == STATUS_UNAVAILABLE)
			unreachable++;
		else if (st != STATUS_OK)
			failed++;
		target_check_free(&c);
	}
	if (failed == 0 && unreachable == 0)
		return STATUS_OK;
	if (failed == 0 && unreachable == count)
		return error_set(err, STATUS_UNAVAILABLE, "verify: no server could be reached");
	return error_set(err, STATUS_VERIFY_FAILED, "verify: %zu of %zu target(s) failed",
			 failed + unreachable, count);
}

enum status verify_targets(struct verify_session *run, char *const *targets, size_t count,
			   struct verify_result *results, struct error *err)
{
	struct verify_child_job job = { &run->user, run->opt.timeout, targets_here, run };

	return verify_child_run(&job, targets, count, results, err);
}

/* The checks of verify_configured_targets, in the session run. */
static enum status configured_targets(struct verify_session *run, const struct config *cfg,
				      const struct store *store, const struct manifest *installed,
				      struct verify_result **results, size_t *count,
				      struct error *err)
{
	enum status st;

	*results = NULL;
	*count = 0;
	if (cfg->targets.count == 0)
		return STATUS_OK;
	*results = calloc(cfg->targets.count, sizeof(**results));
	if (*results == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	*count = cfg->targets.count;
	st = verify_open(run, cfg, store, installed, err);
	if (st == STATUS_OK)
		st = verify_targets(run, cfg->targets.items, cfg->targets.count, *results, err);
	else	/* no target was checked: each says why */
		for (size_t i = 0; i < cfg->targets.count; i++) {
			(*results)[i].target = strdup(cfg->targets.items[i]);
			(*results)[i].detail = strdup(err->msg);
		}
	verify_close(run);
	return st;
}

enum status verify_configured_targets(const struct config *cfg, const struct store *store,
				      const struct manifest *installed,
				      struct verify_result **results, size_t *count,
				      struct error *err)
{
	struct verify_session run = { .output = VERIFY_OUTPUT_NONE };

	return configured_targets(&run, cfg, store, installed, results, count, err);
}

enum status verify_configured_targets_with(const struct config *cfg, const char *ca_file,
					   const char *ca_dir, const struct manifest *installed,
					   struct verify_result **results, size_t *count,
					   struct error *err)
{
	struct verify_session run = { .output = VERIFY_OUTPUT_NONE, .ca_file = ca_file,
				      .ca_dir = ca_dir };

	return configured_targets(&run, cfg, NULL, installed, results, count, err);
}

enum status verify_config_validate(const struct config *cfg, struct error *err)
{
	enum status st = STATUS_OK;
	struct target t;

	for (size_t i = 0; i < cfg->targets.count && st == STATUS_OK; i++)
		st = target_parse(cfg->targets.items[i], &t, err);
	if (st == STATUS_OK)
		st = net_resolve_check(&cfg->resolve, err);
	if (st == STATUS_OK)
		st = mx_nameserver_check(cfg->nameserver, err);
	if (st == STATUS_OK && cfg->send && cfg->to == NULL)
		st = error_set(err, STATUS_CONFIG, "send = yes needs a recipient (to = ADDRESS)");
	if (st == STATUS_OK && (st = envelope_check("helo", cfg->helo, err)) == STATUS_OK &&
	    (st = envelope_check("from", cfg->from, err)) == STATUS_OK)
		st = envelope_check("to", cfg->to, err);
	if (st == STATUS_OK && cfg->delivery_ca_file != NULL) {
		struct tls_trust *trust;	/* loaded once to prove it loads */
		st = tls_trust_new(cfg->delivery_ca_file, &trust, err);
		tls_trust_free(trust);
	}
	if (st != STATUS_OK) {
		error_prefix(err, "%s: [delivery]", cfg->path ? cfg->path : "configuration");
		err->status = STATUS_CONFIG;
		st = STATUS_CONFIG;
	}
	return st;
}
