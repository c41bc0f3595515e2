/* SPDX-License-Identifier: MIT */
/* Certificate pins: the SHA-256 of a certificate's DER encoding.
 *
 * The text form is "sha256:" and 64 hex digits, colons optional, any case: what
 * `certtool --fingerprint --hash sha256`, `openssl x509 -fingerprint -sha256` and
 * `step certificate fingerprint` print. anchorsync prints lowercase without colons. */
#ifndef ANCHORSYNC_PIN_H
#define ANCHORSYNC_PIN_H

#include <stdbool.h>
#include <stddef.h>
#include <gnutls/x509.h>

#define PIN_BYTES 32
#define PIN_TEXT_SIZE (sizeof("sha256:") + 2 * PIN_BYTES)

struct pin {
	unsigned char sha256[PIN_BYTES];
};

/* Parses text; the "sha256:" prefix is required. Returns false when malformed. */
bool pin_parse(const char *text, struct pin *out);

/* Computes the pin of a DER certificate. */
void pin_of_der(const unsigned char *der, size_t len, struct pin *out);

/* Computes the pin of a parsed certificate; false when GnuTLS cannot encode it. */
bool pin_of_crt(gnutls_x509_crt_t crt, struct pin *out);

/* What pem_next_der found. */
enum pem_found {
	PEM_NONE,		/* no BEGIN CERTIFICATE line from *at on */
	PEM_CERTIFICATE,	/* one, decoded into *der */
	PEM_UNREADABLE,		/* one without its END line, or whose base64 does not decode */
};

/* The next PEM certificate of text (len bytes, not necessarily
 * NUL-terminated) from offset *at, base64-decoded (no X.509 parse): on
 * PEM_CERTIFICATE *der holds its DER (the caller frees der->data with
 * gnutls_free). *at moves past what was read, so a loop reads each block once. */
enum pem_found pem_next_der(const char *text, size_t len, size_t *at, gnutls_datum_t *der);

/* The pin of the first PEM certificate in pem (len bytes); false when the
 * first one does not decode or there is none. */
bool pin_of_pem(const char *pem, size_t len, struct pin *out);

/* Writes "sha256:<64 lowercase hex>" into out. */
void pin_format(const struct pin *pin, char out[PIN_TEXT_SIZE]);

bool pin_equal(const struct pin *a, const struct pin *b);

/* Whether pin is one of the count pins in list. */
bool pin_list_contains(const struct pin *list, size_t count, const struct pin *pin);

#endif
