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
			       "smtp_tls_policy_maps", "transport_maps", "relayhost",
			       "default_transport", NULL };
	char *out = NULL, *values[9];
	enum status st = postconf_run(argv, &out, err);

	if (st == STATUS_OK)
		st = postconf_values(out, strlen(out), values, 9, err);
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
	v->transport_maps = value_or_null(values[6]);
	v->relayhost = value_or_null(values[7]);
	v->default_transport = values[8];
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
	free(v->transport_maps);
	free(v->relayhost);
	free(v->default_transport);
	memset(v, 0, sizeof(*v));
}

/* Adds the files behind the tables in maps to watch. */
static bool map_files(const char *maps, struct strlist *watch)
{
	static const char *const endings[] = { "", ".db", ".lmdb" };
	const char *p = maps ? maps : "", *colon;
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

bool postfix_map_files(const struct postfix_view *v, struct strlist *watch)
{
	return map_files(v->policy_maps, watch) && map_files(v->transport_maps, watch);
}

/* The value of key in the first of maps (a list of tables split by commas or
 * spaces) that has it, from `postmap -q`; *value NULL when none has it
 * (postmap exits 1). *map_name gets the table's name. */
static enum status map_lookup(const char *config_dir, const char *maps, const char *key,
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

/* Whether a transport (the part of "transport:nexthop" before the colon)
 * delivers over the network, where TLS applies; an empty one is the default. */
static bool transport_is_smtp(const char *transport, size_t n)
{
	static const char *const local[] = { "error", "discard", "retry", "local", "virtual",
					     "pipe", "lmtp" };

	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		if (strlen(local[i]) == n && memcmp(transport, local[i], n) == 0)
			return false;
	return true;
}

bool postfix_policy_keys(const char *nexthop, struct strlist *keys)
{
	if (nexthop[0] == '[')
		return strlist_add(keys, nexthop);
	for (const char *dot = nexthop; dot; dot = strchr(dot + 1, '.'))
		if (!strlist_add(keys, dot))
			return false;
	return true;
}

enum status postfix_next_hop(const char *config_dir, const struct postfix_view *v,
			     const char *domain, char **nexthop, struct error *err)
{
	const char *chosen = NULL, *colon;
	char map_name[256], *entry = NULL;
	enum status st = STATUS_OK;

	*nexthop = NULL;
	/* transport(5): the domain, then its parents as ".domain". */
	for (const char *dot = domain; v->transport_maps && dot && entry == NULL && st == STATUS_OK;
	     dot = strchr(dot + 1, '.'))
		st = map_lookup(config_dir, v->transport_maps, dot, &entry, map_name,
				sizeof(map_name), err);
	if (st != STATUS_OK)
		return st;
	chosen = entry ? entry : v->relayhost ? v->relayhost : NULL;
	if (entry || v->relayhost == NULL) {
		const char *route = entry ? entry : v->default_transport;
		colon = strchr(route, ':');
		if (!transport_is_smtp(route, colon ? (size_t)(colon - route) : strlen(route))) {
			free(entry);
			return STATUS_OK;	/* not delivered over SMTP */
		}
		chosen = colon && colon[1] ? colon + 1 : domain;
	}
	*nexthop = strdup(chosen);
	free(entry);
	return *nexthop ? STATUS_OK : error_set(err, STATUS_INTERNAL, "out of memory");
}

enum status postfix_protection(const char *config_dir, const struct postfix_view *v,
			       const char *shown, const struct strlist *keys, char **warning,
			       struct error *err)
{
	char word[32], where[600], map_name[256];
	char *policy = NULL;
	enum status st = STATUS_OK;

	*warning = NULL;
	for (size_t i = 0; v->policy_maps && i < keys->count && policy == NULL && st == STATUS_OK;
	     i++) {
		st = map_lookup(config_dir, v->policy_maps, keys->items[i], &policy, map_name,
				sizeof(map_name), err);
		if (policy)
			snprintf(where, sizeof(where), "smtp_tls_policy_maps (%s, key %s)",
				 map_name, keys->items[i]);
	}
	if (st != STATUS_OK)
		return st;
	if (policy == NULL)
		snprintf(where, sizeof(where), "smtp_tls_security_level in %s/main.cf", config_dir);
	if (postconf_level_of(policy ? policy : v->security_level, word, sizeof(word)) !=
	    POSTCONF_LEVEL_VERIFIES &&
	    asprintf(warning, "mail to %s goes out at TLS security level '%s' (from %s), "
		     "which does not verify the server: the root does not protect it; "
		     "use secure or verify", shown, word, where) < 0)
		st = error_set(err, STATUS_INTERNAL, "out of memory");
	free(policy);
	return st;
}
