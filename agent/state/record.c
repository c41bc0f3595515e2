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

static void verify_result_free(struct verify_result *v)
{
	free(v->target);
	free(v->view);
	free(v->detail);
	free(v->cause);
	free(v->names);
	free(v->expiring);
}

static struct verify_result *add_verify(struct run_record *r)
{
	struct verify_result *grown;

	grown = realloc(r->verify, (r->verify_count + 1) * sizeof(*grown));
	if (grown == NULL)
		return NULL;
	r->verify = grown;
	grown = &r->verify[r->verify_count++];
	memset(grown, 0, sizeof(*grown));
	return grown;
}

/* Drops the result just added when it names no target. */
static void drop_untargeted(struct run_record *r)
{
	if (r->verify[r->verify_count - 1].target == NULL)
		verify_result_free(&r->verify[--r->verify_count]);
}

/* A copy of the text from s up to the next tab (or the end), NULL when
 * empty; *s moves past the tab. */
static char *take_field(const char **s)
{
	size_t len = strcspn(*s, "\t");
	char *field = len ? strndup(*s, len) : NULL;

	*s += len + ((*s)[len] == '\t');
	return field;
}

/* "verify-ok TARGET<tab>DETAIL", as versions before the scheduled checks
 * wrote it: an application's view was part of the target. */
static void add_verify_line(struct run_record *r, bool ok, const char *value)
{
	struct verify_result *v = add_verify(r);

	if (v == NULL)
		return;
	v->ok = ok;
	v->target = take_field(&value);
	v->detail = strdup(value);
	drop_untargeted(r);
}

/* "delivery ok|failed<tab>APP<tab>TARGET<tab>CAUSE<tab>EXPIRY<tab>EXPIRING
 * <tab>NAMES<tab>DETAIL"; an empty field is unknown (an empty APP: the OS
 * store). */
static void add_delivery_line(struct run_record *r, const char *value)
{
	struct verify_result *v;
	char *verdict = take_field(&value), *expiry;

	if (verdict == NULL || (v = add_verify(r)) == NULL) {
		free(verdict);
		return;
	}
	v->ok = strcmp(verdict, "ok") == 0;
	v->view = take_field(&value);
	v->target = take_field(&value);
	v->cause = take_field(&value);
	expiry = take_field(&value);
	if (expiry == NULL || !parse_int(expiry, &v->expiry))
		v->expiry = 0;
	v->expiring = take_field(&value);
	v->names = take_field(&value);
	v->detail = strdup(value);
	free(expiry);
	free(verdict);
	drop_untargeted(r);
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
	else if (strcmp(key, "delivery") == 0)
		add_delivery_line(r, value);
	else if (strcmp(key, "delivery-checked") == 0)
		parse_int(value, &r->checked);
}

enum status record_load(struct run_record *r, const char *state_dir, struct error *err)
{
	memset(r, 0, sizeof(*r));
	return kvfile_load(state_dir, STATE_LAST_RUN, on_line, r, NULL, err);
}

/* s as one field of a state line: a tab or line break becomes a space. */
static void put_field(FILE *f, const char *s)
{
	for (; s && *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
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
	for (size_t i = 0; i < r->verify_count; i++) {
		const struct verify_result *v = &r->verify[i];

		fprintf(f, "delivery %s\t", v->ok ? "ok" : "failed");
		put_field(f, v->view);
		fputc('\t', f);
		put_field(f, v->target);
		fputc('\t', f);
		put_field(f, v->cause);
		if (v->expiry != 0)
			fprintf(f, "\t%lld\t", v->expiry);
		else
			fputs("\t\t", f);
		put_field(f, v->expiring);
		fputc('\t', f);
		put_field(f, v->names);
		fputc('\t', f);
		put_field(f, v->detail);
		fputc('\n', f);
	}
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
	if (r->checked != 0)
		fprintf(d.out, "delivery-checked %lld\n", r->checked);
	write_substance(d.out, r);
	return file_draft_commit_in(&d, state_dir, STATE_LAST_RUN, 0644, durable, err);
}

void verify_results_free(struct verify_result *results, size_t count)
{
	for (size_t i = 0; results != NULL && i < count; i++)
		verify_result_free(&results[i]);
	free(results);
}

void record_set_verify(struct run_record *r, struct verify_result *results, size_t count,
		       long long checked)
{
	verify_results_free(r->verify, r->verify_count);
	r->verify = results;
	r->verify_count = count;
	r->checked = checked;
}

void record_filter_verify(struct run_record *r,
			  bool (*keep)(const struct verify_result *v, void *user), void *user)
{
	size_t kept = 0;

	for (size_t i = 0; i < r->verify_count; i++) {
		if (keep(&r->verify[i], user))
			r->verify[kept++] = r->verify[i];
		else
			verify_result_free(&r->verify[i]);
	}
	r->verify_count = kept;
}

const char *verify_result_view(const struct verify_result *v)
{
	return v->view ? v->view : "store";
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
