/* SPDX-License-Identifier: MIT */
/* `anchorsync verify`: the command line, then verify.h's checks. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static enum status verify_options(const struct invocation *inv, struct verify_session *run,
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
		case 'j': run->output = VERIFY_OUTPUT_JSON; break;
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
static enum status verify_run(const struct invocation *inv, struct verify_session *run,
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
	st = verify_open(run, cfg, NULL, NULL, err);
	if (st == STATUS_OK) {
		if (optind < inv->argc)
			st = verify_targets(run, inv->argv + optind, (size_t)(inv->argc - optind),
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

