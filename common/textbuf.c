/* SPDX-License-Identifier: MIT */
#include "textbuf.h"

#include <stdio.h>
#include <string.h>

#define CUT_MARK "..."

bool textbuf_printf(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < size;
}

bool textbuf_vappendf(char *out, size_t size, size_t *used, const char *fmt, va_list ap)
{
	size_t room;
	int n;

	if (size == 0 || *used + 1 >= size)
		return false;	/* full: an earlier append was cut */
	room = size - *used;
	n = vsnprintf(out + *used, room, fmt, ap);
	if (n < 0) {
		out[*used] = '\0';
		return false;
	}
	if ((size_t)n < room) {
		*used += (size_t)n;
		return true;
	}
	*used = size - 1;
	if (size > sizeof(CUT_MARK))
		memcpy(out + size - sizeof(CUT_MARK), CUT_MARK, sizeof(CUT_MARK));
	return false;
}

bool textbuf_message(char *out, size_t size, const char *fmt, ...)
{
	size_t used = 0;
	va_list ap;
	bool whole;

	if (size > 0)
		out[0] = '\0';
	va_start(ap, fmt);
	whole = textbuf_vappendf(out, size, &used, fmt, ap);
	va_end(ap);
	return whole;
}

bool textbuf_appendf(char *out, size_t size, size_t *used, const char *fmt, ...)
{
	va_list ap;
	bool whole;

	va_start(ap, fmt);
	whole = textbuf_vappendf(out, size, used, fmt, ap);
	va_end(ap);
	return whole;
}
