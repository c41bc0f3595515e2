/* SPDX-License-Identifier: MIT */
#include "json.h"

#include <string.h>

#include "text.h"

static void json_separator(struct json *j)
{
	if (j->need_comma[j->depth])
		fputc(',', j->out);
	j->need_comma[j->depth] = true;
}

void json_begin(struct json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	j->need_comma[0] = false;
}

static void json_open(struct json *j, char c)
{
	json_separator(j);
	fputc(c, j->out);
	if (j->depth + 1 < JSON_DEPTH_MAX)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void json_close(struct json *j, char c)
{
	fputc(c, j->out);
	if (j->depth > 0)
		j->depth--;
}

void json_object_begin(struct json *j) { json_open(j, '{'); }
void json_object_end(struct json *j) { json_close(j, '}'); }
void json_array_begin(struct json *j) { json_open(j, '['); }
void json_array_end(struct json *j) { json_close(j, ']'); }

/* Writes s as a JSON string. JSON is UTF-8: a byte that does not start a
 * valid sequence is written as U+FFFD, so the output always parses. */
static void json_quoted(FILE *out, const char *s)
{
	size_t left = strlen(s);

	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++, left--) {
		if (*p >= 0x80) {
			size_t n = text_utf8_len((const char *)p, left);

			if (n == 0) {
				fputs("\\ufffd", out);
			} else {
				fwrite(p, 1, n, out);
				p += n - 1;
				left -= n - 1;
			}
			continue;
		}
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

void json_key(struct json *j, const char *key)
{
	json_separator(j);
	json_quoted(j->out, key);
	fputc(':', j->out);
	/* The value that follows belongs to this key: no comma before it. */
	j->need_comma[j->depth] = false;
}

void json_string(struct json *j, const char *s)
{
	json_separator(j);
	if (s == NULL)
		fputs("null", j->out);
	else
		json_quoted(j->out, s);
}

void json_int(struct json *j, long long v)
{
	json_separator(j);
	fprintf(j->out, "%lld", v);
}

void json_bool(struct json *j, bool v)
{
	json_separator(j);
	fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j)
{
	json_separator(j);
	fputs("null", j->out);
}

void json_member_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_member_int(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_member_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}
