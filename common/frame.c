/* SPDX-License-Identifier: MIT */
#include "frame.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

static void grow(struct frame_writer *w, size_t more)
{
	size_t cap = w->cap ? w->cap : 256;
	unsigned char *bigger;

	if (w->failed || w->len + more <= w->cap)
		return;
	while (cap < w->len + more) {
		if (cap > SIZE_MAX / 2) {
			w->failed = true;
			return;
		}
		cap *= 2;
	}
	bigger = realloc(w->buf, cap);
	if (bigger == NULL) {
		w->failed = true;
		return;
	}
	w->buf = bigger;
	w->cap = cap;
}

static void append(struct frame_writer *w, const void *data, size_t len)
{
	grow(w, len);
	if (w->failed || len == 0)
		return;
	memcpy(w->buf + w->len, data, len);
	w->len += len;
}

void frame_writer_init(struct frame_writer *w)
{
	memset(w, 0, sizeof(*w));
	append(w, FRAME_MAGIC, FRAME_MAGIC_LEN);
}

void frame_put(struct frame_writer *w, unsigned tag, const void *data, size_t len)
{
	unsigned char head[FRAME_RECORD_HEADER];

	if (tag > 0xffff || len > UINT32_MAX) {
		w->failed = true;
		return;
	}
	head[0] = (unsigned char)(tag >> 8);
	head[1] = (unsigned char)tag;
	for (int i = 0; i < 4; i++)
		head[2 + i] = (unsigned char)(len >> (24 - 8 * i));
	append(w, head, sizeof(head));
	append(w, data, len);
}

void frame_put_u64(struct frame_writer *w, unsigned tag, uint64_t value)
{
	unsigned char be[8];

	for (int i = 0; i < 8; i++)
		be[i] = (unsigned char)(value >> (56 - 8 * i));
	frame_put(w, tag, be, sizeof(be));
}

void frame_put_text(struct frame_writer *w, unsigned tag, const char *text)
{
	if (text != NULL)
		frame_put(w, tag, text, strlen(text));
}

void frame_put_error(struct frame_writer *w, const struct error *err)
{
	frame_put_u64(w, FRAME_TAG_STATUS, (uint64_t)err->status);
	frame_put_text(w, FRAME_TAG_MESSAGE, err->msg);
}

bool frame_finish(struct frame_writer *w, unsigned char **out, size_t *len)
{
	frame_put(w, FRAME_TAG_END, NULL, 0);
	if (w->failed) {
		frame_writer_free(w);
		return false;
	}
	*out = w->buf;
	*len = w->len;
	memset(w, 0, sizeof(*w));
	return true;
}

void frame_writer_free(struct frame_writer *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

void frame_reader_init(struct frame_reader *r, const void *data, size_t len)
{
	r->p = data;
	r->left = data ? len : 0;
	r->started = false;
	r->ended = false;
}

static enum frame_next bad(struct frame_reader *r)
{
	r->ended = true;
	r->left = 0;
	return FRAME_BAD;
}

enum frame_next frame_next(struct frame_reader *r, size_t max_len, struct frame_item *item)
{
	size_t len = 0;

	if (r->ended)
		return FRAME_BAD;
	if (!r->started) {
		if (r->left < FRAME_MAGIC_LEN || memcmp(r->p, FRAME_MAGIC, FRAME_MAGIC_LEN) != 0)
			return bad(r);
		r->p += FRAME_MAGIC_LEN;
		r->left -= FRAME_MAGIC_LEN;
		r->started = true;
	}
	if (r->left < FRAME_RECORD_HEADER)
		return bad(r);
	for (int i = 0; i < 4; i++)
		len = len << 8 | r->p[2 + i];
	item->tag = (unsigned)r->p[0] << 8 | r->p[1];
	if (len > max_len || len > r->left - FRAME_RECORD_HEADER)
		return bad(r);
	item->data = r->p + FRAME_RECORD_HEADER;
	item->len = len;
	r->p += FRAME_RECORD_HEADER + len;
	r->left -= FRAME_RECORD_HEADER + len;
	if (item->tag != FRAME_TAG_END)
		return FRAME_ITEM;
	r->ended = true;
	return len == 0 && r->left == 0 ? FRAME_DONE : FRAME_BAD;
}

bool frame_is_whole(const void *data, size_t len)
{
	struct frame_reader r;
	struct frame_item it;
	enum frame_next next;

	frame_reader_init(&r, data, len);
	while ((next = frame_next(&r, SIZE_MAX, &it)) == FRAME_ITEM)
		;
	return next == FRAME_DONE;
}

bool frame_item_u64(const struct frame_item *item, uint64_t *out)
{
	uint64_t v = 0;

	if (item->len != 8)
		return false;
	for (int i = 0; i < 8; i++)
		v = v << 8 | item->data[i];
	*out = v;
	return true;
}

char *frame_item_text(const struct frame_item *item, size_t max)
{
	if (item->len > max || memchr(item->data, '\0', item->len) != NULL)
		return NULL;
	return text_escape_copy((const char *)item->data, item->len, false);
}
