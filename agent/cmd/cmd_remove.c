/* SPDX-License-Identifier: MIT */
/* `anchorsync remove --all`: retires every root anchorsync installed, and only
 * those, then forgets the cached bundle so a later refresh starts afresh. */
#include <stdlib.h>
#include <unistd.h>

#include "apply.h"
#include "apps.h"
#include "cli.h"
#include "fileio.h"
#include "lock.h"
#include "log.h"
#include "manifest.h"
#include "record.h"
#include "report.h"
#include "state_files.h"
#include "store.h"

static void forget_bundle(const char *state_dir)
{
	static const char *files[] = { STATE_BUNDLE, STATE_FETCH_CACHE };

	for (size_t i = 0; i < 2; i++) {
		char *path = path_join(state_dir, files[i]);
		if (path)
			unlink(path);
		free(path);
	}
}

/* Shows the now empty set of roots in status.json and the metrics file. */
static void publish_empty(const struct config *cfg, const struct store *store)
{
	struct manifest none = { 0 };
	struct run_record run;
	struct report rep = {
		.roots = &none,
		.run = &run,
		.backend = store_backend_name(store->backend),
		.anchors_dir = store->anchors_dir,
		.warn_days = cfg->warn_days,
		.now = time(NULL),
		.apps_state_dir = cfg->app_count > 0 ? cfg->state_dir : NULL,
		.delivery_warn_days = cfg->delivery_warn_days,
		.delivery_interval = cfg->delivery_interval,
	};

	if (record_load(&run, cfg->state_dir, NULL) == STATUS_OK)
		report_publish(cfg->state_dir, cfg->metrics_file, &rep, true);
	record_free(&run);
}

/* Takes anchorsync's files out of every [app] view. */
static enum status remove_apps(const struct config *cfg, const struct store *store,
			       struct error *err)
{
	struct apps apps;
	enum status st = apps_open(&apps, cfg, store, err);

	if (st == STATUS_OK)
		st = apps_remove(&apps, err);
	apps_close(&apps);
	return st;
}

/* Retires every root the manifest lists, unsettled ones included; a file
 * that is not verifiably anchorsync's is left in place (apply_plan). Then
 * the application views. */
static enum status remove_all(const struct config *cfg, struct error *err)
{
	struct manifest installed = { 0 }, none = { 0 };
	struct store store = { 0 };
	struct plan plan = { 0 };
	enum status st;
	bool touched;
	int lock_fd = -1;

	st = lock_acquire(cfg->state_dir, cfg->lock_wait, &lock_fd, err);
	if (st == STATUS_OK)
		st = store_open(&store, cfg, err);
	store.lock_fd = lock_fd;
	if (st == STATUS_OK)
		st = manifest_load(&installed, cfg->state_dir, err);
	if (st == STATUS_OK && installed.count == 0)
		st = remove_apps(cfg, &store, err);
	if (st != STATUS_OK || installed.count == 0)
		goto out;
	plan.retire = calloc(installed.count, sizeof(*plan.retire));
	if (plan.retire == NULL) {
		st = error_set(err, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < installed.count; i++)
		plan.retire[plan.retire_count++] = &installed.entries[i];
	st = apply_plan(&store, cfg->state_dir, &installed, &plan, &none, &touched, err);
	if (st != STATUS_OK)
		goto out;
	forget_bundle(cfg->state_dir);
	st = remove_apps(cfg, &store, err);
	publish_empty(cfg, &store);
out:
	plan_free(&plan);
	manifest_free(&none);
	manifest_free(&installed);
	store_close(&store);
	lock_release(lock_fd);
	return st;
}

enum status cmd_remove(const struct invocation *inv, struct error *err)
{
	static const struct option options[] = {
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cli_spec spec = { .options = options, .on_option = cli_flag_option,
					      .max_operands = 0,
					      .operands_usage = "takes exactly --all" };
	struct config cfg;
	bool all = false;
	int first;
	enum status st = cli_parse(inv, &spec, &all, &first, err);

	if (st != STATUS_OK)
		return st;
	if (!all)
		return cli_usage_error(inv, spec.operands_usage, err);
	st = cli_load_config(inv, &cfg, false, err);
	if (st == STATUS_OK)
		st = remove_all(&cfg, err);
	config_free(&cfg);
	return st;
}
