/* SPDX-License-Identifier: MIT */
#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "log.h"
#include "parse.h"
#include "state_files.h"

#define MANIFEST_MAX (4 * 1024 * 1024)

static const char *const state_names[] = { "", "adding", "retiring" };

const char *manifest_state_name(enum manifest_state state)
{
	return state_names[state];
}

void manifest_file_name(const struct pin *pin, const char *suffix,
			char out[MANIFEST_NAME_SIZE])
{
	char text[PIN_TEXT_SIZE];

	pin_format(pin, text);
	snprintf(out, MANIFEST_NAME_SIZE, "anchorsync-%.16s%.8s", text + 7, suffix);
}

bool manifest_add_as(struct manifest *m, const struct manifest_entry *e,
		     enum manifest_state state)
{
	struct manifest_entry *entries = realloc(m->entries, (m->count + 1) * sizeof(*entries));
	struct manifest_entry copy = *e;

	if (entries == NULL)
		return false;
	m->entries = entries;
	copy.file = strdup(e->file ? e->file : "");
	copy.subject = strdup(e->subject ? e->subject : "");
	copy.state = state;
	if (copy.file == NULL || copy.subject == NULL) {
		free(copy.file);
		free(copy.subject);
		return false;
	}
	m->entries[m->count++] = copy;
	return true;
}

bool manifest_add(struct manifest *m, const struct manifest_entry *e)
{
	return manifest_add_as(m, e, e->state);
}

void manifest_escape(FILE *out, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", out);
		else if (*p == '\t')
			fputs("\\t", out);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p == '\r')
			fputs("\\r", out);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
}

bool manifest_unescape(char *text)
{
	char *out = text;

	for (const char *p = text; *p; p++) {
		int byte;

		if (*p != '\\') {
			*out++ = *p;
			continue;
		}
		switch (*++p) {
		case '\\': *out++ = '\\'; break;
		case 't': *out++ = '\t'; break;
		case 'n': *out++ = '\n'; break;
		case 'r': *out++ = '\r'; break;
		case 'x':
			byte = parse_hex_byte(p + 1);
			if (byte <= 0)
				return false;	/* not hex, or an escaped NUL */
			*out++ = (char)byte;
			p += 2;
			break;
		default:
			return false;	/* also a lone '\' at the end */
		}
	}
	*out = '\0';
	return true;
}

/* Parses one "pin<TAB>not_after<TAB>file<TAB>subject[<TAB>state]" line
 * (modified in place; e points into it). */
static bool parse_line(char *line, struct manifest_entry *e)
{
	char *fields[6];
	size_t n = 0;
	long long t;

	for (char *p = line; p != NULL && n < 6; n++) {
		fields[n] = p;
		p = strchr(p, '\t');
		if (p)
			*p++ = '\0';
	}
	if (n < 4 || n > 5 || !pin_parse(fields[0], &e->pin) || !parse_int(fields[1], &t) ||
	    !manifest_unescape(fields[2]) || !manifest_unescape(fields[3]) ||
	    fields[2][0] == '\0' || strchr(fields[2], '/') != NULL ||
	    strcmp(fields[2], ".") == 0 || strcmp(fields[2], "..") == 0)
		return false;
	e->state = MANIFEST_INSTALLED;
	if (n == 5) {
		if (strcmp(fields[4], state_names[MANIFEST_ADDING]) == 0)
			e->state = MANIFEST_ADDING;
		else if (strcmp(fields[4], state_names[MANIFEST_RETIRING]) == 0)
			e->state = MANIFEST_RETIRING;
		else
			return false;
	}
	e->not_after = (time_t)t;
	e->file = fields[2];
	e->subject = fields[3];
	return true;
}

/* A line that does not parse: when it starts with a readable pin, an entry to
 * retire (whose file, if verifiably anchorsync's, goes unless the root is
 * still wanted); otherwise nothing. */
static bool salvage_line(struct manifest *m, const char *line, const char *path, int lineno)
{
	const char *tab = strchr(line, '\t');
	char first[PIN_TEXT_SIZE + 64], subject[64], none[1] = "";
	struct manifest_entry e = { .file = none, .subject = subject };

	snprintf(first, sizeof(first), "%.*s", tab ? (int)(tab - line) : (int)strlen(line),
		 line);
	if (strlen(first) >= sizeof(first) - 1 || !pin_parse(first, &e.pin)) {
		log_warn("%s:%d: skipping malformed manifest line", path, lineno);
		return true;
	}
	log_warn("%s:%d: malformed manifest line; its root is retired unless still pinned "
		 "and offered", path, lineno);
	snprintf(subject, sizeof(subject), "(malformed manifest line %d)", lineno);
	return manifest_find(m, &e.pin) != NULL || manifest_add_as(m, &e, MANIFEST_RETIRING);
}

enum status manifest_load(struct manifest *m, const char *state_dir, struct error *err)
{
	char *path = path_join(state_dir, STATE_MANIFEST);
	char *text = NULL, *line, *next;
	enum status st;
	bool missing;
	size_t len;
	int lineno = 0;

	memset(m, 0, sizeof(*m));
	if (path == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	st = file_read_state(path, MANIFEST_MAX, &text, &len, &missing, err);
	if (st != STATUS_OK) {
		if (missing)
			st = STATUS_OK;
		goto out;
	}
	for (line = text; line && *line; line = next) {
		struct manifest_entry e;
		char *copy;
		bool added;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (*line == '#' || *line == '\0')
			continue;
		if ((copy = strdup(line)) == NULL) {
			st = error_set(err, STATUS_INTERNAL, "out of memory");
			goto out;
		}
		added = parse_line(copy, &e) && manifest_find(m, &e.pin) == NULL ?
			manifest_add(m, &e) : salvage_line(m, line, path, lineno);
		free(copy);
		if (!added) {
			st = error_set(err, STATUS_INTERNAL, "out of memory");
			goto out;
		}
	}
out:
	free(text);
	free(path);
	return st;
}

enum status manifest_save(const struct manifest *m, const char *state_dir, struct error *err)
{
	struct file_draft d;

	if (!file_draft_open(&d))
		return error_set(err, STATUS_INTERNAL, "out of memory");
	fputs("# Roots anchorsync installed: pin, not-after, file, subject[, pending state]. "
	      "Do not edit.\n", d.out);
	for (size_t i = 0; i < m->count; i++) {
		const struct manifest_entry *e = &m->entries[i];
		char pin[PIN_TEXT_SIZE];

		pin_format(&e->pin, pin);
		fprintf(d.out, "%s\t%lld\t", pin, (long long)e->not_after);
		manifest_escape(d.out, e->file);
		fputc('\t', d.out);
		manifest_escape(d.out, e->subject);
		if (e->state != MANIFEST_INSTALLED)
			fprintf(d.out, "\t%s", state_names[e->state]);
		fputc('\n', d.out);
	}
	return file_draft_commit_in(&d, state_dir, STATE_MANIFEST, 0644, true, err);
}

const struct manifest_entry *manifest_find(const struct manifest *m, const struct pin *pin)
{
	for (size_t i = 0; i < m->count; i++)
		if (pin_equal(&m->entries[i].pin, pin))
			return &m->entries[i];
	return NULL;
}

const struct manifest_entry *manifest_find_current(const struct manifest *m,
						   const struct pin *pin, time_t now)
{
	const struct manifest_entry *e = manifest_find(m, pin);

	return e && e->state == MANIFEST_INSTALLED && e->file[0] != '\0' &&
	       e->not_after >= now ? e : NULL;
}

void manifest_free(struct manifest *m)
{
	for (size_t i = 0; i < m->count; i++) {
		free(m->entries[i].file);
		free(m->entries[i].subject);
	}
	free(m->entries);
	memset(m, 0, sizeof(*m));
}
