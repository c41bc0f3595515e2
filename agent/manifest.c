#include "manifest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

#define MANIFEST_MAX (4 * 1024 * 1024)

bool manifest_add(struct manifest *m, const struct manifest_entry *e)
{
	struct manifest_entry *entries = realloc(m->entries, (m->count + 1) * sizeof(*entries));
	struct manifest_entry copy = *e;

	if (entries == NULL)
		return false;
	m->entries = entries;
	copy.file = strdup(e->file);
	copy.subject = strdup(e->subject ? e->subject : "");
	if (copy.file == NULL || copy.subject == NULL) {
		free(copy.file);
		free(copy.subject);
		return false;
	}
	m->entries[m->count++] = copy;
	return true;
}

/* Parses one "pin<TAB>not_after<TAB>file<TAB>subject" line (modified in place). */
static bool parse_line(char *line, struct manifest_entry *e)
{
	char *fields[4];
	char *end;
	long long t;

	for (int i = 0; i < 4; i++) {
		fields[i] = line;
		line = i < 3 ? strchr(line, '\t') : NULL;
		if (i < 3 && line == NULL)
			return false;
		if (line)
			*line++ = '\0';
	}
	errno = 0;
	t = strtoll(fields[1], &end, 10);
	if (!pin_parse(fields[0], &e->pin) || *end != '\0' || errno != 0 ||
	    fields[2][0] == '\0' || strchr(fields[2], '/') != NULL)
		return false;
	e->not_after = (time_t)t;
	e->file = fields[2];
	e->subject = fields[3];
	return true;
}

enum status manifest_load(struct manifest *m, const char *state_dir, struct error *err)
{
	char *path = path_join(state_dir, "manifest");
	char *text = NULL, *line, *next;
	enum status st;
	bool missing;
	size_t len;
	int lineno = 0;

	memset(m, 0, sizeof(*m));
	if (path == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	st = file_read(path, MANIFEST_MAX, &text, &len, &missing, err);
	if (st != STATUS_OK) {
		if (missing)
			st = STATUS_OK;
		goto out;
	}
	for (line = text; line && *line; line = next) {
		struct manifest_entry e;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (*line == '#' || *line == '\0')
			continue;
		if (!parse_line(line, &e)) {
			st = error_set(err, STATUS_IO, "%s:%d: malformed manifest line", path, lineno);
			goto out;
		}
		if (!manifest_add(m, &e)) {
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
	char *path = path_join(state_dir, "manifest");
	struct file_draft d;
	enum status st;

	if (path == NULL || !file_draft_open(&d)) {
		free(path);
		return error_set(err, STATUS_INTERNAL, "out of memory");
	}
	fputs("# Roots anchorsync installed: pin, not-after, file, subject. Do not edit.\n", d.out);
	for (size_t i = 0; i < m->count; i++) {
		char pin[PIN_TEXT_SIZE];
		pin_format(&m->entries[i].pin, pin);
		fprintf(d.out, "%s\t%lld\t%s\t%s\n", pin, (long long)m->entries[i].not_after,
			m->entries[i].file, m->entries[i].subject);
	}
	st = file_draft_commit(&d, path, 0644, true, err);
	free(path);
	return st;
}

const struct manifest_entry *manifest_find(const struct manifest *m, const struct pin *pin)
{
	for (size_t i = 0; i < m->count; i++)
		if (pin_equal(&m->entries[i].pin, pin))
			return &m->entries[i];
	return NULL;
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
