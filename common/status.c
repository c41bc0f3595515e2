/* SPDX-License-Identifier: MIT */
#include "status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "textbuf.h"

enum status error_set(struct error *err, enum status status, const char *fmt, ...)
{
	size_t used = 0;
	va_list ap;

	if (err == NULL)
		return status;
	err->status = status;
	err->msg[0] = '\0';
	va_start(ap, fmt);
	textbuf_vappendf(err->msg, sizeof(err->msg), &used, fmt, ap);	/* a cut ends in ... */
	va_end(ap);
	return status;
}

void error_prefix(struct error *err, const char *fmt, ...)
{
	char old[sizeof(err->msg)];
	size_t used = 0;
	va_list ap;

	memcpy(old, err->msg, sizeof(old));
	err->msg[0] = '\0';
	va_start(ap, fmt);
	textbuf_vappendf(err->msg, sizeof(err->msg), &used, fmt, ap);
	va_end(ap);
	textbuf_appendf(err->msg, sizeof(err->msg), &used, ": %s", old);	/* a cut ends in ... */
}
