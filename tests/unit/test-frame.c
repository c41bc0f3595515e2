/* SPDX-License-Identifier: MIT */
/* The framing between the unprivileged child and the parent: what is written
 * reads back; every malformed frame is refused; a child's error comes back
 * only as one of the statuses the caller allows. */
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "privsep.h"
#include "tap.h"

static unsigned char *frame;
static size_t frame_len;

static void build(void (*fill)(struct frame_writer *w))
{
	struct frame_writer w;

	free(frame);
	frame_writer_init(&w);
	fill(&w);
	if (!frame_finish(&w, &frame, &frame_len))
		abort();
}

static void two_records(struct frame_writer *w)
{
	frame_put_text(w, FRAME_TAG_PAYLOAD, "hello");
	frame_put_u64(w, FRAME_TAG_PAYLOAD + 1, 0x0102030405060708ULL);
}

/* How reading a frame ends, after how many items. */
static enum frame_next read_all(const unsigned char *data, size_t len, size_t max, size_t *items)
{
	struct frame_reader r;
	struct frame_item it;
	enum frame_next next;

	*items = 0;
	frame_reader_init(&r, data, len);
	while ((next = frame_next(&r, max, &it)) == FRAME_ITEM)
		(*items)++;
	return next;
}

static void test_round_trip(void)
{
	struct frame_reader r;
	struct frame_item it;
	uint64_t v = 0;
	char *text;

	build(two_records);
	frame_reader_init(&r, frame, frame_len);
	ok(frame_next(&r, 64, &it) == FRAME_ITEM && it.tag == FRAME_TAG_PAYLOAD && it.len == 5,
	   "the first record reads back with its tag and length");
	text = frame_item_text(&it, 64);
	is_str(text, "hello", "  and its text");
	free(text);
	ok(frame_next(&r, 64, &it) == FRAME_ITEM && frame_item_u64(&it, &v) &&
	   v == 0x0102030405060708ULL, "an 8-byte number reads back");
	ok(frame_next(&r, 64, &it) == FRAME_DONE, "then the end");
	ok(frame_next(&r, 64, &it) == FRAME_BAD, "reading past the end is refused");
	ok(frame_len == 4 + 6 + 5 + 6 + 8 + 6, "the frame is as long as its records");
}

static void test_malformed(void)
{
	unsigned char *copy;
	size_t items;

	build(two_records);
	ok(read_all(frame, frame_len, 64, &items) == FRAME_DONE && items == 2, "a whole frame reads");
	for (size_t cut = 0; cut < frame_len; cut++)
		if (read_all(frame, cut, 64, &items) != FRAME_BAD) {
			ok(false, "a frame cut short is refused");
			printf("#   cut at %zu of %zu\n", cut, frame_len);
			return;
		}
	ok(true, "a frame cut short anywhere is refused");
	copy = malloc(frame_len + 1);
	memcpy(copy, frame, frame_len);
	copy[frame_len] = 'x';
	ok(read_all(copy, frame_len + 1, 64, &items) == FRAME_BAD, "a byte after the end is refused");
	memcpy(copy, frame, frame_len);
	copy[0] = 'X';
	ok(read_all(copy, frame_len, 64, &items) == FRAME_BAD && items == 0, "a wrong magic is refused");
	memcpy(copy, frame, frame_len);
	copy[4 + 5] = 6;	/* "hello" claims 6 bytes */
	ok(read_all(copy, frame_len, 64, &items) == FRAME_BAD, "a length that does not match is refused");
	memcpy(copy, frame, frame_len);
	copy[4 + 2] = 0x80;	/* 2 GiB */
	ok(read_all(copy, frame_len, 64, &items) == FRAME_BAD && items == 0,
	   "a length past the data is refused");
	ok(read_all(frame, frame_len, 4, &items) == FRAME_BAD && items == 0,
	   "a record over the caller's cap is refused");
	ok(read_all(NULL, 0, 64, &items) == FRAME_BAD, "nothing at all is refused");
	free(copy);
}

static void nul_text(struct frame_writer *w)
{
	frame_put(w, FRAME_TAG_PAYLOAD, "a\0b", 3);
	frame_put_text(w, FRAME_TAG_PAYLOAD, "bell\ahere");
}

/* Whether a frame arrived whole decides whether the parent takes it without
 * waiting for the child's exit: every cut is seen. */
static void test_whole(void)
{
	unsigned char *longer;
	size_t cut;

	build(two_records);
	ok(frame_is_whole(frame, frame_len), "a frame as written is whole");
	for (cut = 0; cut < frame_len && !frame_is_whole(frame, cut); cut++)
		;
	ok(cut == frame_len, "no frame cut short, at any byte, is whole");
	longer = malloc(frame_len + 1);
	memcpy(longer, frame, frame_len);
	longer[frame_len] = 0;
	ok(!frame_is_whole(longer, frame_len + 1), "nor one with a byte after its end");
	free(longer);
}

static void test_text(void)
{
	struct frame_reader r;
	struct frame_item it;
	char *text;

	build(nul_text);
	frame_reader_init(&r, frame, frame_len);
	frame_next(&r, 64, &it);
	ok(frame_item_text(&it, 64) == NULL, "text holding a NUL byte is refused");
	frame_next(&r, 64, &it);
	ok(frame_item_text(&it, 3) == NULL, "text over its cap is refused");
	text = frame_item_text(&it, 64);
	is_str(text, "bell\\x07here", "control characters come back escaped");
	free(text);
	ok(!frame_item_u64(&it, &(uint64_t){ 0 }), "a record of another size is no number");
}

static struct error child_err;

static void error_frame(struct frame_writer *w)
{
	frame_put_error(w, &child_err);
}

static void bad_error_frame(struct frame_writer *w)
{
	frame_put_u64(w, FRAME_TAG_STATUS, STATUS_DATA);
}

static void test_errors(void)
{
	static const enum status allowed[] = { STATUS_DATA, STATUS_UNAVAILABLE };
	struct error err = { .msg = "" };

	build(two_records);
	ok(privsep_frame_error(frame, frame_len, allowed, 2, "the child", &err) == STATUS_OK,
	   "a payload is no error");
	error_set(&child_err, STATUS_UNAVAILABLE, "no source reachable: \x1b[31m");
	build(error_frame);
	ok(privsep_frame_error(frame, frame_len, allowed, 2, "the child", &err) == STATUS_UNAVAILABLE,
	   "an allowed status comes back");
	is_str(err.msg, "no source reachable: \\x1b[31m", "  with the child's message, escaped");
	error_set(&child_err, STATUS_CONFIG, "not mine to say");
	build(error_frame);
	ok(privsep_frame_error(frame, frame_len, allowed, 2, "the child", &err) == STATUS_DATA,
	   "a status the caller does not allow becomes STATUS_DATA");
	build(bad_error_frame);
	ok(privsep_frame_error(frame, frame_len, allowed, 2, "the child", &err) == STATUS_DATA &&
	   strstr(err.msg, "the child sent a malformed error"), "an error without its message is refused");
}

int main(void)
{
	test_round_trip();
	test_malformed();
	test_whole();
	test_text();
	test_errors();
	free(frame);
	return tap_done();
}
