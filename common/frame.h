/* SPDX-License-Identifier: MIT */
/* The framing an unprivileged child uses to hand its result to the
 * privileged parent (common/privsep.h): a fixed, length-prefixed format that
 * is cheap to check and has a cap on every length.
 *
 *     frame  = "ASF1" record* end
 *     record = tag (2 bytes, big-endian, 1..65535) length (4 bytes, big-endian) value
 *     end    = tag 0, length 0, and nothing after it
 *
 * Tags 1..15 are the frame's own (an error: FRAME_TAG_STATUS, FRAME_TAG_MESSAGE);
 * a payload's tags start at FRAME_TAG_PAYLOAD. This module only writes and
 * splits records; what a tag means, and which lengths it allows, is the
 * payload's decoder's business. Pure: no I/O. */
#ifndef ANCHORSYNC_FRAME_H
#define ANCHORSYNC_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define FRAME_MAGIC "ASF1"
#define FRAME_MAGIC_LEN 4
#define FRAME_RECORD_HEADER 6

enum frame_tag {
	FRAME_TAG_END = 0,
	FRAME_TAG_STATUS = 1,		/* u64: the child's enum status, when it failed */
	FRAME_TAG_MESSAGE = 2,		/* text: its one-line error */
	FRAME_TAG_PAYLOAD = 16,
};

/* A frame being written. Writing never fails midway: an allocation failure
 * marks the writer failed and frame_finish reports it. */
struct frame_writer {
	unsigned char *buf;
	size_t len;
	size_t cap;
	bool failed;
};

/* Starts a frame (the magic). Release with frame_writer_free or frame_finish. */
void frame_writer_init(struct frame_writer *w);

/* Appends a record; len may be 0 (data may then be NULL). A value longer than
 * UINT32_MAX marks the writer failed. */
void frame_put(struct frame_writer *w, unsigned tag, const void *data, size_t len);

/* Appends a record of 8 bytes, big-endian. */
void frame_put_u64(struct frame_writer *w, unsigned tag, uint64_t value);

/* Appends a record holding the string's bytes (no NUL); NULL appends nothing. */
void frame_put_text(struct frame_writer *w, unsigned tag, const char *text);

/* Appends the error records for err (its status and message). */
void frame_put_error(struct frame_writer *w, const struct error *err);

/* Appends the end record and hands the frame over: *out (caller frees) and
 * *len. False, with nothing handed over, when an allocation failed; the
 * writer is released either way. */
bool frame_finish(struct frame_writer *w, unsigned char **out, size_t *len);

void frame_writer_free(struct frame_writer *w);

/* Reading: records in order, without copying. */
struct frame_reader {
	const unsigned char *p;
	size_t left;
	bool started;
	bool ended;
};

struct frame_item {
	unsigned tag;
	const unsigned char *data;	/* points into the frame */
	size_t len;
};

enum frame_next {
	FRAME_ITEM,		/* *item holds the next record */
	FRAME_DONE,		/* the end record, and nothing after it */
	FRAME_BAD,		/* bad magic, a length past the data or over max_len,
				   bytes after the end, or no end at all */
};

void frame_reader_init(struct frame_reader *r, const void *data, size_t len);

/* The next record; max_len caps any value's length (the payload's largest).
 * Once FRAME_DONE or FRAME_BAD is returned, every later call returns FRAME_BAD. */
enum frame_next frame_next(struct frame_reader *r, size_t max_len, struct frame_item *item);

/* Whether data is a whole frame: the magic, records whose lengths stay
 * within it, and the end record last. A frame cut short anywhere (a writer
 * that died midway) is not whole. */
bool frame_is_whole(const void *data, size_t len);

/* The value of an 8-byte record; false when it is not 8 bytes. */
bool frame_item_u64(const struct frame_item *item, uint64_t *out);

/* A NUL-terminated copy of a text record (caller frees): NULL when it is
 * longer than max, holds a NUL byte, or memory runs out. Control characters
 * and bytes that are not UTF-8 come back escaped as \xNN (common/text.h). */
char *frame_item_text(const struct frame_item *item, size_t max);

#endif
