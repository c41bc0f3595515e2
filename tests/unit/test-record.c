/* SPDX-License-Identifier: MIT */
/* The run record's delivery results: their facts round trip through
 * STATE_DIR/last-run and through the unprivileged check's frame, a line
 * from before the facts still loads, and forgotten results go. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "fixture.h"
#include "record.h"
#include "tap.h"
#include "verify_child.h"

static struct verify_result result(const char *target, const char *view, bool ok,
				   const char *cause, long long expiry)
{
	return (struct verify_result){
		.target = strdup(target), .view = view ? strdup(view) : NULL, .ok = ok,
		.detail = strdup(ok ? "verified mail.corp.internal (TLS1.3)" : "it\tfailed\nhere"),
		.cause = strdup(cause), .names = strdup("mail.corp.internal, mx.corp.internal"),
		.expiry = expiry, .expiring = strdup("CN=Soon\\, \\\"q\\\",O=test"),
	};
}

static void write_last_run(const char *dir, const char *text)
{
	char *path = path_join(dir, "last-run");

	file_write_atomic(path, text, strlen(text), 0644, false, NULL);
	free(path);
}

static void test_round_trip(const char *dir)
{
	struct run_record r = { 0 }, back;
	struct verify_result *v = calloc(2, sizeof(*v));
	struct error err;

	v[0] = result("smtp://mail.corp.internal:25", NULL, true, "verified", 1797473396);
	v[1] = result("smtp://mail.corp.internal:25", "relay", false, "name-mismatch", 0);
	r.attempt = 100;
	record_set_verify(&r, v, 2, 1796609401);
	ok(record_save(&r, dir, false, &err) == STATUS_OK, "a record with delivery facts saves");
	ok(record_load(&back, dir, &err) == STATUS_OK && back.verify_count == 2, "and loads");
	ok(back.checked == 1796609401, "  the time of the check");
	ok(back.verify[0].view == NULL && strcmp(verify_result_view(&back.verify[0]), "store") == 0,
	   "  the store's view");
	is_str(back.verify[1].view, "relay", "  an application's view");
	ok(back.verify[0].ok && !back.verify[1].ok, "  the verdicts");
	is_str(back.verify[1].cause, "name-mismatch", "  the cause");
	is_str(back.verify[0].names, "mail.corp.internal, mx.corp.internal", "  the names");
	ok(back.verify[0].expiry == 1797473396 && back.verify[1].expiry == 0,
	   "  the chain's expiry, and none when unknown");
	is_str(back.verify[0].expiring, "CN=Soon\\, \\\"q\\\",O=test", "  its certificate");
	is_str(back.verify[1].detail, "it failed here", "  a tab or line break in a field folds");
	record_free(&back);
	record_free(&r);
}

static void test_old_lines(const char *dir)
{
	struct run_record r;
	struct error err;

	write_last_run(dir, "attempt 5\nsuccess 5\n"
			    "verify-ok smtp://a.corp.internal\tverified a.corp.internal (TLS1.3)\n"
			    "verify-failed [app relay] smtp://a.corp.internal\tunknown-issuer\n"
			    "delivery ok\t\t\n"
			    "delivery\n");
	ok(record_load(&r, dir, &err) == STATUS_OK && r.verify_count == 2,
	   "lines from before the facts load; lines without a target are dropped");
	is_str(r.verify[0].target, "smtp://a.corp.internal", "  the target");
	ok(r.verify[0].ok && r.verify[0].cause == NULL && r.verify[0].expiry == 0,
	   "  the verdict, the facts unknown");
	ok(r.checked == 0, "  never checked on schedule");
	record_free(&r);
}

static bool keep_store(const struct verify_result *v, void *user)
{
	(void)user;
	return v->view == NULL;
}

static void test_filter(void)
{
	struct run_record r = { 0 };
	struct verify_result *v = calloc(3, sizeof(*v));

	v[0] = result("smtp://a", "relay", true, "verified", 1);
	v[1] = result("smtp://b", NULL, false, "expired", 2);
	v[2] = result("smtp://c", "relay", true, "verified", 3);
	record_set_verify(&r, v, 3, 7);
	record_filter_verify(&r, keep_store, NULL);
	ok(r.verify_count == 1 && strcmp(r.verify[0].target, "smtp://b") == 0 && r.checked == 7,
	   "a filter keeps what it is told to, in order");
	record_free(&r);
}

/* The facts cross from the unprivileged check; a repeated one is refused. */
static void test_frame(void)
{
	char a[] = "smtp://a", b[] = "smtp://b";
	char *targets[] = { a, b };
	struct verify_result sent[2] = {
		result("smtp://a", NULL, true, "verified", 1797473396),
		result("smtp://b", NULL, false, "no-subjectaltname", 0),
	};
	struct verify_result got[2] = { { 0 } };
	struct error err = { .status = STATUS_VERIFY_FAILED, .msg = "1 of 2 failed" };
	struct frame_writer w;
	unsigned char *frame = NULL;
	size_t len = 0;

	frame_writer_init(&w);
	verify_frame_encode(STATUS_VERIFY_FAILED, &err, sent, 2, &w);
	ok(frame_finish(&w, &frame, &len), "a result frame with facts");
	ok(verify_frame_check(frame, len, targets, 2, got, &err) == STATUS_VERIFY_FAILED,
	   "  checks out");
	is_str(got[0].cause, "verified", "  the first target's cause");
	ok(got[0].expiry == 1797473396, "  its chain's expiry");
	is_str(got[0].expiring, "CN=Soon\\, \\\"q\\\",O=test", "  and certificate");
	is_str(got[1].cause, "no-subjectaltname", "  the second target's cause");
	ok(got[1].expiry == 0 && got[1].expiring != NULL, "  no expiry when none was seen");
	is_str(got[1].names, "mail.corp.internal, mx.corp.internal", "  the names");
	free(frame);
	for (size_t i = 0; i < 2; i++) {
		free(got[i].target);
		free(got[i].detail);
		free(got[i].cause);
		free(got[i].names);
		free(got[i].expiring);
		memset(&got[i], 0, sizeof(got[i]));
	}

	frame_writer_init(&w);
	verify_frame_encode(STATUS_VERIFY_FAILED, &err, sent, 1, &w);
	frame_put(&w, VERIFY_TAG_CAUSE, "expired", 7);
	frame_finish(&w, &frame, &len);
	ok(verify_frame_check(frame, len, targets, 1, got, &err) == STATUS_DATA &&
	   strstr(err.msg, "repeated") != NULL, "a repeated fact is a malformed result");
	free(frame);
	free(got[0].target);
	free(got[0].detail);
	free(got[0].cause);
	free(got[0].names);
	free(got[0].expiring);
	for (size_t i = 0; i < 2; i++) {
		free(sent[i].target);
		free(sent[i].view);
		free(sent[i].detail);
		free(sent[i].cause);
		free(sent[i].names);
		free(sent[i].expiring);
	}
}

int main(void)
{
	char dir[] = "/tmp/anchorsync-test-record-XXXXXX";

	scratch_make(dir);
	test_round_trip(dir);
	test_old_lines(dir);
	test_filter();
	test_frame();
	scratch_remove(dir);
	return tap_done();
}
