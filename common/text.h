/* SPDX-License-Identifier: MIT */
/* Text from the network, made safe to show: what a terminal would act on
 * (control characters, escape sequences) or cannot decode (bytes that are not
 * UTF-8) is written as \xNN instead. */
#ifndef ANCHORSYNC_TEXT_H
#define ANCHORSYNC_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The length of the valid UTF-8 sequence at s (1..4) within len bytes, or 0
 * when s does not start one (a stray continuation byte, an overlong form, a
 * surrogate, past U+10FFFF, cut short). */
size_t text_utf8_len(const char *s, size_t len);

/* Writes the len bytes of s to out, escaping C0 and C1 control characters,
 * DEL and bytes that are not UTF-8 as \xNN; '\n' passes when keep_newlines. */
void text_write(FILE *out, const char *s, size_t len, bool keep_newlines);

/* Copies the len bytes of s into out (size bytes, always NUL-terminated)
 * escaped as text_write does, newlines included; a sequence that does not fit
 * whole is left out. */
void text_escape(char *out, size_t size, const char *s, size_t len);

/* A copy of the len bytes of s escaped as text_write does, newlines kept
 * when keep_newlines; the caller frees it. NULL when out of memory. */
char *text_escape_copy(const char *s, size_t len, bool keep_newlines);

#endif
