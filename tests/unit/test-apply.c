/* SPDX-License-Identifier: MIT */
/* Applying a plan to a store (apply_plan) in a scratch tree, with an update
 * command that rebuilds the bundle from the anchors directory, one that
 * fails, and one that exits 0 without doing anything: a change that the store
 * does not show is rolled back, files and manifest as they were. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply.h"
#include "bundle.h"
#include "fileio.h"
#include "fixture.h"
#include "log.h"
#include "manifest.h"
#include "plan.h"
#include "store.h"
#include "tap.h"

#define PIN_ROOT "sha256:57b074458962f34f05cd140286b8e86cc0cd2d12de024e3b755d398d3edb170b"
#define PIN_CHAIN_ROOT "sha256:575db1ad526871209fd8dff39af4f41faa2be9dd7c2aa1692357f8ce280d2cbb"
#define Y2030 1893456000

static char scratch[] = "/tmp/anchorsync-test-apply-XXXXXX";
static char anchors[1100], bundle[1100], script[1100];

/* The update command's behaviour: rebuild the bundle (as the real tools do),
 * fail saying so, or exit 0 doing nothing. */
static void update_command(const char *body)
{
	FILE *f = fopen(script, "w");

	if (f == NULL || fprintf(f, "#!/bin/sh\n%s\n", body) < 0 || fclose(f) != 0 ||
	    chmod(script, 0755) != 0) {
		printf("Bail out! cannot write %s\n", script);
		exit(1);
	}
}

#define REBUILDS "cat \"$ANCHORS\"/*.crt >\"$BUNDLE\" 2>/dev/null || : >\"$BUNDLE\""
/* Fails (or does nothing) on its first run only, so that the rollback's run
 * rebuilds the store as it was. */
#define ONCE(what) "[ -e \"$ANCHORS.once\" ] || { touch \"$ANCHORS.once\"; " what "; }; " REBUILDS

/* The roots of the fixtures root.pem and chain-root.pem, both pinned. */
static void wanted(struct anchor_set *set, bool root, bool chain)
{
	struct pin pins[2];
	char *a = fixture_read("root.pem", NULL), *b = fixture_read("chain-root.pem", NULL);
	char text[8192];
	struct error err;

	pin_parse(PIN_ROOT, &pins[0]);
	pin_parse(PIN_CHAIN_ROOT, &pins[1]);
	snprintf(text, sizeof(text), "%s%s", root ? a : "", chain ? b : "");
	if (bundle_select(text, strlen(text),
			  &(struct bundle_rules){ .pins = pins, .pin_count = 2, .now = Y2030 }, set,
			  &err) != STATUS_OK &&
	    (root || chain)) {
		printf("Bail out! %s\n", err.msg);
		exit(1);
	}
	free(a);
	free(b);
}

/* A root a killed run left marked is installed again, as refresh does. */
static bool unsettled_entry(const struct manifest_entry *e, void *user)
{
	(void)user;
	return e->state != MANIFEST_INSTALLED;
}

/* Plans wanted against the saved manifest and applies it to s. */
static enum status apply(struct store *s, bool root, bool chain, struct error *err)
{
	struct manifest before, after = { 0 };
	struct anchor_set set = { 0 };
	struct plan p;
	bool touched;
	enum status st = manifest_load(&before, scratch, err);

	wanted(&set, root, chain);
	if (st == STATUS_OK && !plan_make(&p, &before, &set))
		st = STATUS_INTERNAL;
	if (st == STATUS_OK)
		plan_readd_missing(&p, &set, unsettled_entry, NULL);
	if (st == STATUS_OK) {
		s->managed = &before;
		st = apply_plan(s, scratch, &before, &p, &after, &touched, err);
		plan_free(&p);
	}
	manifest_free(&before);
	manifest_free(&after);
	anchor_set_free(&set);
	return st;
}

/* The number of roots the saved manifest lists, or -1. */
static int manifest_count(void)
{
	struct manifest m;
	struct error err;
	int n = manifest_load(&m, scratch, &err) == STATUS_OK ? (int)m.count : -1;

	manifest_free(&m);
	return n;
}

/* Whether the anchors directory holds the file anchorsync names pin's root. */
static bool has_file(const char *pin_text)
{
	char name[MANIFEST_NAME_SIZE], path[1200];
	struct pin pin;

	pin_parse(pin_text, &pin);
	manifest_file_name(&pin, ".crt", name);
	snprintf(path, sizeof(path), "%s/%s", anchors, name);
	return access(path, F_OK) == 0;
}

static void unlink_once(void)
{
	char path[1200];

	snprintf(path, sizeof(path), "%s.once", anchors);
	unlink(path);
}

/* Creates dir/name holding text. */
static void put(const char *dir, const char *name, const char *text)
{
	char path[1200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
}

/* The arguments of each update command run so far, one run a line. */
static char *runs(void)
{
	char path[1200], *text = NULL;
	size_t len;

	snprintf(path, sizeof(path), "%s.args", anchors);
	return file_read(path, 1 << 16, &text, &len, NULL, NULL) == STATUS_OK ? text : NULL;
}

#define LOGS_ARGS "echo \"$*\" >>\"$ANCHORS.args\"; "

/* A change a killed run left unsettled, and a link a killed update never
 * made: the update command runs as after a removal, which rebuilds it. The
 * command here rebuilds the bundle only when told --fresh, as Debian's makes
 * the missing hash link only then. */
static void test_settle(struct store *s, struct store_backend *backend)
{
	char leftover[1200];
	struct error err;
	char *args;

	backend->fresh_arg = "--fresh";
	update_command(LOGS_ARGS "[ \"$1\" != --fresh ] || { " REBUILDS "; }");
	ok(apply(s, true, true, &err) == STATUS_OK,
	   "settling the change a killed run left marked: STATUS_OK");
	args = runs();
	ok(args && strcmp(args, "--fresh\n") == 0, "  ... one update, run with --fresh");
	free(args);
	ok(apply(s, false, true, &err) == STATUS_OK && !has_file(PIN_ROOT), "a retirement");
	ok(apply(s, true, true, &err) == STATUS_OK && has_file(PIN_ROOT),
	   "adding a root the plain update leaves out of the store: STATUS_OK");
	args = runs();
	ok(args && strcmp(args, "--fresh\n--fresh\n\n--fresh\n") == 0,
	   "  ... the plain update's effect missing, it ran again with --fresh");
	free(args);
	/* A killed update's temporary bundle says the update stopped half-way. */
	update_command(LOGS_ARGS REBUILDS);
	snprintf(leftover, sizeof(leftover), "%s/bundle.pem.new", scratch);
	backend->leftover = leftover;	/* under root, which is / here */
	put(scratch, "bundle.pem.new", "half a bundle");
	ok(apply(s, false, true, &err) == STATUS_OK && access(leftover, F_OK) != 0,
	   "a killed update's temporary bundle is removed");
	put(scratch, "bundle.pem.new", "half a bundle");
	ok(apply(s, true, true, &err) == STATUS_OK && has_file(PIN_ROOT),
	   "adding a root after a killed update left its temporary bundle");
	args = runs();
	ok(args && strcmp(args, "--fresh\n--fresh\n\n--fresh\n--fresh\n--fresh\n") == 0,
	   "  ... the update runs with --fresh");
	free(args);
	backend->leftover = NULL;
	backend->fresh_arg = NULL;
	update_command(REBUILDS);
}

static bool exists(const char *dir, const char *name)
{
	char path[1200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* What killed writes left in the anchors directory goes at the next change;
 * what anchorsync cannot recognise as its own stays. */
static void test_sweep(struct store *s)
{
	char stage[1200];
	struct error err;

	snprintf(stage, sizeof(stage), "%s/" FILE_TMP_DIR, anchors);
	mkdir(stage, 0700);
	put(stage, "anchorsync-0123456789abcdef.crt.Ab3dE9", "half");
	put(anchors, "anchorsync-0123456789abcdef.crt.Zz9Zz9", "half");
	put(anchors, "anchorsync-0123456789abcdef.crt.bak", "admin's");
	put(anchors, "corp.crt.Ab3dE9", "admin's");
	ok(apply(s, false, true, &err) == STATUS_OK, "a change with leftovers of killed writes");
	ok(!exists(anchors, FILE_TMP_DIR), "  ... the staging directory and its file are gone");
	ok(!exists(anchors, "anchorsync-0123456789abcdef.crt.Zz9Zz9"),
	   "  ... and so is the temporary file an earlier version left");
	ok(exists(anchors, "anchorsync-0123456789abcdef.crt.bak") &&
	   exists(anchors, "corp.crt.Ab3dE9"), "  ... files that are not recognisably ours stay");
}

int main(void)
{
	const struct store_backend *debian = store_backend_by_name("debian");
	struct store_backend backend = *debian;
	struct store s = { .backend = &backend, .lock_fd = -1 };
	struct error err;

	log_open("test-apply", -1);
	scratch_make(scratch);
	snprintf(anchors, sizeof(anchors), "%s/anchors", scratch);
	snprintf(bundle, sizeof(bundle), "%s/bundle.pem", scratch);
	snprintf(script, sizeof(script), "%s/update", scratch);
	setenv("ANCHORS", anchors, 1);
	setenv("BUNDLE", bundle, 1);
	/* The host's store is never touched: every path is in the scratch tree,
	 * and the update command is the script there. */
	backend.update = script;
	backend.update_arg = backend.fresh_arg = NULL;
	backend.tree_args = NULL;
	backend.links_dir = backend.leftover = NULL;
	backend.links_anchors = false;
	s.anchors_dir = anchors;
	s.bundle_path = bundle;
	s.state_dir = scratch;

	update_command(REBUILDS);
	ok(apply(&s, true, false, &err) == STATUS_OK, "a first root is installed");
	ok(has_file(PIN_ROOT) && manifest_count() == 1, "  ... its file written, the manifest lists it");

	update_command(ONCE("echo 'cannot rebuild the bundle'; exit 3"));
	ok(apply(&s, true, true, &err) == STATUS_STORE, "an update command that fails: STATUS_STORE");
	ok(strstr(err.msg, "cannot rebuild the bundle") != NULL, "  ... with what it printed");
	ok(!has_file(PIN_CHAIN_ROOT) && has_file(PIN_ROOT), "  ... the added file is taken back");
	ok(manifest_count() == 1, "  ... and the manifest is as it was");
	ok(!s.rollback_incomplete, "  ... the rollback is complete");

	unlink_once();
	update_command(ONCE("exit 0"));
	ok(apply(&s, true, true, &err) == STATUS_STORE,
	   "an update command that exits 0 without effect: STATUS_STORE");
	ok(strstr(err.msg, "not trusted") != NULL, "  ... naming the root the store lacks");
	ok(!has_file(PIN_CHAIN_ROOT) && manifest_count() == 1, "  ... rolled back");

	update_command(REBUILDS);
	ok(apply(&s, false, true, &err) == STATUS_OK, "a rotation: one root added, one retired");
	ok(has_file(PIN_CHAIN_ROOT) && !has_file(PIN_ROOT) && manifest_count() == 1,
	   "  ... the files and the manifest follow");
	unlink_once();
	update_command(ONCE("exit 1"));
	ok(apply(&s, false, false, &err) == STATUS_STORE, "a failed retirement: STATUS_STORE");
	ok(has_file(PIN_CHAIN_ROOT) && manifest_count() == 1, "  ... the retired file is put back");
	update_command("echo 'broken for good'; exit 1");
	ok(apply(&s, true, true, &err) == STATUS_STORE && s.rollback_incomplete,
	   "an update command that fails on the rollback too: the rollback is incomplete");
	ok(manifest_count() == 2, "  ... and the manifest keeps the added root, marked, for the next run");
	test_settle(&s, &backend);
	test_sweep(&s);
	scratch_remove(scratch);
	return tap_done();
}
