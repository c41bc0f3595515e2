/* SPDX-License-Identifier: MIT */
#include "signed_bundle.h"

#include <gnutls/gnutls.h>
#include <gnutls/pkcs7.h>
#include <gnutls/x509.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse.h"
#include "timefmt.h"

#define PEM_CRT "-----BEGIN CERTIFICATE-----"
#define SERIAL_MAX 9223372036854775807ULL	/* 2^63 - 1 */

/* Copies at most 60 bytes of text, control characters replaced, for messages
 * about data that no signature vouches for yet. */
static const char *printable(const char *text, size_t len, char *out, size_t outlen)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 1 < outlen && n < 60; i++)
		out[n++] = ((unsigned char)text[i] >= 0x20 && text[i] != 0x7f) ? text[i] : '?';
	out[n] = '\0';
	return out;
}

/* pkcs7-signedData, 1.2.840.113549.1.7.2, as DER: tag, length, value. */
static const unsigned char SIGNED_DATA_OID[] = {
	0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02
};

/* Whether data is one DER ContentInfo of signedData: a SEQUENCE whose
 * definite length covers exactly the data, whose first element is the
 * signedData OID. */
static bool der_is_signed_data(const unsigned char *p, size_t len)
{
	size_t body = 0, head = 2;

	if (len < 2 || p[0] != 0x30)
		return false;
	if (p[1] < 0x80) {
		body = p[1];
	} else {
		size_t n = p[1] & 0x7f;
		if (n == 0 || n > 4 || len < 2 + n || p[2] == 0)
			return false;	/* indefinite, too long, or not minimal */
		for (size_t i = 0; i < n; i++)
			body = body << 8 | p[2 + i];
		head += n;
		if (body < 0x80)
			return false;	/* not minimal */
	}
	return head + body == len && body >= sizeof(SIGNED_DATA_OID) &&
	       memcmp(p + head, SIGNED_DATA_OID, sizeof(SIGNED_DATA_OID)) == 0;
}

/* Where a line of data[0..len) that starts with text begins, or NULL. */
static const char *line_starting(const char *data, size_t len, const char *text)
{
	const char *p = data, *end = data + len;
	size_t n = strlen(text);

	while ((size_t)(end - p) >= n && (p = memmem(p, (size_t)(end - p), text, n)) != NULL) {
		if (p == data || p[-1] == '\n')
			return p;
		p++;
	}
	return NULL;
}

const char *signed_pem_label(const char *data, size_t len)
{
	static const char *const labels[] = { "CMS", "PKCS7" };
	char begin[40], end[40];

	for (size_t i = 0; i < 2; i++) {
		const char *from, *to;

		snprintf(begin, sizeof(begin), "-----BEGIN %s-----", labels[i]);
		snprintf(end, sizeof(end), "-----END %s-----", labels[i]);
		from = line_starting(data, len, begin);
		if (from == NULL)
			continue;
		to = line_starting(from, len - (size_t)(from - data), end);
		to = to ? to + strlen(end) : data + len;
		if (line_starting(data, (size_t)(from - data), PEM_CRT) == NULL &&
		    line_starting(to, len - (size_t)(to - data), PEM_CRT) == NULL)
			return labels[i];
	}
	return NULL;
}

bool signed_detect(const char *data, size_t len)
{
	return der_is_signed_data((const unsigned char *)data, len) ||
	       signed_pem_label(data, len) != NULL;
}

static bool read_digits(const char *p, int n, int *out)
{
	*out = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		*out = *out * 10 + (p[i] - '0');
	}
	return true;
}

bool signed_parse_time(const char *text, time_t *out)
{
	int year, mon, day, hour, min, sec;
	const char *p = text + 19;
	struct tm tm = { 0 }, back;
	time_t t;

	if (strlen(text) < 20 || !read_digits(text, 4, &year) || text[4] != '-' ||
	    !read_digits(text + 5, 2, &mon) || text[7] != '-' ||
	    !read_digits(text + 8, 2, &day) || (text[10] != 'T' && text[10] != 't') ||
	    !read_digits(text + 11, 2, &hour) || text[13] != ':' ||
	    !read_digits(text + 14, 2, &min) || text[16] != ':' ||
	    !read_digits(text + 17, 2, &sec))
		return false;
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return false;
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	}
	if (strcasecmp(p, "Z") != 0 && strcmp(p, "+00:00") != 0 && strcmp(p, "-00:00") != 0)
		return false;
	if (mon < 1 || mon > 12 || day < 1 || hour > 23 || min > 59 || sec > 60)
		return false;
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec == 60 ? 59 : sec;	/* a leap second */
	t = timegm(&tm);
	if (t == (time_t)-1 || gmtime_r(&t, &back) == NULL || back.tm_mday != day)
		return false;	/* 2027-02-30 */
	*out = t;
	return true;
}

bool signed_parse_serial(const char *text, unsigned long long *out)
{
	return parse_uint(text, 1, SERIAL_MAX, out);
}

/* Handles one "Name: value" line of the header. */
static enum status header_line(const char *line, size_t n, struct signed_header *h,
			       bool *have_serial, bool *have_expires, struct error *err)
{
	const char *colon = memchr(line, ':', n);
	char name[32], value[64], shown[64];
	size_t name_len, value_len;
	const char *v;

	if (colon == NULL || colon == line)
		return error_set(err, STATUS_DATA, "malformed header line '%s' in the signed "
				 "content (want 'Name: value')", printable(line, n, shown,
									  sizeof(shown)));
	name_len = (size_t)(colon - line);
	for (v = colon + 1; v < line + n && (*v == ' ' || *v == '\t'); v++)
		;
	value_len = (size_t)(line + n - v);
	while (value_len > 0 && (v[value_len - 1] == ' ' || v[value_len - 1] == '\t'))
		value_len--;
	if (name_len >= sizeof(name))
		return STATUS_OK;	/* no header we know is that long */
	memcpy(name, line, name_len);
	name[name_len] = '\0';
	if (strcasecmp(name, "Serial") != 0 && strcasecmp(name, "Expires") != 0)
		return STATUS_OK;	/* unknown headers are ignored */
	if ((strcasecmp(name, "Serial") == 0 && *have_serial) ||
	    (strcasecmp(name, "Expires") == 0 && *have_expires))
		return error_set(err, STATUS_DATA, "the signed content names its %s twice", name);
	if (value_len >= sizeof(value))
		value_len = sizeof(value) - 1;	/* then too long to parse */
	memcpy(value, v, value_len);
	value[value_len] = '\0';
	if (strcasecmp(name, "Serial") == 0) {
		if (!signed_parse_serial(value, &h->serial))
			return error_set(err, STATUS_DATA, "malformed Serial '%s' in the signed "
					 "content (want a whole number from 1 to 2^63-1)",
					 printable(value, value_len, shown, sizeof(shown)));
		*have_serial = true;
	} else {
		if (!signed_parse_time(value, &h->expires))
			return error_set(err, STATUS_DATA, "malformed Expires '%s' in the signed "
					 "content (want RFC 3339 UTC, e.g. 2027-03-01T00:00:00Z)",
					 printable(value, value_len, shown, sizeof(shown)));
		*have_expires = true;
	}
	return STATUS_OK;
}

enum status signed_header_parse(const char *content, size_t len, struct signed_header *h,
				struct error *err)
{
	const char *p = content, *end = content + len;
	bool have_serial = false, have_expires = false;
	enum status st;

	memset(h, 0, sizeof(*h));
	for (;;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n;

		if (eol == NULL)
			return error_set(err, STATUS_DATA, "the signed content has no blank line "
					 "after its header");
		n = (size_t)(eol - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n == 0) {
			h->body = (size_t)(eol + 1 - content);
			break;
		}
		st = header_line(p, n, h, &have_serial, &have_expires, err);
		if (st != STATUS_OK)
			return st;
		p = eol + 1;
	}
	if (!have_serial)
		return error_set(err, STATUS_DATA, "the signed content has no Serial header");
	if (!have_expires)
		return error_set(err, STATUS_DATA, "the signed content has no Expires header");
	return STATUS_OK;
}

/* The DER of a CMS: decoded from PEM (CMS or PKCS7 label, which GnuTLS's own
 * PEM import does not all know), or data itself. *owned tells whether der
 * must be freed with gnutls_free. */
static enum status cms_der(const char *data, size_t len, gnutls_datum_t *der, bool *owned,
			   struct error *err)
{
	const char *label;
	gnutls_datum_t in = { (unsigned char *)data, (unsigned int)len };
	int rc;

	*owned = false;
	label = signed_pem_label(data, len);
	if (label == NULL) {
		*der = in;
		return STATUS_OK;
	}
	rc = gnutls_pem_base64_decode2(label, &in, der);
	if (rc < 0)
		return error_set(err, STATUS_DATA, "cannot decode the PEM %s block: %s", label,
				 gnutls_strerror(rc));
	*owned = true;
	return STATUS_OK;
}

/* Takes the embedded content of cms into b. */
static enum status take_content(gnutls_pkcs7_t cms, struct signed_bundle *b, struct error *err)
{
	gnutls_datum_t raw = { NULL, 0 };
	int rc = gnutls_pkcs7_get_embedded_data(cms, 0, &raw);

	if (rc < 0 || raw.data == NULL)
		return error_set(err, STATUS_DATA, "the CMS carries no embedded content (a "
				 "detached signature?): %s", rc < 0 ? gnutls_strerror(rc) : "empty");
	if (memchr(raw.data, '\0', raw.size)) {
		gnutls_free(raw.data);
		return error_set(err, STATUS_DATA, "the signed content is not text (a NUL byte)");
	}
	b->content = malloc(raw.size + 1);
	if (b->content == NULL) {
		gnutls_free(raw.data);
		return error_set(err, STATUS_INTERNAL, "out of memory");
	}
	memcpy(b->content, raw.data, raw.size);
	b->content[raw.size] = '\0';
	b->content_len = raw.size;
	gnutls_free(raw.data);
	pin_of_der((const unsigned char *)b->content, b->content_len, &b->content_hash);
	return STATUS_OK;
}

enum status signed_open(const char *data, size_t len, struct signed_bundle *out,
			struct error *err)
{
	gnutls_pkcs7_t cms = NULL;
	gnutls_datum_t der;
	bool owned;
	enum status st;
	int rc;

	memset(out, 0, sizeof(*out));
	st = cms_der(data, len, &der, &owned, err);
	if (st != STATUS_OK)
		return st;
	if (gnutls_pkcs7_init(&cms) < 0) {
		st = error_set(err, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	out->cms = cms;
	rc = gnutls_pkcs7_import(cms, &der, GNUTLS_X509_FMT_DER);
	if (rc < 0) {
		st = error_set(err, STATUS_DATA, "not a CMS signed bundle: %s", gnutls_strerror(rc));
		goto out;
	}
	if (gnutls_pkcs7_get_signature_count(cms) <= 0) {
		st = error_set(err, STATUS_DATA, "the CMS has no signer");
		goto out;
	}
	st = take_content(cms, out, err);
	if (st == STATUS_OK)
		st = signed_header_parse(out->content, out->content_len, &out->header, err);
out:
	if (owned)
		gnutls_free(der.data);
	return st;
}

/* The certificates a CMS carries, in a list the caller frees with crt_list_free. */
struct crt_list {
	gnutls_x509_crt_t *items;
	unsigned count;
};

static void crt_list_free(struct crt_list *l)
{
	for (unsigned i = 0; i < l->count; i++)
		gnutls_x509_crt_deinit(l->items[i]);
	gnutls_free(l->items);
	memset(l, 0, sizeof(*l));
}

static enum status carried_certs(gnutls_pkcs7_t cms, struct crt_list *out, struct error *err)
{
	int n = gnutls_pkcs7_get_crt_count(cms);

	memset(out, 0, sizeof(*out));
	if (n <= 0)
		return STATUS_OK;
	out->items = gnutls_calloc((size_t)n, sizeof(*out->items));
	if (out->items == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	for (int i = 0; i < n; i++) {
		gnutls_datum_t raw = { NULL, 0 };
		gnutls_x509_crt_t crt;

		if (gnutls_pkcs7_get_crt_raw2(cms, (unsigned)i, &raw) < 0 ||
		    gnutls_x509_crt_init(&crt) < 0) {
			gnutls_free(raw.data);
			return error_set(err, STATUS_DATA, "cannot read a certificate the CMS carries");
		}
		if (gnutls_x509_crt_import(crt, &raw, GNUTLS_X509_FMT_DER) < 0) {
			gnutls_x509_crt_deinit(crt);
			gnutls_free(raw.data);
			return error_set(err, STATUS_DATA, "cannot read a certificate the CMS carries");
		}
		gnutls_free(raw.data);
		out->items[out->count++] = crt;
	}
	return STATUS_OK;
}

static bool same_datum(const gnutls_datum_t *a, const void *b, size_t blen)
{
	return a->size == blen && memcmp(a->data, b, blen) == 0;
}

/* Whether crt is the certificate info names (issuer and serial, or key id). */
static bool is_signer(gnutls_x509_crt_t crt, const gnutls_pkcs7_signature_info_st *info)
{
	unsigned char buf[256];
	size_t n = sizeof(buf);
	unsigned int critical;
	gnutls_datum_t issuer;
	bool same;

	if (info->issuer_keyid.size > 0)
		return gnutls_x509_crt_get_subject_key_id(crt, buf, &n, &critical) >= 0 &&
		       same_datum(&info->issuer_keyid, buf, n);
	if (gnutls_x509_crt_get_raw_issuer_dn(crt, &issuer) < 0)
		return false;
	same = same_datum(&info->issuer_dn, issuer.data, issuer.size);
	gnutls_free(issuer.data);	/* a copy */
	return same && gnutls_x509_crt_get_serial(crt, buf, &n) >= 0 &&
	       same_datum(&info->signer_serial, buf, n);
}

bool signed_has_purpose(gnutls_x509_crt_t crt, const char *purpose)
{
	for (unsigned i = 0;; i++) {
		char oid[128];
		size_t n = sizeof(oid);
		int rc = gnutls_x509_crt_get_key_purpose_oid(crt, i, oid, &n, NULL);

		if (rc == GNUTLS_E_SHORT_MEMORY_BUFFER)
			continue;
		if (rc < 0)
			return false;
		if (strcmp(oid, purpose) == 0)
			return true;
	}
}

/* Lowers *earliest to crt's expiry. */
static void note_expiry(gnutls_x509_crt_t crt, time_t *earliest)
{
	time_t t = gnutls_x509_crt_get_expiration_time(crt);

	if (t != (time_t)-1 && t < *earliest)
		*earliest = t;
}

/* The distribution roots found so far, in a trust list, and the earliest
 * expiry among the certificates the decision rests on. */
struct trusting {
	gnutls_x509_trust_list_t tl;
	const struct pin *roots;
	size_t root_count;
	struct pin *added;		/* root_count entries */
	size_t added_count;
	time_t earliest;
};

/* Adds the DER certificate der to t's list when its pin is one of the roots
 * not added yet; only then is it parsed. */
static void trust_der(struct trusting *t, const gnutls_datum_t *der)
{
	gnutls_x509_crt_t crt;
	struct pin pin;

	pin_of_der(der->data, der->size, &pin);
	if (!pin_list_contains(t->roots, t->root_count, &pin) ||
	    pin_list_contains(t->added, t->added_count, &pin) || gnutls_x509_crt_init(&crt) < 0)
		return;
	if (gnutls_x509_crt_import(crt, der, GNUTLS_X509_FMT_DER) >= 0 &&
	    gnutls_x509_trust_list_add_cas(t->tl, &crt, 1, 0) == 1) {
		note_expiry(crt, &t->earliest);	/* the list owns crt now, and keeps it */
		t->added[t->added_count++] = pin;
	} else {
		gnutls_x509_crt_deinit(crt);
	}
}

/* Adds every root among certs. */
static void trust_pinned(struct trusting *t, gnutls_x509_crt_t *certs, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		gnutls_datum_t der = { NULL, 0 };

		if (gnutls_x509_crt_export2(certs[i], GNUTLS_X509_FMT_DER, &der) >= 0)
			trust_der(t, &der);
		gnutls_free(der.data);
	}
}

/* Adds every root among the PEM certificates of text (may be NULL). */
static void trust_pinned_pem(struct trusting *t, const char *text)
{
	size_t at = 0, len = text ? strlen(text) : 0;
	gnutls_datum_t der;

	while (pem_next_der(text, len, &at, &der) == PEM_CERTIFICATE) {
		trust_der(t, &der);
		gnutls_free(der.data);
	}
}

/* Checks the signer itself: validity at now and purpose. */
static enum status check_signer(gnutls_x509_crt_t signer, const char *dn, const char *purpose,
				time_t now, struct error *err)
{
	char when[TIME_TEXT_SIZE];

	if (gnutls_x509_crt_get_activation_time(signer) > now) {
		time_format_rfc3339(gnutls_x509_crt_get_activation_time(signer), when);
		return error_set(err, STATUS_DATA, "signer '%s' is not valid before %s", dn, when);
	}
	if (gnutls_x509_crt_get_expiration_time(signer) < now) {
		time_format_rfc3339(gnutls_x509_crt_get_expiration_time(signer), when);
		return error_set(err, STATUS_DATA, "signer '%s' expired on %s", dn, when);
	}
	if (!signed_has_purpose(signer, purpose))
		return error_set(err, STATUS_DATA, "signer '%s' lacks the signing purpose %s", dn,
				 purpose);
	return STATUS_OK;
}

/* Verifies the chain from signer through the carried certificates to tl. */
static enum status check_chain(gnutls_x509_trust_list_t tl, gnutls_x509_crt_t signer,
			       const struct crt_list *carried, gnutls_typed_vdata_st *vdata,
			       const char *dn, struct error *err)
{
	gnutls_x509_crt_t *chain = calloc(carried->count + 1, sizeof(*chain));
	gnutls_datum_t why = { NULL, 0 };
	unsigned int n = 0, verify = 0;
	enum status st = STATUS_OK;
	int rc;

	if (chain == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	chain[n++] = signer;
	for (unsigned i = 0; i < carried->count; i++)
		if (carried->items[i] != signer)
			chain[n++] = carried->items[i];
	rc = gnutls_x509_trust_list_verify_crt2(tl, chain, n, vdata, 1, 0, &verify, NULL);
	if (rc < 0 || verify != 0) {
		if (rc >= 0)
			gnutls_certificate_verification_status_print(verify, GNUTLS_CRT_X509, &why, 0);
		st = error_set(err, STATUS_DATA, "signer '%s' does not chain to a distribution "
			       "root (%s)", dn, rc < 0 ? gnutls_strerror(rc) :
			       why.data ? (const char *)why.data : "untrusted");
	}
	gnutls_free(why.data);
	free(chain);
	return st;
}

/* Finds the signer's certificate among carried and fills b->signer. */
static enum status find_signer(struct signed_bundle *b, const struct crt_list *carried,
			       gnutls_x509_crt_t *signer, struct error *err)
{
	gnutls_pkcs7_signature_info_st info;
	char subject[1024];
	int rc = gnutls_pkcs7_get_signature_info(b->cms, 0, &info);

	*signer = NULL;
	if (rc < 0)
		return error_set(err, STATUS_DATA, "cannot read the CMS signer: %s",
				 gnutls_strerror(rc));
	for (unsigned i = 0; i < carried->count && *signer == NULL; i++)
		if (is_signer(carried->items[i], &info))
			*signer = carried->items[i];
	gnutls_pkcs7_signature_info_deinit(&info);
	if (*signer == NULL)
		return error_set(err, STATUS_DATA, "the CMS does not carry its signer's certificate");
	/* Escaped: it goes into one-line state and messages. */
	bundle_crt_subject(*signer, subject, sizeof(subject));
	free(b->signer);
	b->signer = strdup(subject);
	return b->signer ? STATUS_OK : error_set(err, STATUS_INTERNAL, "out of memory");
}

enum status signed_verify(struct signed_bundle *b, const struct pin *roots, size_t root_count,
			  const char *extra_pem, const char *purpose, time_t now, time_t *until,
			  struct error *err)
{
	gnutls_typed_vdata_st vdata = { GNUTLS_DT_KEY_PURPOSE_OID, (unsigned char *)purpose, 0 };
	struct trusting t = { NULL, roots, root_count, NULL, 0, (time_t)INT64_MAX };
	struct crt_list carried = { NULL, 0 };
	gnutls_x509_crt_t signer;
	enum status st;
	int rc;

	st = carried_certs(b->cms, &carried, err);
	if (st == STATUS_OK)
		st = find_signer(b, &carried, &signer, err);
	if (st == STATUS_OK)
		st = check_signer(signer, b->signer, purpose, now, err);
	if (st != STATUS_OK)
		goto out;
	t.added = calloc(root_count + 1, sizeof(*t.added));
	if (t.added == NULL || gnutls_x509_trust_list_init(&t.tl, 0) < 0) {
		st = error_set(err, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	/* The roots may come from three places; the carried certificates may
	 * all be on the chain: the earliest expiry of them all bounds the
	 * decision (one that is not on the chain only shortens it). */
	for (unsigned i = 0; i < carried.count; i++)
		note_expiry(carried.items[i], &t.earliest);
	trust_pinned(&t, carried.items, carried.count);
	trust_pinned_pem(&t, b->content + b->header.body);
	trust_pinned_pem(&t, extra_pem);
	st = check_chain(t.tl, signer, &carried, &vdata, b->signer, err);
	if (st != STATUS_OK)
		goto out;
	rc = gnutls_pkcs7_verify(b->cms, t.tl, &vdata, 1, 0, NULL, 0);
	if (rc < 0)
		st = error_set(err, STATUS_DATA, "content does not match the signature (%s)",
			       gnutls_strerror(rc));
	else if (until != NULL)
		*until = t.earliest;
out:
	if (t.tl)
		gnutls_x509_trust_list_deinit(t.tl, 1);
	free(t.added);
	crt_list_free(&carried);
	return st;
}

/* The pins of every PEM certificate in body, each decoded and hashed, none
 * parsed; the caller frees *pins. */
static enum status body_pins(const char *body, size_t len, struct pin **pins, size_t *count,
			     struct error *err)
{
	gnutls_datum_t der;
	enum pem_found found;
	size_t at = 0;

	*pins = NULL;
	*count = 0;
	while ((found = pem_next_der(body, len, &at, &der)) == PEM_CERTIFICATE) {
		struct pin pin;

		pin_of_der(der.data, der.size, &pin);
		gnutls_free(der.data);
		if (pin_list_contains(*pins, *count, &pin))
			continue;
		if (*count == BUNDLE_MAX_ROOTS)
			return error_set(err, STATUS_DATA, "the signed bundle lists more than %d "
					 "roots; anchorsync accepts at most %d", BUNDLE_MAX_ROOTS,
					 BUNDLE_MAX_ROOTS);
		if (*pins == NULL && (*pins = calloc(BUNDLE_MAX_ROOTS, sizeof(**pins))) == NULL)
			return error_set(err, STATUS_INTERNAL, "out of memory");
		(*pins)[(*count)++] = pin;
	}
	if (found == PEM_UNREADABLE || *count == 0)
		return error_set(err, STATUS_DATA, "the signed bundle lists no readable certificate");
	return STATUS_OK;
}

/* The subject of the certificate of body whose pin is pin, for a message. */
static void listed_subject(const char *body, size_t len, const struct pin *pin, char *out,
			   size_t outlen)
{
	gnutls_datum_t der;
	gnutls_x509_crt_t crt;
	size_t at = 0;

	snprintf(out, outlen, "(unreadable subject)");
	while (pem_next_der(body, len, &at, &der) == PEM_CERTIFICATE) {
		struct pin p;

		pin_of_der(der.data, der.size, &p);
		if (pin_equal(&p, pin) && gnutls_x509_crt_init(&crt) >= 0) {
			if (gnutls_x509_crt_import(crt, &der, GNUTLS_X509_FMT_DER) >= 0)
				bundle_crt_subject(crt, out, outlen);
			gnutls_x509_crt_deinit(crt);
		}
		gnutls_free(der.data);
	}
}

enum status signed_select_roots(const char *body, size_t len, const struct manifest *installed,
				time_t now, struct anchor_set *out, struct error *err)
{
	struct pin *pins = NULL;
	size_t count = 0;
	enum status st;

	memset(out, 0, sizeof(*out));
	st = body_pins(body, len, &pins, &count, err);
	if (st == STATUS_OK)
		st = bundle_select(body, len, &(struct bundle_rules){ .pins = pins,
				   .pin_count = count, .listed = true, .installed = installed,
				   .now = now }, out, err);
	for (size_t i = 0; st == STATUS_OK && i < count; i++) {
		char pin[PIN_TEXT_SIZE], dn[512];

		if (anchor_set_find(out, &pins[i]) != NULL)
			continue;
		pin_format(&pins[i], pin);
		listed_subject(body, len, &pins[i], dn, sizeof(dn));
		st = error_set(err, STATUS_DATA, "the signed bundle lists '%s' (%s), which is not "
			       "a valid root", dn, pin);
	}
	free(pins);
	return st;
}

void signed_bundle_free(struct signed_bundle *b)
{
	if (b->cms)
		gnutls_pkcs7_deinit(b->cms);
	free(b->content);
	free(b->signer);
	memset(b, 0, sizeof(*b));
}
