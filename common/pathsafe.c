/* SPDX-License-Identifier: MIT */
#include "pathsafe.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Judges one component of a path without symbolic links, as sb says: owner
 * and mode. last: it is the trusted path itself, which no sticky bit excuses. */
static enum status component_judge(const char *component, const struct stat *sb, bool last,
				   const char *what, const char *path, const char *via,
				   struct error *err)
{
	char through[PATH_MAX + 40] = "";
	mode_t mode = sb->st_mode & 07777;

	if (via)
		snprintf(through, sizeof(through), " (through the symbolic link '%s')", via);
	if (sb->st_uid != 0 && sb->st_uid != geteuid())
		return error_set(err, STATUS_CONFIG, "unsafe %s '%s': '%s'%s is owned by uid %u, "
				 "not by root or the running user", what, path, component,
				 through, (unsigned)sb->st_uid);
	if (!(mode & (S_IWGRP | S_IWOTH)))
		return STATUS_OK;
	if (!last && S_ISDIR(sb->st_mode) && (mode & S_ISVTX))
		return STATUS_OK;
	return error_set(err, STATUS_CONFIG, "unsafe %s '%s': '%s'%s is writable by group or "
			 "others (mode %04o)%s", what, path, component, through, (unsigned)mode,
			 last || !S_ISDIR(sb->st_mode) ? "" : " without the sticky bit");
}

/* component_judge of what component names, symbolic links followed. */
static enum status component_check(const char *component, bool last, const char *what,
				   const char *path, const char *via, struct error *err)
{
	struct stat sb;

	if (stat(component, &sb) < 0)
		return error_set(err, STATUS_IO, "cannot examine %s '%s': '%s': %s", what, path,
				 component, strerror(errno));
	return component_judge(component, &sb, last, what, path, via, err);
}

/* Checks every component of real (absolute, no symbolic links), from / down;
 * last_is_target: real is the trusted path itself. */
static enum status real_check(const char *real, bool last_is_target, const char *what,
			      const char *path, const char *via, struct error *err)
{
	char prefix[PATH_MAX];
	size_t n = strlen(real);
	enum status st;

	if (n >= sizeof(prefix))
		return error_set(err, STATUS_CONFIG, "unsafe %s '%s': path too long", what, path);
	st = component_check("/", n == 1 && last_is_target, what, path, via, err);
	for (size_t i = 1; i <= n && st == STATUS_OK; i++) {
		if (real[i] != '/' && real[i] != '\0')
			continue;
		memcpy(prefix, real, i);
		prefix[i] = '\0';
		st = component_check(prefix, i == n && last_is_target, what, path, via, err);
	}
	return st;
}

/* path made absolute against the working directory; the caller frees it. */
static char *absolute(const char *path)
{
	char cwd[PATH_MAX], *out;

	if (path[0] == '/')
		return strdup(path);
	if (getcwd(cwd, sizeof(cwd)) == NULL || asprintf(&out, "%s/%s", cwd, path) < 0)
		return NULL;
	return out;
}

/* Checks where the lexical prefix of abs up to end leads. */
static enum status prefix_check(char *abs, size_t end, bool target, const char *what,
				const char *path, bool *missing, struct error *err)
{
	char saved = abs[end], real[PATH_MAX];
	struct stat sb;
	bool link;
	enum status st;

	abs[end] = '\0';
	link = lstat(abs, &sb) == 0 && S_ISLNK(sb.st_mode);
	if (realpath(abs, real) == NULL) {
		if (missing)
			*missing = errno == ENOENT;
		st = error_set(err, STATUS_IO, "cannot examine %s '%s': %s", what, path,
			       strerror(errno));
	} else {
		st = real_check(real, target, what, path, link ? abs : NULL, err);
	}
	abs[end] = saved;
	return st;
}

/* Checks the lexical prefix of abs up to end by itself, when it is its own
 * real path given that the prefix before it was: its last component is a
 * name (not empty, "." or "..") and no symbolic link. *plain turns false
 * (and nothing is checked) when it is not. */
static enum status plain_check(char *abs, size_t end, bool target, const char *what,
			       const char *path, bool *plain, struct error *err)
{
	size_t start = end;
	char saved = abs[end];
	struct stat sb;
	enum status st = STATUS_OK;

	while (start > 0 && abs[start - 1] != '/')
		start--;
	*plain = end > start && !(end - start == 1 && abs[start] == '.') &&
		 !(end - start == 2 && abs[start] == '.' && abs[start + 1] == '.');
	abs[end] = '\0';
	if (*plain && (lstat(abs, &sb) < 0 || S_ISLNK(sb.st_mode)))
		*plain = false;
	if (*plain)
		st = component_judge(abs, &sb, target, what, path, NULL, err);
	abs[end] = saved;
	return st;
}

enum status path_check_safe(const char *path, enum path_kind kind, const char *what,
			    bool *missing, struct error *err)
{
	char *abs = absolute(path);
	size_t n;
	struct stat sb;
	bool plain = true;
	enum status st = STATUS_OK;

	if (missing)
		*missing = false;
	if (abs == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	n = strlen(abs);
	while (n > 1 && abs[n - 1] == '/')
		abs[--n] = '\0';
	if (stat(abs, &sb) == 0 &&
	    (kind == PATH_DIR ? !S_ISDIR(sb.st_mode) : !S_ISREG(sb.st_mode))) {
		st = error_set(err, STATUS_CONFIG, "unsafe %s '%s': not a %s", what, path,
			       kind == PATH_DIR ? "directory" : "regular file");
		goto out;
	}
	/* Each prefix ending at a component: the directory that holds the next
	 * one, and wherever a symbolic link among them leads. While every prefix
	 * so far is its own real path, only its last component is new; from the
	 * first symbolic link (or "." or "..") on, each is resolved and checked
	 * whole. */
	st = component_check("/", n == 1, what, path, NULL, err);
	for (size_t i = 1; i <= n && st == STATUS_OK; i++) {
		if (abs[i] != '/' && abs[i] != '\0')
			continue;
		if (plain)
			st = plain_check(abs, i, i == n, what, path, &plain, err);
		if (!plain)
			st = prefix_check(abs, i, i == n, what, path, missing, err);
	}
out:
	free(abs);
	return st;
}
