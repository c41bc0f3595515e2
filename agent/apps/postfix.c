/* SPDX-License-Identifier: MIT */
#include "postfix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "fileio.h"
#include "postconf.h"

static const struct command_options postfix_command_options = {
	.timeout = POSTFIX_COMMAND_TIMEOUT, .keep_fd = -1
};

/* Runs postconf; STATUS_STORE with how it ended and what it printed. */
static enum status postconf_run(const char *const argv[], char **out, struct error *err)
{
	struct error how;

	if (command_run(argv, &postfix_command_options, out, &how) == STATUS_OK)
		return STATUS_OK;
	return error_set(err, STATUS_STORE, "postconf -c %s %s %s%s%s", argv[2], argv[3], how.msg,
			 *out && **out ? "; it printed: " : "", *out ? *out : "");
}

/* An empty value is an unset setting. */
static char *value_or_null(char *v)
{
	if (v && *v == '\0') {
		free(v);
		return NULL;
	}
	return v;
}

static enum status read_settings(const char *dir, struct postfix_view *v, struct error *err)
{
	const char *argv[] = { "postconf", "-c", dir, "-h", "-x", "queue_directory",
			       "smtp_tls_CApath", "smtp_tls_CAfile",
			       "smtp_tls_trust_anchor_file", "smtp_tls_security_level",
			       "smtp_tls_policy_maps", NULL };
	char *out = NULL, *values[6];
	enum status st = postconf_run(argv, &out, err);

	if (st == STATUS_OK)
		st = postconf_values(out, strlen(out), values, 6, err);
	free(out);
	if (st != STATUS_OK) {
		if (st == STATUS_DATA)
			error_prefix(err, "postconf -c %s", dir);
		return err->status = STATUS_STORE;
	}
	v->queue_directory = values[0];
	v->capath = value_or_null(values[1]);
	v->cafile = value_or_null(values[2]);
	v->tafile = value_or_null(values[3]);
	v->security_level = values[4];
	v->policy_maps = value_or_null(values[5]);
	if (v->queue_directory[0] != '/')
		return error_set(err, STATUS_STORE, "postconf -c %s: queue_directory '%s' is not "
				 "an absolute path", dir, v->queue_directory);
	return STATUS_OK;
}

static enum status read_chroot(const char *dir, struct postfix_view *v, struct error *err)
{
	const char *argv[] = { "postconf", "-c", dir, "-M", "smtp/unix", NULL };
	enum postconf_chroot chroot = POSTCONF_CHROOT_ABSENT;
	char *out = NULL;
	enum status st = postconf_run(argv, &out, err);

	if (st == STATUS_OK &&
	    postconf_master_chroot(out, strlen(out), "smtp", "unix", &chroot, err) != STATUS_OK) {
		error_prefix(err, "postconf -c %s -M", dir);
		st = err->status = STATUS_STORE;
	}
	free(out);
	v->chroot = chroot == POSTCONF_CHROOT_YES;
	return st;
}

/* *path (a setting a chrooted smtp opens inside the queue directory) becomes
 * its host path, or into *copy when copy is not NULL. */
static enum status chroot_setting(const struct postfix_view *v, const char *setting,
				  char **path, char **copy, struct error *err)
{
	char *inside;
	struct error why;

	if (postconf_chroot_path(v->queue_directory, *path, &inside, &why) != STATUS_OK)
		return error_set(err, STATUS_STORE, "%s = %s: %s", setting, *path, why.msg);
	if (copy) {
		*copy = inside;
	} else {
		free(*path);
		*path = inside;
	}
	return STATUS_OK;
}

enum status postfix_view_read(const char *config_dir, struct postfix_view *v,
			      struct error *err)
{
	enum status st;

	memset(v, 0, sizeof(*v));
	st = read_settings(config_dir, v, err);
	if (st == STATUS_OK)
		st = read_chroot(config_dir, v, err);
	if (st == STATUS_OK && v->chroot && v->tafile)
		st = chroot_setting(v, "smtp_tls_trust_anchor_file", &v->tafile, NULL, err);
	if (st == STATUS_OK && v->chroot && v->capath)
		st = chroot_setting(v, "smtp_tls_CApath", &v->capath, &v->copy_dir, err);
	return st;
}

void postfix_view_free(struct postfix_view *v)
{
	free(v->queue_directory);
	free(v->capath);
	free(v->cafile);
	free(v->tafile);
	free(v->copy_dir);
	free(v->security_level);
	free(v->policy_maps);
	memset(v, 0, sizeof(*v));
}

bool postfix_policy_files(const struct postfix_view *v, struct strlist *watch)
{
	static const char *const endings[] = { "", ".db", ".lmdb" };
	const char *p = v->policy_maps ? v->policy_maps : "", *colon;
	char path[4096];
	size_t n;

	for (; *p; p += n) {
		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		colon = memchr(p, ':', n);
		if (colon == NULL || colon[1] != '/')
			continue;
		for (size_t i = 0; i < 3; i++) {
			snprintf(path, sizeof(path), "%.*s%s", (int)(n - (size_t)(colon + 1 - p)),
				 colon + 1, endings[i]);
			if (!strlist_add(watch, path))
				return false;
		}
	}
	return true;
}

/* The value of key in the first of maps (smtp_tls_policy_maps: names split by
 * commas or spaces) that has it, from `postmap -q`; *value NULL when none has
 * it (postmap exits 1). *map_name gets the map's name. */
static enum status policy_lookup(const char *config_dir, const char *maps, const char *key,
				 char **value, char *map_name, size_t size, struct error *err)
{
	const char *p = maps;
	size_t n;

	*value = NULL;
	for (; *p; p += n) {
		p += strspn(p, ", \t");
		if ((n = strcspn(p, ", \t")) == 0)
			break;
		snprintf(map_name, size, "%.*s", (int)n, p);
		const char *argv[] = { "postmap", "-c", config_dir, "-q", key, map_name, NULL };
		char *out = NULL;
		struct error how;
		if (command_run(argv, &postfix_command_options, &out, &how) == STATUS_OK) {
			out[strcspn(out, "\n")] = '\0';
			*value = out;
			return STATUS_OK;
		}
		free(out);
		if (strstr(how.msg, "exited with status 1") == NULL)
			return error_set(err, STATUS_STORE, "postmap -c %s -q %s %s %s", config_dir,
					 key, map_name, how.msg);
	}
	return STATUS_OK;
}

/* The policy entry for destination ("host" or "host:port"): the keys Postfix
 * looks up for a next hop, most specific first. */
static enum status policy_for(const char *config_dir, const char *maps, const char *dest,
			      char **value, char *where, size_t size, struct error *err)
{
	char host[256], key[300], map_name[256];
	const char *colon = strrchr(dest, ':'), *dot;
	enum status st;

	snprintf(host, sizeof(host), "%.*s", colon ? (int)(colon - dest) : (int)strlen(dest),
		 dest);
	*value = NULL;
	if (colon) {
		snprintf(key, sizeof(key), "[%s]:%s", host, colon + 1);
		st = policy_lookup(config_dir, maps, key, value, map_name, sizeof(map_name), err);
		if (st != STATUS_OK || *value)
			goto out_found;
	}
	snprintf(key, sizeof(key), "[%s]", host);
	st = policy_lookup(config_dir, maps, key, value, map_name, sizeof(map_name), err);
	for (dot = host; st == STATUS_OK && *value == NULL && dot; dot = strchr(dot + 1, '.')) {
		snprintf(key, sizeof(key), "%s", dot);
		st = policy_lookup(config_dir, maps, key, value, map_name, sizeof(map_name), err);
	}
out_found:
	if (*value)
		snprintf(where, size, "smtp_tls_policy_maps (%s, key %s)", map_name, key);
	return st;
}

enum status postfix_protection(const char *config_dir, const struct postfix_view *v,
			       const struct strlist *destinations, char **warning,
			       struct error *err)
{
	char word[32], where[600];
	enum status st = STATUS_OK;

	*warning = NULL;
	for (size_t i = 0; i < destinations->count && *warning == NULL; i++) {
		const char *dest = destinations->items[i];
		char *policy = NULL;

		if (v->policy_maps)
			st = policy_for(config_dir, v->policy_maps, dest, &policy, where,
					sizeof(where), err);
		if (st != STATUS_OK)
			return st;
		if (policy == NULL)
			snprintf(where, sizeof(where), "smtp_tls_security_level in %s/main.cf",
				 config_dir);
		if (postconf_level_of(policy ? policy : v->security_level, word, sizeof(word)) !=
		    POSTCONF_LEVEL_VERIFIES &&
		    asprintf(warning, "mail to %s goes out at TLS security level '%s' (from %s), "
			     "which does not verify the server: the root does not protect it; "
			     "use secure or verify", dest, word, where) < 0)
			st = error_set(err, STATUS_INTERNAL, "out of memory");
		free(policy);
	}
	return st;
}
