/* SPDX-License-Identifier: MIT */
/* `anchorsync check-config`: reads the configuration as refresh would, looks
 * up [agent] user as a refresh run as root would (whoever runs it), checks
 * state_dir as a refresh's lock does (when it exists yet), and reports the
 * first problem, or what it would use. */
#include <stdio.h>

#include "cli.h"
#include "pathsafe.h"
#include "privsep.h"
#include "store.h"

static void print_summary(const struct config *cfg, const struct store_backend *backend)
{
	printf("%s: ok: %zu url%s, %zu pin%s, backend %s, %zu delivery target%s, "
	       "%zu application%s, user %s\n",
	       cfg->path, cfg->urls.count, cfg->urls.count == 1 ? "" : "s",
	       cfg->pin_count, cfg->pin_count == 1 ? "" : "s", store_backend_name(backend),
	       cfg->targets.count, cfg->targets.count == 1 ? "" : "s",
	       cfg->app_count, cfg->app_count == 1 ? "" : "s", cfg->user);
}

/* state_dir as a refresh will find it: refused when unsafe; one that does not
 * exist yet is the first refresh's to create. */
static enum status state_dir_check(const char *dir, struct error *err)
{
	bool missing = false;
	enum status st = path_check_safe(dir, PATH_DIR, "state_dir", &missing, err);

	return st == STATUS_IO && missing ? STATUS_OK : st;
}

enum status cmd_check_config(const struct invocation *inv, struct error *err)
{
	static const struct cli_spec spec = { .max_operands = 0,
					      .operands_usage = "takes no arguments" };
	const struct store_backend *backend;
	struct privsep_user user;
	struct config cfg;
	int first;
	enum status st = cli_parse(inv, &spec, NULL, &first, err);

	if (st != STATUS_OK)
		return st;
	st = cli_load_source_config(inv, &cfg, err);
	if (st == STATUS_OK)
		st = store_backend_for(&cfg, &backend, err);
	if (st == STATUS_OK)
		st = privsep_user_lookup(cfg.user, &user, err);
	if (st == STATUS_OK)
		st = state_dir_check(cfg.state_dir, err);
	if (st == STATUS_OK)
		print_summary(&cfg, backend);
	config_free(&cfg);
	return st;
}
