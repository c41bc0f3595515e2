/* Fetching the published bundle with libcurl: mirrors in order, conditional
 * GET, size and time limits. */
#ifndef ANCHORSYNC_FETCH_H
#define ANCHORSYNC_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "status.h"

/* The validators of the last accepted bundle, kept in STATE_DIR/fetch-cache. */
struct fetch_cache {
	char *url;
	char *etag;
	char *last_modified;
};

/* Reads STATE_DIR/fetch-cache; a missing or unreadable file is an empty cache. */
void fetch_cache_load(struct fetch_cache *c, const char *state_dir);
enum status fetch_cache_save(const struct fetch_cache *c, const char *state_dir,
			     struct error *err);
bool fetch_cache_equal(const struct fetch_cache *a, const struct fetch_cache *b);
void fetch_cache_free(struct fetch_cache *c);

struct fetch_result {
	const char *url;		/* the mirror that answered (cfg's string) */
	bool not_modified;		/* 304: the cached bundle is current */
	char *body;			/* NUL-terminated; NULL when not_modified */
	size_t len;
	struct fetch_cache validators;	/* what this answer carried */
};

/* Tries each url of cfg in order; the first that answers wins. Validators from
 * cache are sent only to the url they came from, and only when use_cache.
 * Fails with STATUS_UNAVAILABLE naming every mirror's failure, or STATUS_DATA
 * when a body exceeds max_size. The caller frees out with fetch_result_free. */
enum status fetch_bundle(const struct config *cfg, const struct fetch_cache *cache,
			 bool use_cache, struct fetch_result *out, struct error *err);

void fetch_result_free(struct fetch_result *r);

#endif
