/* SPDX-License-Identifier: MIT */
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "kvfile.h"
#include "parse.h"
#include "state_files.h"

void record_set(char **field, const char *value)
{
	free(*field);
	*field = value ? strdup(value) : NULL;
	/* State lines are single lines: fold a multi-line message. */
	for (char *p = *field; p && *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

static void add_verify_line(struct run_record *r, bool ok, const char *value)
{
	const char *tab = strchr(value, '\t');
	struct verify_result *grown;

	grown = realloc(r->verify, (r->verify_count + 1) * sizeof(*grown));
	if (grown == NULL)
		return;
	r->verify = grown;
	grown = &r->verify[r->verify_count++];
	grown->ok = ok;
	grown->target = tab ? strndup(value, (size_t)(tab - value)) : strdup(value);
	grown->detail = strdup(tab ? tab + 1 : "");
}

static void on_line(void *user, const char *key, const char *value)
{
	struct run_record *r = user;

	if (strcmp(key, "attempt") == 0)
		parse_int(value, &r->attempt);
	else if (strcmp(key, "success") == 0)
		parse_int(value, &r->success);
	else if (strcmp(key, "result") == 0)
		record_set(&r->result, value);
	else if (strcmp(key, "source") == 0)
		record_set(&r->source, value);
	else if (strcmp(key, "error") == 0)
		record_set(&r->error, value);
	else if (strcmp(key, "hook-error") == 0)
		record_set(&r->hook_error, value);
	else if (strcmp(key, "verify-ok") == 0 || strcmp(key, "verify-failed") == 0)
		add_verify_line(r, key[7] == 'o', value);
}

enum status record_load(struct run_record *r, const char *state_dir, struct error *err)
{
	memset(r, 0, sizeof(*r));
	return kvfile_load(state_dir, STATE_LAST_RUN, on_line, r, NULL, err);
}

/* Everything of r but its timestamps, one "key value" line each. */
static void write_substance(FILE *f, const struct run_record *r)
{
	if (r->result)
		fprintf(f, "result %s\n", r->result);
	if (r->source)
		fprintf(f, "source %s\n", r->source);
	if (r->error)
		fprintf(f, "error %s\n", r->error);
	if (r->hook_error)
		fprintf(f, "hook-error %s\n", r->hook_error);
	for (size_t i = 0; i < r->verify_count; i++)
		fprintf(f, "verify-%s %s\t%s\n", r->verify[i].ok ? "ok" : "failed",
			r->verify[i].target, r->verify[i].detail ? r->verify[i].detail : "");
}

char *record_substance(const struct run_record *r)
{
	struct file_draft d;

	if (!file_draft_open(&d))
		return NULL;
	write_substance(d.out, r);
	if (fclose(d.out) != 0) {	/* the stream's text is d.text from here */
		free(d.text);
		return NULL;
	}
	return d.text;
}

enum status record_save(const struct run_record *r, const char *state_dir, bool durable,
			struct error *err)
{
	struct file_draft d;

	if (!file_draft_open(&d))
		return error_set(err, STATUS_INTERNAL, "out of memory");
	fprintf(d.out, "attempt %lld\nsuccess %lld\n", r->attempt, r->success);
	write_substance(d.out, r);
	return file_draft_commit_in(&d, state_dir, STATE_LAST_RUN, 0644, durable, err);
}

void verify_results_free(struct verify_result *results, size_t count)
{
	for (size_t i = 0; results != NULL && i < count; i++) {
		free(results[i].target);
		free(results[i].detail);
	}
	free(results);
}

void record_set_verify(struct run_record *r, struct verify_result *results, size_t count)
{
	verify_results_free(r->verify, r->verify_count);
	r->verify = results;
	r->verify_count = count;
}

void record_free(struct run_record *r)
{
	free(r->result);
	free(r->source);
	free(r->error);
	free(r->hook_error);
	verify_results_free(r->verify, r->verify_count);
	memset(r, 0, sizeof(*r));
}
