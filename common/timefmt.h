/* SPDX-License-Identifier: MIT */
/* Dates as anchorsync shows them, always in UTC, and days until a date. */
#ifndef ANCHORSYNC_TIMEFMT_H
#define ANCHORSYNC_TIMEFMT_H

#include <time.h>

#define TIME_TEXT_SIZE 32

/* "2026-03-01 12:00:00 UTC", for people. */
void time_format_utc(time_t t, char out[TIME_TEXT_SIZE]);

/* "2026-03-01T12:00:00Z" (RFC 3339), for JSON. */
void time_format_rfc3339(time_t t, char out[TIME_TEXT_SIZE]);

/* Whole days from now until t, rounded down: 0 in the last day before t, -1
 * in the first day after it. */
long long time_days_left(time_t t, time_t now);

#endif
