/* `anchorsync verify`: options, the trust store to use, and the run over the
 * targets; and the same checks for refresh (verify.h). */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "log.h"
#include "manifest.h"
#include "mx.h"
#include "verdict.h"
#include "store.h"
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
	struct manifest manifest;
	bool have_manifest;
	enum output output;
};

/* Picks and loads the trust anchors: --ca-file, [delivery] ca_file, the
 * bundle under [store] root, or the system store. */
static enum status run_trust(struct run *run, struct error *err)
{
	const struct config *cfg = run->cfg;
	struct store s = { 0 };
	const char *file = run->ca_file ? run->ca_file : cfg->delivery_ca_file;
	enum status st;

	if (file != NULL) {
		snprintf(run->trust_desc, sizeof(run->trust_desc), "the CA file '%s'", file);
		return tls_trust_new(file, &run->trust, err);
	}
	if (cfg->root == NULL) {
		snprintf(run->trust_desc, sizeof(run->trust_desc), "the system trust store");
		return tls_trust_new(NULL, &run->trust, err);
	}
	st = store_open(&s, cfg, err);
	if (st == STATUS_OK) {
		snprintf(run->trust_desc, sizeof(run->trust_desc), "the trust store bundle '%s'",
			 s.bundle_path);
		st = tls_trust_new(s.bundle_path, &run->trust, err);
	}
	store_close(&s);
	return st;
}

/* Fills run from cfg (command-line values already in run take precedence). */
static enum status run_open(struct run *run, const struct config *cfg, struct error *err)
{
	struct error merr = { .status = STATUS_OK };
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
	st = run_trust(run, err);
	if (st != STATUS_OK)
		return st;
	run->opt.trust = run->trust;
	run->opt.trust_desc = run->trust_desc;
	if (manifest_load(&run->manifest, cfg->state_dir, &merr) == STATUS_OK) {
		run->have_manifest = true;
		run->opt.manifest = &run->manifest;
	} else {
		log_debug("cannot tell which anchors anchorsync installed: %s", merr.msg);
		manifest_free(&run->manifest);
	}
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
	       "  --timeout SECONDS         connect, handshake and each reply (default 30)\n"
	       "  --json                    one JSON object per target\n"
	       "  -v                        print the SMTP dialogue on stderr\n");
}

enum status cmd_verify(const struct invocation *inv, struct error *err)
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
	struct run run = { .output = OUTPUT_HUMAN };
	struct strlist resolve = { NULL, 0 };
	struct config cfg = { 0 };	/* cli_load_config initialises it */
	enum status st;
	char *end;
	long v;
	int opt;

	while ((opt = getopt_long(inv->argc, inv->argv, "vqh", options, NULL)) != -1) {
		if (cli_common_option(opt))
			continue;
		switch (opt) {
		case 'C': run.ca_file = optarg; break;
		case 'n': run.opt.name = optarg; break;
		case 'N': run.nameserver = optarg; break;
		case 'H': run.opt.helo = optarg; break;
		case 'f': run.opt.from = optarg; break;
		case 't': run.opt.to = optarg; break;
		case 's': run.opt.send = true; break;
		case 'a': run.opt.allow_cn = true; break;
		case 'j': run.output = OUTPUT_JSON; break;
		case 'h':
			usage_text();
			st = STATUS_OK;
			goto out;
		case 'r':
			if (!strlist_add(&resolve, optarg)) {
				st = error_set(err, STATUS_INTERNAL, "out of memory");
				goto out;
			}
			break;
		case 'T':
			v = strtol(optarg, &end, 10);
			if (*end != '\0' || end == optarg || v < 1 || v > 3600) {
				st = error_set(err, STATUS_USAGE,
					       "verify: --timeout '%s' is not 1..3600 seconds", optarg);
				goto out;
			}
			run.opt.timeout = (unsigned)v;
			break;
		default:
			st = cli_usage_error(inv, "unknown option", err);
			goto out;
		}
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
	run.opt.transcript = log_verbose();
	if (optind >= inv->argc && cfg.targets.count == 0) {
		st = error_set(err, STATUS_USAGE, "verify: no target given and no [delivery] target "
			       "in '%s' (see 'anchorsync verify --help')", inv->config_path);
		goto out;
	}
	/* Catch malformed targets before any connection is made. */
	for (int i = optind; i < inv->argc; i++) {
		struct target t;

		st = target_parse(inv->argv[i], &t, err);
		if (st != STATUS_OK)
			goto out;
	}
	st = run_open(&run, &cfg, err);
	if (st == STATUS_OK) {
		if (optind < inv->argc)
			st = run_targets(&run, inv->argv + optind, (size_t)(inv->argc - optind),
					 NULL, err);
		else
			st = run_targets(&run, cfg.targets.items, cfg.targets.count, NULL, err);
	}
	run_close(&run);
out:
	strlist_free(&resolve);
	config_free(&cfg);
	return st;
}

enum status verify_configured_targets(const struct config *cfg,
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
	st = run_open(&run, cfg, err);
	if (st == STATUS_OK)
		st = run_targets(&run, cfg->targets.items, cfg->targets.count, *results, err);
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
	if (st != STATUS_OK) {
		error_prefix(err, "%s: [delivery]", cfg->path ? cfg->path : "configuration");
		err->status = STATUS_CONFIG;
		st = STATUS_CONFIG;
	}
	return st;
}
