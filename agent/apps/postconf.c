/* SPDX-License-Identifier: MIT */
#include "postconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

/* The next line of [p, end): its start and length; *p moves past it. */
static bool next_line(const char **p, const char *end, const char **line, size_t *n)
{
	const char *nl;

	if (*p >= end)
		return false;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	*line = *p;
	*n = (size_t)((nl ? nl : end) - *p);
	*p = nl ? nl + 1 : end;
	return true;
}

static bool is_diagnostic(const char *line, size_t n)
{
	return n >= 10 && memcmp(line, "postconf: ", 10) == 0;
}

static void values_free(char **values, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(values[i]);
		values[i] = NULL;
	}
}

enum status postconf_values(const char *out, size_t len, char **values, size_t n,
			    struct error *err)
{
	const char *p = out, *end = out + len, *line;
	size_t got = 0, ln;

	memset(values, 0, n * sizeof(*values));
	while (next_line(&p, end, &line, &ln)) {
		if (is_diagnostic(line, ln))
			continue;
		if (got == n) {
			values_free(values, n);
			return error_set(err, STATUS_DATA, "postconf printed more than %zu values", n);
		}
		if (ln > POSTCONF_VALUE_MAX) {
			values_free(values, n);
			return error_set(err, STATUS_DATA, "postconf printed a value longer than %d "
					 "bytes", POSTCONF_VALUE_MAX);
		}
		for (size_t i = 0; i < ln; i++)
			if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f) {
				values_free(values, n);
				return error_set(err, STATUS_DATA, "postconf printed a value with "
						 "a control character");
			}
		if ((values[got++] = strndup(line, ln)) == NULL) {
			values_free(values, n);
			return error_set(err, STATUS_INTERNAL, "out of memory");
		}
	}
	if (got != n) {
		values_free(values, n);
		return error_set(err, STATUS_DATA, "postconf printed %zu of %zu values", got, n);
	}
	return STATUS_OK;
}

/* Splits line into up to max whitespace-separated fields (pointers and
 * lengths into line); returns how many. */
static size_t fields(const char *line, size_t n, const char **f, size_t *fl, size_t max)
{
	size_t count = 0, i = 0;

	while (i < n && count < max) {
		while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
			i++;
		if (i == n)
			break;
		f[count] = line + i;
		while (i < n && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			i++;
		fl[count] = (size_t)(line + i - f[count]);
		count++;
	}
	return count;
}

static bool field_is(const char *f, size_t fl, const char *s)
{
	return fl == strlen(s) && memcmp(f, s, fl) == 0;
}

enum status postconf_master_chroot(const char *text, size_t len, const char *name,
				   const char *type, enum postconf_chroot *out,
				   struct error *err)
{
	const char *p = text, *end = text + len, *line, *f[8];
	size_t ln, fl[8];

	*out = POSTCONF_CHROOT_ABSENT;
	while (next_line(&p, end, &line, &ln)) {
		if (ln == 0 || line[0] == '#' || line[0] == ' ' || line[0] == '\t' ||
		    is_diagnostic(line, ln))
			continue;
		if (fields(line, ln, f, fl, 8) < 2 || !field_is(f[0], fl[0], name) ||
		    !field_is(f[1], fl[1], type))
			continue;
		if (fields(line, ln, f, fl, 8) < 8)
			return error_set(err, STATUS_DATA, "the %s/%s service line has fewer "
					 "than eight fields", name, type);
		if (field_is(f[4], fl[4], "y"))
			*out = POSTCONF_CHROOT_YES;
		else if (field_is(f[4], fl[4], "n"))
			*out = POSTCONF_CHROOT_NO;
		else if (field_is(f[4], fl[4], "-"))
			*out = POSTCONF_CHROOT_DEFAULT;
		else
			return error_set(err, STATUS_DATA, "the %s/%s service's chroot column is "
					 "not y, n or -", name, type);
		return STATUS_OK;
	}
	return STATUS_OK;
}

/* Why the component [c, c + n) of a path cannot be joined, or NULL. */
static const char *component_refused(const char *c, size_t n)
{
	if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
		return "a '.' or '..' component";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)c[i] < 0x20 || c[i] == 0x7f || c[i] == '\\')
			return "a control character or a backslash";
	return NULL;
}

enum status postconf_chroot_path(const char *queue, const char *path, char **out,
				 struct error *err)
{
	const char *p = path, *why = NULL;
	char *joined;
	size_t n, at;

	*out = NULL;
	if (path[0] != '/')
		return error_set(err, STATUS_DATA, "'%s' is not an absolute path", path);
	for (p = path; *p && why == NULL; p += n) {
		p += strspn(p, "/");
		n = strcspn(p, "/");
		why = n ? component_refused(p, n) : NULL;
	}
	if (why)
		return error_set(err, STATUS_DATA, "'%s' has %s; anchorsync writes there only "
				 "through plain names", path, why);
	if (path_is_within(path, queue))
		joined = strdup(path);
	else if ((joined = malloc(strlen(queue) + strlen(path) + 2)) != NULL) {
		at = (size_t)sprintf(joined, "%s", queue);
		for (p = path; *p; p += n) {
			p += strspn(p, "/");
			if ((n = strcspn(p, "/")) > 0)
				at += (size_t)sprintf(joined + at, "%s%.*s",
						      at && joined[at - 1] == '/' ? "" : "/",
						      (int)n, p);
		}
	}
	if (joined == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	*out = joined;
	return STATUS_OK;
}

enum postconf_level postconf_level_of(const char *value, char *word, size_t size)
{
	static const char *const unverified[] = { "none", "may", "encrypt", "dane",
						  "dane-only", "fingerprint" };
	size_t n;

	value += strspn(value, " \t");
	n = strcspn(value, " \t,");
	if (n == 0)
		value = "none", n = 4;
	if (word && size > 0)
		snprintf(word, size, "%.*s", (int)n, value);
	if ((n == 6 && memcmp(value, "verify", 6) == 0) ||
	    (n == 6 && memcmp(value, "secure", 6) == 0))
		return POSTCONF_LEVEL_VERIFIES;
	for (size_t i = 0; i < sizeof(unverified) / sizeof(unverified[0]); i++)
		if (strlen(unverified[i]) == n && memcmp(value, unverified[i], n) == 0)
			return POSTCONF_LEVEL_UNVERIFIED;
	return POSTCONF_LEVEL_UNKNOWN;
}
