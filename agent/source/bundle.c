/* SPDX-License-Identifier: MIT */
#include "bundle.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "text.h"

#define PEM_BEGIN "-----BEGIN CERTIFICATE-----"
#define PEM_END "-----END CERTIFICATE-----"

/* How many times needle occurs in data (len bytes). memmem, not strstr: a
 * sanitizer's strstr measures the whole rest of the text at each call. */
static size_t count_occurrences(const char *data, size_t len, const char *needle)
{
	size_t n = 0, nlen = strlen(needle);

	for (const char *p = data, *end = data + len;
	     (p = memmem(p, (size_t)(end - p), needle, nlen)) != NULL; p += nlen)
		n++;
	return n;
}

/* A short printable excerpt of data, for messages about what came instead. */
static void excerpt(const char *data, size_t len, char *out, size_t outlen)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 1 < outlen && n < 40; i++)
		out[n++] = (data[i] >= 0x20 && data[i] < 0x7f) ? data[i] : ' ';
	out[n] = '\0';
}

/* The smallest RSA or DSA key a root may have, in bits. */
#define ROOT_MIN_BITS 2048

/* Whether crt's key is strong enough; why says otherwise. */
static bool key_acceptable(gnutls_x509_crt_t crt, char *why, size_t whylen)
{
	unsigned int bits = 0;
	int pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);

	if (pk < 0 || pk == GNUTLS_PK_UNKNOWN) {
		snprintf(why, whylen, "its public key algorithm is not supported");
		return false;
	}
	if ((pk == GNUTLS_PK_RSA || pk == GNUTLS_PK_RSA_PSS || pk == GNUTLS_PK_DSA) &&
	    bits < ROOT_MIN_BITS) {
		snprintf(why, whylen, "its %s key has %u bits (at least %d wanted)",
			 gnutls_pk_get_name(pk), bits, ROOT_MIN_BITS);
		return false;
	}
	return true;
}

/* Whether crt's self-signature uses an acceptable hash: MD2 and MD5 are
 * refused, SHA-1 is accepted with a warning naming subject. */
static bool hash_acceptable(gnutls_x509_crt_t crt, const char *subject, char *why,
			    size_t whylen)
{
	int sign = gnutls_x509_crt_get_signature_algorithm(crt);
	gnutls_digest_algorithm_t hash;

	if (sign < 0 || sign == GNUTLS_SIGN_UNKNOWN) {
		snprintf(why, whylen, "its signature algorithm is not supported");
		return false;
	}
	hash = gnutls_sign_get_hash_algorithm((gnutls_sign_algorithm_t)sign);
	if (hash == GNUTLS_DIG_MD5 || hash == GNUTLS_DIG_MD2) {
		snprintf(why, whylen, "it is signed with %s, which is broken",
			 gnutls_sign_get_name((gnutls_sign_algorithm_t)sign));
		return false;
	}
	if (hash == GNUTLS_DIG_SHA1)
		log_warn("root '%s' is signed with %s; ask for a successor signed with SHA-256",
			 subject, gnutls_sign_get_name((gnutls_sign_algorithm_t)sign));
	return true;
}

/* Whether crt names itself as issuer and its own key verifies its signature.
 * DO_NOT_ALLOW_SAME makes GnuTLS check the signature even though crt is its
 * own (and only) trusted certificate. */
static bool self_signed(gnutls_x509_crt_t crt)
{
	unsigned int verify_status = 0;
	unsigned int flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
			     GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
			     GNUTLS_VERIFY_DO_NOT_ALLOW_SAME |
			     GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1;

	return gnutls_x509_crt_check_issuer(crt, crt) &&
	       gnutls_x509_crt_verify(crt, &crt, 1, flags, &verify_status) == 0 &&
	       verify_status == 0;
}

/* Whether crt can serve as a trust anchor at now; why says otherwise. */
static bool root_acceptable(gnutls_x509_crt_t crt, const char *subject, time_t now,
			    char *why, size_t whylen)
{
	unsigned int critical, usage = 0;
	const char *problem = NULL;

	if (gnutls_x509_crt_get_version(crt) != 3)
		problem = "not an X.509 v3 certificate";
	else if (gnutls_x509_crt_get_basic_constraints(crt, &critical, NULL, NULL) <= 0)
		problem = "not a CA certificate (no basicConstraints CA:TRUE)";
	else if (gnutls_x509_crt_get_key_usage(crt, &usage, &critical) < 0 ||
		 !(usage & GNUTLS_KEY_KEY_CERT_SIGN))
		problem = "its keyUsage lacks keyCertSign";
	else if (!key_acceptable(crt, why, whylen) || !hash_acceptable(crt, subject, why, whylen))
		return false;
	else if (!self_signed(crt))
		problem = "not self-signed (its own key does not verify its signature)";
	else if (gnutls_x509_crt_get_activation_time(crt) > now)
		problem = "not valid yet";
	else if (gnutls_x509_crt_get_expiration_time(crt) < now)
		problem = "expired";
	if (problem)
		snprintf(why, whylen, "%s", problem);
	return problem == NULL;
}

/* Sets a's PEM (NUL-terminated) from crt; false when it cannot. */
static bool anchor_set_pem(struct anchor *a, gnutls_x509_crt_t crt)
{
	gnutls_datum_t pem = { NULL, 0 };

	if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &pem) >= 0 &&
	    (a->pem = malloc(pem.size + 1)) != NULL) {
		memcpy(a->pem, pem.data, pem.size);
		a->pem[pem.size] = '\0';
		a->pem_len = pem.size;
	}
	gnutls_free(pem.data);
	return a->pem != NULL;
}

/* Fills a with crt's pin, subject and PEM. */
static bool anchor_from(struct anchor *a, gnutls_x509_crt_t crt, const struct pin *pin)
{
	gnutls_datum_t dn = { NULL, 0 };

	memset(a, 0, sizeof(*a));
	a->pin = *pin;
	a->not_after = gnutls_x509_crt_get_expiration_time(crt);
	if (gnutls_x509_crt_get_dn3(crt, &dn, 0) >= 0)
		a->subject = text_escape_copy((const char *)dn.data, dn.size, false);
	gnutls_free(dn.data);
	return a->subject != NULL && anchor_set_pem(a, crt);
}

void bundle_crt_subject(gnutls_x509_crt_t crt, char *out, size_t outlen)
{
	gnutls_datum_t dn = { NULL, 0 };
	char *text = NULL;

	if (gnutls_x509_crt_get_dn3(crt, &dn, 0) >= 0)
		text = text_escape_copy((const char *)dn.data, dn.size, false);
	snprintf(out, outlen, "%s", text ? text : "(unreadable subject)");
	free(text);
	gnutls_free(dn.data);
}

/* Fills a from the manifest entry e of a root installed before, and crt's
 * PEM. */
static bool anchor_from_entry(struct anchor *a, gnutls_x509_crt_t crt, const struct pin *pin,
			      const struct manifest_entry *e)
{
	memset(a, 0, sizeof(*a));
	a->pin = *pin;
	a->not_after = e->not_after;
	a->subject = strdup(e->subject);
	return a->subject != NULL && anchor_set_pem(a, crt);
}

/* The bundle's verdict so far, across its certificates. */
struct selection {
	struct anchor_set *out;
	size_t pinned;
	char problem[256];		/* the last rejected certificate's */
};

/* Whether a pinned crt is a valid root at now (root_acceptable); a rejected
 * one is named in a warning and its problem kept in sel. */
static bool root_passes(gnutls_x509_crt_t crt, const struct pin *pin,
			const struct bundle_rules *rules, struct selection *sel)
{
	char subject[512], pintext[PIN_TEXT_SIZE];

	bundle_crt_subject(crt, subject, sizeof(subject));
	if (root_acceptable(crt, subject, rules->now, sel->problem, sizeof(sel->problem)))
		return true;
	pin_format(pin, pintext);
	log_warn("rejecting %s certificate '%s' (%s): %s",
		 rules->listed ? "the signed bundle's" : "pinned", subject, pintext, sel->problem);
	return false;
}

/* How many unpinned certificates the summary names. */
#define UNPINNED_NAMED 3

/* The certificates that are not pinned: counted, the first few named. They
 * are parsed only to be named (here, or each with -v): never judged. */
struct unpinned {
	size_t count;
	char names[UNPINNED_NAMED][160];
};

/* The subject of a DER certificate, for messages; false when it does not parse. */
static bool der_subject(const gnutls_datum_t *der, char *out, size_t outlen)
{
	gnutls_x509_crt_t crt;
	bool parsed;

	if (gnutls_x509_crt_init(&crt) < 0)
		return false;
	parsed = gnutls_x509_crt_import(crt, der, GNUTLS_X509_FMT_DER) >= 0;
	if (parsed)
		bundle_crt_subject(crt, out, outlen);
	gnutls_x509_crt_deinit(crt);
	return parsed;
}

static void unpinned_note(struct unpinned *u, const gnutls_datum_t *der, const struct pin *pin)
{
	char subject[512], pintext[PIN_TEXT_SIZE];
	bool named = u->count < UNPINNED_NAMED;

	if ((named || log_verbose()) && !der_subject(der, subject, sizeof(subject)))
		snprintf(subject, sizeof(subject), "(unparsable)");
	if (named)
		snprintf(u->names[u->count], sizeof(u->names[0]), "%.150s", subject);
	if (log_verbose()) {
		pin_format(pin, pintext);
		log_debug("ignoring certificate '%s' (%s): not pinned", subject, pintext);
	}
	u->count++;
}

/* One line for every certificate ignored as not pinned. */
static void unpinned_log(const struct unpinned *u)
{
	size_t named = u->count < UNPINNED_NAMED ? u->count : UNPINNED_NAMED;
	char list[UNPINNED_NAMED * 170] = "";
	size_t at = 0;

	if (u->count == 0)
		return;
	for (size_t i = 0; i < named && at < sizeof(list); i++)
		at += (size_t)snprintf(list + at, sizeof(list) - at, "%s'%s'", i ? ", " : "",
				       u->names[i]);
	if (u->count <= UNPINNED_NAMED)
		log_warn("ignoring %zu certificate%s that %s not pinned: %s", u->count,
			 u->count > 1 ? "s" : "", u->count > 1 ? "are" : "is", list);
	else
		log_warn("ignoring %zu certificates that are not pinned: %s and %zu more%s",
			 u->count, list, u->count - named,
			 log_verbose() ? "" : " (-v names each)");
}

/* Decides for one pinned certificate: skipped (invalid, published twice) or
 * added. */
static enum status consider(gnutls_x509_crt_t crt, const struct pin *pin,
			    const struct bundle_rules *rules, struct selection *sel)
{
	struct anchor *a = &sel->out->items[sel->out->count];
	const struct manifest_entry *known;
	bool made;

	known = rules->installed ? manifest_find_current(rules->installed, pin, rules->now) :
		NULL;
	/* What a newer policy may refuse is asked again; the signature and
	 * structure of the same bytes cannot have changed. */
	if (known && key_acceptable(crt, sel->problem, sizeof(sel->problem)) &&
	    hash_acceptable(crt, known->subject, sel->problem, sizeof(sel->problem)))
		made = anchor_from_entry(a, crt, pin, known);
	else if (root_passes(crt, pin, rules, sel))
		made = anchor_from(a, crt, pin);
	else
		return STATUS_OK;
	if (!made) {
		free(a->subject);
		free(a->pem);
		return STATUS_INTERNAL;
	}
	sel->out->count++;
	return STATUS_OK;
}

/* Whether der is one DER SEQUENCE that fills it exactly: the shape of a
 * certificate, checked without parsing one. */
static bool der_whole(const gnutls_datum_t *der)
{
	const unsigned char *p = der->data;
	size_t n, body = 0;

	if (der->size < 2 || p[0] != 0x30)
		return false;
	if (p[1] < 0x80)
		return 2 + (size_t)p[1] == der->size;
	n = p[1] & 0x7f;
	if (n == 0 || n > 4 || der->size < 2 + n)
		return false;
	for (size_t i = 0; i < n; i++)
		body = body << 8 | p[2 + i];
	return 2 + n + body == der->size;
}

/* One pinned certificate (its DER) into sel: parsed, judged, added. */
static enum status take_pinned(const gnutls_datum_t *der, const struct pin *pin,
			       const struct bundle_rules *rules, struct selection *sel,
			       struct error *err)
{
	gnutls_x509_crt_t crt;
	enum status st;

	sel->pinned++;
	if (anchor_set_find(sel->out, pin) != NULL)
		return STATUS_OK;
	if (sel->out->count == BUNDLE_MAX_ROOTS)
		return error_set(err, STATUS_DATA, "the bundle holds more than %d %s roots; "
				 "anchorsync installs at most %d", BUNDLE_MAX_ROOTS,
				 rules->listed ? "listed" : "pinned", BUNDLE_MAX_ROOTS);
	if (der->size > BUNDLE_MAX_DER)
		return error_set(err, STATUS_DATA, "a pinned certificate of the bundle is %u "
				 "bytes long; anchorsync takes roots of at most %d bytes",
				 der->size, BUNDLE_MAX_DER);
	if (gnutls_x509_crt_init(&crt) < 0)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	if (gnutls_x509_crt_import(crt, der, GNUTLS_X509_FMT_DER) < 0)
		st = error_set(err, STATUS_DATA, "truncated or malformed PEM bundle: a pinned "
			       "certificate does not parse");
	else if ((st = consider(crt, pin, rules, sel)) != STATUS_OK)
		error_set(err, st, "cannot read a certificate of the bundle");
	gnutls_x509_crt_deinit(crt);
	return st;
}

/* Reads every PEM block of data: each is decoded and hashed, and only a
 * pinned one parsed as X.509. *blocks counts them. */
static enum status select_blocks(const char *data, size_t len, const struct bundle_rules *rules,
				 struct selection *sel, struct unpinned *u, size_t *blocks,
				 struct error *err)
{
	gnutls_datum_t der;
	enum pem_found found;
	enum status st = STATUS_OK;
	size_t at = 0;

	*blocks = 0;
	while (st == STATUS_OK && (found = pem_next_der(data, len, &at, &der)) == PEM_CERTIFICATE) {
		struct pin pin;

		(*blocks)++;
		if (!der_whole(&der))
			st = error_set(err, STATUS_DATA, "truncated or malformed PEM bundle: "
				       "certificate %zu is not one DER structure", *blocks);
		else {
			pin_of_der(der.data, der.size, &pin);
			if (pin_list_contains(rules->pins, rules->pin_count, &pin))
				st = take_pinned(&der, &pin, rules, sel, err);
			else
				unpinned_note(u, &der, &pin);
		}
		gnutls_free(der.data);
	}
	if (st == STATUS_OK && found == PEM_UNREADABLE)
		st = error_set(err, STATUS_DATA, "truncated or malformed PEM bundle: certificate "
			       "%zu does not decode", *blocks + 1);
	return st;
}

enum status bundle_select(const char *data, size_t len, const struct bundle_rules *rules,
			  struct anchor_set *out, struct error *err)
{
	struct selection sel = { .out = out, .pinned = 0, .problem = "" };
	struct unpinned u = { .count = 0 };
	size_t begins, ends, blocks = 0, cap;
	enum status st;
	char start[48];

	memset(out, 0, sizeof(*out));
	begins = count_occurrences(data, len, PEM_BEGIN);
	ends = count_occurrences(data, len, PEM_END);
	if (begins == 0) {
		excerpt(data, len, start, sizeof(start));
		return error_set(err, STATUS_DATA,
				 "no PEM certificate in the bundle (%zu bytes, starting '%s')",
				 len, start);
	}
	if (begins != ends)
		return error_set(err, STATUS_DATA, "truncated or malformed PEM bundle: %zu "
				 "certificates begin, %zu end", begins, ends);
	cap = rules->pin_count < BUNDLE_MAX_ROOTS ? rules->pin_count : BUNDLE_MAX_ROOTS;
	out->items = calloc(cap ? cap : 1, sizeof(*out->items));
	if (out->items == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	st = select_blocks(data, len, rules, &sel, &u, &blocks, err);
	if (st == STATUS_OK && blocks != begins)
		st = error_set(err, STATUS_DATA, "truncated or malformed PEM bundle: %zu "
			       "certificates begin, %zu read", begins, blocks);
	if (st != STATUS_OK)
		return st;
	unpinned_log(&u);
	if (sel.pinned == 0)
		return error_set(err, STATUS_DATA, "none of the %zu certificates in the bundle "
				 "matches a configured pin", blocks);
	if (out->count == 0)
		return error_set(err, STATUS_DATA, "no usable root in the bundle: the %s "
				 "certificate%s rejected (last: %s)",
				 rules->listed ? "listed" : "pinned",
				 sel.pinned > 1 ? "s were" : " was", sel.problem);
	return STATUS_OK;
}

const struct anchor *anchor_set_find(const struct anchor_set *set, const struct pin *pin)
{
	for (size_t i = 0; i < set->count; i++)
		if (pin_equal(&set->items[i].pin, pin))
			return &set->items[i];
	return NULL;
}

void anchor_set_free(struct anchor_set *set)
{
	for (size_t i = 0; i < set->count; i++) {
		free(set->items[i].subject);
		free(set->items[i].pem);
	}
	free(set->items);
	memset(set, 0, sizeof(*set));
}
