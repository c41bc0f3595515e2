/* SPDX-License-Identifier: MIT */
/* Minimal TAP output for the C unit tests: ok() per assertion, then
 * tap_done() prints the plan and returns the exit status. */
#ifndef ANCHORSYNC_TAP_H
#define ANCHORSYNC_TAP_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;

static inline bool tap_ok(bool cond, const char *file, int line, const char *desc)
{
	tap_count++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_count, desc);
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return cond;
}

static inline bool tap_is_str(const char *got, const char *want, const char *file,
			      int line, const char *desc)
{
	bool same = got != NULL && strcmp(got, want) == 0;

	if (!tap_ok(same, file, line, desc))
		printf("#   got '%s', want '%s'\n", got ? got : "(null)", want);
	return same;
}

/* Whether text contains part; shows both when it does not. For conditions
 * inside ok(). */
static inline bool tap_contains(const char *text, const char *part)
{
	if (text != NULL && strstr(text, part) != NULL)
		return true;
	printf("#   '%s' does not contain '%s'\n", text ? text : "(null)", part);
	return false;
}

#define ok(cond, desc) tap_ok((cond), __FILE__, __LINE__, (desc))
#define is_str(got, want, desc) tap_is_str((got), (want), __FILE__, __LINE__, (desc))

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed == 0 ? 0 : 1;
}

#endif
