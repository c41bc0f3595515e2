/* Bundle selection: only pinned, valid roots survive; bad data is refused whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "fileio.h"
#include "log.h"
#include "tap.h"

#define PIN_ROOT "sha256:57b074458962f34f05cd140286b8e86cc0cd2d12de024e3b755d398d3edb170b"
#define PIN_NOSIGN "sha256:0c06bc5d655fed6f397ec53d89c97f924cc5fb9678f3c5dc308663902205eb01"
#define PIN_INTER "sha256:c2d50519449793de77cead4fd670a20c154c5a34a73942ee41a4bfaa5f9fb8d8"
#define PIN_LEAF "sha256:cbdd71cd98a35158ac8e8edbaf9bce90fe475807514beea7db995cca23eef2d5"

#define Y2026 1767225600	/* inside every fixture's validity (2020-2040) */
#define Y2019 1559347200
#define Y2041 2240611200

static char *fixture(const char *name)
{
	char path[1024], *data = NULL;
	size_t len;

	snprintf(path, sizeof(path), "%s/tests/unit/data/%s", getenv("top_srcdir"), name);
	if (file_read(path, 1 << 20, &data, &len, NULL, NULL) != STATUS_OK) {
		printf("Bail out! cannot read %s\n", path);
		exit(1);
	}
	return data;
}

static enum status select_with(const char *data, const char *pin, time_t now,
			       struct anchor_set *set, struct error *err)
{
	struct pin p;

	pin_parse(pin, &p);
	return bundle_select(data, strlen(data), &p, 1, now, set, err);
}

/* Expects the single pinned certificate in data to be refused with what. */
static void refuses(const char *data, const char *pin, time_t now, const char *what,
		    const char *desc)
{
	struct anchor_set set;
	struct error err = { .msg = "" };
	enum status st = select_with(data, pin, now, &set, &err);

	if (!ok(st == STATUS_DATA && set.count == 0 && strstr(err.msg, what), desc))
		printf("#   got %d: %s\n", st, err.msg);
	anchor_set_free(&set);
}

int main(void)
{
	char *root = fixture("root.pem"), *leaf = fixture("leaf.pem");
	char *inter = fixture("intermediate.pem"), *nosign = fixture("root-no-certsign.pem");
	struct anchor_set set;
	struct error err;
	char *mixed, *truncated;

	log_open("test-bundle", -1);
	ok(select_with(root, PIN_ROOT, Y2026, &set, &err) == STATUS_OK && set.count == 1,
	   "a pinned valid root is selected");
	ok(set.count == 1 && strstr(set.items[0].subject, "CN=Unit Root") != NULL, "with its subject");
	ok(set.count == 1 && strncmp(set.items[0].pem, "-----BEGIN CERTIFICATE-----", 27) == 0,
	   "and its PEM");
	anchor_set_free(&set);

	if (asprintf(&mixed, "intro text\n%s%s\n%s", leaf, root, root) < 0)
		return 1;
	ok(select_with(mixed, PIN_ROOT, Y2026, &set, &err) == STATUS_OK && set.count == 1,
	   "unpinned certificates and text around PEM are ignored, duplicates collapse");
	anchor_set_free(&set);
	free(mixed);

	refuses(root, PIN_LEAF, Y2026, "none of the 1 certificates", "a wrong pin selects nothing");
	refuses(leaf, PIN_LEAF, Y2026, "rejected", "a pinned leaf is not a CA");
	refuses(inter, PIN_INTER, Y2026, "rejected", "a pinned intermediate is not a root");
	refuses(nosign, PIN_NOSIGN, Y2026, "rejected", "a CA without keyCertSign is refused");
	refuses(root, PIN_ROOT, Y2041, "rejected", "an expired root is refused");
	refuses(root, PIN_ROOT, Y2019, "rejected", "a root not valid yet is refused");
	refuses("<html><body>503</body></html>", PIN_ROOT, Y2026, "no PEM certificate",
		"an HTML page is not a bundle");
	refuses("", PIN_ROOT, Y2026, "no PEM certificate", "an empty body is not a bundle");

	truncated = strdup(root);
	truncated[strlen(truncated) / 2] = '\0';
	refuses(truncated, PIN_ROOT, Y2026, "truncated or malformed", "a truncated PEM is refused");
	if (asprintf(&mixed, "%s%s", root, truncated) < 0)
		return 1;
	refuses(mixed, PIN_ROOT, Y2026, "truncated or malformed",
		"a good root followed by a cut one refuses the whole bundle");

	free(mixed);
	free(truncated);
	free(root);
	free(leaf);
	free(inter);
	free(nosign);
	return tap_done();
}
