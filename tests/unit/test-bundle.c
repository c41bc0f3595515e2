/* SPDX-License-Identifier: MIT */
/* Bundle selection: only pinned, valid roots survive; bad data is refused whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "fileio.h"
#include "fixture.h"
#include "log.h"
#include "tap.h"

#define PIN_ROOT "sha256:57b074458962f34f05cd140286b8e86cc0cd2d12de024e3b755d398d3edb170b"
#define PIN_NOSIGN "sha256:0c06bc5d655fed6f397ec53d89c97f924cc5fb9678f3c5dc308663902205eb01"
#define PIN_INTER "sha256:c2d50519449793de77cead4fd670a20c154c5a34a73942ee41a4bfaa5f9fb8d8"
#define PIN_LEAF "sha256:cbdd71cd98a35158ac8e8edbaf9bce90fe475807514beea7db995cca23eef2d5"

/* Roots that must be refused although pinned: fixtures made for these tests. */
#define PIN_BADSIG "sha256:f678146690b38d10ff7aa697cf9357628567ae50d9922aafd367cca61804444a"
#define PIN_OTHERKEY "sha256:db6181690a24d8bfd036d3f303e540f07776469a2d235250af79c479c1836720"
#define PIN_NEWLINE "sha256:9927b38488576e33e160a32b794b33b18ba9fa7b60fcae9240f0c175c9b1b048"
#define PIN_MD5 "sha256:8cad78108897f6682080693971a876546be5ff8335b5ec425cb75c127c24341d"
#define PIN_SHA1 "sha256:9435d0d7b3a4fbc3bbf2f68d5b8ff5778c7eb05e08a342c3fa7bddcdb57f0a87"
#define PIN_RSA1024 "sha256:9169f0121a1332a0de7616b0080d27fca53c54fb64a5d66f44baa7fba628daf1"

#define Y2026 1767225600	/* inside every fixture's validity (2020-2040) */
#define Y2019 1559347200
#define Y2041 2240611200

static enum status select_with(const char *data, const char *pin, time_t now,
			       struct anchor_set *set, struct error *err)
{
	struct pin p;

	pin_parse(pin, &p);
	return bundle_select(data, strlen(data),
			     &(struct bundle_rules){ .pins = &p, .pin_count = 1, .now = now }, set, err);
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

/* root-badsig.pem is root.pem with one bit of its signature flipped (the pin is
 * of the altered DER); root-otherkey.pem names itself as issuer but another
 * key signed it. root-rsa1024, -md5 and -sha1 are otherwise valid roots. */
static void test_forgeries_and_weak_roots(void)
{
	char *badsig = fixture_read("root-badsig.pem", NULL);
	char *otherkey = fixture_read("root-otherkey.pem", NULL);
	char *md5 = fixture_read("root-md5.pem", NULL);
	char *sha1 = fixture_read("root-sha1.pem", NULL);
	char *rsa1024 = fixture_read("root-rsa1024.pem", NULL);
	struct anchor_set set;
	struct error err;

	refuses(badsig, PIN_BADSIG, Y2026, "not self-signed",
		"a root whose signature bytes were altered is refused");
	refuses(otherkey, PIN_OTHERKEY, Y2026, "not self-signed",
		"issuer == subject but signed by another key is refused");
	refuses(rsa1024, PIN_RSA1024, Y2026, "1024 bits", "an RSA-1024 root is refused");
	refuses(md5, PIN_MD5, Y2026, "MD5", "an MD5-signed root is refused");
	ok(select_with(sha1, PIN_SHA1, Y2026, &set, &err) == STATUS_OK && set.count == 1,
	   "a SHA-1-signed root is accepted (with a warning)");
	anchor_set_free(&set);
	free(badsig);
	free(otherkey);
	free(md5);
	free(sha1);
	free(rsa1024);
}

/* A stray END line makes the counts disagree after the import succeeded: the
 * bundle is refused and nothing leaks (the ASan build checks the latter). */
static void test_stray_end(const char *root)
{
	char *stray;

	if (asprintf(&stray, "%s-----END CERTIFICATE-----\n", root) < 0)
		exit(1);
	refuses(stray, PIN_ROOT, Y2026, "2 end", "a stray END line refuses the bundle");
	free(stray);
}

/* A subject with a newline in it is handed out escaped. */
static void test_control_characters(void)
{
	char *nl = fixture_read("root-newline.pem", NULL);
	struct anchor_set set;
	struct error err;

	ok(select_with(nl, PIN_NEWLINE, Y2026, &set, &err) == STATUS_OK && set.count == 1,
	   "a root whose subject holds a newline is selected");
	ok(set.count == 1 && strchr(set.items[0].subject, '\n') == NULL &&
	   strstr(set.items[0].subject, "Line\\x0aBreak") != NULL,
	   "with the newline escaped as \\x0a in its subject");
	if (set.count == 1)
		printf("#   subject: %s\n", set.items[0].subject);
	anchor_set_free(&set);
	free(nl);
}

/* select_with, as refresh runs it: with the roots installed before. */
static enum status select_known(const char *data, const char *pin, const struct manifest *m,
				struct anchor_set *set, struct error *err)
{
	struct pin p;

	pin_parse(pin, &p);
	return bundle_select(data, strlen(data), &(struct bundle_rules){ .pins = &p,
			     .pin_count = 1, .installed = m, .now = Y2026 }, set, err);
}

/* A manifest naming one root installed (or in state) until not_after. */
static void installed_as(struct manifest *m, const char *pin, time_t not_after,
			 enum manifest_state state)
{
	char file[] = "corp-root.crt", subject[] = "CN=As Installed";
	struct manifest_entry e = { .not_after = not_after, .file = file,
				    .subject = subject, .state = state };

	manifest_free(m);
	pin_parse(pin, &e.pin);
	manifest_add(m, &e);
}

/* A root installed before is taken on its manifest entry: only its key and
 * hash are judged again, the rest (the signature above all) is not. */
static void test_installed_before(const char *root)
{
	char *badsig = fixture_read("root-badsig.pem", NULL);
	char *rsa1024 = fixture_read("root-rsa1024.pem", NULL);
	struct manifest m = { NULL, 0 };
	struct anchor_set set;
	struct error err = { .msg = "" };

	installed_as(&m, PIN_ROOT, Y2026 + 86400, MANIFEST_INSTALLED);
	ok(select_known(root, PIN_ROOT, &m, &set, &err) == STATUS_OK && set.count == 1 &&
	   strcmp(set.items[0].subject, "CN=As Installed") == 0 &&
	   set.items[0].not_after == Y2026 + 86400 &&
	   strncmp(set.items[0].pem, "-----BEGIN CERTIFICATE-----", 27) == 0,
	   "a root installed before is taken with the manifest's subject and expiry");
	anchor_set_free(&set);
	installed_as(&m, PIN_ROOT, Y2026 - 1, MANIFEST_INSTALLED);
	ok(select_known(root, PIN_ROOT, &m, &set, &err) == STATUS_OK && set.count == 1 &&
	   strstr(set.items[0].subject, "CN=Unit Root") != NULL,
	   "one whose recorded expiry has passed is checked again from the certificate");
	anchor_set_free(&set);
	installed_as(&m, PIN_ROOT, Y2026 + 86400, MANIFEST_ADDING);
	ok(select_known(root, PIN_ROOT, &m, &set, &err) == STATUS_OK && set.count == 1 &&
	   strstr(set.items[0].subject, "CN=Unit Root") != NULL,
	   "one whose installation was not settled is checked again");
	anchor_set_free(&set);
	installed_as(&m, PIN_BADSIG, Y2026 + 86400, MANIFEST_INSTALLED);
	ok(select_known(badsig, PIN_BADSIG, &m, &set, &err) == STATUS_OK && set.count == 1,
	   "the signature of the bytes installed before is not verified again");
	anchor_set_free(&set);
	installed_as(&m, PIN_RSA1024, Y2026 + 86400, MANIFEST_INSTALLED);
	if (!ok(select_known(rsa1024, PIN_RSA1024, &m, &set, &err) == STATUS_DATA &&
		set.count == 0 && strstr(err.msg, "1024 bits"),
		"but its key is judged again: an RSA-1024 root installed before is refused"))
		printf("#   got: %s\n", err.msg);
	anchor_set_free(&set);
	manifest_free(&m);
	free(badsig);
	free(rsa1024);
}

int main(void)
{
	char *root = fixture_read("root.pem", NULL), *leaf = fixture_read("leaf.pem", NULL);
	char *inter = fixture_read("intermediate.pem", NULL);
	char *nosign = fixture_read("root-no-certsign.pem", NULL);
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

	test_forgeries_and_weak_roots();
	test_installed_before(root);
	test_stray_end(root);
	test_control_characters();

	free(truncated);
	free(root);
	free(leaf);
	free(inter);
	free(nosign);
	return tap_done();
}
