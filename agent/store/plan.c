/* SPDX-License-Identifier: MIT */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

bool plan_make(struct plan *p, const struct manifest *installed,
	       const struct anchor_set *wanted)
{
	memset(p, 0, sizeof(*p));
	p->add = calloc(wanted->count + 1, sizeof(*p->add));
	p->retire = calloc(installed->count + 1, sizeof(*p->retire));
	p->keep = calloc(installed->count + 1, sizeof(*p->keep));
	if (p->add == NULL || p->retire == NULL || p->keep == NULL) {
		plan_free(p);
		return false;
	}
	for (size_t i = 0; i < wanted->count; i++)
		if (manifest_find(installed, &wanted->items[i].pin) == NULL)
			p->add[p->add_count++] = &wanted->items[i];
	for (size_t i = 0; i < installed->count; i++) {
		const struct manifest_entry *e = &installed->entries[i];
		if (anchor_set_find(wanted, &e->pin) != NULL)
			p->keep[p->keep_count++] = e;
		else
			p->retire[p->retire_count++] = e;
	}
	return true;
}

void plan_readd_missing(struct plan *p, const struct anchor_set *wanted,
			bool (*missing)(const struct manifest_entry *e, void *user), void *user)
{
	size_t kept = 0;

	for (size_t i = 0; i < p->keep_count; i++) {
		const struct manifest_entry *e = p->keep[i];
		const struct anchor *a = anchor_set_find(wanted, &e->pin);

		if (a != NULL && missing(e, user))
			p->add[p->add_count++] = a;	/* room: add holds every wanted root */
		else
			p->keep[kept++] = e;
	}
	p->keep_count = kept;
}

bool plan_is_empty(const struct plan *p)
{
	return p->add_count == 0 && p->retire_count == 0;
}

void plan_free(struct plan *p)
{
	free(p->add);
	free(p->retire);
	free(p->keep);
	memset(p, 0, sizeof(*p));
}
