/* SPDX-License-Identifier: MIT */
#include "apply.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

/* The plan resolved against the anchors directory: the files to write, and
 * which roots to retire may really lose their file. */
struct change {
	struct store_file *files;			/* one per added root */
	char (*add_names)[MANIFEST_NAME_SIZE];
	const struct manifest_entry **retire;		/* anchorsync's, or already gone */
	const char **retire_names;
	char (*retire_buf)[MANIFEST_NAME_SIZE];
	size_t retire_count;
	const struct manifest_entry **foreign;		/* left in place, forgotten */
	size_t foreign_count;
};

static void change_free(struct change *c)
{
	free(c->files);
	free(c->add_names);
	free(c->retire);
	free(c->retire_names);
	free(c->retire_buf);
	free(c->foreign);
	memset(c, 0, sizeof(*c));
}

/* Sorts the roots to retire into those whose file may go and those whose file
 * is not verifiably anchorsync's (warned about). */
static void sort_retired(struct change *c, const struct store *s, const struct plan *p)
{
	for (size_t i = 0; i < p->retire_count; i++) {
		const struct manifest_entry *e = p->retire[i];
		char *name = c->retire_buf[i], why[256], pin[PIN_TEXT_SIZE];
		enum store_owner owner;

		manifest_file_name(&e->pin, s->backend->suffix, name);
		owner = store_file_owner(s, &e->pin, e->file[0] ? e->file : name, why,
					 sizeof(why));
		if (owner == STORE_FILE_FOREIGN) {
			pin_format(&e->pin, pin);
			log_warn("'%s/%s' is not verifiably anchorsync's (%s): leaving it in place "
				 "and forgetting root %s", s->anchors_dir,
				 e->file[0] ? e->file : name, why, pin);
			c->foreign[c->foreign_count++] = e;
			continue;
		}
		c->retire[c->retire_count] = e;
		c->retire_names[c->retire_count++] = name;
	}
}

static bool change_make(struct change *c, const struct store *s, const struct plan *p)
{
	size_t n = p->retire_count + 1;

	memset(c, 0, sizeof(*c));
	c->files = calloc(p->add_count + 1, sizeof(*c->files));
	c->add_names = calloc(p->add_count + 1, sizeof(*c->add_names));
	c->retire = calloc(n, sizeof(*c->retire));
	c->retire_names = calloc(n, sizeof(*c->retire_names));
	c->retire_buf = calloc(n, sizeof(*c->retire_buf));
	c->foreign = calloc(n, sizeof(*c->foreign));
	if (!c->files || !c->add_names || !c->retire || !c->retire_names || !c->retire_buf ||
	    !c->foreign)
		return false;
	for (size_t i = 0; i < p->add_count; i++) {
		manifest_file_name(&p->add[i]->pin, s->backend->suffix, c->add_names[i]);
		c->files[i] = (struct store_file){ c->add_names[i], p->add[i]->pem,
						   p->add[i]->pem_len };
	}
	sort_retired(c, s, p);
	return true;
}

/* The kept roots, the added ones in state added_as, and, when retiring, the
 * roots being retired marked so. */
static bool manifest_make(struct manifest *m, const struct plan *p, const struct change *c,
			  enum manifest_state added_as, bool retiring)
{
	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < p->keep_count; i++)
		if (!manifest_add_as(m, p->keep[i], MANIFEST_INSTALLED))
			return false;
	for (size_t i = 0; i < p->add_count; i++) {
		struct manifest_entry e = { .pin = p->add[i]->pin,
					    .not_after = p->add[i]->not_after,
					    .file = c->add_names[i],
					    .subject = p->add[i]->subject };
		if (!manifest_add_as(m, &e, added_as))
			return false;
	}
	for (size_t i = 0; retiring && i < c->retire_count; i++) {
		struct manifest_entry e = *c->retire[i];
		e.file = (char *)c->retire_names[i];	/* the name, also for a salvaged line */
		if (!manifest_add_as(m, &e, MANIFEST_RETIRING))
			return false;
	}
	return true;
}

/* before without the forgotten roots: what the store holds after a complete
 * rollback. */
static bool manifest_before(struct manifest *m, const struct manifest *before,
			    const struct change *c)
{
	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < before->count; i++) {
		bool forgotten = false;
		for (size_t j = 0; j < c->foreign_count && !forgotten; j++)
			forgotten = c->foreign[j] == &before->entries[i];
		if (!forgotten && !manifest_add(m, &before->entries[i]))
			return false;
	}
	return true;
}

static void log_changes(const struct plan *p, const struct change *c)
{
	char pin[PIN_TEXT_SIZE];

	for (size_t i = 0; i < p->add_count; i++) {
		pin_format(&p->add[i]->pin, pin);
		log_notice("added root %s '%s'", pin, p->add[i]->subject);
	}
	for (size_t i = 0; i < c->retire_count; i++) {
		pin_format(&c->retire[i]->pin, pin);
		log_notice("retired root %s '%s'", pin, c->retire[i]->subject);
	}
}

/* After a failed update: the manifest as before when the rollback put
 * everything back; otherwise it keeps the marks for the next run. */
static void unrecord(const struct store *s, const char *state_dir,
		     const struct manifest *before, const struct change *c)
{
	struct manifest was;
	struct error err = { .msg = "out of memory" };

	if (s->rollback_incomplete) {
		log_error("the manifest keeps the unfinished change; the next run settles it");
		return;
	}
	if (!manifest_before(&was, before, c) ||
	    manifest_save(&was, state_dir, &err) != STATUS_OK)
		log_warn("cannot put the manifest back (the next run settles it): %s", err.msg);
	manifest_free(&was);
}

/* Whether m holds a change a killed run left unsettled. */
static bool unsettled(const struct manifest *m)
{
	for (size_t i = 0; i < m->count; i++)
		if (m->entries[i].state != MANIFEST_INSTALLED)
			return true;
	return false;
}

enum status apply_plan(struct store *s, const char *state_dir, const struct manifest *before,
		       const struct plan *p, struct manifest *after, bool *touched,
		       struct error *err)
{
	struct manifest intent = { 0 };
	struct change c;
	enum status st;

	memset(after, 0, sizeof(*after));
	*touched = false;
	if (!change_make(&c, s, p) || !manifest_make(&intent, p, &c, MANIFEST_ADDING, true) ||
	    !manifest_make(after, p, &c, MANIFEST_INSTALLED, false)) {
		st = error_set(err, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	st = manifest_save(&intent, state_dir, err);
	if (st != STATUS_OK) {
		error_prefix(err, "nothing changed");
		goto out;
	}
	if (p->add_count > 0 || c.retire_count > 0) {
		const struct manifest *managed = s->managed;

		s->managed = &intent;	/* the effect check wants it less the retired */
		st = store_apply(s, c.files, p->add_count, c.retire_names, c.retire_count,
				 unsettled(before), err);
		s->managed = managed;
		*touched = st == STATUS_OK;
	}
	if (st != STATUS_OK) {
		unrecord(s, state_dir, before, &c);
		goto out;
	}
	st = manifest_save(after, state_dir, err);
	if (st != STATUS_OK) {
		error_prefix(err, "the trust store changed; the next run settles the manifest");
		goto out;
	}
	log_changes(p, &c);
out:
	manifest_free(&intent);
	change_free(&c);
	return st;
}
