/* SPDX-License-Identifier: MIT */
#include "postfix.h"

#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "fileio.h"
#include "postconf.h"

/* Runs postconf; STATUS_STORE with how it ended and what it printed. */
static enum status postconf_run(const char *const argv[], char **out, struct error *err)
{
	struct error how;

	if (command_run(argv, NULL, out, &how) == STATUS_OK)
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
			       "smtp_tls_trust_anchor_file", NULL };
	char *out = NULL, *values[4];
	enum status st = postconf_run(argv, &out, err);

	if (st == STATUS_OK)
		st = postconf_values(out, strlen(out), values, 4, err);
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

enum status postfix_view_read(const char *config_dir, struct postfix_view *v,
			      struct error *err)
{
	enum status st;

	memset(v, 0, sizeof(*v));
	st = read_settings(config_dir, v, err);
	if (st == STATUS_OK)
		st = read_chroot(config_dir, v, err);
	if (st == STATUS_OK && v->chroot && v->tafile && v->tafile[0] == '/' &&
	    strncmp(v->tafile, v->queue_directory, strlen(v->queue_directory)) != 0) {
		char *inside = path_join(v->queue_directory, v->tafile + 1);
		if (inside == NULL)
			return error_set(err, STATUS_INTERNAL, "out of memory");
		free(v->tafile);
		v->tafile = inside;
	}
	if (st == STATUS_OK && v->chroot && v->capath && v->capath[0] == '/' &&
	    strncmp(v->capath, v->queue_directory, strlen(v->queue_directory)) != 0 &&
	    (v->copy_dir = path_join(v->queue_directory, v->capath + 1)) == NULL)
		st = error_set(err, STATUS_INTERNAL, "out of memory");
	return st;
}

void postfix_view_free(struct postfix_view *v)
{
	free(v->queue_directory);
	free(v->capath);
	free(v->cafile);
	free(v->tafile);
	free(v->copy_dir);
	memset(v, 0, sizeof(*v));
}
