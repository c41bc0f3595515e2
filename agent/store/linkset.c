/* SPDX-License-Identifier: MIT */
#include "linkset.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The target of dir/name when it is a symbolic link, else NULL (caller frees). */
static char *link_target(int dirfd, const char *name)
{
	char buf[4096];
	ssize_t n = readlinkat(dirfd, name, buf, sizeof(buf) - 1);

	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

static bool linkset_add(struct linkset *set, const char *name, char *target)
{
	char **names = realloc(set->names, (set->count + 1) * sizeof(*names));
	char **targets = names ? realloc(set->targets, (set->count + 1) * sizeof(*targets)) : NULL;

	if (names)
		set->names = names;
	if (targets)
		set->targets = targets;
	if (names == NULL || targets == NULL || (names[set->count] = strdup(name)) == NULL) {
		free(target);
		return false;
	}
	targets[set->count++] = target;
	return true;
}

bool linkset_take(struct linkset *set, const char *dir)
{
	struct dirent *e;
	bool ok = true;
	DIR *d;

	memset(set, 0, sizeof(*set));
	set->dir = strdup(dir);
	if (set->dir == NULL)
		return false;
	d = opendir(dir);
	if (d == NULL)
		return errno == ENOENT;
	while (ok && (e = readdir(d)) != NULL) {
		char *target;
		if (e->d_type != DT_LNK && e->d_type != DT_UNKNOWN)
			continue;
		target = link_target(dirfd(d), e->d_name);
		if (target)
			ok = linkset_add(set, e->d_name, target);
	}
	closedir(d);
	return ok;
}

static const char *linkset_find(const struct linkset *set, const char *name)
{
	for (size_t i = 0; i < set->count; i++)
		if (strcmp(set->names[i], name) == 0)
			return set->targets[i];
	return NULL;
}

bool linkset_restore(const struct linkset *set)
{
	struct linkset now;
	bool ok = true;
	int fd, failed = 0;

	if (!linkset_take(&now, set->dir))
		return false;
	fd = open(set->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		failed = errno;
		goto out;
	}
	for (size_t i = 0; i < now.count; i++) {
		const char *was = linkset_find(set, now.names[i]);
		if ((was == NULL || strcmp(was, now.targets[i]) != 0) &&
		    unlinkat(fd, now.names[i], 0) < 0 && errno != ENOENT)
			failed = errno;
	}
	for (size_t i = 0; i < set->count; i++) {
		const char *is = linkset_find(&now, set->names[i]);
		if ((is == NULL || strcmp(is, set->targets[i]) != 0) &&
		    symlinkat(set->targets[i], fd, set->names[i]) < 0)
			failed = errno;
	}
	if (fsync(fd) < 0)
		failed = errno;
	close(fd);
out:
	linkset_free(&now);
	ok = failed == 0;
	errno = failed;
	return ok;
}

void linkset_free(struct linkset *set)
{
	for (size_t i = 0; i < set->count; i++) {
		free(set->names[i]);
		free(set->targets[i]);
	}
	free(set->names);
	free(set->targets);
	free(set->dir);
	memset(set, 0, sizeof(*set));
}
