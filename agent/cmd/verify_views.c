/* SPDX-License-Identifier: MIT */
#include "verify_views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"

/* Appends more (n results, handed over) to *results, each marked as checked
 * through app's view. */
static void append_named(const char *app, struct verify_result *more, size_t n,
			 struct verify_result **results, size_t *count)
{
	struct verify_result *all;

	if (n == 0) {	/* realloc to 0 bytes would free *results */
		free(more);
		return;
	}
	all = realloc(*results, (*count + n) * sizeof(*all));
	if (all == NULL) {
		verify_results_free(more, n);
		return;
	}
	for (size_t k = 0; k < n; k++) {
		more[k].view = strdup(app);
		all[(*count)++] = more[k];
	}
	*results = all;
	free(more);
}

/* The checks through app's view; false when one failed. An application
 * whose view is not known is the [app] sync's failure, not this one's. */
static bool verify_app_view(const struct config *cfg, const struct app_config *app,
			    const struct manifest *installed, struct verify_result **results,
			    size_t *count)
{
	struct verify_result *more = NULL;
	char *file = NULL, *dir = NULL;
	size_t n = 0;
	struct error e;
	bool failed = false;

	if (apps_trust_paths(app, &file, &dir, &e) == STATUS_OK)
		failed = verify_configured_targets_with(cfg, file, dir, installed, &more, &n,
							&e) != STATUS_OK;
	append_named(app->name, more, n, results, count);
	free(file);
	free(dir);
	return !failed;
}

enum status verify_views(const struct config *cfg, const struct store *store,
			 const struct manifest *installed, struct verify_result **results,
			 size_t *count, struct error *err)
{
	enum status st = verify_configured_targets(cfg, store, installed, results, count, err);

	for (size_t i = 0; i < cfg->app_count; i++)
		if (!verify_app_view(cfg, &cfg->apps[i], installed, results, count) &&
		    st == STATUS_OK)
			st = error_set(err, STATUS_VERIFY_FAILED, "a delivery check through "
				       "[app %s] failed", cfg->apps[i].name);
	return st;
}

bool verify_result_configured(const struct verify_result *v, void *cfg_)
{
	const struct config *cfg = cfg_;
	bool target = false;

	for (size_t i = 0; i < cfg->targets.count && !target; i++)
		target = v->target && strcmp(v->target, cfg->targets.items[i]) == 0;
	return target && (v->view == NULL || config_app(cfg, v->view) != NULL);
}
