/* SPDX-License-Identifier: MIT */
#include "app_state.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "kvfile.h"
#include "log.h"
#include "manifest.h"
#include "parse.h"

#define JOURNAL_MAX (4 * 1024 * 1024)

static struct app_owned *journal_push(struct app_journal *j, const char *app,
				       const char *path, bool adding)
{
	struct app_owned *items = realloc(j->items, (j->count + 1) * sizeof(*items));

	if (items == NULL)
		return NULL;
	j->items = items;
	items[j->count] = (struct app_owned){ .app = strdup(app), .path = strdup(path),
					      .adding = adding };
	if (items[j->count].app == NULL || items[j->count].path == NULL) {
		free(items[j->count].app);
		free(items[j->count].path);
		return NULL;
	}
	return &items[j->count++];
}

/* The digests field: sha256:HEX[,sha256:HEX]. */
static bool digests_parse(struct app_owned *o, char *text)
{
	char *save = NULL;

	for (char *d = strtok_r(text, ",", &save); d; d = strtok_r(NULL, ",", &save))
		if (o->digest_count == APP_OWNED_DIGESTS ||
		    !pin_parse(d, &o->digest[o->digest_count++]))
			return false;
	return o->digest_count > 0;
}

/* One journal line: NAME, PATH (escaped), then an optional "adding" and the
 * optional digests. */
static bool journal_line(struct app_journal *j, char *line)
{
	char *path = strchr(line, '\t'), *field, *digests = NULL;
	struct app_owned o = { 0 };
	bool adding = false;

	if (path == NULL)
		return false;
	*path++ = '\0';
	field = strchr(path, '\t');
	if (field)
		*field++ = '\0';
	if (field && strncmp(field, "adding", 6) == 0 && (field[6] == '\0' || field[6] == '\t')) {
		adding = true;
		field = field[6] ? field + 7 : NULL;
	}
	if (field)
		digests = field;
	if (*line == '\0' || *path != '/' || !manifest_unescape(path) ||
	    (digests && !digests_parse(&o, digests)))
		return false;
	struct app_owned *pushed = journal_push(j, line, path, adding);
	if (pushed == NULL)
		return false;
	memcpy(pushed->digest, o.digest, sizeof(o.digest));
	pushed->digest_count = o.digest_count;
	return true;
}

enum status app_journal_load(struct app_journal *j, const char *state_dir,
			     struct error *err)
{
	char *path = path_join(state_dir, STATE_APPS), *text = NULL, *line, *save = NULL;
	size_t len, n = 0;
	bool missing;
	enum status st;

	memset(j, 0, sizeof(*j));
	if (path == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	st = file_read_state(path, JOURNAL_MAX, &text, &len, &missing, err);
	if (st != STATUS_OK && missing)
		st = STATUS_OK;
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		n++;
		if (*line != '#' && !journal_line(j, line))
			log_warn("%s: line %zu is malformed; ignoring it", path, n);
	}
	free(text);
	free(path);
	return st;
}

enum status app_journal_save(const struct app_journal *j, const char *state_dir,
			     struct error *err)
{
	struct file_draft d;

	if (!file_draft_open(&d))
		return error_set(err, STATUS_INTERNAL, "out of memory");
	fputs("# the files anchorsync created for each [app]: NAME, PATH[, adding], "
	      "digests of what it wrote\n", d.out);
	for (size_t i = 0; i < j->count; i++) {
		const struct app_owned *o = &j->items[i];
		char text[PIN_TEXT_SIZE];
		fprintf(d.out, "%s\t", o->app);
		manifest_escape(d.out, o->path);
		if (o->adding)
			fputs("\tadding", d.out);
		for (size_t k = 0; k < o->digest_count; k++) {
			pin_format(&o->digest[k], text);
			fprintf(d.out, "%s%s", k ? "," : "\t", text);
		}
		fputc('\n', d.out);
	}
	return file_draft_commit_in(&d, state_dir, STATE_APPS, 0644, true, err);
}

struct app_owned *app_journal_find(const struct app_journal *j, const char *app,
				   const char *path)
{
	for (size_t i = 0; i < j->count; i++)
		if (strcmp(j->items[i].app, app) == 0 && strcmp(j->items[i].path, path) == 0)
			return &j->items[i];
	return NULL;
}

bool app_journal_add(struct app_journal *j, const char *app, const char *path)
{
	return app_journal_find(j, app, path) != NULL || journal_push(j, app, path, true);
}

void app_owned_wrote(struct app_owned *o, const void *data, size_t len)
{
	struct pin d;

	pin_of_der(data, len, &d);
	if (o->digest_count > 0 && pin_equal(&o->digest[o->digest_count - 1], &d))
		return;
	if (o->digest_count == APP_OWNED_DIGESTS) {
		o->digest[0] = o->digest[1];
		o->digest_count--;
	}
	o->digest[o->digest_count++] = d;
}

void app_owned_settle(struct app_owned *o)
{
	if (o->digest_count > 1) {
		o->digest[0] = o->digest[o->digest_count - 1];
		o->digest_count = 1;
	}
}

void app_journal_drop(struct app_journal *j, size_t i)
{
	free(j->items[i].app);
	free(j->items[i].path);
	memmove(&j->items[i], &j->items[i + 1], (j->count - i - 1) * sizeof(j->items[0]));
	j->count--;
}

void app_journal_free(struct app_journal *j)
{
	while (j->count > 0)
		app_journal_drop(j, j->count - 1);
	free(j->items);
	memset(j, 0, sizeof(*j));
}

struct app_record *app_records_get(struct app_records *r, const char *name)
{
	struct app_record *items;

	for (size_t i = 0; i < r->count; i++)
		if (strcmp(r->items[i].name, name) == 0)
			return &r->items[i];
	items = realloc(r->items, (r->count + 1) * sizeof(*items));
	if (items == NULL)
		return NULL;
	r->items = items;
	memset(&items[r->count], 0, sizeof(*items));
	if ((items[r->count].name = strdup(name)) == NULL)
		return NULL;
	return &items[r->count++];
}

static void set_text(char **slot, const char *value)
{
	free(*slot);
	*slot = value ? strdup(value) : NULL;
}

static void on_record_line(void *user, const char *key, const char *value)
{
	struct app_records *r = user;
	struct app_record *rec = r->count ? &r->items[r->count - 1] : NULL;
	long long n;

	if (strcmp(key, "app") == 0) {
		app_records_get(r, value);
		return;
	}
	if (rec == NULL)
		return;
	if (strcmp(key, "type") == 0)
		set_text(&rec->type, value);
	else if (strcmp(key, "trusted") == 0)
		rec->trusted = strcmp(value, "1") == 0;
	else if (strcmp(key, "checked") == 0 && parse_int(value, &n))
		rec->checked = n;
	else if (strcmp(key, "stamp") == 0)
		rec->stamp = strtoull(value, NULL, 16);
	else if (strcmp(key, "reason") == 0)
		set_text(&rec->reason, value);
	else if (strcmp(key, "warning") == 0)
		set_text(&rec->warning, value);
	else if (strcmp(key, "watch") == 0)
		strlist_add(&rec->watch, value);
	else if (strcmp(key, "restart") == 0)
		set_text(&rec->restart, value);
	else if (strcmp(key, "restarted") == 0 && parse_int(value, &n))
		rec->restarted = n;
}

enum status app_records_load(struct app_records *r, const char *state_dir,
			     struct error *err)
{
	memset(r, 0, sizeof(*r));
	return kvfile_load(state_dir, STATE_APPS_CHECK, on_record_line, r, NULL, err);
}

/* One line "key value"; a value is one line (a newline would start a record). */
static void write_text(FILE *out, const char *key, const char *value)
{
	if (value == NULL)
		return;
	fprintf(out, "%s ", key);
	for (const char *p = value; *p; p++)
		fputc(*p == '\n' || *p == '\r' ? ' ' : *p, out);
	fputc('\n', out);
}

enum status app_records_save(const struct app_records *r, const char *state_dir,
			     struct error *err)
{
	struct file_draft d;

	if (!file_draft_open(&d))
		return error_set(err, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < r->count; i++) {
		const struct app_record *rec = &r->items[i];
		write_text(d.out, "app", rec->name);
		write_text(d.out, "type", rec->type);
		fprintf(d.out, "trusted %d\nchecked %lld\nstamp %016llx\n", rec->trusted,
			rec->checked, rec->stamp);
		write_text(d.out, "reason", rec->reason);
		write_text(d.out, "warning", rec->warning);
		for (size_t k = 0; k < rec->watch.count; k++)
			write_text(d.out, "watch", rec->watch.items[k]);
		write_text(d.out, "restart", rec->restart);
		if (rec->restarted)
			fprintf(d.out, "restarted %lld\n", rec->restarted);
	}
	return file_draft_commit_in(&d, state_dir, STATE_APPS_CHECK, 0644, false, err);
}

void app_record_clear(struct app_record *rec)
{
	free(rec->type);
	free(rec->reason);
	free(rec->warning);
	strlist_free(&rec->watch);
	free(rec->restart);
	rec->type = rec->reason = rec->warning = rec->restart = NULL;
}

void app_records_free(struct app_records *r)
{
	for (size_t i = 0; i < r->count; i++) {
		app_record_clear(&r->items[i]);
		free(r->items[i].name);
	}
	free(r->items);
	memset(r, 0, sizeof(*r));
}
