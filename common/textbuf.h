/* SPDX-License-Identifier: MIT */
/* Formatting into fixed-size buffers with the cut seen, never silent: every
 * function says whether the whole text fit. */
#ifndef ANCHORSYNC_TEXTBUF_H
#define ANCHORSYNC_TEXTBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* snprintf into out (size bytes); false when the text did not fit whole (out
 * then holds what fit): for a path or a name, where a cut one is wrong. */
bool textbuf_printf(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* snprintf into out (size bytes) for a message, where a cut one still helps:
 * what does not fit is cut and the text ends in "..."; false then. */
bool textbuf_message(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Appends to the NUL-terminated text in out (size bytes), *used its length,
 * which it advances: for a message, where a cut one still helps. What does not
 * fit is cut and the text ends in "..."; false then, and for every later
 * append. */
bool textbuf_appendf(char *out, size_t size, size_t *used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
bool textbuf_vappendf(char *out, size_t size, size_t *used, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

#endif
