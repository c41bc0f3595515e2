/* SPDX-License-Identifier: MIT */
/* An application's view as it stands, read without changing it: what a
 * refresh would change there (--dry-run) and where it reads trust anchors
 * (verify --app). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "postfix.h"

/* "root" or "roots", for n of them. */
static const char *roots_word(size_t n)
{
	return n == 1 ? "root" : "roots";
}

/* What the plan does to one view, naming only what changes: "would add 2
 * roots and retire 1 from", "would add 1 root to", "would retire 1 root from";
 * the view's name follows. */
static void print_changes(size_t add_count, size_t retire_count)
{
	if (add_count > 0 && retire_count > 0)
		printf("would add %zu %s and retire %zu from", add_count, roots_word(add_count),
		       retire_count);
	else if (add_count > 0)
		printf("would add %zu %s to", add_count, roots_word(add_count));
	else
		printf("would retire %zu %s from", retire_count, roots_word(retire_count));
}

/* One application's line of a dry run: where the change would go, and how
 * the application would reload. */
static void print_app_plan(const struct app_config *app, size_t add_count,
			   size_t retire_count)
{
	struct postfix_view pf = { 0 };
	struct error err;
	const char *where = app->path;
	const char *then = app->restart ? ", then run its restart" : "";

	if (app->type == APP_POSTFIX) {
		if (postfix_view_read(app->config_directory, &pf, &err) != STATUS_OK) {
			printf("app '%s': cannot ask Postfix: %s\n", app->name, err.msg);
			goto out_free_view;
		}
		where = pf.copy_dir ? pf.copy_dir : pf.cafile ? pf.cafile : pf.capath;
		if (!app->restart && pf.copy_dir == NULL && pf.cafile)
			then = ", then postfix reload";
	}
	if (where == NULL) {
		printf("app '%s': Postfix in %s trusts no CA (smtp_tls_CApath and "
		       "smtp_tls_CAfile are empty)\n", app->name, app->config_directory);
	} else if (add_count + retire_count == 0) {
		printf("app '%s': no change\n", app->name);
	} else {
		printf("app '%s': ", app->name);
		print_changes(add_count, retire_count);
		printf(" %s%s\n", where, then);
	}
out_free_view:
	if (app->type == APP_POSTFIX)
		postfix_view_free(&pf);
}

void apps_print_plan(const struct config *cfg, size_t add_count, size_t retire_count)
{
	for (size_t i = 0; i < cfg->app_count; i++)
		print_app_plan(&cfg->apps[i], add_count, retire_count);
}

enum status apps_trust_paths(const struct app_config *app, char **file, char **dir,
			     struct error *err)
{
	struct postfix_view pf;
	enum status st;

	*file = *dir = NULL;
	if (app->type == APP_FILE) {
		*file = strdup(app->path);
		return *file ? STATUS_OK : error_set(err, STATUS_INTERNAL, "out of memory");
	}
	st = postfix_view_read(app->config_directory, &pf, err);
	if (st == STATUS_OK && !pf.capath && !pf.cafile && !pf.tafile)
		st = error_set(err, STATUS_STORE, "[app %s]: Postfix in %s trusts no CA: set "
			       "smtp_tls_CApath = /etc/ssl/certs in %s/main.cf", app->name,
			       app->config_directory, app->config_directory);
	if (st == STATUS_OK) {
		*file = pf.tafile ? pf.tafile : pf.cafile;
		*dir = pf.copy_dir ? pf.copy_dir : pf.capath;
		if (*file == pf.tafile)
			pf.tafile = NULL;
		else
			pf.cafile = NULL;
		if (*dir == pf.copy_dir)
			pf.copy_dir = NULL;
		else
			pf.capath = NULL;
	}
	postfix_view_free(&pf);
	return st;
}
