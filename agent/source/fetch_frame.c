/* SPDX-License-Identifier: MIT */
#include "fetch_frame.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "log.h"
#include "manifest.h"

#define URL_MAX 4096
#define VALIDATOR_MAX 256

size_t fetch_frame_max(const struct config *cfg)
{
	return cfg->max_size + FETCH_FRAME_MAX_ROOTS * (FETCH_FRAME_MAX_DER + FRAME_RECORD_HEADER) +
	       64 * 1024;
}

/* ---- the child's side ---- */

/* DER certificates, in order. */
struct der_list {
	gnutls_datum_t items[FETCH_FRAME_MAX_ROOTS];
	unsigned count;
};

static void der_list_free(struct der_list *l)
{
	for (unsigned i = 0; i < l->count; i++)
		gnutls_free(l->items[i].data);
	l->count = 0;
}

/* Appends the DER of every certificate in the PEM text, base64-decoded: the
 * selection wrote that PEM from certificates it had parsed already. */
static bool der_list_add_pem(struct der_list *l, const char *pem, size_t len)
{
	size_t at = 0, added = 0;
	gnutls_datum_t der;
	enum pem_found found;

	while ((found = pem_next_der(pem, len, &at, &der)) == PEM_CERTIFICATE) {
		if (l->count == FETCH_FRAME_MAX_ROOTS) {
			gnutls_free(der.data);
			return false;
		}
		l->items[l->count++] = der;
		added++;
	}
	return found == PEM_NONE && added > 0;
}

static bool pin_held(const struct trustchain *next, const struct pin *pin)
{
	for (size_t i = 0; i < next->pending_count; i++)
		if (pin_equal(&next->pending[i].pin, pin))
			return true;
	return false;
}

void fetch_frame_encode(const struct fetch_outcome *out, struct frame_writer *w)
{
	const struct fetch_result *f = &out->fetched;
	const struct trustchain *next = &out->next;
	struct der_list ders = { .count = 0 };
	bool ok = true;

	if (next->serial != 0)
		ok = next->roots_pem && der_list_add_pem(&ders, next->roots_pem,
							 strlen(next->roots_pem));
	for (size_t i = 0; ok && next->serial == 0 && i < out->anchors.count; i++)
		ok = der_list_add_pem(&ders, out->anchors.items[i].pem, out->anchors.items[i].pem_len);
	if (!ok) {
		struct error err;

		error_set(&err, STATUS_INTERNAL, "cannot encode the accepted roots");
		frame_put_error(w, &err);
		der_list_free(&ders);
		return;
	}
	frame_put_text(w, FETCH_TAG_URL, f->url);
	if (f->not_modified)
		frame_put(w, FETCH_TAG_NOT_MODIFIED, NULL, 0);
	else
		frame_put(w, FETCH_TAG_BODY, f->body, f->len);
	frame_put_text(w, FETCH_TAG_ETAG, f->validators.etag);
	frame_put_text(w, FETCH_TAG_LAST_MODIFIED, f->validators.last_modified);
	if (next->serial != 0) {
		frame_put_u64(w, FETCH_TAG_SERIAL, next->serial);
		frame_put_u64(w, FETCH_TAG_EXPIRES, (uint64_t)next->expires);
		frame_put(w, FETCH_TAG_CONTENT, next->content.sha256, PIN_BYTES);
		frame_put_text(w, FETCH_TAG_SIGNER, next->signer ? next->signer : "");
	}
	if (next->serial != 0 && next->verified.at != 0) {
		unsigned char v[16];

		for (int i = 0; i < 8; i++) {
			v[i] = (unsigned char)((uint64_t)next->verified.at >> (56 - 8 * i));
			v[8 + i] = (unsigned char)((uint64_t)next->verified.until >> (56 - 8 * i));
		}
		frame_put(w, FETCH_TAG_VERIFIED, v, sizeof(v));
	}
	for (unsigned i = 0; i < ders.count; i++) {
		struct pin pin;

		pin_of_der(ders.items[i].data, ders.items[i].size, &pin);
		frame_put(w, pin_held(next, &pin) ? FETCH_TAG_HELD : FETCH_TAG_ROOT,
			  ders.items[i].data, ders.items[i].size);
	}
	der_list_free(&ders);
}

/* ---- the parent's side ---- */

struct root_rec {
	struct pin pin;
	const unsigned char *der;
	size_t len;
	bool held;
};

/* What the records said, before the checks that relate them. */
struct parsed {
	const char *url;		/* cfg's string */
	bool not_modified, have_body, have_serial, have_expires, have_content, have_verified;
	const unsigned char *body;
	size_t body_len;
	char *etag, *last_modified, *signer;
	uint64_t serial, expires;
	uint64_t verified_at, verified_until;
	struct pin content;
	struct root_rec roots[FETCH_FRAME_MAX_ROOTS];
	size_t root_count, install_count;
};

static void parsed_free(struct parsed *p)
{
	free(p->etag);
	free(p->last_modified);
	free(p->signer);
}

static enum status bad(struct error *err, const char *why)
{
	return error_set(err, STATUS_DATA, "the unprivileged fetch sent a malformed result "
			 "(%s); nothing was changed", why);
}

static const char *configured_url(const struct config *cfg, const struct frame_item *it)
{
	for (size_t i = 0; i < cfg->urls.count; i++)
		if (strlen(cfg->urls.items[i]) == it->len &&
		    memcmp(cfg->urls.items[i], it->data, it->len) == 0)
			return cfg->urls.items[i];
	return NULL;
}

static enum status take_validator(char **slot, const struct frame_item *it, struct error *err)
{
	if (*slot != NULL)
		return bad(err, "a validator twice");
	*slot = frame_item_text(it, VALIDATOR_MAX);
	if (*slot == NULL || !fetch_validator_valid(*slot))
		return bad(err, "a malformed validator");
	return STATUS_OK;
}

static enum status take_root(struct parsed *p, const struct frame_item *it, struct error *err)
{
	struct root_rec *r = &p->roots[p->root_count];

	if (p->root_count == FETCH_FRAME_MAX_ROOTS)
		return bad(err, "too many roots");
	if (it->len == 0 || it->len > FETCH_FRAME_MAX_DER)
		return bad(err, "a root of a wrong size");
	r->der = it->data;
	r->len = it->len;
	r->held = it->tag == FETCH_TAG_HELD;
	pin_of_der(r->der, r->len, &r->pin);
	for (size_t i = 0; i < p->root_count; i++)
		if (pin_equal(&p->roots[i].pin, &r->pin))
			return bad(err, "a root twice");
	p->root_count++;
	if (!r->held)
		p->install_count++;
	return STATUS_OK;
}

/* One record into p; a record given twice or of a wrong size is refused. */
static enum status take(struct parsed *p, const struct config *cfg, const struct frame_item *it,
			struct error *err)
{
	switch (it->tag) {
	case FETCH_TAG_URL:
		if (p->url || (p->url = configured_url(cfg, it)) == NULL)
			return bad(err, "a url that is not a configured mirror");
		return STATUS_OK;
	case FETCH_TAG_NOT_MODIFIED:
		if (p->not_modified || it->len != 0)
			return bad(err, "not-modified twice");
		p->not_modified = true;
		return STATUS_OK;
	case FETCH_TAG_BODY:
		if (p->have_body || it->len > cfg->max_size)
			return bad(err, "a second body, or one over max_size");
		p->have_body = true;
		p->body = it->data;
		p->body_len = it->len;
		return STATUS_OK;
	case FETCH_TAG_ETAG:
		return take_validator(&p->etag, it, err);
	case FETCH_TAG_LAST_MODIFIED:
		return take_validator(&p->last_modified, it, err);
	case FETCH_TAG_ROOT:
	case FETCH_TAG_HELD:
		return take_root(p, it, err);
	case FETCH_TAG_SERIAL:
		if (p->have_serial || !frame_item_u64(it, &p->serial) || p->serial == 0 ||
		    p->serial > INT64_MAX)
			return bad(err, "a malformed serial");
		p->have_serial = true;
		return STATUS_OK;
	case FETCH_TAG_EXPIRES:
		if (p->have_expires || !frame_item_u64(it, &p->expires) || p->expires > INT64_MAX)
			return bad(err, "a malformed expiry");
		p->have_expires = true;
		return STATUS_OK;
	case FETCH_TAG_CONTENT:
		if (p->have_content || it->len != PIN_BYTES)
			return bad(err, "a malformed content hash");
		memcpy(p->content.sha256, it->data, PIN_BYTES);
		p->have_content = true;
		return STATUS_OK;
	case FETCH_TAG_VERIFIED:
		if (p->have_verified || it->len != 16)
			return bad(err, "a malformed signature decision");
		for (int i = 0; i < 8; i++) {
			p->verified_at = p->verified_at << 8 | it->data[i];
			p->verified_until = p->verified_until << 8 | it->data[8 + i];
		}
		if (p->verified_at == 0 || p->verified_at > INT64_MAX ||
		    p->verified_until > INT64_MAX)
			return bad(err, "a malformed signature decision");
		p->have_verified = true;
		return STATUS_OK;
	case FETCH_TAG_SIGNER:
		if (p->signer || (p->signer = frame_item_text(it, FETCH_FRAME_MAX_SIGNER)) == NULL)
			return bad(err, "a malformed signer");
		return STATUS_OK;
	}
	return bad(err, "an unknown record");
}

static enum status parse(const unsigned char *frame, size_t len, const struct config *cfg,
			 struct parsed *p, struct error *err)
{
	size_t max = cfg->max_size > FETCH_FRAME_MAX_DER ? cfg->max_size : FETCH_FRAME_MAX_DER;
	struct frame_reader r;
	struct frame_item it;
	enum frame_next next;
	enum status st = STATUS_OK;

	frame_reader_init(&r, frame, len);
	while (st == STATUS_OK && (next = frame_next(&r, max, &it)) == FRAME_ITEM)
		st = take(p, cfg, &it, err);
	if (st == STATUS_OK && next != FRAME_DONE)
		st = bad(err, "broken framing");
	if (st == STATUS_OK && p->url == NULL)
		st = bad(err, "no url");
	if (st == STATUS_OK && p->not_modified == p->have_body)
		st = bad(err, "neither a body nor not-modified, or both");
	if (st == STATUS_OK && p->install_count == 0)
		st = bad(err, "no root to install");
	if (st == STATUS_OK && p->have_serial != (p->have_expires && p->have_content && p->signer))
		st = bad(err, "a signed bundle's state incomplete");
	if (st == STATUS_OK && !p->have_serial &&
	    (p->have_expires || p->have_content || p->signer || p->have_verified ||
	     p->root_count != p->install_count))
		st = bad(err, "a signed bundle's state for a plain bundle");
	return st;
}

static bool pinned(const struct config *cfg, const struct pin *pin)
{
	for (size_t i = 0; i < cfg->pin_count; i++)
		if (pin_equal(&cfg->pins[i], pin))
			return true;
	return false;
}

/* The checks that relate the records to the parent's own state. */
static enum status check_policy(const struct parsed *p, const struct fetch_request *rq,
				time_t now, struct error *err)
{
	const struct trustchain *tc = rq->chain;
	char text[PIN_TEXT_SIZE];

	if (p->not_modified && rq->kept == NULL)
		return bad(err, "not-modified without a kept bundle");
	if (!p->have_serial && (tc->serial != 0 || rq->cfg->require_signature))
		return error_set(err, STATUS_DATA, "the unprivileged fetch accepted a plain "
				 "bundle where only a signed one may be; nothing was changed");
	if (p->have_serial && p->serial < tc->serial)
		return error_set(err, STATUS_DATA, "the unprivileged fetch accepted a rollback "
				 "from serial %llu to %llu; nothing was changed", tc->serial,
				 (unsigned long long)p->serial);
	if (p->have_serial && p->serial == tc->serial && !pin_equal(&p->content, &tc->content))
		return error_set(err, STATUS_DATA, "the unprivileged fetch accepted other content "
				 "for serial %llu; nothing was changed", tc->serial);
	if (p->have_serial && (long long)p->expires <= (long long)now)
		return error_set(err, STATUS_DATA, "the unprivileged fetch accepted an expired "
				 "signed bundle; nothing was changed");
	for (size_t i = 0; i < p->root_count; i++) {
		const struct root_rec *r = &p->roots[i];
		bool held = p->have_serial &&
			    trustchain_held_down(tc, rq->cfg, rq->installed, &r->pin, now, NULL);

		pin_format(&r->pin, text);
		if (!p->have_serial && !pinned(rq->cfg, &r->pin))
			return error_set(err, STATUS_DATA, "the unprivileged fetch returned root %s, "
					 "which is not pinned; nothing was changed", text);
		if (held != r->held)
			return error_set(err, STATUS_DATA, "the unprivileged fetch %s root %s; "
					 "nothing was changed", held ? "did not hold down" :
					 "held down", text);
	}
	return STATUS_OK;
}

/* Appends the PEM of der to *pem (grown; caller frees). */
static bool pem_append(char **pem, size_t *len, const unsigned char *der, size_t der_len)
{
	gnutls_datum_t in = { (unsigned char *)der, (unsigned)der_len }, out = { NULL, 0 };
	char *grown;

	if (gnutls_pem_base64_encode2("CERTIFICATE", &in, &out) < 0)
		return false;
	grown = realloc(*pem, *len + out.size + 1);
	if (grown != NULL) {
		memcpy(grown + *len, out.data, out.size);
		*len += out.size;
		grown[*len] = '\0';
		*pem = grown;
	}
	gnutls_free(out.data);
	return grown != NULL;
}

/* r as an anchor, its subject and expiry from the manifest entry e. */
static enum status anchor_from_entry(const struct root_rec *r, const struct manifest_entry *e,
				     struct anchor *a, struct error *err)
{
	a->pin = r->pin;
	a->not_after = e->not_after;
	a->subject = strdup(e->subject);
	if (a->subject == NULL || !pem_append(&a->pem, &a->pem_len, r->der, r->len)) {
		free(a->subject);
		free(a->pem);
		return error_set(err, STATUS_INTERNAL, "out of memory");
	}
	return STATUS_OK;
}

/* r as an anchor, through bundle_select's checks from its DER. */
static enum status anchor_checked(const struct root_rec *r, time_t now, struct anchor *a,
				  struct error *err)
{
	struct anchor_set one;
	char *pem = NULL;
	size_t len = 0;
	enum status st;

	if (!pem_append(&pem, &len, r->der, r->len))
		return error_set(err, STATUS_INTERNAL, "out of memory");
	st = bundle_select(pem, len, &(struct bundle_rules){ .pins = &r->pin, .pin_count = 1,
			   .now = now }, &one, err);
	if (st == STATUS_OK) {
		*a = one.items[0];
		one.count = 0;	/* handed over */
	}
	anchor_set_free(&one);
	free(pem);
	return st;
}

/* The roots to install, in the frame's order: each checked again from its
 * DER, unless it is one installed before (manifest_find_current). */
static enum status build_anchors(const struct parsed *p, const struct fetch_request *rq,
				 time_t now, struct anchor_set *out, struct error *err)
{
	enum status st = STATUS_OK;

	out->items = calloc(p->install_count, sizeof(*out->items));
	if (out->items == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < p->root_count && st == STATUS_OK; i++) {
		const struct root_rec *r = &p->roots[i];
		const struct manifest_entry *e;

		if (r->held)
			continue;
		e = manifest_find_current(rq->installed, &r->pin, now);
		st = e ? anchor_from_entry(r, e, &out->items[out->count], err) :
			 anchor_checked(r, now, &out->items[out->count], err);
		if (st == STATUS_OK)
			out->count++;
	}
	if (st != STATUS_OK && st != STATUS_INTERNAL)
		error_prefix(err, "the unprivileged fetch returned roots that do not pass: "
			     "nothing was changed");
	return st;
}

/* The signature decision to remember, from what the parent knows: the
 * bytes' hash and the policy computed here, the child's word only for the
 * chain's expiry (cut here at the bundle's expiry and the day's end). */
static void build_verified(const struct parsed *p, const struct fetch_request *rq, time_t now,
			   struct trust_verified *v)
{
	const struct trust_verified *before = &rq->chain->verified;
	const char *bytes = p->have_body ? (const char *)p->body : rq->kept;
	size_t len = p->have_body ? p->body_len : rq->kept_len;

	memset(v, 0, sizeof(*v));
	if (!p->have_verified)
		return;
	pin_of_der((const unsigned char *)bytes, len, &v->body);
	trustchain_policy(rq->chain, rq->cfg, &v->policy);
	/* Taken from rq->chain: it stands only as it was. (A decision made
	 * again within the same second is a new one.) */
	if (before->at != 0 && p->verified_at == (uint64_t)before->at &&
	    pin_equal(&before->body, &v->body) && pin_equal(&before->policy, &v->policy) &&
	    before->until > (long long)now) {
		*v = *before;
		return;
	}
	v->at = (long long)now;
	v->until = trustchain_verified_until((long long)p->verified_until, v->at,
					     (long long)p->expires);
	if (v->until <= v->at)
		memset(v, 0, sizeof(*v));
}

/* The custody state to save: what the bundle lists, the parent's clocks. */
static enum status build_next(struct parsed *p, const struct fetch_request *rq, time_t now,
			      struct trustchain *next, struct error *err)
{
	const struct trustchain *tc = rq->chain;
	size_t pem_len = 0;

	next->serial = p->serial;
	next->content = p->content;
	next->expires = (long long)p->expires;
	next->accepted = tc->serial == p->serial ? tc->accepted : (long long)now;
	next->signer = p->signer;
	p->signer = NULL;
	build_verified(p, rq, now, &next->verified);
	next->roots = calloc(p->root_count, sizeof(*next->roots));
	next->pending = calloc(p->root_count, sizeof(*next->pending));
	if (next->roots == NULL || next->pending == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < p->root_count; i++) {
		const struct root_rec *r = &p->roots[i];
		long long since;

		next->roots[next->root_count++] = r->pin;
		if (r->held) {
			trustchain_held_down(tc, rq->cfg, rq->installed, &r->pin, now, &since);
			next->pending[next->pending_count++] = (struct trust_pending){ r->pin, since };
		}
		if (!pem_append(&next->roots_pem, &pem_len, r->der, r->len))
			return error_set(err, STATUS_INTERNAL, "out of memory");
	}
	return STATUS_OK;
}

static enum status build_fetched(struct parsed *p, time_t now, struct fetch_result *f,
				 struct error *err)
{
	f->url = p->url;
	f->not_modified = p->not_modified;
	f->validators.etag = p->etag;
	f->validators.last_modified = p->last_modified;
	p->etag = p->last_modified = NULL;
	f->validators.url = strdup(p->url);
	f->validators.fetched = (long long)now;
	if (p->have_body && (f->body = malloc(p->body_len + 1)) != NULL) {
		memcpy(f->body, p->body, p->body_len);
		f->body[p->body_len] = '\0';
		f->len = p->body_len;
	}
	if (f->validators.url == NULL || (p->have_body && f->body == NULL))
		return error_set(err, STATUS_INTERNAL, "out of memory");
	return STATUS_OK;
}

enum status fetch_frame_check(const unsigned char *frame, size_t len,
			      const struct fetch_request *rq, time_t now,
			      struct fetch_outcome *out, struct error *err)
{
	static const enum status allowed[] = { STATUS_DATA, STATUS_UNAVAILABLE, STATUS_INTERNAL };
	struct parsed *p = calloc(1, sizeof(*p));
	enum status st;

	memset(out, 0, sizeof(*out));
	if (p == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	st = privsep_frame_error(frame, len, allowed, 3, "the unprivileged fetch", err);
	if (st == STATUS_OK)
		st = parse(frame, len, rq->cfg, p, err);
	if (st == STATUS_OK)
		st = check_policy(p, rq, now, err);
	if (st == STATUS_OK)
		st = build_anchors(p, rq, now, &out->anchors, err);
	if (st == STATUS_OK && p->have_serial)
		st = build_next(p, rq, now, &out->next, err);
	if (st == STATUS_OK)
		st = build_fetched(p, now, &out->fetched, err);
	parsed_free(p);
	free(p);
	return st;
}
