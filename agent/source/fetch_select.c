/* SPDX-License-Identifier: MIT */
#include "fetch_select.h"

#include <stdlib.h>
#include <string.h>

#include "fetch_frame.h"
#include "fileio.h"
#include "log.h"
#include "signed_bundle.h"

/* What accept_body needs across mirrors. */
struct selecting {
	const struct fetch_request *rq;
	struct fetch_outcome *out;
	char *installed_pem;		/* read once, for a first signed bundle */
	bool kept_selected;		/* out holds the kept bundle's selection */
};

/* What fetch_bundle asks of each mirror's body: the signature or pin checks
 * and the root checks (trustchain_select). */
static enum status accept_body(const char *body, size_t len, void *user, struct error *err)
{
	struct selecting *s = user;
	const struct fetch_request *rq = s->rq;

	/* A whole answer with the kept bytes (a server without validators, a
	 * file:// source) was selected a moment ago: not twice. */
	if (s->kept_selected && len == rq->kept_len && memcmp(body, rq->kept, len) == 0)
		return STATUS_OK;
	s->kept_selected = false;
	anchor_set_free(&s->out->anchors);
	trustchain_free(&s->out->next);
	/* Read only for a first signed bundle, never on a plain bundle's run. */
	if (s->installed_pem == NULL && rq->installed_pem && rq->chain->serial == 0 &&
	    signed_detect(body, len))
		s->installed_pem = rq->installed_pem(rq->user);
	return trustchain_select(rq->chain, rq->cfg, rq->installed, s->installed_pem, body, len,
				 time(NULL), &s->out->anchors, &s->out->next, err);
}

enum status fetch_select(const struct fetch_request *rq, struct fetch_outcome *out,
			 struct error *err)
{
	struct selecting s = { rq, out, NULL, false };
	bool conditional = rq->kept != NULL && fetch_cache_usable(rq->cache, time(NULL));
	struct error cerr;
	enum status st;

	memset(out, 0, sizeof(*out));
	/* A conditional request stands on the kept bundle: made only when it
	 * still passes the checks (its anchors then serve a 304). */
	if (conditional && accept_body(rq->kept, rq->kept_len, &s, &cerr) != STATUS_OK) {
		log_warn("fetching the whole bundle: the kept one does not pass: %s", cerr.msg);
		conditional = false;
	}
	s.kept_selected = conditional;
	st = fetch_bundle(rq->cfg, rq->ca_pem, rq->ca_len, rq->cache, conditional, accept_body, &s,
			  &out->fetched, err);
	free(s.installed_pem);
	return st;
}

/* The child's work: the step, then its outcome as a frame. */
static void select_work(void *arg, struct frame_writer *w)
{
	const struct fetch_request *rq = arg;
	struct fetch_outcome out;
	struct error err;

	if (fetch_select(rq, &out, &err) == STATUS_OK)
		fetch_frame_encode(&out, w);
	else
		frame_put_error(w, &err);
	fetch_outcome_free(&out);
}

enum status fetch_select_unprivileged(const struct fetch_request *rq,
				      const struct privsep_user *u, struct fetch_outcome *out,
				      struct error *err)
{
	static const char what[] = "the unprivileged fetch";
	unsigned timeout = (unsigned)rq->cfg->urls.count * rq->cfg->source_timeout +
			   FETCH_CHILD_MARGIN;
	struct fetch_request child = *rq;
	unsigned char *frame = NULL;
	char *ca = NULL;
	size_t len = 0;
	enum status st = STATUS_OK;

	memset(out, 0, sizeof(*out));
	if (rq->cfg->source_ca_file &&
	    (st = file_read(rq->cfg->source_ca_file, FETCH_CA_MAX, &ca, &child.ca_len, NULL,
			    err)) != STATUS_OK) {
		error_prefix(err, "[source] ca_file");
		err->status = st = st == STATUS_INTERNAL ? st : STATUS_CONFIG;
		return st;
	}
	child.ca_pem = ca;
	st = privsep_run(u, what, timeout, fetch_frame_max(rq->cfg), select_work, &child,
			 &frame, &len, err);
	if (st == STATUS_OK)
		st = fetch_frame_check(frame, len, rq, time(NULL), out, err);
	free(frame);
	free(ca);
	return st;
}

void fetch_outcome_free(struct fetch_outcome *out)
{
	fetch_result_free(&out->fetched);
	anchor_set_free(&out->anchors);
	trustchain_free(&out->next);
}
