/* SPDX-License-Identifier: MIT */
/* Signed bundles: the content header parser, and verification of a committed
 * CMS (tests/unit/data/signed.cms: serial 7, expires 2039-01-01, signed by
 * "Unit Bundle Signer" (codeSigning, valid 2020 to 2039-06-01) under
 * "Unit Signing Root", whose certificate it lists). */
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "fixture.h"
#include "log.h"
#include "signed_bundle.h"
#include "tap.h"

#define PIN_SIGNING_ROOT "sha256:60717e9538b775bc8b0f5766fd8a1cb8b4b71f4880386465ce830fd68c8f154e"
#define PIN_OTHER "sha256:57b074458962f34f05cd140286b8e86cc0cd2d12de024e3b755d398d3edb170b"
#define Y2026 1767225600
#define Y2039_07 2193004800	/* 2039-07-01: after the signer expired */

static enum status header(const char *text, struct signed_header *h, struct error *err)
{
	return signed_header_parse(text, strlen(text), h, err);
}

/* Expects text's header to be refused with a message containing what. */
static void header_refused(const char *text, const char *what, const char *desc)
{
	struct signed_header h;
	struct error err = { .msg = "" };
	enum status st = header(text, &h, &err);

	if (!ok(st == STATUS_DATA && strstr(err.msg, what), desc))
		printf("#   got %d: %s\n", st, err.msg);
}

static void test_header(void)
{
	struct signed_header h;
	struct error err;
	const char *good = "Serial: 42\nExpires: 2027-03-01T00:00:00Z\n\n-----BEGIN";
	time_t t;

	ok(header(good, &h, &err) == STATUS_OK && h.serial == 42 && h.expires == 1803859200 &&
	   strcmp(good + h.body, "-----BEGIN") == 0, "Serial, Expires, blank line, body");
	ok(header("serial:1\r\nEXPIRES:  2027-03-01T00:00:00.5z \r\nX-Note: hi\r\n\r\n", &h,
		  &err) == STATUS_OK && h.serial == 1, "names any case, CRLF, fractions, unknown headers");
	ok(header("Serial: 9223372036854775807\nExpires: 2027-03-01T00:00:00+00:00\n\n", &h,
		  &err) == STATUS_OK && h.serial == 9223372036854775807ULL, "the largest serial");
	header_refused("Expires: 2027-03-01T00:00:00Z\n\n", "no Serial", "Serial missing");
	header_refused("Serial: 1\n\n", "no Expires", "Expires missing");
	header_refused("Serial: 0\nExpires: 2027-03-01T00:00:00Z\n\n", "malformed Serial", "serial 0");
	header_refused("Serial: 9223372036854775808\nExpires: 2027-03-01T00:00:00Z\n\n",
		       "malformed Serial", "serial 2^63");
	header_refused("Serial: +5\nExpires: 2027-03-01T00:00:00Z\n\n", "malformed Serial", "serial +5");
	header_refused("Serial: 05\nExpires: 2027-03-01T00:00:00Z\n\n", "malformed Serial",
		       "serial with a leading zero");
	header_refused("Serial: 1\nSerial: 2\nExpires: 2027-03-01T00:00:00Z\n\n", "twice",
		       "Serial given twice");
	header_refused("Serial: 1\nExpires: 2027-02-30T00:00:00Z\n\n", "malformed Expires",
		       "February 30th");
	header_refused("Serial: 1\nExpires: 2027-03-01T00:00:00\n\n", "malformed Expires",
		       "a time without a zone");
	header_refused("Serial: 1\nExpires: 2027-03-01T00:00:00+02:00\n\n", "malformed Expires",
		       "a time not in UTC");
	header_refused("Serial: 1\nExpires: 2027-03-01T00:00:00Z\n-----BEGIN\n\n", "malformed header line",
		       "a header that is not Name: value");
	header_refused("Serial: 1\nExpires: 2027-03-01T00:00:00Z\n", "no blank line", "no blank line");
	ok(signed_parse_time("2024-02-29T23:59:60Z", &t) && t == 1709251199,
	   "a leap day and a leap second");
}

static void detect_is(const char *data, size_t len, bool want, const char *desc)
{
	ok(signed_detect(data, len) == want, desc);
}

#define CRT "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
/* DER of a ContentInfo: SEQUENCE, then the signedData OID, then [0] and a
 * stand-in body of n bytes; the length bytes given separately. */
static size_t der_content_info(unsigned char *out, const unsigned char *len_bytes,
			       size_t len_count, size_t body)
{
	static const unsigned char oid[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
					     0x0d, 0x01, 0x07, 0x02 };
	size_t n = 0;

	out[n++] = 0x30;
	memcpy(out + n, len_bytes, len_count);
	n += len_count;
	memcpy(out + n, oid, sizeof(oid));
	n += sizeof(oid);
	memset(out + n, 0xa0, body);
	return n + body;
}

static void test_detect(void)
{
	unsigned char der[400];
	size_t n;

	detect_is("-----BEGIN CMS-----\nMIIB\n-----END CMS-----\n", 40, true, "PEM CMS is signed");
	detect_is("x\n-----BEGIN PKCS7-----\n", 24, true, "PEM PKCS7 after a comment line is signed");
	detect_is(CRT, strlen(CRT), false, "plain PEM is not");
	detect_is("0 roots follow\n" CRT, strlen("0 roots follow\n" CRT), false,
		  "plain PEM whose first line starts with '0' is not");
	detect_is("\x30 comment\n" CRT, strlen("\x30 comment\n" CRT), false,
		  "plain PEM whose first byte is 0x30 is not");
	detect_is("# see -----BEGIN CMS----- below\n" CRT,
		  strlen("# see -----BEGIN CMS----- below\n" CRT), false,
		  "a BEGIN CMS inside a comment line is not");
	detect_is("-----BEGIN CMS-----\n-----END CMS-----\n" CRT,
		  strlen("-----BEGIN CMS-----\n-----END CMS-----\n" CRT), false,
		  "a CMS block beside CERTIFICATE blocks is a plain bundle");
	detect_is(CRT "-----BEGIN PKCS7-----\n", strlen(CRT "-----BEGIN PKCS7-----\n"), false,
		  "a CERTIFICATE block before the PKCS7 block: plain");
	n = der_content_info(der, (const unsigned char[]){ 0x0b + 4 }, 1, 4);
	detect_is((const char *)der, n, true, "DER signedData, short length, is signed");
	n = der_content_info(der, (const unsigned char[]){ 0x82, 0x01, 0x0b }, 3, 256);
	detect_is((const char *)der, n, true, "DER signedData, long length, is signed");
	detect_is((const char *)der, n - 1, false, "DER whose length overruns the body is not");
	der[n] = '\n';
	detect_is((const char *)der, n + 1, false, "DER with bytes after it is not");
	n = der_content_info(der, (const unsigned char[]){ 0x81, 0x0f }, 2, 4);
	detect_is((const char *)der, n, false, "DER with a non-minimal length is not");
	n = der_content_info(der, (const unsigned char[]){ 0x80 }, 1, 4);
	detect_is((const char *)der, n, false, "DER with an indefinite length is not");
	n = der_content_info(der, (const unsigned char[]){ 0x0b + 4 }, 1, 4);
	der[12] = 0x01;	/* pkcs7-data */
	detect_is((const char *)der, n, false, "DER of another content type is not");
	detect_is("\x30\x82", 2, false, "two bytes are not");
}

/* Opens and verifies the fixture with root pin and purpose at now. */
static enum status verify(const char *data, size_t len, const char *pin, const char *purpose,
			  time_t now, struct signed_bundle *b, struct error *err)
{
	struct pin p;
	enum status st = signed_open(data, len, b, err);

	pin_parse(pin, &p);
	return st == STATUS_OK ? signed_verify(b, &p, 1, NULL, purpose, now, NULL, err) : st;
}

static void verify_refused(const char *data, size_t len, const char *pin, const char *purpose,
			   time_t now, const char *what, const char *desc)
{
	struct signed_bundle b;
	struct error err = { .msg = "" };
	enum status st = verify(data, len, pin, purpose, now, &b, &err);

	if (!ok(st == STATUS_DATA && strstr(err.msg, what), desc))
		printf("#   got %d: %s\n", st, err.msg);
	signed_bundle_free(&b);
}

static void test_verify(void)
{
	size_t len;
	char *cms = fixture_read("signed.cms", &len);
	char *tampered = strdup(cms);
	struct signed_bundle b;
	struct anchor_set set;
	struct error err;
	char *p;

	ok(verify(cms, len, PIN_SIGNING_ROOT, SIGNED_PURPOSE_DEFAULT, Y2026, &b, &err) == STATUS_OK,
	   "the committed bundle verifies under its pinned root");
	ok(b.header.serial == 7 && b.signer && strstr(b.signer, "CN=Unit Bundle Signer"),
	   "with its serial and signer");
	ok(signed_select_roots(b.content + b.header.body, b.content_len - b.header.body, NULL,
			       Y2026, &set, &err) == STATUS_OK && set.count == 1, "its one root is selected");
	anchor_set_free(&set);
	signed_bundle_free(&b);
	verify_refused(cms, len, PIN_OTHER, SIGNED_PURPOSE_DEFAULT, Y2026,
		       "does not chain to a distribution root", "another root does not vouch");
	verify_refused(cms, len, PIN_SIGNING_ROOT, "1.3.6.1.5.5.7.3.1", Y2026,
		       "lacks the signing purpose 1.3.6.1.5.5.7.3.1", "a purpose the signer lacks");
	verify_refused(cms, len, PIN_SIGNING_ROOT, SIGNED_PURPOSE_DEFAULT, Y2039_07,
		       "signer 'CN=Unit Bundle Signer,O=anchorsync test' expired on 2039-06-01",
		       "an expired signer");
	/* Flip one base64 character well inside the embedded content. */
	p = strstr(tampered, "\n") + 200;
	*p = *p == 'A' ? 'B' : 'A';
	verify_refused(tampered, len, PIN_SIGNING_ROOT, SIGNED_PURPOSE_DEFAULT, Y2026,
		       "", "a tampered bundle is refused");
	verify_refused("\x30\x03\x02\x01\x00", 5, PIN_SIGNING_ROOT, SIGNED_PURPOSE_DEFAULT, Y2026,
		       "not a CMS signed bundle", "garbage DER");
	free(tampered);
	free(cms);
}

/* The committed bundle as DER is detected by its structure and verifies. */
static void test_der(void)
{
	size_t len;
	char *cms = fixture_read("signed.cms", &len);
	gnutls_datum_t in = { (unsigned char *)cms, (unsigned int)len }, der = { NULL, 0 };
	struct signed_bundle b;
	struct error err;

	if (!ok(gnutls_pem_base64_decode2("CMS", &in, &der) >= 0, "the fixture decodes to DER"))
		goto out;
	ok(signed_detect((const char *)der.data, der.size), "its DER is detected as signed");
	ok(verify((const char *)der.data, der.size, PIN_SIGNING_ROOT, SIGNED_PURPOSE_DEFAULT,
		  Y2026, &b, &err) == STATUS_OK, "its DER verifies");
	signed_bundle_free(&b);
out:
	gnutls_free(der.data);
	free(cms);
}

int main(void)
{
	log_open("test-signed", -1);
	test_header();
	test_detect();
	test_verify();
	test_der();
	return tap_done();
}
