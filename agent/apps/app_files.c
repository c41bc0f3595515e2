/* SPDX-License-Identifier: MIT */
#include "app_files.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command.h"
#include "fileio.h"
#include "store_effect.h"

static struct app_file *files_grow(struct app_files *f)
{
	struct app_file *items = realloc(f->items, (f->count + 1) * sizeof(*items));

	if (items == NULL)
		return NULL;
	f->items = items;
	memset(&items[f->count], 0, sizeof(*items));
	return &items[f->count];
}

bool app_files_add(struct app_files *f, const char *path, char *data, size_t len, mode_t mode)
{
	struct app_file *it = files_grow(f);

	if (it == NULL || (it->path = strdup(path)) == NULL) {
		free(data);
		return false;
	}
	it->data = data;
	it->len = len;
	it->mode = mode;
	f->count++;
	return true;
}

bool app_files_add_link(struct app_files *f, const char *path, const char *target)
{
	struct app_file *it = files_grow(f);

	if (it == NULL || (it->path = strdup(path)) == NULL)
		return false;
	if ((it->link = strdup(target)) == NULL) {
		free(it->path);
		return false;
	}
	f->count++;
	return true;
}

bool app_files_has(const struct app_files *f, const char *path)
{
	for (size_t i = 0; i < f->count; i++)
		if (strcmp(f->items[i].path, path) == 0)
			return true;
	return false;
}

bool app_file_current(const struct app_file *f)
{
	char target[PATH_MAX], *data = NULL;
	struct stat sb;
	size_t len;
	ssize_t n;
	bool same;

	if (f->link) {
		n = readlink(f->path, target, sizeof(target) - 1);
		return n >= 0 && (size_t)n == strlen(f->link) && memcmp(target, f->link, n) == 0;
	}
	if (lstat(f->path, &sb) < 0 || !S_ISREG(sb.st_mode) || (sb.st_mode & 07777) != f->mode ||
	    (size_t)sb.st_size != f->len)
		return false;
	if (file_read(f->path, APP_FILE_MAX, &data, &len, NULL, NULL) != STATUS_OK)
		return false;
	same = len == f->len && memcmp(data, f->data, len) == 0;
	free(data);
	return same;
}

enum status app_file_write(const struct app_file *f, struct error *err)
{
	enum status st = f->data ? file_write_atomic(f->path, f->data, f->len, f->mode, true, err) :
				   file_link_atomic(f->path, f->link, err);

	if (st != STATUS_OK)
		err->status = st = STATUS_STORE;
	return st;
}

enum status app_file_remove(const char *path, struct error *err)
{
	struct stat sb;

	if (lstat(path, &sb) < 0 && errno == ENOENT)
		return STATUS_OK;
	if (unlink(path) < 0 && errno != ENOENT)
		return error_set(err, STATUS_STORE, "cannot remove '%s': %s", path,
				 strerror(errno));
	return STATUS_OK;
}

void app_files_free(struct app_files *f)
{
	for (size_t i = 0; i < f->count; i++) {
		free(f->items[i].path);
		free(f->items[i].data);
		free(f->items[i].link);
	}
	free(f->items);
	memset(f, 0, sizeof(*f));
}

bool app_pem_pins(const char *text, size_t len, struct pin **pins, size_t *count)
{
	size_t cap = 0, at = 0;
	gnutls_datum_t der;
	enum pem_found found;

	*pins = NULL;
	*count = 0;
	while ((found = pem_next_der(text, len, &at, &der)) != PEM_NONE) {
		if (found == PEM_CERTIFICATE && *count == cap) {
			struct pin *grown = realloc(*pins, (cap ? 2 * cap : 16) * sizeof(*grown));
			if (grown == NULL) {
				gnutls_free(der.data);
				return false;
			}
			*pins = grown;
			cap = cap ? 2 * cap : 16;
		}
		if (found == PEM_CERTIFICATE)
			pin_of_der(der.data, der.size, &(*pins)[(*count)++]);
		gnutls_free(der.data);
	}
	return true;
}

bool app_pem_file_has(const char *path, const struct pin *pin)
{
	struct pin *pins = NULL;
	size_t count = 0, len;
	char *text = NULL;
	bool found = false;

	if (file_read(path, APP_FILE_MAX, &text, &len, NULL, NULL) != STATUS_OK)
		return false;
	if (app_pem_pins(text, len, &pins, &count))
		found = pin_list_contains(pins, count, pin);
	free(pins);
	free(text);
	return found;
}

enum status app_subject_hash(const char *path, char out[9], struct error *err)
{
	const char *argv[] = { "openssl", "x509", "-hash", "-noout", "-in", path, NULL };
	const struct command_options opts = { .timeout = APP_COMMAND_TIMEOUT, .keep_fd = -1 };
	char *output = NULL;
	struct error how;
	enum status st = STATUS_OK;

	if (command_run(argv, &opts, &output, &how) != STATUS_OK)
		st = error_set(err, STATUS_STORE, "openssl x509 -hash -in %s %s", path, how.msg);
	else if (strspn(output, "0123456789abcdef") != 8)
		st = error_set(err, STATUS_STORE, "openssl x509 -hash printed '%.40s'", output);
	else
		memcpy(out, output, 8), out[8] = '\0';
	free(output);
	return st;
}
