/* SPDX-License-Identifier: MIT */
#include "app_paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "pathsafe.h"

/* The directory part of path, resolved (symbolic links followed) into out; the
 * directory is known to exist (app_config_finish). */
static bool resolved_dir(const char *path, char out[PATH_MAX])
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int n = slash == path ? 1 : (int)(slash - path);

	return n < (int)sizeof(dir) && snprintf(dir, sizeof(dir), "%.*s", n, path) > 0 &&
	       realpath(dir, out) != NULL;
}

/* dir on the host (under root), resolved when it exists; NULL out of memory. */
static char *host_dir(const char *root, const char *dir)
{
	char *path = root ? path_under_root(root, dir) : strdup(dir), real[PATH_MAX];

	if (path && realpath(path, real)) {
		free(path);
		path = strdup(real);
	}
	return path;
}

/* The directory of the file at path (a new string), NULL out of memory. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* Whether the directory resolved as dir is inside one of the places no export
 * may be; *where names it. */
static enum status forbidden_place(const struct config *cfg, const struct store_backend *b,
				   const char *dir, const char **where, bool *inside)
{
	char *bundle_dir = dir_of(b->bundle);
	const char *dirs[4] = { cfg->state_dir, b->anchors_dir, bundle_dir, b->links_dir };
	static const char *const names[4] = { "state_dir", "the store's anchors directory",
					      "the directory of the store's bundle",
					      "the store's link directory" };

	*inside = false;
	if (bundle_dir == NULL)
		return STATUS_INTERNAL;
	for (size_t i = 0; i < 4 && !*inside; i++) {
		char *place;
		if (dirs[i] == NULL)
			continue;
		place = host_dir(i == 0 ? NULL : cfg->root, dirs[i]);
		if (place == NULL) {
			free(bundle_dir);
			return STATUS_INTERNAL;
		}
		*inside = path_is_within(dir, place);
		*where = names[i];
		free(place);
	}
	free(bundle_dir);
	return STATUS_OK;
}

static enum status check_one(const struct config *cfg, const struct store_backend *backend,
			     const struct app_config *app, struct error *err)
{
	char dir[PATH_MAX], what[128];
	const char *where = NULL;
	bool inside;
	enum status st;

	snprintf(what, sizeof(what), "directory of [app %s] path", app->name);
	snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(app->path, '/') - app->path),
		 app->path);
	st = path_check_safe(dir[0] ? dir : "/", PATH_DIR, what, NULL, err);
	if (st != STATUS_OK)
		return err->status = STATUS_CONFIG;
	if (!resolved_dir(app->path, dir))
		return error_set(err, STATUS_CONFIG, "[app %s]: cannot resolve the directory of "
				 "path '%s'", app->name, app->path);
	if (forbidden_place(cfg, backend, dir, &where, &inside) != STATUS_OK)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	if (inside)
		return error_set(err, STATUS_CONFIG, "[app %s]: path '%s' is inside %s; an "
				 "export there would be overwritten or read as a source of the "
				 "trust store: choose a directory of its own", app->name,
				 app->path, where);
	return STATUS_OK;
}

enum status apps_check_paths(const struct config *cfg, const struct store_backend *backend,
			     struct error *err)
{
	enum status st = STATUS_OK;

	for (size_t i = 0; i < cfg->app_count && st == STATUS_OK; i++)
		if (cfg->apps[i].type == APP_FILE)
			st = check_one(cfg, backend, &cfg->apps[i], err);
	if (st != STATUS_OK && cfg->path && strncmp(err->msg, cfg->path, strlen(cfg->path)) != 0)
		error_prefix(err, "%s", cfg->path);
	return st;
}
