/* SPDX-License-Identifier: MIT */
#include "text.h"

#include <stdlib.h>
#include <string.h>

size_t text_utf8_len(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t need;
	unsigned cp;

	if (len == 0)
		return 0;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		need = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	if (len < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((need == 3 && cp < 0x800) || (need == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need;
}

/* How many bytes at s show as they are (0: escape the first byte). */
static size_t plain_len(const char *s, size_t len, bool keep_newlines)
{
	unsigned char c = (unsigned char)s[0];
	size_t n;

	if (c == '\n')
		return keep_newlines;
	if (c == '\t')
		return 1;
	if (c < 0x20 || c == 0x7f)
		return 0;
	n = text_utf8_len(s, len);
	/* U+0080..U+009F, the C1 controls, are 0xc2 0x80..0x9f */
	if (n == 2 && c == 0xc2 && (unsigned char)s[1] < 0xa0)
		return 0;
	return n;
}

void text_write(FILE *out, const char *s, size_t len, bool keep_newlines)
{
	size_t i = 0;

	while (i < len) {
		size_t n = plain_len(s + i, len - i, keep_newlines);

		if (n == 0) {
			fprintf(out, "\\x%02x", (unsigned char)s[i]);
			n = 1;
		} else {
			fwrite(s + i, 1, n, out);
		}
		i += n;
	}
}

static void escape(char *out, size_t size, const char *s, size_t len, bool keep_newlines)
{
	size_t used = 0, i = 0;

	if (size == 0)
		return;
	while (i < len) {
		size_t n = plain_len(s + i, len - i, keep_newlines);

		if (n == 0) {
			if (used + 4 >= size)
				break;
			snprintf(out + used, size - used, "\\x%02x", (unsigned char)s[i]);
			used += 4;
			n = 1;
		} else {
			if (used + n >= size)
				break;
			memcpy(out + used, s + i, n);
			used += n;
		}
		i += n;
	}
	out[used] = '\0';
}

void text_escape(char *out, size_t size, const char *s, size_t len)
{
	escape(out, size, s, len, false);
}

char *text_escape_copy(const char *s, size_t len, bool keep_newlines)
{
	char *out = malloc(4 * len + 1);

	if (out != NULL)
		escape(out, 4 * len + 1, s, len, keep_newlines);
	return out;
}
