/* SPDX-License-Identifier: MIT */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "verify.h"

static int verbosity;

enum status cli_load_config(const struct invocation *inv, struct config *cfg,
			    bool optional, struct error *err)
{
	config_init(cfg);
	if (optional && !inv->config_explicit && access(inv->config_path, F_OK) < 0 &&
	    errno == ENOENT)
		return STATUS_OK;
	return config_load(cfg, inv->config_path, err);
}

enum status cli_load_source_config(const struct invocation *inv, struct config *cfg,
				   struct error *err)
{
	enum status st = cli_load_config(inv, cfg, false, err);

	if (st == STATUS_OK)
		st = config_require_source(cfg, err);
	/* A bad [delivery] value found after the store changed would be too late. */
	return st == STATUS_OK ? verify_config_check(cfg, err) : st;
}

bool cli_common_option(int opt)
{
	if (opt == 'v')
		verbosity = verbosity < 0 ? 1 : verbosity + 1;
	else if (opt == 'q')
		verbosity = -1;
	else
		return false;
	log_open("anchorsync", verbosity);
	return true;
}

enum status cli_usage_error(const struct invocation *inv, const char *what, struct error *err)
{
	return error_set(err, STATUS_USAGE, "%s: %s (see 'anchorsync --help')",
			 inv->argv[0], what);
}

enum status cli_option_error(const struct invocation *inv, struct error *err)
{
	const char *arg = optind > 0 && optind <= inv->argc ? inv->argv[optind - 1] : "";
	char what[160];

	if (strncmp(arg, "--", 2) == 0)
		/* glibc leaves optopt 0 for an unknown long option */
		snprintf(what, sizeof(what), optopt ? "option '%.*s' needs a value" :
			 "unknown option '%.*s'", (int)strcspn(arg, "="), arg);
	else
		snprintf(what, sizeof(what), "unknown option '-%c'", optopt);
	return cli_usage_error(inv, what, err);
}
