/* SPDX-License-Identifier: MIT */
#include "verify_child.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "privsep.h"

#define WHAT "the unprivileged delivery check"

/* Puts text (when known) under tag, cut to a share of VERIFY_FACTS_MAX. */
static void put_fact(struct frame_writer *w, unsigned tag, const char *text)
{
	size_t n = text ? strlen(text) : 0;

	if (n > 0)
		frame_put(w, tag, text, n > VERIFY_FACTS_MAX / 2 ? VERIFY_FACTS_MAX / 2 : n);
}

static void encode_facts(const struct verify_result *v, struct frame_writer *w)
{
	put_fact(w, VERIFY_TAG_CAUSE, v->cause);
	put_fact(w, VERIFY_TAG_NAMES, v->names);
	if (v->expiry > 0)
		frame_put_u64(w, VERIFY_TAG_EXPIRY, (uint64_t)v->expiry);
	put_fact(w, VERIFY_TAG_EXPIRING, v->expiring);
}

void verify_frame_encode(enum status st, const struct error *err,
			 const struct verify_result *results, size_t count, struct frame_writer *w)
{
	frame_put_u64(w, VERIFY_TAG_OUTCOME, (uint64_t)st);
	if (st != STATUS_OK)
		frame_put_text(w, VERIFY_TAG_MESSAGE, err->msg);
	for (size_t i = 0; i < count && results[i].target != NULL; i++) {
		const char *detail = results[i].detail ? results[i].detail : "";
		size_t n = strlen(detail) > VERIFY_DETAIL_MAX ? VERIFY_DETAIL_MAX : strlen(detail);
		unsigned char *rec = malloc(n + 1);

		if (rec == NULL) {
			w->failed = true;	/* frame_finish reports it */
			return;
		}
		rec[0] = results[i].ok ? 1 : 0;
		memcpy(rec + 1, detail, n);
		frame_put(w, VERIFY_TAG_RESULT, rec, n + 1);
		free(rec);
		encode_facts(&results[i], w);
	}
}

static enum status malformed(struct error *err, const char *why)
{
	return error_set(err, STATUS_DATA, WHAT " sent a malformed result (%s)", why);
}

/* One RESULT record into results[i] (may be NULL). */
static enum status take_result(const struct frame_item *it, char *const *targets, size_t i,
			       struct verify_result *results, bool *ok, struct error *err)
{
	struct frame_item text = { it->tag, it->data + 1, it->len - 1 };
	char *detail;

	if (it->len < 1 || it->data[0] > 1)
		return malformed(err, "a result without its verdict");
	*ok = it->data[0] == 1;
	detail = frame_item_text(&text, VERIFY_DETAIL_MAX);
	if (detail == NULL)
		return malformed(err, "an unreadable verdict");
	if (results == NULL) {
		free(detail);
		return STATUS_OK;
	}
	results[i].target = strdup(targets[i]);
	results[i].ok = *ok;
	results[i].detail = detail;
	return results[i].target ? STATUS_OK : error_set(err, STATUS_INTERNAL, "out of memory");
}

/* A fact record into v, the result taken last (NULL: the caller keeps no
 * results, the fact is only checked); each fact at most once. */
static enum status take_fact(const struct frame_item *it, struct verify_result *v,
			     struct error *err)
{
	char **slot, *text;
	uint64_t expiry;

	if (it->tag == VERIFY_TAG_EXPIRY) {
		if (!frame_item_u64(it, &expiry) || expiry == 0 || expiry > (uint64_t)LLONG_MAX ||
		    (v && v->expiry != 0))
			return malformed(err, "a repeated or unreadable expiry");
		if (v)
			v->expiry = (long long)expiry;
		return STATUS_OK;
	}
	slot = v == NULL ? NULL : it->tag == VERIFY_TAG_CAUSE ? &v->cause :
	       it->tag == VERIFY_TAG_NAMES ? &v->names : &v->expiring;
	text = frame_item_text(it, VERIFY_FACTS_MAX);
	if (text == NULL || (slot && *slot)) {
		free(text);
		return malformed(err, "a repeated or unreadable fact");
	}
	if (slot)
		*slot = text;
	else
		free(text);
	return STATUS_OK;
}

enum status verify_frame_check(const unsigned char *frame, size_t len, char *const *targets,
			       size_t count, struct verify_result *results, struct error *err)
{
	static const enum status allowed[] = { STATUS_VERIFY_FAILED, STATUS_UNAVAILABLE,
					       STATUS_USAGE, STATUS_INTERNAL };
	struct frame_reader r;
	struct frame_item it;
	enum frame_next next;
	uint64_t outcome = 0;
	bool have_outcome = false, all_ok = true, ok = false;
	char *msg = NULL;
	size_t n = 0;
	enum status st = privsep_frame_error(frame, len, allowed + 3, 1, WHAT, err);

	frame_reader_init(&r, frame, len);
	while (st == STATUS_OK && (next = frame_next(&r, VERIFY_DETAIL_MAX + 1, &it)) == FRAME_ITEM) {
		if (it.tag == VERIFY_TAG_OUTCOME && !have_outcome && frame_item_u64(&it, &outcome))
			have_outcome = true;
		else if (it.tag == VERIFY_TAG_MESSAGE && msg == NULL)
			st = (msg = frame_item_text(&it, sizeof(err->msg) - 1)) ? STATUS_OK :
			     malformed(err, "an unreadable message");
		else if (it.tag == VERIFY_TAG_RESULT && n < count) {
			st = take_result(&it, targets, n++, results, &ok, err);
			all_ok = all_ok && ok;
		} else if (it.tag >= VERIFY_TAG_CAUSE && it.tag <= VERIFY_TAG_EXPIRING && n > 0)
			st = take_fact(&it, results ? &results[n - 1] : NULL, err);
		else
			st = malformed(err, "an unknown, repeated or extra record");
	}
	if (st == STATUS_OK && next != FRAME_DONE)
		st = malformed(err, "broken framing");
	if (st == STATUS_OK && (!have_outcome || (outcome == STATUS_OK) != (msg == NULL)))
		st = malformed(err, "no outcome, or a message that does not match it");
	if (st == STATUS_OK && outcome == STATUS_OK && (n != count || !all_ok))
		st = malformed(err, "success without every target verified");
	if (st == STATUS_OK && outcome != STATUS_OK) {
		st = STATUS_DATA;
		for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
			if (outcome == (uint64_t)allowed[i])
				st = allowed[i];
		if (st == STATUS_DATA)
			malformed(err, "an unknown outcome");
		else
			error_set(err, st, "%s", msg);
	}
	free(msg);
	return st;
}

struct checking {
	const struct verify_child_job *job;
	char *const *targets;
	size_t count;
};

static void check_work(void *arg, struct frame_writer *w)
{
	struct checking *c = arg;
	struct verify_result *results = calloc(c->count + 1, sizeof(*results));
	struct error err = { .status = STATUS_OK };
	enum status st;

	if (results == NULL) {
		error_set(&err, STATUS_INTERNAL, "out of memory");
		frame_put_error(w, &err);
		return;
	}
	st = c->job->check(c->job->arg, c->targets, c->count, results, &err);
	fflush(stdout);
	verify_frame_encode(st, &err, results, c->count, w);
	verify_results_free(results, c->count);
}

enum status verify_child_run(const struct verify_child_job *job, char *const *targets,
			     size_t count, struct verify_result *results, struct error *err)
{
	struct checking c = { job, targets, count };
	unsigned timeout = (unsigned)count * (job->timeout * 4 + 10) + VERIFY_CHILD_MARGIN;
	unsigned char *frame = NULL;
	size_t len = 0;
	enum status st;

	st = privsep_run(job->user, WHAT, timeout,
			 count * (VERIFY_DETAIL_MAX + VERIFY_FACTS_MAX + 128) + sizeof(err->msg) + 64,
			 check_work, &c,
			 &frame, &len, err);
	if (st == STATUS_OK)
		st = verify_frame_check(frame, len, targets, count, results, err);
	free(frame);
	/* A target the child did not report failed with the child. */
	for (size_t i = 0; results && st != STATUS_OK && i < count; i++)
		if (results[i].target == NULL) {
			results[i].target = strdup(targets[i]);
			results[i].detail = strdup(err->msg);
		}
	return st;
}
