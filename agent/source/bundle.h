/* SPDX-License-Identifier: MIT */
/* The published bundle: PEM certificates, authenticated by pin and checked to
 * be usable trust anchors. */
#ifndef ANCHORSYNC_BUNDLE_H
#define ANCHORSYNC_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <gnutls/x509.h>
#include <time.h>

#include "manifest.h"
#include "pin.h"
#include "status.h"

/* A root that passed every check, ready to install. */
struct anchor {
	struct pin pin;
	char *subject;		/* RFC 4514 DN */
	time_t not_after;
	char *pem;		/* the certificate alone, PEM */
	size_t pem_len;
};

struct anchor_set {
	struct anchor *items;
	size_t count;
};

/* The limits on what a bundle may ask to install (documented in the README,
 * "Limits"): more distinct roots, or a longer one, is STATUS_DATA. The frame
 * that carries the roots to the parent is sized by them (fetch_frame.h). */
#define BUNDLE_MAX_ROOTS 256
#define BUNDLE_MAX_DER (64 * 1024)

/* What bundle_select decides by. */
struct bundle_rules {
	const struct pin *pins;		/* the certificates that may be roots */
	size_t pin_count;
	bool listed;			/* pins are those a signed bundle lists, not
					   configured ones (for the messages) */
	const struct manifest *installed;	/* roots installed before, or NULL */
	time_t now;
};

/* Reads every PEM certificate in data (NUL-terminated, len bytes): each is
 * base64-decoded and its SHA-256 compared to the pins; only a pinned one is
 * parsed as X.509. Those that are not pinned are ignored, in one warning
 * that counts them and names the first three (each one with -v). A pinned
 * one that is not a valid root at now is rejected with a warning. A
 * valid root is X.509 v3, CA:TRUE, keyCertSign, within its validity, and
 * self-signed: it names itself as issuer and its own key verifies its
 * signature. Its key and signature must be strong: RSA and DSA keys of fewer
 * than 2048 bits and MD2 or MD5 signatures are refused; a SHA-1 signature is
 * accepted with a warning. A certificate installed before
 * (manifest_find_current in installed) passed those checks then: only its
 * key and hash are judged again (a policy that may have changed), and its
 * subject and expiry come from the manifest. Subjects
 * handed out have control characters escaped as \xHH. Malformed or truncated
 * PEM (a block that does not decode, or is not one DER structure, BEGIN and
 * END lines that do not pair) rejects the whole bundle; so do more than
 * BUNDLE_MAX_ROOTS pinned certificates, or a pinned one over BUNDLE_MAX_DER
 * bytes. Returns STATUS_DATA when no valid root remains. The caller frees
 * out with anchor_set_free, also after a failure. */
enum status bundle_select(const char *data, size_t len, const struct bundle_rules *rules,
			  struct anchor_set *out, struct error *err);

/* The anchor of set whose pin is pin, or NULL. */
const struct anchor *anchor_set_find(const struct anchor_set *set, const struct pin *pin);

void anchor_set_free(struct anchor_set *set);

/* Writes crt's subject DN (RFC 4514, however long) into out for messages,
 * escaped as the subjects bundle_select hands out; "(unreadable subject)"
 * when it has none. */
void bundle_crt_subject(gnutls_x509_crt_t crt, char *out, size_t outlen);

#endif
