/* SPDX-License-Identifier: MIT */
/* anchorsync: keeps an intranet's CA roots in the OS trust store and proves
 * TLS mail delivery with them. This file only dispatches. */

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "log.h"
#include "privsep.h"

struct command {
	const char *name;
	enum status (*run)(const struct invocation *inv, struct error *err);
	const char *usage;
	const char *summary;
};

static const struct command commands[] = {
	{ "refresh", cmd_refresh, "refresh [--now] [--dry-run]",
	  "fetch, authenticate and install the CA roots, then verify delivery" },
	{ "verify", cmd_verify, "verify [options] [TARGET...]",
	  "check verified TLS delivery to SMTP servers" },
	{ "status", cmd_status, "status [--json]",
	  "show the installed roots and the last results" },
	{ "fingerprint", cmd_fingerprint, "fingerprint FILE...",
	  "print the pin of each certificate in FILE" },
	{ "remove", cmd_remove, "remove --all",
	  "retire every root anchorsync installed" },
	{ "check-config", cmd_check_config, "check-config",
	  "validate the configuration file" },
	{ "sign", cmd_sign, "sign --key K --cert C --serial N --expires D BUNDLE",
	  "publisher: write a signed bundle of the roots in BUNDLE" },
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static int exit_code(enum status st)
{
	switch (st) {
	case STATUS_OK: return EX_OK;
	case STATUS_VERIFY_FAILED: return 1;
	case STATUS_USAGE: return EX_USAGE;
	case STATUS_DATA: return EX_DATAERR;
	case STATUS_UNAVAILABLE: return EX_UNAVAILABLE;
	case STATUS_INTERNAL: return EX_SOFTWARE;
	case STATUS_IO: return EX_IOERR;
	case STATUS_STORE: return EX_CANTCREAT;
	case STATUS_LOCKED: return EX_TEMPFAIL;
	case STATUS_CONFIG: return EX_CONFIG;
	}
	return EX_SOFTWARE;
}

static void print_help(void)
{
	printf("usage: anchorsync [-c FILE] [-v|-q] COMMAND [ARGS]\n\n"
	       "  -c, --config FILE  configuration (default %s)\n"
	       "  -v, --verbose      say more; -q, --quiet: say only errors\n"
	       "  -h, --help         this text; -V, --version: the version\n\ncommands:\n",
	       CONFIG_DEFAULT_PATH);
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		printf("  %-30s %s\n", commands[i].usage, commands[i].summary);
	printf("\nexit codes: 0 ok, 1 delivery check failed, 64 usage, 65 data rejected,\n"
	       "69 unreachable, 70 internal, 73 store update failed, 74 local I/O,\n"
	       "75 locked, 78 configuration invalid. See anchorsync(8).\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct invocation inv = { .config_path = CONFIG_DEFAULT_PATH };
	struct error err = { .status = STATUS_OK };
	const struct command *cmd;
	enum status st;
	int opt;

	log_open("anchorsync", 0);
	opterr = 0;	/* the messages below name a bad option once */
	while ((opt = getopt_long(argc, argv, "+c:vqhV", options, NULL)) != -1) {
		if (cli_common_option(opt))
			continue;
		switch (opt) {
		case 'c':
			inv.config_path = optarg;
			inv.config_explicit = true;
			break;
		case 'h':
			print_help();
			return EX_OK;
		case 'V':
			printf("anchorsync %s\n", PACKAGE_VERSION);
			return EX_OK;
		default:
			if (optopt == 'c')
				log_error("option '-c' needs a FILE (see 'anchorsync --help')");
			else if (optopt != 0)
				log_error("unknown option '-%c' (see 'anchorsync --help')", optopt);
			else
				log_error("unknown option '%s' (see 'anchorsync --help')", argv[optind - 1]);
			return EX_USAGE;
		}
	}
	if (optind >= argc) {
		log_error("no command given (see 'anchorsync --help')");
		return EX_USAGE;
	}
	cmd = find_command(argv[optind]);
	if (cmd == NULL) {
		log_error("unknown command '%s' (see 'anchorsync --help')", argv[optind]);
		return EX_USAGE;
	}
	inv.argc = argc - optind;
	inv.argv = argv + optind;
	optind = 0;	/* reset getopt for the command's own options */
	st = cmd->run(&inv, &err);
	privsep_reap_finished();
	if (st != STATUS_OK && err.msg[0] != '\0')
		log_error("%s", err.msg);
	return exit_code(st);
}
