/* SPDX-License-Identifier: MIT */
/* The chain of custody for signed bundles (trustchain_select at a given now):
 * rollback (a lower serial), equivocation (the same serial with other
 * content), freeze (an expired bundle), hold_down, and the downgrade to a plain
 * bundle. Bundles are signed at run time by "Unit Chain Signer" (codeSigning)
 * under "Unit Chain Root" (tests/unit/data/make-chain.py); the extra root they
 * may list is tests/unit/data/root.pem. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fixture.h"
#include "log.h"
#include "signer.h"
#include "tap.h"
#include "trustchain.h"

#define PIN_CHAIN_ROOT "sha256:575db1ad526871209fd8dff39af4f41faa2be9dd7c2aa1692357f8ce280d2cbb"
#define Y2030 1893456000	/* now: inside every fixture's validity */
#define Y2035 "2035-01-01"	/* when the bundles expire */
#define Y2036 2082758400	/* after that */
#define DAY 86400

static char scratch[] = "/tmp/anchorsync-test-trustchain-XXXXXX";

/* The fixtures that sign (chain-signer, or chain-signer-short whose validity
 * ends at 2030-01-01T12:00:00Z). */
static const char *signer_stem = "chain-signer";

/* A signed bundle (serial, expiring on expires) of the roots in the fixtures
 * named by roots (NULL-terminated); caller frees. */
static char *sign(const char *serial, const char *expires, const char *const *roots,
		  size_t *len)
{
	char key[1024], cert[1024], in[1024], out[1024], name[64];
	struct sign_request req = { .key = key, .cert = cert, .serial = serial,
				    .expires = expires, .out = out, .bundle = in };
	struct error err = { .msg = "cannot write the roots" };
	char *data = NULL;
	FILE *f;

	snprintf(name, sizeof(name), "%.40s.key", signer_stem);
	fixture_path(name, key, sizeof(key));
	snprintf(name, sizeof(name), "%.40s.pem", signer_stem);
	fixture_path(name, cert, sizeof(cert));
	snprintf(in, sizeof(in), "%s/roots.pem", scratch);
	snprintf(out, sizeof(out), "%s/bundle.cms", scratch);
	f = fopen(in, "w");
	for (size_t i = 0; f && roots[i]; i++) {
		char *pem = fixture_read(roots[i], NULL);
		fputs(pem, f);
		free(pem);
	}
	if (f == NULL || fclose(f) != 0 || sign_bundle(&req, &err) != STATUS_OK ||
	    file_read(out, 1 << 20, &data, len, NULL, NULL) != STATUS_OK) {
		printf("Bail out! cannot sign serial %s: %s\n", serial, err.msg);
		exit(1);
	}
	return data;
}

/* The configuration: the chain root pinned, and extra (INI lines under
 * [source]). */
static void configure(struct config *cfg, const char *extra)
{
	char text[1024];
	struct error err;

	snprintf(text, sizeof(text), "[source]\nurl = file:///unused\npin = %s\n%s",
		 PIN_CHAIN_ROOT, extra);
	config_init(cfg);
	if (config_load_text(cfg, "test.conf", text, strlen(text), &err) != STATUS_OK) {
		printf("Bail out! %s\n", err.msg);
		exit(1);
	}
}

/* trustchain_select with nothing installed: out's count, or -1 on refusal
 * (err says why). next is the chain to keep; the caller frees it. */
static int select_at(const struct trustchain *tc, const struct config *cfg, const char *body,
		     size_t len, time_t now, struct trustchain *next, struct error *err)
{
	struct manifest none = { 0 };
	struct anchor_set out;
	enum status st;
	int count;

	err->msg[0] = '\0';
	st = trustchain_select(tc, cfg, &none, NULL, body, len, now, &out, next, err);
	count = st == STATUS_OK ? (int)out.count : -1;
	anchor_set_free(&out);
	return count;
}

static bool refused(int count, const struct error *err, const char *what)
{
	if (count != -1)
		printf("#   accepted %d roots, want a refusal\n", count);
	return count == -1 && tap_contains(err->msg, what);
}

static void test_serials(const struct config *cfg)
{
	static const char *const one[] = { "chain-root.pem", NULL };
	static const char *const two[] = { "chain-root.pem", "root.pem", NULL };
	struct trustchain empty = { 0 }, at5, next;
	struct error err;
	size_t len5, len4, len5b, len6;
	char *s5 = sign("5", Y2035, one, &len5), *s4 = sign("4", Y2035, one, &len4);
	char *s5b = sign("5", Y2035, two, &len5b), *s6 = sign("6", Y2035, two, &len6);

	ok(select_at(&empty, cfg, s5, len5, Y2030, &at5, &err) == 1 && at5.serial == 5,
	   "a first signed bundle under a pinned root is accepted");
	ok(refused(select_at(&at5, cfg, s4, len4, Y2030, &next, &err), &err,
		   "rollback from serial 5 to 4"), "rollback: a lower serial is refused");
	trustchain_free(&next);
	ok(select_at(&at5, cfg, s5, len5, Y2030, &next, &err) == 1 && next.serial == 5,
	   "the accepted serial with the same content is accepted again");
	trustchain_free(&next);
	ok(refused(select_at(&at5, cfg, s5b, len5b, Y2030, &next, &err), &err,
		   "(equivocation)"), "equivocation: the same serial with other content is refused");
	trustchain_free(&next);
	ok(select_at(&at5, cfg, s6, len6, Y2030, &next, &err) == 2 && next.serial == 6,
	   "a higher serial is accepted, with the roots it lists");
	trustchain_free(&next);
	ok(refused(select_at(&at5, cfg, s6, len6, Y2036, &next, &err), &err, "expired on 2035-01-01"),
	   "freeze: a bundle past its Expires is refused");
	trustchain_free(&next);
	ok(refused(select_at(&at5, cfg, "-----BEGIN CERTIFICATE-----\n", 28, Y2030, &next, &err),
		   &err, "refusing the downgrade"), "a plain bundle after a signed one is refused");
	trustchain_free(&next);
	trustchain_free(&at5);
	free(s5);
	free(s4);
	free(s5b);
	free(s6);
}

static void test_hold_down(void)
{
	static const char *const one[] = { "chain-root.pem", NULL };
	static const char *const two[] = { "chain-root.pem", "root.pem", NULL };
	static const char *const other[] = { "root.pem", NULL };
	struct trustchain empty = { 0 }, at5, at6, next;
	struct config cfg;
	struct error err;
	size_t len5, len6, len7;
	char *s5 = sign("5", Y2035, one, &len5), *s6 = sign("6", Y2035, two, &len6);
	char *s7 = sign("7", Y2035, other, &len7);

	configure(&cfg, "hold_down = 30d\n");
	ok(select_at(&empty, &cfg, s5, len5, Y2030, &at5, &err) == 1,
	   "hold_down: a pinned root is not held down");
	ok(select_at(&at5, &cfg, s6, len6, Y2030, &at6, &err) == 1 && at6.pending_count == 1 &&
	   at6.pending[0].since == Y2030, "a root only the signature vouches for is held down");
	ok(select_at(&at6, &cfg, s6, len6, Y2030 + 29 * DAY, &next, &err) == 1 &&
	   next.pending_count == 1, "  ... still 29 days on");
	trustchain_free(&next);
	ok(select_at(&at6, &cfg, s6, len6, Y2030 + 31 * DAY, &next, &err) == 2 &&
	   next.pending_count == 0, "  ... and installed 31 days on");
	trustchain_free(&next);
	ok(refused(select_at(&at5, &cfg, s7, len7, Y2030, &next, &err), &err,
		   "every root it lists is held down"),
	   "a bundle whose every root is held down is refused");
	trustchain_free(&next);
	trustchain_free(&at5);
	trustchain_free(&at6);
	config_free(&cfg);
	free(s5);
	free(s6);
	free(s7);
}

/* select_at from tc, then: was the signature verified (true), or the
 * decision tc remembered taken (false)? -1 on refusal. */
static int verified_again(const struct trustchain *tc, const struct config *cfg, const char *body,
			  size_t len, time_t now, struct error *err)
{
	struct trustchain next;
	int got = select_at(tc, cfg, body, len, now, &next, err);

	if (got >= 0)
		got = next.verified.at == (long long)now && next.verified.until > (long long)now;
	if (got == 0 && !(next.verified.at == tc->verified.at &&
			  next.verified.until == tc->verified.until))
		got = -2;	/* neither */
	trustchain_free(&next);
	return got;
}

/* The decision goes through the state file whole; a line that is not one is
 * forgotten (and the decision made again), however long its words. */
static void test_verified_state(const struct trustchain *tc)
{
	char path[1024], line[512];
	struct trustchain back;
	struct error err;

	ok(trustchain_save(tc, scratch, &err) == STATUS_OK &&
	   trustchain_load(&back, scratch, &err) == STATUS_OK &&
	   memcmp(&back.verified, &tc->verified, sizeof(back.verified)) == 0 &&
	   back.verified.at != 0, "the signature decision is saved and read back");
	trustchain_free(&back);
	snprintf(path, sizeof(path), "%s/signed", scratch);
	snprintf(line, sizeof(line), "serial 5\nverified sha256:%0160d sha256:%0100d 1 2\n", 0, 0);
	ok(file_write_atomic(path, line, strlen(line), 0644, false, &err) == STATUS_OK &&
	   trustchain_load(&back, scratch, &err) == STATUS_OK && back.serial == 5 &&
	   back.verified.at == 0, "an over-long verified line is forgotten, nothing overrun");
	trustchain_free(&back);
	snprintf(line, sizeof(line), "serial 5\nverified %s %s 200 100\n", PIN_CHAIN_ROOT,
		 PIN_CHAIN_ROOT);
	ok(file_write_atomic(path, line, strlen(line), 0644, false, &err) == STATUS_OK &&
	   trustchain_load(&back, scratch, &err) == STATUS_OK && back.verified.at == 0,
	   "a decision that ends before it was made is forgotten");
	trustchain_free(&back);
}

/* What a signature decision is remembered for, and each thing that makes it
 * again: other bytes, a new day, a changed pin or policy, the end of a
 * certificate on its chain. */
static void test_verified(const struct config *cfg)
{
	static const char *const one[] = { "chain-root.pem", NULL };
	struct trustchain empty = { 0 }, at5, at8;
	struct config other;
	struct error err;
	size_t len5, len5b, len8;
	char *s5 = sign("5", Y2035, one, &len5), *s5b = sign("5", Y2035, one, &len5b), *s8;

	ok(select_at(&empty, cfg, s5, len5, Y2030, &at5, &err) == 1 &&
	   at5.verified.at == Y2030 && at5.verified.until == Y2030 + DAY,
	   "a verified signature is remembered until the end of its UTC day");
	ok(verified_again(&at5, cfg, s5, len5, Y2030 + 3600, &err) == 0,
	   "the same bytes the same day: the signature is not verified again");
	test_verified_state(&at5);
	ok(len5 != len5b || memcmp(s5, s5b, len5) != 0, "(a second signature of the same content "
	   "differs in its bytes)");
	ok(verified_again(&at5, cfg, s5b, len5b, Y2030 + 3600, &err) == 1,
	   "other bytes for the same content: verified again");
	ok(verified_again(&at5, cfg, s5, len5, Y2030 + DAY, &err) == 1,
	   "a new day: verified again");
	configure(&other, "pin = sha256:57b074458962f34f05cd140286b8e86cc0cd2d12de024e3b755d398d3edb170b\n");
	ok(verified_again(&at5, &other, s5, len5, Y2030 + 3600, &err) == 1,
	   "a pin added: verified again");
	config_free(&other);
	configure(&other, "hold_down = 1d\n");
	ok(verified_again(&at5, &other, s5, len5, Y2030 + 3600, &err) == 1,
	   "hold_down changed: verified again");
	config_free(&other);
	configure(&other, "signer_purpose = 1.3.6.1.5.5.7.3.1\n");
	ok(refused(verified_again(&at5, &other, s5, len5, Y2030 + 3600, &err), &err,
		   "lacks the signing purpose"),
	   "signer_purpose changed: decided again, and refused");
	config_free(&other);

	signer_stem = "chain-signer-short";
	s8 = sign("8", Y2035, one, &len8);
	signer_stem = "chain-signer";
	ok(select_at(&empty, cfg, s8, len8, Y2030, &at8, &err) == 1 &&
	   at8.verified.until == Y2030 + DAY / 2,
	   "a decision lasts no longer than its signer (noon, not the day's end)");
	ok(verified_again(&at8, cfg, s8, len8, Y2030 + DAY / 2 - 60, &err) == 0,
	   "  ... remembered before it ends");
	ok(refused(verified_again(&at8, cfg, s8, len8, Y2030 + DAY / 2 + 60, &err), &err,
		   "expired"), "  ... and decided again once it ended: the signer expired");
	trustchain_free(&at5);
	trustchain_free(&at8);
	free(s5);
	free(s5b);
	free(s8);
}

static void test_plain(void)
{
	struct trustchain empty = { 0 }, next;
	struct config cfg;
	struct error err;
	size_t len;
	char *root = fixture_read("chain-root.pem", &len);

	configure(&cfg, "");
	ok(select_at(&empty, &cfg, root, len, Y2030, &next, &err) == 1 && next.serial == 0,
	   "a plain bundle is selected by pin before any signed one");
	trustchain_free(&next);
	config_free(&cfg);
	configure(&cfg, "require_signature = yes\n");
	ok(refused(select_at(&empty, &cfg, root, len, Y2030, &next, &err), &err,
		   "require_signature"), "  ... and refused when require_signature is set");
	trustchain_free(&next);
	config_free(&cfg);
	free(root);
}

int main(void)
{
	struct config cfg;

	log_open("test-trustchain", -1);
	scratch_make(scratch);
	configure(&cfg, "");
	test_serials(&cfg);
	test_verified(&cfg);
	config_free(&cfg);
	test_hold_down();
	test_plain();
	scratch_remove(scratch);
	return tap_done();
}
