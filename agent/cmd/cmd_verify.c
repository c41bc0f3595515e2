/* SPDX-License-Identifier: MIT */
/* `anchorsync verify`: the command line, then verify.h's checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "cli.h"
#include "log.h"
#include "parse.h"
#include "target.h"
#include "verify.h"

static void usage_text(void)
{
	printf("usage: anchorsync [-c FILE] verify [options] [TARGET...]\n\n"
	       "TARGET: smtp://HOST[:PORT] (STARTTLS, 25), submission://HOST[:PORT] (STARTTLS, 587),\n"
	       "        smtps://HOST[:PORT] (implicit TLS, 465), mx:DOMAIN[:PORT] (its MX hosts, 25);\n"
	       "        default: the [delivery] target entries\n\n"
	       "  --ca-file FILE            trust the CAs in FILE instead of the trust store\n"
	       "  --app NAME                trust exactly what [app NAME] reads (Postfix: its\n"
	       "                            CAfile and the chroot copy of its CApath; file: the file)\n"
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

/* What `verify`'s command line asks for. */
struct verify_request {
	struct verify_session *run;
	struct strlist *resolve;	/* --resolve entries, in order */
	const char *app;		/* --app NAME, or NULL */
	bool help;
	int first;			/* the first target in argv */
};

static enum status verify_option(int opt, const char *arg, void *user, struct error *err)
{
	struct verify_request *req = user;
	struct verify_session *run = req->run;
	unsigned long long v;

	switch (opt) {
	case 'C': run->ca_file = arg; break;
	case 'A': req->app = arg; break;
	case 'n': run->opt.name = arg; break;
	case 'N': run->nameserver = arg; break;
	case 'H': run->opt.helo = arg; break;
	case 'f': run->opt.from = arg; break;
	case 't': run->opt.to = arg; break;
	case 's': run->opt.send = true; break;
	case 'a': run->opt.allow_cn = true; break;
	case 'j': run->output = VERIFY_OUTPUT_JSON; break;
	case 'h': req->help = true; break;
	case 'r':
		if (!strlist_add(req->resolve, arg))
			return error_set(err, STATUS_INTERNAL, "out of memory");
		break;
	case 'T':
		if (!parse_uint(arg, 1, 3600, &v))
			return error_set(err, STATUS_USAGE,
					 "verify: --timeout '%s' is not 1..3600 seconds", arg);
		run->opt.timeout = (unsigned)v;
		break;
	}
	return STATUS_OK;
}

/* The command line of `verify`: its options into req. */
static enum status verify_options(const struct invocation *inv, struct verify_request *req,
				  struct error *err)
{
	static const struct option options[] = {
		{ "ca-file", required_argument, NULL, 'C' },
		{ "app", required_argument, NULL, 'A' },
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cli_spec spec = { .options = options, .shorts = "h",
					      .on_option = verify_option, .max_operands = -1 };

	enum status st = cli_parse(inv, &spec, req, &req->first, err);

	if (st == STATUS_OK && req->app && req->run->ca_file)
		st = error_set(err, STATUS_USAGE, "verify: --app and --ca-file exclude each other");
	return st;
}

/* Points run at what [app name] reads; the paths go into file and dir (the
 * caller frees them). */
static enum status app_trust(const struct config *cfg, const char *name,
			     struct verify_session *run, char **file, char **dir,
			     struct error *err)
{
	const struct app_config *app = config_app(cfg, name);
	enum status st;

	if (app == NULL)
		return error_set(err, STATUS_USAGE, "verify: no [app %s] in '%s'", name,
				 cfg->path ? cfg->path : "the configuration");
	st = apps_trust_paths(app, file, dir, err);
	run->ca_file = *file;
	run->ca_dir = *dir;
	return st;
}

/* Runs the checks the command line asked for, with cfg loaded. */
static enum status verify_run(const struct invocation *inv, const struct verify_request *req,
			      const struct config *cfg, struct error *err)
{
	struct verify_session *run = req->run;
	int first = req->first;
	enum status st;

	run->opt.transcript = log_verbose();
	if (first >= inv->argc && cfg->targets.count == 0)
		return error_set(err, STATUS_USAGE, "verify: no target given and no [delivery] "
				 "target in '%s' (see 'anchorsync verify --help')", inv->config_path);
	/* Catch malformed targets before any connection is made. */
	for (int i = first; i < inv->argc; i++) {
		struct target t;

		st = target_parse(inv->argv[i], &t, err);
		if (st != STATUS_OK)
			return st;
	}
	st = verify_open(run, cfg, NULL, NULL, err);
	if (st == STATUS_OK) {
		if (first < inv->argc)
			st = verify_targets(run, inv->argv + first, (size_t)(inv->argc - first),
					    NULL, err);
		else
			st = verify_targets(run, cfg->targets.items, cfg->targets.count, NULL, err);
	}
	verify_close(run);
	return st;
}

enum status cmd_verify(const struct invocation *inv, struct error *err)
{
	struct verify_session run = { .output = VERIFY_OUTPUT_HUMAN };
	struct strlist resolve = { NULL, 0 };
	struct verify_request req = { .run = &run, .resolve = &resolve };
	struct config cfg = { 0 };	/* cli_load_config initialises it */
	char *app_file = NULL, *app_dir = NULL;
	enum status st;

	st = verify_options(inv, &req, err);
	if (st != STATUS_OK || req.help) {
		if (req.help)
			usage_text();
		goto out;
	}
	st = cli_load_config(inv, &cfg, inv->argc > req.first, err);
	if (st != STATUS_OK)
		goto out;
	/* --resolve entries come first, then the configured ones. */
	for (size_t i = 0; i < cfg.resolve.count; i++)
		if (!strlist_add(&resolve, cfg.resolve.items[i])) {
			st = error_set(err, STATUS_INTERNAL, "out of memory");
			goto out;
		}
	run.opt.resolve = &resolve;
	if (req.app)
		st = app_trust(&cfg, req.app, &run, &app_file, &app_dir, err);
	if (st == STATUS_OK)
		st = verify_run(inv, &req, &cfg, err);
out:
	free(app_file);
	free(app_dir);
	strlist_free(&resolve);
	config_free(&cfg);
	return st;
}

