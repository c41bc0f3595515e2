/* SPDX-License-Identifier: MIT */
/* Fetching the published bundle with libcurl: mirrors in order, conditional
 * GET, size and time limits. */
#ifndef ANCHORSYNC_FETCH_H
#define ANCHORSYNC_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "status.h"

/* How long validators are trusted: after a day a whole answer is asked for
 * again, so a server whose ETag did not change with the bundle (same size,
 * same second) or a proxy answering 304 wrongly cannot hide a change for long. */
#define FETCH_REVALIDATE_SECONDS (24 * 60 * 60)

/* The validators of the last accepted bundle, kept in STATE_DIR/fetch-cache. */
struct fetch_cache {
	char *url;
	char *etag;
	char *last_modified;
	long long fetched;		/* when a whole answer last came */
};

/* Reads STATE_DIR/fetch-cache; a missing or unreadable file is an empty cache
 * (unreadable with a warning). A validator that fetch_validator_valid refuses
 * is dropped. */
void fetch_cache_load(struct fetch_cache *c, const char *state_dir);
enum status fetch_cache_save(const struct fetch_cache *c, const char *state_dir,
			     struct error *err);
/* Whether a and b hold the same url and validators (not the same time). */
bool fetch_cache_equal(const struct fetch_cache *a, const struct fetch_cache *b);

/* Whether c can make a conditional request now: it has a validator that is
 * younger than FETCH_REVALIDATE_SECONDS, and was not fetched in the future
 * (a clock stepped back must not postpone the daily whole fetch). */
bool fetch_cache_usable(const struct fetch_cache *c, time_t now);
void fetch_cache_free(struct fetch_cache *c);

/* Whether s may be kept and sent back as an ETag or Last-Modified: 1 to 256
 * printable ASCII characters (no control characters, no CR or LF). */
bool fetch_validator_valid(const char *s);

struct fetch_result {
	const char *url;		/* the mirror that answered (cfg's string) */
	bool not_modified;		/* 304: the cached bundle is current */
	char *body;			/* NUL-terminated; NULL when not_modified */
	size_t len;
	struct fetch_cache validators;	/* what this answer carried */
};

/* accept decides whether a mirror's body (NUL-terminated) is acceptable:
 * STATUS_OK takes it; any other status, with err filled, passes the mirror
 * over. A signed-bundle check plugs in there as well as the pin check.
 *
 * Tries each url of cfg in order until one answers 200 with a body accept takes,
 * or 304 to a conditional request. Validators from cache are sent only to the
 * url they came from, and only when use_cache. A mirror that is unreachable,
 * answers another status, sends more than max_size or a body accept refuses
 * is passed over for the next. When none succeeds: STATUS_DATA if some mirror
 * answered with a rejected body, otherwise STATUS_UNAVAILABLE; either way the
 * message names every mirror and its reason. A redirect is followed only to
 * http or https, and from an https url only to https. HTTPS is verified with
 * the system's CAs and [source] ca_file's: ca_pem (ca_len bytes) when the
 * caller read it (the unprivileged child may not be able to open it), else
 * the file by its path. The caller frees out with fetch_result_free. */
enum status fetch_bundle(const struct config *cfg, const char *ca_pem, size_t ca_len,
			 const struct fetch_cache *cache, bool use_cache,
			 enum status (*accept)(const char *body, size_t len, void *user,
					       struct error *err),
			 void *user,
			 struct fetch_result *out, struct error *err);

void fetch_result_free(struct fetch_result *r);

#endif
