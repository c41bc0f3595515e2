/* SPDX-License-Identifier: MIT */
/* Planning: adds what is new, retires what is gone, keeps the rest. */
#include <string.h>

#include "plan.h"
#include "tap.h"

static struct pin pin_n(unsigned char n)
{
	struct pin p;

	memset(p.sha256, n, sizeof(p.sha256));
	return p;
}

static bool file_b_missing(const struct manifest_entry *e, void *user)
{
	return strcmp(e->file, "b") == 0;
}

int main(void)
{
	struct anchor offered[2] = { { .pin = pin_n(1) }, { .pin = pin_n(2) } };
	struct anchor_set wanted = { offered, 2 };
	char a[] = "a", b[] = "b", c[] = "c";
	struct manifest_entry entries[2] = { { .pin = pin_n(2), .file = b },
					     { .pin = pin_n(3), .file = c } };
	struct manifest installed = { entries, 2 }, none = { NULL, 0 };
	struct anchor_set nothing = { NULL, 0 };
	struct plan p;

	ok(plan_make(&p, &installed, &wanted), "plan made");
	ok(p.add_count == 1 && pin_equal(&p.add[0]->pin, &offered[0].pin), "adds the new root");
	ok(p.retire_count == 1 && strcmp(p.retire[0]->file, "c") == 0, "retires the dropped root");
	ok(p.keep_count == 1 && strcmp(p.keep[0]->file, "b") == 0, "keeps the current root");
	ok(!plan_is_empty(&p), "a plan with changes is not empty");
	plan_free(&p);

	entries[1] = entries[0];
	entries[0] = (struct manifest_entry){ .pin = pin_n(1), .file = a };
	installed.count = 2;
	ok(plan_make(&p, &installed, &wanted) && plan_is_empty(&p) && p.keep_count == 2,
	   "the same roots make an empty plan");
	plan_free(&p);

	ok(plan_make(&p, &installed, &wanted), "plan made again");
	plan_readd_missing(&p, &wanted, file_b_missing, NULL);
	ok(p.add_count == 1 && pin_equal(&p.add[0]->pin, &offered[1].pin) && p.keep_count == 1 &&
	   strcmp(p.keep[0]->file, "a") == 0, "a kept root whose file is gone is added again");
	plan_free(&p);

	ok(plan_make(&p, &none, &wanted) && p.add_count == 2 && p.retire_count == 0,
	   "first install adds everything");
	plan_free(&p);

	ok(plan_make(&p, &installed, &nothing) && p.retire_count == 2 && p.add_count == 0,
	   "an empty offer retires everything (remove --all)");
	plan_free(&p);
	return tap_done();
}
