/* SPDX-License-Identifier: MIT */
#include "parse.h"

#include <limits.h>
#include <stddef.h>

bool parse_uint(const char *s, unsigned long long min, unsigned long long max,
		unsigned long long *out)
{
	unsigned long long v = 0;

	if (s == NULL || *s < '0' || *s > '9' || (s[0] == '0' && s[1] != '\0'))
		return false;
	for (; *s; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (*s < '0' || *s > '9' || v > (ULLONG_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool parse_port(const char *s, unsigned *out)
{
	unsigned long long v;

	if (!parse_uint(s, 1, 65535, &v))
		return false;
	*out = (unsigned)v;
	return true;
}

bool parse_int(const char *s, long long *out)
{
	bool negative = s != NULL && *s == '-';
	unsigned long long v;

	if (!parse_uint(s + negative, 0, (unsigned long long)LLONG_MAX, &v))
		return false;
	*out = negative ? -(long long)v : (long long)v;
	return true;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int parse_hex_byte(const char *s)
{
	int hi = hex_digit(s[0]);
	int lo = hi < 0 ? -1 : hex_digit(s[1]);

	return lo < 0 ? -1 : hi * 16 + lo;
}
