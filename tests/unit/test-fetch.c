/* SPDX-License-Identifier: MIT */
/* Fetching (fetch_bundle) from file:// mirrors: a body the accept callback
 * refuses passes the mirror over for the next; when every body is refused the
 * status is STATUS_DATA naming each mirror; when none answers,
 * STATUS_UNAVAILABLE; a body over max_size is refused before accept sees it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fetch.h"
#include "fixture.h"
#include "log.h"
#include "tap.h"

static char scratch[] = "/tmp/anchorsync-test-fetch-XXXXXX";

static void write_mirror(const char *name, const char *text)
{
	char path[1200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", scratch, name);
	f = fopen(path, "w");
	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
}

/* Takes a body unless it says "refuse"; counts the bodies it saw. */
static enum status accept_body(const char *body, size_t len, void *user, struct error *err)
{
	(*(int *)user)++;
	(void)len;
	if (strstr(body, "refuse") != NULL)
		return error_set(err, STATUS_DATA, "refused by the test");
	return STATUS_OK;
}

/* Fetches from the mirrors a and b (names in the scratch directory) with
 * max_size; the body taken is in *body (caller frees), the accept calls in *seen. */
static enum status fetch(const char *a, const char *b, const char *max_size, char **body,
			 int *seen, struct error *err)
{
	struct fetch_cache none = { 0 };
	struct fetch_result r;
	struct config cfg;
	char text[4096];
	enum status st;

	snprintf(text, sizeof(text), "[source]\nurl = file://%s/%s\nurl = file://%s/%s\n"
		 "pin = sha256:57b074458962f34f05cd140286b8e86cc0cd2d12de024e3b755d398d3edb170b\n"
		 "max_size = %s\n", scratch, a, scratch, b, max_size);
	config_init(&cfg);
	if (config_load_text(&cfg, "test.conf", text, strlen(text), err) != STATUS_OK) {
		printf("Bail out! %s\n", err->msg);
		exit(1);
	}
	*seen = 0;
	err->msg[0] = '\0';
	st = fetch_bundle(&cfg, NULL, 0, &none, false, accept_body, seen, &r, err);
	*body = st == STATUS_OK && r.body ? strdup(r.body) : NULL;
	fetch_result_free(&r);
	config_free(&cfg);
	return st;
}

int main(void)
{
	struct error err;
	char *body;
	int seen;

	log_open("test-fetch", -1);
	scratch_make(scratch);
	write_mirror("good", "good body\n");
	write_mirror("bad", "refuse this body\n");
	write_mirror("big", "a body longer than sixteen bytes\n");

	ok(fetch("good", "bad", "1M", &body, &seen, &err) == STATUS_OK && seen == 1,
	   "the first mirror's acceptable body is taken");
	is_str(body, "good body\n", "  ... as it was served");
	free(body);
	ok(fetch("bad", "good", "1M", &body, &seen, &err) == STATUS_OK && seen == 2,
	   "a refused body passes the mirror over for the next");
	is_str(body, "good body\n", "  ... whose body is taken");
	free(body);
	ok(fetch("bad", "bad", "1M", &body, &seen, &err) == STATUS_DATA && seen == 2,
	   "every body refused: STATUS_DATA");
	ok(tap_contains(err.msg, "/bad': refused by the test; 'file://"),
	   "  ... naming each mirror and why");
	ok(fetch("none", "missing", "1M", &body, &seen, &err) == STATUS_UNAVAILABLE && seen == 0,
	   "no mirror answers: STATUS_UNAVAILABLE");
	ok(fetch("big", "good", "16", &body, &seen, &err) == STATUS_OK && seen == 1,
	   "a body over max_size is passed over before accept sees it");
	free(body);
	scratch_remove(scratch);
	return tap_done();
}
