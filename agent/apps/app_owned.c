/* SPDX-License-Identifier: MIT */
#include "app_owned.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app_files.h"
#include "fileio.h"
#include "log.h"
#include "manifest.h"
#include "pathsafe.h"
#include "pin.h"

bool app_named_ours(const char *dir, const char *name)
{
	char want[MANIFEST_NAME_SIZE], *path, *pem = NULL;
	struct pin pin;
	size_t len;
	bool ours = false;

	if (strncmp(name, "anchorsync-", 11) != 0 || (path = path_join(dir, name)) == NULL)
		return false;
	if (file_read(path, APP_FILE_MAX, &pem, &len, NULL, NULL) == STATUS_OK &&
	    pin_of_pem(pem, len, &pin)) {
		manifest_file_name(&pin, ".pem", want);
		ours = strcmp(want, name) == 0;
	}
	free(pem);
	free(path);
	return ours;
}


/* Whether the file at o's path still holds what anchorsync wrote there (a
 * digest in the journal). An entry from before digests were kept counts when
 * it is a root's file by anchorsync's naming or a link to one. */
static bool still_ours(const struct app_owned *o)
{
	char target[PATH_MAX], *data = NULL, *slash = strrchr(o->path, '/');
	struct pin digest;
	struct stat sb;
	size_t len = 0;
	bool ours = false;

	if (lstat(o->path, &sb) < 0)
		return true;	/* gone: nothing to remove */
	if (S_ISLNK(sb.st_mode)) {
		ssize_t n = readlink(o->path, target, sizeof(target) - 1);
		if (n < 0)
			return false;
		target[n] = '\0';
		if (o->digest_count == 0)
			return strncmp(target, "anchorsync-", 11) == 0 && strchr(target, '/') == NULL;
		pin_of_der((const unsigned char *)target, (size_t)n, &digest);
	} else if (S_ISREG(sb.st_mode)) {
		if (o->digest_count == 0) {
			char *dir = strndup(o->path, (size_t)(slash - o->path));
			ours = dir && app_named_ours(dir, slash + 1);
			free(dir);
			return ours;
		}
		if (file_read(o->path, APP_FILE_MAX, &data, &len, NULL, NULL) != STATUS_OK)
			return false;
		pin_of_der((const unsigned char *)data, len, &digest);
		free(data);
	} else {
		return false;
	}
	return pin_list_contains(o->digest, o->digest_count, &digest);
}

enum status app_owned_remove(const struct app_owned *o, bool *removed, struct error *err)
{
	char *dir = strndup(o->path, (size_t)(strrchr(o->path, '/') - o->path));
	struct error why;
	enum status st = STATUS_OK;
	bool gone = false;

	if (dir == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	if (path_check_safe(dir[0] ? dir : "/", PATH_DIR, "directory", NULL, &why) != STATUS_OK &&
	    access(dir[0] ? dir : "/", F_OK) == 0)
		log_warn("[app %s]: leaving '%s': %s", o->app, o->path, why.msg);
	else if (!still_ours(o))
		log_warn("[app %s]: leaving '%s': it no longer holds what anchorsync wrote there",
			 o->app, o->path);
	else
		gone = (st = app_file_remove(o->path, err)) == STATUS_OK;
	if (removed)
		*removed = gone;
	free(dir);
	return st;
}
