/* SPDX-License-Identifier: MIT */
/* The effect check (store_effect_run) over a scratch tree: a bundle that holds
 * a wanted root, lacks it, holds it twice, still holds a retired one, or is
 * gone; and, for a backend that links anchors (Debian), the <name>.pem and
 * hash links that must lead to the root's file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "log.h"
#include "manifest.h"
#include "store.h"
#include "store_effect.h"
#include "tap.h"

#define PIN_ROOT "sha256:57b074458962f34f05cd140286b8e86cc0cd2d12de024e3b755d398d3edb170b"

static char scratch[] = "/tmp/anchorsync-test-store-effect-XXXXXX";
static char anchors[1100], bundle[1100], certs[1100];

static void write_text(const char *path, const char *a, const char *b)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fprintf(f, "%s%s", a, b) < 0 || fclose(f) != 0) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
}

/* Runs the check for want (or gone) = root.pem; returns its status and leaves
 * its message in err, the verdict's trust in *trusted, the duplicates in *dups. */
static enum status run(const struct store *s, const struct store_root *root, bool wanted,
		       struct error *err, bool *trusted, size_t *dups)
{
	struct store_effect out;
	enum status st;

	err->msg[0] = '\0';
	st = store_effect_run(s, wanted ? root : NULL, wanted, wanted ? NULL : root, !wanted,
			      &out, err);
	*trusted = out.count == 1 && out.roots[0].trusted;
	*dups = out.duplicates;
	store_effect_free(&out);
	return st;
}

/* A file whose stamp is as the last check read it need not be read again. */
static void test_file_stamps(const struct store *s, const struct store_root *r,
			     const char *path, const char *pem)
{
	struct store_effect out;
	struct error err;

	ok(store_effect_run(s, r, 1, NULL, 0, &out, &err) == STATUS_OK &&
	   store_effect_files_current(s, &out, r, 1),
	   "after a check, the root's file is current");
	sleep(1);	/* a coarse mtime would not tell the rewrite */
	write_text(path, pem, "");
	ok(!store_effect_files_current(s, &out, r, 1), "rewritten: no longer current");
	store_effect_free(&out);
}

/* A retired root still in the bundle through an administrator's own copy is
 * no failure: it is listed with that file. */
static void test_foreign(const struct store *s, const struct store_root *r, const char *pem)
{
	char own[1200];
	struct store_effect out;
	struct error err;

	snprintf(own, sizeof(own), "%s/admin-own-copy.crt", anchors);
	write_text(own, pem, "");
	ok(store_effect_run(s, NULL, 0, r, 1, &out, &err) == STATUS_OK && out.ok &&
	   out.foreign_count == 1 && strcmp(out.foreign[0].file, own) == 0,
	   "a retired root kept by an administrator's own copy: listed with it, no failure");
	store_effect_free(&out);
	unlink(own);
	ok(store_effect_run(s, NULL, 0, r, 1, &out, &err) == STATUS_STORE &&
	   out.foreign_count == 0, "without that copy it is a failure again");
	store_effect_free(&out);
}

static void link_at(const char *target, const char *name)
{
	char path[1200];

	snprintf(path, sizeof(path), "%s/%s", certs, name);
	unlink(path);
	if (symlink(target, path) != 0) {
		printf("Bail out! cannot link %s\n", path);
		exit(1);
	}
}

static void unlink_at(const char *name)
{
	char path[1200];

	snprintf(path, sizeof(path), "%s/%s", certs, name);
	unlink(path);
}

int main(void)
{
	struct store_backend backend = *store_backend_by_name("debian");
	struct store s = { .backend = &backend, .lock_fd = -1 };
	char *root = fixture_read("root.pem", NULL), *other = fixture_read("chain-root.pem", NULL);
	char file[MANIFEST_NAME_SIZE], link_name[MANIFEST_NAME_SIZE + 8], target[1200];
	char anchor_path[1200];
	struct store_root r = { .file = file };
	struct error err;
	size_t dups;
	bool trusted;

	log_open("test-store-effect", -1);
	scratch_make(scratch);
	snprintf(anchors, sizeof(anchors), "%s/anchors", scratch);
	snprintf(bundle, sizeof(bundle), "%s/bundle.pem", scratch);
	snprintf(certs, sizeof(certs), "%s/certs", scratch);
	if (mkdir(anchors, 0755) != 0 || mkdir(certs, 0755) != 0)
		return 99;
	/* Everything is under the scratch tree: root= is the scratch directory. */
	backend.bundle = "/bundle.pem";
	backend.links_dir = "/certs";
	backend.links_anchors = false;
	s.root = scratch;
	s.anchors_dir = anchors;
	s.bundle_path = bundle;
	s.links_dir = certs;
	pin_parse(PIN_ROOT, &r.pin);
	manifest_file_name(&r.pin, ".crt", file);
	snprintf(anchor_path, sizeof(anchor_path), "%s/%s", anchors, file);
	write_text(anchor_path, root, "");

	write_text(bundle, other, root);
	ok(run(&s, &r, true, &err, &trusted, &dups) == STATUS_OK && trusted && dups == 0,
	   "a bundle that holds the root: trusted");
	write_text(bundle, other, "");
	ok(run(&s, &r, true, &err, &trusted, &dups) == STATUS_STORE && !trusted &&
	   tap_contains(err.msg, "it is missing from"),
	   "a bundle that lacks it: not trusted, and says so");
	write_text(bundle, root, root);
	ok(run(&s, &r, true, &err, &trusted, &dups) == STATUS_OK && trusted && dups == 1,
	   "a bundle that holds it twice: trusted, one duplicate counted");
	ok(run(&s, &r, false, &err, &trusted, &dups) == STATUS_STORE &&
	   tap_contains(err.msg, "still in"),
	   "a retired root the bundle still holds: a failure naming the bundle");
	write_text(bundle, other, "");
	ok(run(&s, &r, false, &err, &trusted, &dups) == STATUS_OK,
	   "a retired root the bundle no longer holds: all well");
	unlink(bundle);
	ok(run(&s, &r, true, &err, &trusted, &dups) == STATUS_STORE &&
	   tap_contains(err.msg, "unreadable"),
	   "no bundle at all: not trusted, the bundle is unreadable");

	/* The root's own file must hold it, and it alone. */
	write_text(bundle, root, "");
	write_text(anchor_path, other, "");
	ok(run(&s, &r, true, &err, &trusted, &dups) == STATUS_STORE && !trusted &&
	   tap_contains(err.msg, "holds another certificate"),
	   "its file overwritten with another CA: not trusted, and says so");
	write_text(anchor_path, root, other);
	ok(run(&s, &r, true, &err, &trusted, &dups) == STATUS_STORE &&
	   tap_contains(err.msg, "holds 2 certificates"),
	   "another CA appended to its file: not trusted");
	write_text(anchor_path, root, "");
	test_file_stamps(&s, &r, anchor_path, root);
	test_foreign(&s, &r, root);

	/* Debian: the tool links <name>.pem to each anchor and a hash link to that. */
	backend.links_anchors = true;
	write_text(bundle, root, "");
	snprintf(link_name, sizeof(link_name), "%.*s.pem", (int)(strlen(file) - 4), file);
	snprintf(target, sizeof(target), "%s", anchor_path);
	link_at(target, link_name);
	link_at(link_name, "0123abcd.0");
	ok(run(&s, &r, true, &err, &trusted, &dups) == STATUS_OK && trusted,
	   "links: the name link and a hash link lead to the file: trusted");
	unlink_at("0123abcd.0");
	ok(run(&s, &r, true, &err, &trusted, &dups) == STATUS_STORE &&
	   tap_contains(err.msg, "no hash link"),
	   "links: no hash link: not trusted");
	link_at(link_name, "0123abcd.0");
	unlink_at(link_name);
	ok(run(&s, &r, true, &err, &trusted, &dups) == STATUS_STORE &&
	   tap_contains(err.msg, "is missing"),
	   "links: no name link: not trusted");
	link_at(target, link_name);
	write_text(bundle, other, "");
	ok(run(&s, &r, false, &err, &trusted, &dups) == STATUS_STORE &&
	   tap_contains(err.msg, "still links to it"),
	   "links: a retired root out of the bundle but still linked: a failure");
	scratch_remove(scratch);
	free(root);
	free(other);
	return tap_done();
}
