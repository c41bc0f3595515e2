/* SPDX-License-Identifier: MIT */
#include "postconf.h"

#include <stdlib.h>
#include <string.h>

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
