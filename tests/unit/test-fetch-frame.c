/* SPDX-License-Identifier: MIT */
/* The parent's check of what the unprivileged fetch sends back: forged
 * frames (wrong lengths, a root whose pin is not configured, a rollback, a
 * certificate that is no root, a hold-down skipped) change nothing and say
 * why; a good frame gives the outcome refresh installs. */
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fetch_frame.h"
#include "fileio.h"
#include "log.h"
#include "tap.h"

#define URL "https://pki.corp.internal/roots.pem"
#define PIN_ROOT "sha256:57b074458962f34f05cd140286b8e86cc0cd2d12de024e3b755d398d3edb170b"
#define PIN_LEAF "sha256:cbdd71cd98a35158ac8e8edbaf9bce90fe475807514beea7db995cca23eef2d5"
#define Y2026 1767225600	/* inside every fixture's validity (2020-2040) */

static gnutls_datum_t root, other_root, leaf;
static struct config cfg;
static struct trustchain chain;
static struct manifest installed;
static struct fetch_request rq = { .cfg = &cfg, .chain = &chain, .installed = &installed,
				     .kept = "kept", .kept_len = 4 };

static gnutls_datum_t der_fixture(const char *name)
{
	char path[1024], *pem = NULL;
	size_t len;
	gnutls_datum_t in, out = { NULL, 0 };

	snprintf(path, sizeof(path), "%s/tests/unit/data/%s", getenv("top_srcdir"), name);
	if (file_read(path, 1 << 20, &pem, &len, NULL, NULL) != STATUS_OK) {
		printf("Bail out! cannot read %s\n", path);
		exit(1);
	}
	in = (gnutls_datum_t){ (unsigned char *)pem, (unsigned)len };
	if (gnutls_pem_base64_decode2("CERTIFICATE", &in, &out) < 0) {
		printf("Bail out! %s holds no certificate\n", path);
		exit(1);
	}
	free(pem);
	return out;
}

/* The frame under test, built record by record. */
static struct frame_writer w;

static void start(void)
{
	frame_writer_free(&w);
	frame_writer_init(&w);
}

static void plain(const gnutls_datum_t *der)
{
	start();
	frame_put_text(&w, FETCH_TAG_URL, URL);
	frame_put_text(&w, FETCH_TAG_BODY, "the body");
	frame_put_text(&w, FETCH_TAG_ETAG, "\"v1\"");
	frame_put(&w, FETCH_TAG_ROOT, der->data, der->size);
}

static void signed_state(unsigned long long serial)
{
	static const unsigned char content[PIN_BYTES] = { 1, 2, 3 };

	start();
	frame_put_text(&w, FETCH_TAG_URL, URL);
	frame_put_text(&w, FETCH_TAG_BODY, "the signed body");
	frame_put_u64(&w, FETCH_TAG_SERIAL, serial);
	frame_put_u64(&w, FETCH_TAG_EXPIRES, Y2026 + 86400);
	frame_put(&w, FETCH_TAG_CONTENT, content, sizeof(content));
	frame_put_text(&w, FETCH_TAG_SIGNER, "CN=signer");
}

/* Checks the frame; err and the status for the caller's asserts. */
static struct error err;

static enum status check_frame(struct fetch_outcome *out)
{
	unsigned char *frame;
	size_t len;
	enum status st;

	if (!frame_finish(&w, &frame, &len))
		abort();
	err.msg[0] = '\0';
	st = fetch_frame_check(frame, len, &rq, Y2026, out, &err);
	free(frame);
	return st;
}

/* The frame is refused with STATUS_DATA and a message holding why. */
static void refused(const char *why, const char *desc)
{
	struct fetch_outcome out;
	enum status st = check_frame(&out);

	if (!ok(st == STATUS_DATA && strstr(err.msg, why) && out.anchors.count == 0, desc))
		printf("#   got %d: %s\n", st, err.msg);
	fetch_outcome_free(&out);
}

static void test_plain(void)
{
	struct fetch_outcome out;
	enum status st;

	plain(&root);
	st = check_frame(&out);
	ok(st == STATUS_OK && out.anchors.count == 1, "a pinned root in a plain bundle is taken");
	ok(out.fetched.url == cfg.urls.items[0], "  the url is the configured mirror's string");
	is_str(out.fetched.body, "the body", "  the body is kept");
	is_str(out.fetched.validators.etag, "\"v1\"", "  with its validator");
	ok(out.next.serial == 0, "  and no custody state");
	fetch_outcome_free(&out);

	plain(&other_root);
	refused("which is not pinned", "a valid root whose pin is not configured is refused");
	plain(&leaf);
	refused("do not pass", "a pinned certificate that is no root is refused (re-parsed here)");
	plain(&root);
	frame_put(&w, FETCH_TAG_ROOT, root.data, root.size);
	refused("a root twice", "the same root twice is refused");
	plain(&root);
	frame_put_text(&w, FETCH_TAG_BODY, "again");
	refused("a second body", "a second body is refused");
	start();
	frame_put_text(&w, FETCH_TAG_URL, "https://evil.example/roots.pem");
	frame_put_text(&w, FETCH_TAG_BODY, "x");
	frame_put(&w, FETCH_TAG_ROOT, root.data, root.size);
	refused("not a configured mirror", "a url that is not a mirror is refused");
	plain(&root);
	frame_put_text(&w, FETCH_TAG_ETAG, "again");
	refused("validator twice", "a validator twice is refused");
	plain(&root);
	frame_put(&w, FETCH_TAG_HELD, other_root.data, other_root.size);
	refused("signed bundle's state for a plain", "a held-down root in a plain bundle is refused");
	plain(&root);
	frame_put(&w, FRAME_TAG_PAYLOAD + 99, "?", 1);
	refused("unknown record", "an unknown record is refused");
	start();
	frame_put_text(&w, FETCH_TAG_URL, URL);
	frame_put_text(&w, FETCH_TAG_BODY, "x");
	refused("no root", "a result without a root is refused");
	start();
	frame_put_text(&w, FETCH_TAG_URL, URL);
	frame_put(&w, FETCH_TAG_ROOT, root.data, root.size);
	refused("neither a body nor not-modified", "a result without a body is refused");
}

/* A root the manifest lists as installed is taken on its entry, without
 * parsing the certificate as root; one whose recorded expiry has passed is
 * parsed and checked again. */
static void test_installed_before(void)
{
	char file[] = "corp-root.crt", subject[] = "CN=As Installed";
	struct manifest_entry e = { .not_after = Y2026 + 86400, .file = file,
				    .subject = subject, .state = MANIFEST_INSTALLED };
	struct fetch_outcome out;

	pin_parse(PIN_ROOT, &e.pin);
	manifest_add(&installed, &e);
	plain(&root);
	ok(check_frame(&out) == STATUS_OK && out.anchors.count == 1 &&
	   strcmp(out.anchors.items[0].subject, "CN=As Installed") == 0 &&
	   out.anchors.items[0].not_after == Y2026 + 86400,
	   "a root installed before is taken on its manifest entry");
	fetch_outcome_free(&out);
	manifest_free(&installed);
	e.not_after = Y2026 - 1;
	manifest_add(&installed, &e);
	plain(&root);
	ok(check_frame(&out) == STATUS_OK && out.anchors.count == 1 &&
	   strstr(out.anchors.items[0].subject, "CN=Unit Root") != NULL,
	   "one whose recorded expiry has passed is parsed and checked again");
	fetch_outcome_free(&out);
	manifest_free(&installed);
}

static void test_sizes(void)
{
	struct fetch_outcome out;
	unsigned char *frame, *big;
	size_t len;

	plain(&root);
	frame_finish(&w, &frame, &len);
	for (size_t cut = 0; cut < len; cut += 97)
		if (fetch_frame_check(frame, cut, &rq, Y2026, &out, &err) != STATUS_DATA) {
			ok(false, "a frame cut short is refused");
			printf("#   cut at %zu: %s\n", cut, err.msg);
			break;
		} else {
			fetch_outcome_free(&out);
		}
	ok(true, "a frame cut short is refused");
	frame[4 + 5] ^= 1;	/* the url's length is one off */
	ok(fetch_frame_check(frame, len, &rq, Y2026, &out, &err) == STATUS_DATA,
	   "a length that does not match is refused");
	fetch_outcome_free(&out);
	free(frame);

	big = calloc(1, cfg.max_size + 1);
	start();
	frame_put_text(&w, FETCH_TAG_URL, URL);
	frame_put(&w, FETCH_TAG_BODY, big, cfg.max_size + 1);
	frame_put(&w, FETCH_TAG_ROOT, root.data, root.size);
	refused("broken framing", "a body over max_size is refused");
	start();
	frame_put_text(&w, FETCH_TAG_URL, URL);
	frame_put_text(&w, FETCH_TAG_BODY, "x");
	frame_put(&w, FETCH_TAG_ROOT, big, FETCH_FRAME_MAX_DER + 1);
	refused("wrong size", "a root over the DER cap is refused");
	free(big);
	start();
	frame_put_text(&w, FETCH_TAG_URL, URL);
	frame_put(&w, FETCH_TAG_NOT_MODIFIED, NULL, 0);
	frame_put(&w, FETCH_TAG_ROOT, root.data, root.size);
	rq.kept = NULL;
	refused("without a kept bundle", "not-modified with no kept bundle is refused");
	rq.kept = "kept";
}

static void test_signed(void)
{
	struct fetch_outcome out;
	enum status st;

	signed_state(3);
	frame_put(&w, FETCH_TAG_ROOT, other_root.data, other_root.size);
	st = check_frame(&out);
	ok(st == STATUS_OK && out.anchors.count == 1 && out.next.serial == 3,
	   "a signed bundle's root needs no pin");
	ok(out.next.accepted == Y2026 && out.next.root_count == 1 &&
	   strstr(out.next.roots_pem, "BEGIN CERTIFICATE"), "  the custody state is built here");
	fetch_outcome_free(&out);

	chain.serial = 5;
	signed_state(4);
	frame_put(&w, FETCH_TAG_ROOT, other_root.data, other_root.size);
	refused("rollback from serial 5 to 4", "a lower serial than the accepted one is refused");
	signed_state(5);
	frame_put(&w, FETCH_TAG_ROOT, other_root.data, other_root.size);
	refused("other content for serial 5", "the accepted serial with other content is refused");
	plain(&root);
	refused("only a signed one may be", "a plain bundle after a signed one is refused");
	chain.serial = 0;

	cfg.hold_down = 30 * 86400;
	signed_state(1);
	frame_put(&w, FETCH_TAG_ROOT, root.data, root.size);
	frame_put(&w, FETCH_TAG_ROOT, other_root.data, other_root.size);
	refused("did not hold down", "a root only the signature vouches for is held down by the parent");
	signed_state(1);
	frame_put(&w, FETCH_TAG_HELD, root.data, root.size);
	frame_put(&w, FETCH_TAG_ROOT, root.data, 0);
	refused("wrong size", "an empty root is refused");
	signed_state(1);
	frame_put(&w, FETCH_TAG_ROOT, root.data, root.size);
	frame_put(&w, FETCH_TAG_HELD, other_root.data, other_root.size);
	st = check_frame(&out);
	ok(st == STATUS_OK && out.anchors.count == 1 && out.next.pending_count == 1 &&
	   out.next.pending[0].since == Y2026, "a held-down root starts its clock here");
	fetch_outcome_free(&out);
	cfg.hold_down = 0;

	signed_state(1);
	frame_put_u64(&w, FETCH_TAG_SERIAL, 2);
	frame_put(&w, FETCH_TAG_ROOT, root.data, root.size);
	refused("malformed serial", "a serial twice is refused");
}

static void put_verified(long long at, long long until)
{
	unsigned char v[16];

	for (int i = 0; i < 8; i++) {
		v[i] = (unsigned char)((uint64_t)at >> (56 - 8 * i));
		v[8 + i] = (unsigned char)((uint64_t)until >> (56 - 8 * i));
	}
	frame_put(&w, FETCH_TAG_VERIFIED, v, sizeof(v));
}

/* The signature decision to remember: the parent hashes the bytes and the
 * policy itself, and takes from the child only an expiry it cuts. */
static void test_verified(void)
{
	static const char body[] = "the signed body";
	static const unsigned char content[PIN_BYTES] = { 1, 2, 3 };
	struct fetch_outcome out;
	struct pin hash, policy;
	enum status st;

	pin_of_der((const unsigned char *)body, strlen(body), &hash);
	signed_state(3);
	frame_put(&w, FETCH_TAG_ROOT, other_root.data, other_root.size);
	put_verified(Y2026 - 5, Y2026 + 400 * 86400LL);
	st = check_frame(&out);
	ok(st == STATUS_OK && out.next.verified.at == Y2026 &&
	   out.next.verified.until == Y2026 + 86400 && pin_equal(&out.next.verified.body, &hash),
	   "a new decision: dated here, the bytes hashed here, the child's expiry cut");
	fetch_outcome_free(&out);

	chain.serial = 3;
	memcpy(chain.content.sha256, content, PIN_BYTES);
	trustchain_policy(&chain, &cfg, &policy);
	chain.verified = (struct trust_verified){ hash, policy, Y2026 - 100, Y2026 + 50 };
	signed_state(3);
	frame_put(&w, FETCH_TAG_ROOT, other_root.data, other_root.size);
	put_verified(Y2026 - 100, Y2026 + 50);
	st = check_frame(&out);
	ok(st == STATUS_OK && out.next.verified.at == Y2026 - 100 &&
	   out.next.verified.until == Y2026 + 50, "a decision taken from the chain, that applies, is kept");
	fetch_outcome_free(&out);
	chain.verified.policy.sha256[0] ^= 1;
	signed_state(3);
	frame_put(&w, FETCH_TAG_ROOT, other_root.data, other_root.size);
	put_verified(Y2026 - 100, Y2026 + 50);
	st = check_frame(&out);
	ok(st == STATUS_OK && out.next.verified.at == Y2026 &&
	   pin_equal(&out.next.verified.policy, &policy),
	   "one under another policy is not: the decision is dated here");
	fetch_outcome_free(&out);
	memset(&chain.verified, 0, sizeof(chain.verified));
	chain.serial = 0;

	plain(&root);
	put_verified(Y2026, Y2026 + 50);
	refused("for a plain bundle", "a plain bundle comes with no signature decision");
	signed_state(3);
	frame_put(&w, FETCH_TAG_ROOT, other_root.data, other_root.size);
	frame_put_u64(&w, FETCH_TAG_VERIFIED, Y2026);
	refused("malformed signature decision", "a decision of a wrong size is refused");
}

static struct error child_err;

static void test_child_error(void)
{
	struct fetch_outcome out;
	enum status st;

	start();
	error_set(&child_err, STATUS_UNAVAILABLE, "no source reachable: '%s': timeout", URL);
	frame_put_error(&w, &child_err);
	st = check_frame(&out);
	ok(st == STATUS_UNAVAILABLE && strstr(err.msg, "no source reachable"),
	   "the child's error comes back with its status");
	fetch_outcome_free(&out);
	start();
	error_set(&child_err, STATUS_STORE, "pretend the store failed");
	frame_put_error(&w, &child_err);
	refused("pretend", "a status the fetch cannot have becomes a refusal");
}

int main(void)
{
	struct error cerr;
	static const char text[] = "[source]\nurl = " URL "\npin = " PIN_ROOT "\npin = " PIN_LEAF "\n";

	log_open("test-fetch-frame", -1);
	root = der_fixture("root.pem");
	other_root = der_fixture("signing-root.pem");
	leaf = der_fixture("leaf.pem");
	config_init(&cfg);
	if (config_load_text(&cfg, "test", text, strlen(text), &cerr) != STATUS_OK) {
		printf("Bail out! %s\n", cerr.msg);
		return 1;
	}
	test_plain();
	test_installed_before();
	test_sizes();
	test_signed();
	test_verified();
	test_child_error();
	frame_writer_free(&w);
	config_free(&cfg);
	gnutls_free(root.data);
	gnutls_free(other_root.data);
	gnutls_free(leaf.data);
	return tap_done();
}
