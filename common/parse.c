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
