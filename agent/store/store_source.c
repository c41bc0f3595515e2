/* SPDX-License-Identifier: MIT */
#include "store_source.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "store_effect.h"

#define SOURCE_DEPTH 4
#define SOURCE_FILE_MAX (1024 * 1024)

/* Where update commands read certificates from besides the anchors
 * directory: Debian's and Alpine's packaged CAs, p11-kit's sources. */
static const char *const source_dirs[] = {
	"/usr/share/ca-certificates",
	"/usr/share/pki/ca-trust-source",
	"/usr/share/pki/trust",
	"/etc/pki/ca-trust/source",
	"/etc/pki/trust",
	"/etc/ca-certificates/trust-source",
};

/* Whether the file at path holds a certificate whose pin is pin. */
static bool file_holds(const char *path, const struct pin *pin)
{
	char *text = NULL;
	size_t len;
	bool found = false;

	if (file_read(path, SOURCE_FILE_MAX, &text, &len, NULL, NULL) != STATUS_OK)
		return false;
	for (size_t at = 0; !found;) {
		gnutls_datum_t der;
		enum pem_found f = pem_next_der(text, len, &at, &der);
		struct pin got;

		if (f == PEM_NONE)
			break;
		if (f == PEM_CERTIFICATE) {
			pin_of_der(der.data, der.size, &got);
			found = pin_equal(&got, pin);
		}
		gnutls_free(der.data);
	}
	free(text);
	return found;
}

/* Searches dir and below (depth levels) for a file holding pin. */
static bool dir_search(const char *dir, int depth, const struct pin *pin, const char *skip,
		       char *out, size_t outlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool found = false;

	if (d == NULL)
		return false;
	while (!found && (de = readdir(d)) != NULL) {
		char *path;
		struct stat sb;

		if (de->d_name[0] == '.' || (skip && strcmp(de->d_name, skip) == 0))
			continue;
		path = path_join(dir, de->d_name);
		if (path != NULL && lstat(path, &sb) == 0) {
			if (S_ISDIR(sb.st_mode) && depth > 0)
				found = dir_search(path, depth - 1, pin, NULL, out, outlen);
			else if (S_ISREG(sb.st_mode) && file_holds(path, pin))
				found = snprintf(out, outlen, "%s", path) > 0;
		}
		free(path);
	}
	closedir(d);
	return found;
}

bool store_source_find(const struct store *s, const struct pin *pin, const char *skip,
		       char *out, size_t outlen)
{
	if (dir_search(s->anchors_dir, SOURCE_DEPTH, pin, skip, out, outlen))
		return true;
	for (size_t i = 0; i < sizeof(source_dirs) / sizeof(source_dirs[0]); i++) {
		char *dir = path_under_root(s->root, source_dirs[i]);
		bool found = dir && strcmp(dir, s->anchors_dir) != 0 &&
			     dir_search(dir, SOURCE_DEPTH, pin, NULL, out, outlen);

		free(dir);
		if (found)
			return true;
	}
	return false;
}
