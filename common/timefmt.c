/* SPDX-License-Identifier: MIT */
#include "timefmt.h"

#include <stdbool.h>
#include <stdio.h>

#define DAY 86400LL

/* The broken-down UTC time of t; false (with out saying "@t") when t is out
 * of range. */
static bool utc(time_t t, struct tm *tm, char out[TIME_TEXT_SIZE])
{
	if (gmtime_r(&t, tm) != NULL && tm->tm_year >= -1900 && tm->tm_year <= 9999 - 1900)
		return true;
	snprintf(out, TIME_TEXT_SIZE, "@%lld", (long long)t);
	return false;
}

void time_format_utc(time_t t, char out[TIME_TEXT_SIZE])
{
	struct tm tm;

	if (utc(t, &tm, out))
		strftime(out, TIME_TEXT_SIZE, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

void time_format_rfc3339(time_t t, char out[TIME_TEXT_SIZE])
{
	struct tm tm;

	if (utc(t, &tm, out))
		strftime(out, TIME_TEXT_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

long long time_days_left(time_t t, time_t now)
{
	long long diff = (long long)t - (long long)now;

	return diff >= 0 ? diff / DAY : -((-diff + DAY - 1) / DAY);
}
