/* SPDX-License-Identifier: MIT */
/* A small streaming JSON writer: it tracks nesting and commas so callers write
 * values in order. Output goes to a FILE (a file, stdout, or open_memstream). */
#ifndef ANCHORSYNC_JSON_H
#define ANCHORSYNC_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_DEPTH_MAX 16

struct json {
	FILE *out;
	int depth;
	bool need_comma[JSON_DEPTH_MAX];
};

void json_begin(struct json *j, FILE *out);
void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
/* Writes "key": ; the next value call writes the value. */
void json_key(struct json *j, const char *key);
/* A NULL string is written as null. */
void json_string(struct json *j, const char *s);
void json_int(struct json *j, long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* "key": value, in one call. */
void json_member_string(struct json *j, const char *key, const char *s);
void json_member_int(struct json *j, const char *key, long long v);
void json_member_bool(struct json *j, const char *key, bool v);

#endif
