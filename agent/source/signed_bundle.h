/* SPDX-License-Identifier: MIT */
/* Signed bundles: a CMS SignedData (RFC 5652, PKCS #7) with its content
 * embedded, PEM (label CMS or PKCS7) or DER. The content is text:
 *
 *     Serial: 42
 *     Expires: 2027-03-01T00:00:00Z
 *
 *     -----BEGIN CERTIFICATE-----
 *     ...
 *
 * Header names are case-insensitive; Serial (decimal, 1 to 2^63-1) and Expires
 * (RFC 3339, UTC) are required; unknown headers are ignored. A blank line ends
 * the header; the PEM roots follow. */
#ifndef ANCHORSYNC_SIGNED_BUNDLE_H
#define ANCHORSYNC_SIGNED_BUNDLE_H

#include <gnutls/pkcs7.h>
#include <gnutls/x509.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "bundle.h"
#include "pin.h"
#include "status.h"

/* The signing purpose asked of a signer by default: codeSigning. */
#define SIGNED_PURPOSE_DEFAULT "1.3.6.1.5.5.7.3.3"

struct signed_header {
	unsigned long long serial;
	time_t expires;
	size_t body;		/* offset of what follows the blank line */
};

/* An opened (decoded, not yet verified) signed bundle. */
struct signed_bundle {
	char *content;		/* the embedded content, NUL-terminated */
	size_t content_len;
	struct signed_header header;
	struct pin content_hash;	/* SHA-256 of content */
	char *signer;		/* the signer's subject DN, once found (NULL before) */
	gnutls_pkcs7_t cms;
};

/* Whether data is meant as a signed bundle, judged by its structure:
 * - DER: one ASN.1 SEQUENCE whose definite length covers all of data and whose
 *   first element is the pkcs7-signedData OID (1.2.840.113549.1.7.2);
 * - PEM: a line that starts with "-----BEGIN CMS-----" or "-----BEGIN
 *   PKCS7-----", and no line starting "-----BEGIN CERTIFICATE-----" before
 *   that line or after its END line (signed_pem_label).
 * A plain PEM bundle is not, whatever its comments say or its first byte is. */
bool signed_detect(const char *data, size_t len);

/* The label ("CMS" or "PKCS7", static) of the PEM signed bundle in data, as
 * signed_detect judges it, or NULL when data is not one. */
const char *signed_pem_label(const char *data, size_t len);

/* Parses the header of content into h. Returns STATUS_DATA naming the problem
 * when Serial or Expires is missing, repeated or malformed, or when no blank
 * line ends the header. */
enum status signed_header_parse(const char *content, size_t len, struct signed_header *h,
				struct error *err);

/* Parses an RFC 3339 UTC time ("2027-03-01T00:00:00Z", optional fraction of a
 * second) into *out. */
bool signed_parse_time(const char *text, time_t *out);

/* Parses a Serial value: decimal digits only, 1 to 2^63-1. */
bool signed_parse_serial(const char *text, unsigned long long *out);

/* Whether crt's extended key usage lists purpose (an OID). A certificate
 * without the extension has no purpose here. */
bool signed_has_purpose(gnutls_x509_crt_t crt, const char *purpose);

/* Decodes data (PEM CMS/PKCS7 or DER), takes the embedded content and parses
 * its header. Nothing is verified yet. The caller frees out with
 * signed_bundle_free, also after a failure. STATUS_DATA on bad input. */
enum status signed_open(const char *data, size_t len, struct signed_bundle *out,
			struct error *err);

/* Verifies b's signature at now: the signer's certificate (found among the
 * certificates the CMS carries) is within its validity, carries the extended
 * key usage purpose, and chains, with the carried certificates, to one of the
 * distribution roots, named by pin in roots. The certificates of those roots
 * are looked for in the CMS, in b's content and in extra_pem (PEM text, may be
 * NULL). Fills b->signer, and *until (may be NULL) with the earliest expiry
 * of the certificates the decision rests on: the signer, those the CMS
 * carries, the distribution roots found. STATUS_DATA with the reason on
 * refusal. */
enum status signed_verify(struct signed_bundle *b, const struct pin *roots, size_t root_count,
			  const char *extra_pem, const char *purpose, time_t now, time_t *until,
			  struct error *err);

/* Takes every certificate of the PEM text body as an anchor. Each must pass
 * bundle_select's root checks at now (installed: as there, or NULL); one
 * that does not rejects them all (the signature vouches for the set, not for
 * a part of it). The caller frees out with anchor_set_free, also after a
 * failure. */
enum status signed_select_roots(const char *body, size_t len, const struct manifest *installed,
				time_t now, struct anchor_set *out, struct error *err);

void signed_bundle_free(struct signed_bundle *b);

#endif
