/* SPDX-License-Identifier: MIT */
/* `anchorsync verify`: options, the configuration, the trust anchors to use
 * and the manifest of what anchorsync installed, then delivery/'s checks over
 * the targets; and the same checks for refresh (verify.h). */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "log.h"
#include "mx.h"
#include "parse.h"
#include "verdict.h"
#include "verify.h"

enum output { OUTPUT_NONE, OUTPUT_HUMAN, OUTPUT_JSON };

/* Everything a run needs, from the configuration and the command line. */
struct run {
	const struct config *cfg;
	const char *ca_file;		/* --ca-file, or NULL */
	const char *nameserver;		/* --nameserver, $ANCHORSYNC_NAMESERVER, [delivery]
					   nameserver, or NULL */
	struct probe_options opt;
	char helo[HOST_NAME_MAX + 1];
	char trust_desc[PATH_MAX + 64];
	struct tls_trust *trust;
	struct manifest manifest;	/* loaded here when the caller has none */
	bool have_manifest;
	enum output output;
};

static bool anchor_in_manifest(const struct pin *pin, void *user)
{
	return manifest_find(user, pin) != NULL;
}

/* Picks and loads the trust anchors: --ca-file, [delivery] ca_file, the
 * system store, or the bundle of the store under [store] root (store when the
 * caller holds it open, else opened here). */
static enum status run_trust(struct run *run, const struct store *store, struct error *err)
{
	const struct config *cfg = run->cfg;
	const char *file = run->ca_file ? run->ca_file : cfg->delivery_ca_file;
	struct store opened = { 0 };
	enum status st = STATUS_OK;

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
static void run_installed(struct run *run, const struct manifest *installed)
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
static enum status run_settings(struct run *run, const struct config *cfg, struct error *err)
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
static enum status run_open(struct run *run, const struct config *cfg, const struct store *store,
			    const struct manifest *installed, struct error *err)
{
	enum status st = run_settings(run, cfg, err);

	if (st == STATUS_OK)
		st = run_trust(run, store, err);
	if (st != STATUS_OK)
		return st;
	run->opt.trust = run->trust;
	run->opt.trust_desc = run->trust_desc;
	run_installed(run, installed);
	return STATUS_OK;
}

static void run_close(struct run *run)
{
	tls_trust_free(run->trust);
	if (run->have_manifest)
		manifest_free(&run->manifest);
}

/* Checks each target; results (may be NULL) gets one entry per target.
 * Returns the worst outcome: VERIFY_FAILED over UNAVAILABLE when some server
 * answered, UNAVAILABLE when none did. */
static enum status run_targets(struct run *run, char *const *targets, size_t count,
			       struct verify_result *results, struct error *err)
{
	size_t failed = 0, unreachable = 0;
	enum status st;

	for (size_t i = 0; i < count; i++) {
		struct check c;

		st = check_target(targets[i], &run->opt, run->nameserver, &c, err);
		if (st == STATUS_USAGE || st == STATUS_INTERNAL) {
			check_free(&c);
			return st;
		}
		if (run->output == OUTPUT_HUMAN)
			verdict_human(stdout, &c);
		else if (run->output == OUTPUT_JSON)
			verdict_json(stdout, &c);
		fflush(stdout);
		if (results != NULL) {
			results[i].target = strdup(targets[i]);
			results[i].ok = st == STATUS_OK;
			results[i].detail = verdict_summary(&c);
		}
		if (st == STATUS_UNAVAILABLE)
			unreachable++;
		else if (st != STATUS_OK)
			failed++;
		check_free(&c);
	}
	if (failed == 0 && unreachable == 0)
		return STATUS_OK;
	if (failed == 0 && unreachable == count)
		return error_set(err, STATUS_UNAVAILABLE, "verify: no server could be reached");
	return error_set(err, STATUS_VERIFY_FAILED, "verify: %zu of %zu target(s) failed",
			 failed + unreachable, count);
}

static void usage_text(void)
{
	printf("usage: anchorsync [-c FILE] verify [options] [TARGET...]\n\n"
	       "TARGET: smtp://HOST[:PORT] (STARTTLS, 25), submission://HOST[:PORT] (STARTTLS, 587),\n"
	       "        smtps://HOST[:PORT] (implicit TLS, 465), mx:DOMAIN[:PORT] (its MX hosts, 25);\n"
	       "        default: the [delivery] target entries\n\n"
	       "  --ca-file FILE            trust the CAs in FILE instead of the trust store\n"
	       "  --name NAME               the name to verify (default: the host)\n"
	       "  --resolve HOST:PORT:ADDR  connect to ADDR for HOST:PORT (repeatable)\n"
	       "  --nameserver ADDR[:PORT]  DNS server for MX lookups (IPv4)\n"
	       "  --helo NAME, --from ADDR, --to ADDR   the SMTP envelope (RCPT TO probe with --to)\n"
	       "  --send                    deliver a test message to --to\n"
	       "  --allow-cn                a certificate without DNS subjectAltName only warns\n"
	       "  --timeout SECONDS         for each server, from connecting to QUIT (default 30)\n"
	       "  --json                    one JSON object per target\n"
	       "  -v                        print the SMTP dialogue on stderr\n");
}

/* The command line of `verify`: its options into run and resolve. Sets *help
 * for --help. */
static enum status verify_options(const struct invocation *inv, struct run *run,
				  struct strlist *resolve, bool *help, struct error *err)
{
	static const struct option options[] = {
		{ "ca-file", required_argument, NULL, 'C' },
		{ "name", required_argument, NULL, 'n' },
		{ "resolve", required_argument, NULL, 'r' },
		{ "nameserver", required_argument, NULL, 'N' },
		{ "helo", required_argument, NULL, 'H' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "send", no_argument, NULL, 's' },
		{ "allow-cn", no_argument, NULL, 'a' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(inv->argc, inv->argv, "vqh", options, NULL)) != -1) {
		if (cli_common_option(opt))
			continue;
		switch (opt) {
		case 'C': run->ca_file = optarg; break;
		case 'n': run->opt.name = optarg; break;
		case 'N': run->nameserver = optarg; break;
		case 'H': run->opt.helo = optarg; break;
		case 'f': run->opt.from = optarg; break;
		case 't': run->opt.to = optarg; break;
		case 's': run->opt.send = true; break;
		case 'a': run->opt.allow_cn = true; break;
		case 'j': run->output = OUTPUT_JSON; break;
		case 'h':
			*help = true;
			return STATUS_OK;
		case 'r':
			if (!strlist_add(resolve, optarg))
				return error_set(err, STATUS_INTERNAL, "out of memory");
			break;
		case 'T':
			if (!parse_uint(optarg, 1, 3600, &v))
				return error_set(err, STATUS_USAGE,
						 "verify: --timeout '%s' is not 1..3600 seconds", optarg);
			run->opt.timeout = (unsigned)v;
			break;
		default:
			return cli_option_error(inv, err);
		}
	}
	return STATUS_OK;
}

/* Runs the checks the command line asked for, with cfg loaded. */
static enum status verify_run(const struct invocation *inv, struct run *run,
			      const struct config *cfg, struct error *err)
{
	enum status st;

	run->opt.transcript = log_verbose();
	if (optind >= inv->argc && cfg->targets.count == 0)
		return error_set(err, STATUS_USAGE, "verify: no target given and no [delivery] "
				 "target in '%s' (see 'anchorsync verify --help')", inv->config_path);
	/* Catch malformed targets before any connection is made. */
	for (int i = optind; i < inv->argc; i++) {
		struct target t;

		st = target_parse(inv->argv[i], &t, err);
		if (st != STATUS_OK)
			return st;
	}
	st = run_open(run, cfg, NULL, NULL, err);
	if (st == STATUS_OK) {
		if (optind < inv->argc)
			st = run_targets(run, inv->argv + optind, (size_t)(inv->argc - optind),
					 NULL, err);
		else
			st = run_targets(run, cfg->targets.items, cfg->targets.count, NULL, err);
	}
	run_close(run);
	return st;
}

enum status cmd_verify(const struct invocation *inv, struct error *err)
{
	struct run run = { .output = OUTPUT_HUMAN };
	struct strlist resolve = { NULL, 0 };
	struct config cfg = { 0 };	/* cli_load_config initialises it */
	bool help = false;
	enum status st;

	st = verify_options(inv, &run, &resolve, &help, err);
	if (st != STATUS_OK || help) {
		if (help)
			usage_text();
		goto out;
	}
	st = cli_load_config(inv, &cfg, inv->argc > optind, err);
	if (st != STATUS_OK)
		goto out;
	/* --resolve entries come first, then the configured ones. */
	for (size_t i = 0; i < cfg.resolve.count; i++)
		if (!strlist_add(&resolve, cfg.resolve.items[i])) {
			st = error_set(err, STATUS_INTERNAL, "out of memory");
			goto out;
		}
	run.opt.resolve = &resolve;
	st = verify_run(inv, &run, &cfg, err);
out:
	strlist_free(&resolve);
	config_free(&cfg);
	return st;
}

enum status verify_configured_targets(const struct config *cfg, const struct store *store,
				      const struct manifest *installed,
				      struct verify_result **results, size_t *count,
				      struct error *err)
{
	struct run run = { .output = OUTPUT_NONE };
	enum status st;

	*results = NULL;
	*count = 0;
	if (cfg->targets.count == 0)
		return STATUS_OK;
	*results = calloc(cfg->targets.count, sizeof(**results));
	if (*results == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	*count = cfg->targets.count;
	st = run_open(&run, cfg, store, installed, err);
	if (st == STATUS_OK)
		st = run_targets(&run, cfg->targets.items, cfg->targets.count, *results, err);
	else	/* no target was checked: each says why */
		for (size_t i = 0; i < cfg->targets.count; i++) {
			(*results)[i].target = strdup(cfg->targets.items[i]);
			(*results)[i].detail = strdup(err->msg);
		}
	run_close(&run);
	return st;
}

void verify_results_free(struct verify_result *results, size_t count)
{
	for (size_t i = 0; results != NULL && i < count; i++) {
		free(results[i].target);
		free(results[i].detail);
	}
	free(results);
}

enum status verify_config_check(const struct config *cfg, struct error *err)
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
