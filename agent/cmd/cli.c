/* SPDX-License-Identifier: MIT */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app_paths.h"
#include "log.h"
#include "pathsafe.h"
#include "verify.h"

static int verbosity;

enum status cli_load_config(const struct invocation *inv, struct config *cfg,
			    bool optional, struct error *err)
{
	enum status st;

	config_init(cfg);
	if (optional && !inv->config_explicit && access(inv->config_path, F_OK) < 0 &&
	    errno == ENOENT)
		return STATUS_OK;
	/* It names commands run as root (on_change, restart): only root or the
	 * running user may be able to change it. A missing or unreadable file is
	 * config_load's to report. */
	st = path_check_safe(inv->config_path, PATH_FILE, "configuration", NULL, err);
	if (st != STATUS_OK && st != STATUS_IO)
		return st;
	return config_load(cfg, inv->config_path, err);
}

enum status cli_load_source_config(const struct invocation *inv, struct config *cfg,
				   struct error *err)
{
	const struct store_backend *backend;
	enum status st = cli_load_config(inv, cfg, false, err);

	if (st == STATUS_OK)
		st = config_require_source(cfg, err);
	/* A bad [delivery] value found after the store changed would be too late. */
	if (st == STATUS_OK)
		st = verify_config_validate(cfg, err);
	if (st == STATUS_OK && cfg->app_count > 0 &&
	    (st = store_backend_for(cfg, &backend, err)) == STATUS_OK)
		st = apps_check_paths(cfg, backend, err);
	return st;
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

/* The option getopt just refused (opterr = 0: it printed nothing): an unknown
 * option, or one that lacks its value, named once. */
static enum status option_error(const struct invocation *inv, struct error *err)
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

/* The most long options a command has, -v and -q included. */
#define CLI_OPTIONS_MAX 24

/* Copies spec's long options and the common ones into all (CLI_OPTIONS_MAX
 * and the zero entry), its short ones after "vq" into shorts. */
static bool options_merge(const struct cli_spec *spec, struct option *all, char *shorts,
			  size_t shorts_size)
{
	static const struct option common[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
	};
	size_t n = 0;

	for (size_t i = 0; spec->options && spec->options[i].name; i++) {
		if (n == CLI_OPTIONS_MAX - 2)
			return false;
		all[n++] = spec->options[i];
	}
	all[n++] = common[0];
	all[n++] = common[1];
	all[n] = (struct option){ NULL, 0, NULL, 0 };
	return (size_t)snprintf(shorts, shorts_size, "vq%s", spec->shorts ? spec->shorts : "") <
	       shorts_size;
}

enum status cli_parse(const struct invocation *inv, const struct cli_spec *spec, void *user,
		      int *first, struct error *err)
{
	struct option all[CLI_OPTIONS_MAX + 1];
	char shorts[32];
	int opt, operands;

	if (!options_merge(spec, all, shorts, sizeof(shorts)))
		return error_set(err, STATUS_INTERNAL, "%s: too many options", inv->argv[0]);
	opterr = 0;
	while ((opt = getopt_long(inv->argc, inv->argv, shorts, all, NULL)) != -1) {
		enum status st;

		if (cli_common_option(opt))
			continue;
		if (opt == '?' || opt == ':' || spec->on_option == NULL)
			return option_error(inv, err);
		st = spec->on_option(opt, optarg, user, err);
		if (st != STATUS_OK)
			return st;
	}
	operands = inv->argc - optind;
	if (operands < spec->min_operands ||
	    (spec->max_operands >= 0 && operands > spec->max_operands))
		return cli_usage_error(inv, spec->operands_usage, err);
	*first = optind;
	return STATUS_OK;
}

enum status cli_flag_option(int opt, const char *arg, void *user, struct error *err)
{
	(void)opt;
	(void)arg;
	(void)err;
	*(bool *)user = true;
	return STATUS_OK;
}
