/* SPDX-License-Identifier: MIT */
#include "app_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parse.h"
#include "textbuf.h"

/* inih keeps the first 49 bytes of a section name and silently cuts the rest:
 * "app " and 45 characters may already be a cut name, so names stop at 44. */
#define APP_NAME_MAX 44

/* A bit per key, so that a key given twice is an error. */
enum app_key {
	APP_KEY_TYPE = 1 << 0,
	APP_KEY_RESTART = 1 << 1,
	APP_KEY_CONFIG_DIRECTORY = 1 << 2,
	APP_KEY_PATH = 1 << 3,
	APP_KEY_CONTENT = 1 << 4,
	APP_KEY_MODE = 1 << 5,
};

static const struct {
	const char *name;
	enum app_key bit;
} app_keys[] = {
	{ "type", APP_KEY_TYPE },
	{ "restart", APP_KEY_RESTART },
	{ "config_directory", APP_KEY_CONFIG_DIRECTORY },
	{ "path", APP_KEY_PATH },
	{ "content", APP_KEY_CONTENT },
	{ "mode", APP_KEY_MODE },
};

const struct app_config *config_app(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->app_count; i++)
		if (strcmp(cfg->apps[i].name, name) == 0)
			return &cfg->apps[i];
	return NULL;
}

/* Whether name is a valid application name; why says otherwise. */
static bool name_valid(const char *section, const char *name, char *why, size_t n)
{
	size_t len = strlen(name);

	if (len > APP_NAME_MAX) {
		snprintf(why, n, "[%s...]: an application name is at most %d characters "
			 "(a longer section name is cut when read)", section, APP_NAME_MAX);
		return false;
	}
	/* The OS store's own view is called "store" in results and metrics. */
	if (strcmp(name, "store") == 0) {
		snprintf(why, n, "[%s]: 'store' names the OS store's view; choose another name",
			 section);
		return false;
	}
	if (len > 0 && strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			      "0123456789-_") == len)
		return true;
	snprintf(why, n, "[%s]: an application name is 1 to %d letters, digits, '-' or '_'",
		 section, APP_NAME_MAX);
	return false;
}

/* The application called name, added when new; NULL when out of memory. */
static struct app_config *app_get(struct config *cfg, const char *name)
{
	struct app_config *apps;

	for (size_t i = 0; i < cfg->app_count; i++)
		if (strcmp(cfg->apps[i].name, name) == 0)
			return &cfg->apps[i];
	apps = realloc(cfg->apps, (cfg->app_count + 1) * sizeof(*apps));
	if (apps == NULL)
		return NULL;
	cfg->apps = apps;
	memset(&apps[cfg->app_count], 0, sizeof(*apps));
	apps[cfg->app_count].mode = 0644;
	apps[cfg->app_count].name = strdup(name);
	if (apps[cfg->app_count].name == NULL)
		return NULL;
	return &apps[cfg->app_count++];
}

static bool set_copy(char **slot, const char *value, bool absolute, const char *key,
		     char *why, size_t n)
{
	if (*value == '\0' || (absolute && *value != '/')) {
		snprintf(why, n, "%s '%s' is not %s", key, value,
			 absolute ? "an absolute path" : "a command");
		return false;
	}
	for (const char *p = value; absolute && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			snprintf(why, n, "%s '%s' holds a control character", key, value);
			return false;
		}
	free(*slot);
	*slot = strdup(value);
	if (*slot == NULL)
		snprintf(why, n, "out of memory");
	return *slot != NULL;
}

static bool set_key(struct app_config *a, enum app_key key, const char *v, char *why, size_t n)
{
	unsigned long long mode;
	char *end;

	switch (key) {
	case APP_KEY_TYPE:
		if (strcmp(v, "postfix") == 0 || strcmp(v, "file") == 0) {
			a->type = strcmp(v, "postfix") == 0 ? APP_POSTFIX : APP_FILE;
			return true;
		}
		snprintf(why, n, "unknown type '%s' (postfix, file)", v);
		return false;
	case APP_KEY_RESTART:
		return set_copy(&a->restart, v, false, "restart", why, n);
	case APP_KEY_CONFIG_DIRECTORY:
		return set_copy(&a->config_directory, v, true, "config_directory", why, n);
	case APP_KEY_PATH:
		return set_copy(&a->path, v, true, "path", why, n);
	case APP_KEY_CONTENT:
		if (strcmp(v, "system") == 0 || strcmp(v, "anchors") == 0) {
			a->content = strcmp(v, "system") == 0 ? APP_CONTENT_SYSTEM :
				     APP_CONTENT_ANCHORS;
			return true;
		}
		snprintf(why, n, "unknown content '%s' (system, anchors)", v);
		return false;
	case APP_KEY_MODE:
		errno = 0;
		mode = strtoull(v, &end, 8);
		if (errno != 0 || end == v || *end != '\0' || *v == '-' || *v == '+' ||
		    mode > 0777) {
			snprintf(why, n, "mode '%s' is not an octal file mode from 0 to 0777", v);
			return false;
		}
		/* Root keeps this file; whoever may write it may add a CA. */
		if (mode & 022) {
			snprintf(why, n, "mode '%s' lets group or others write the file, and so "
				 "add a CA to it (use 0644, 0640 or 0600)", v);
			return false;
		}
		a->mode = (unsigned)mode;
		return true;
	}
	return false;
}

bool app_config_key(struct config *cfg, const char *section, const char *key,
		    const char *value, char *why, size_t whylen)
{
	const char *name = section + strlen(APP_SECTION);
	struct app_config *a;

	if (!name_valid(section, name, why, whylen))
		return false;
	for (size_t i = 0; i < sizeof(app_keys) / sizeof(app_keys[0]); i++) {
		if (strcmp(app_keys[i].name, key) != 0)
			continue;
		if ((a = app_get(cfg, name)) == NULL) {
			snprintf(why, whylen, "out of memory");
			return false;
		}
		if (a->seen & app_keys[i].bit) {
			snprintf(why, whylen, "'%s' is given twice in [%s]; it takes one value",
				 key, section);
			return false;
		}
		a->seen |= app_keys[i].bit;
		return set_key(a, app_keys[i].bit, value, why, whylen);
	}
	snprintf(why, whylen, "unknown key '%s' in [%s] (type, restart, config_directory, "
		 "path, content, mode)", key, section);
	return false;
}

/* path exists and is a directory. */
static bool dir_exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The directory part of path exists and is a directory. */
static bool parent_exists(const char *path, char *dir, size_t n)
{
	const char *slash = strrchr(path, '/');

	return textbuf_printf(dir, n, "%.*s", slash == path ? 1 : (int)(slash - path), path) &&
	       dir_exists(dir);
}

static enum status app_finish(struct app_config *a, const struct config *cfg,
			      const char *name, struct error *err)
{
	const unsigned file_keys = APP_KEY_PATH | APP_KEY_CONTENT | APP_KEY_MODE;
	char dir[4096];

	if (!(a->seen & APP_KEY_TYPE))
		return error_set(err, STATUS_CONFIG, "%s: [app %s]: no type (postfix or file)",
				 name, a->name);
	if (a->type == APP_POSTFIX && (a->seen & file_keys))
		return error_set(err, STATUS_CONFIG, "%s: [app %s]: path, content and mode are "
				 "for type = file", name, a->name);
	if (a->type == APP_FILE && (a->seen & APP_KEY_CONFIG_DIRECTORY))
		return error_set(err, STATUS_CONFIG, "%s: [app %s]: config_directory is for "
				 "type = postfix", name, a->name);
	if (a->type == APP_POSTFIX && a->config_directory == NULL &&
	    (a->config_directory = strdup("/etc/postfix")) == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	if (a->type == APP_POSTFIX && !dir_exists(a->config_directory))
		return error_set(err, STATUS_CONFIG, "%s: [app %s]: config_directory '%s' is not "
				 "a directory", name, a->name, a->config_directory);
	if (a->type != APP_FILE)
		return STATUS_OK;
	if (a->path == NULL)
		return error_set(err, STATUS_CONFIG, "%s: [app %s]: type = file needs a path",
				 name, a->name);
	if (strlen(a->path) < 2 || a->path[strlen(a->path) - 1] == '/')
		return error_set(err, STATUS_CONFIG, "%s: [app %s]: path '%s' names no file",
				 name, a->name, a->path);
	if (!parent_exists(a->path, dir, sizeof(dir)))
		return error_set(err, STATUS_CONFIG, "%s: [app %s]: the directory '%s' of path "
				 "does not exist", name, a->name, dir);
	for (const struct app_config *o = cfg->apps; o < a; o++)
		if (o->type == APP_FILE && strcmp(o->path, a->path) == 0)
			return error_set(err, STATUS_CONFIG, "%s: [app %s]: path '%s' is also "
					 "[app %s]'s", name, a->name, a->path, o->name);
	return STATUS_OK;
}

enum status app_config_finish(struct config *cfg, const char *name, struct error *err)
{
	enum status st = STATUS_OK;

	for (size_t i = 0; i < cfg->app_count && st == STATUS_OK; i++)
		st = app_finish(&cfg->apps[i], cfg, name, err);
	return st;
}

void app_config_free(struct config *cfg)
{
	for (size_t i = 0; i < cfg->app_count; i++) {
		free(cfg->apps[i].name);
		free(cfg->apps[i].restart);
		free(cfg->apps[i].config_directory);
		free(cfg->apps[i].path);
	}
	free(cfg->apps);
	cfg->apps = NULL;
	cfg->app_count = 0;
}
