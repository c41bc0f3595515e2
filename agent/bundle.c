#include "bundle.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define PEM_BEGIN "-----BEGIN CERTIFICATE-----"
#define PEM_END "-----END CERTIFICATE-----"

static size_t count_occurrences(const char *data, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(data, needle); p; p = strstr(p + 1, needle))
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

static bool pin_listed(const struct pin *pin, const struct pin *pins, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (pin_equal(pin, &pins[i]))
			return true;
	return false;
}

/* Why crt cannot serve as a trust anchor at now, or NULL when it can. */
static const char *root_problem(gnutls_x509_crt_t crt, time_t now)
{
	unsigned int critical, usage = 0;
	unsigned int verify_status = 0;

	if (gnutls_x509_crt_get_version(crt) != 3)
		return "not an X.509 v3 certificate";
	if (gnutls_x509_crt_get_basic_constraints(crt, &critical, NULL, NULL) <= 0)
		return "not a CA certificate (no basicConstraints CA:TRUE)";
	if (gnutls_x509_crt_get_key_usage(crt, &usage, &critical) < 0 ||
	    !(usage & GNUTLS_KEY_KEY_CERT_SIGN))
		return "its keyUsage lacks keyCertSign";
	if (!gnutls_x509_crt_check_issuer(crt, crt) ||
	    gnutls_x509_crt_verify(crt, &crt, 1, GNUTLS_VERIFY_DISABLE_TIME_CHECKS,
				   &verify_status) < 0 || verify_status != 0)
		return "not self-signed (a root signs itself)";
	if (gnutls_x509_crt_get_activation_time(crt) > now)
		return "not valid yet";
	if (gnutls_x509_crt_get_expiration_time(crt) < now)
		return "expired";
	return NULL;
}

/* Fills a with crt's pin, subject and PEM. */
static bool anchor_from(struct anchor *a, gnutls_x509_crt_t crt, const struct pin *pin)
{
	gnutls_datum_t dn = { NULL, 0 }, pem = { NULL, 0 };
	bool ok = false;

	memset(a, 0, sizeof(*a));
	a->pin = *pin;
	a->not_after = gnutls_x509_crt_get_expiration_time(crt);
	if (gnutls_x509_crt_get_dn3(crt, &dn, 0) < 0 ||
	    gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &pem) < 0)
		goto out;
	a->subject = strndup((const char *)dn.data, dn.size);
	a->pem = malloc(pem.size + 1);
	if (a->subject == NULL || a->pem == NULL)
		goto out;
	memcpy(a->pem, pem.data, pem.size);
	a->pem[pem.size] = '\0';
	a->pem_len = pem.size;
	ok = true;
out:
	gnutls_free(dn.data);
	gnutls_free(pem.data);
	return ok;
}

static void crt_subject(gnutls_x509_crt_t crt, char *out, size_t outlen)
{
	size_t n = outlen;

	if (gnutls_x509_crt_get_dn(crt, out, &n) < 0)
		snprintf(out, outlen, "(unreadable subject)");
}

/* Decides for one certificate: skipped (not pinned, invalid) or added to out. */
static enum status consider(gnutls_x509_crt_t crt, const struct pin *pins, size_t pin_count,
			    time_t now, struct anchor_set *out, const char **last_problem,
			    size_t *pinned)
{
	gnutls_datum_t der = { NULL, 0 };
	char subject[512], pintext[PIN_TEXT_SIZE];
	const char *problem;
	struct pin pin;

	if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) < 0)
		return STATUS_INTERNAL;
	pin_of_der(der.data, der.size, &pin);
	gnutls_free(der.data);
	pin_format(&pin, pintext);
	crt_subject(crt, subject, sizeof(subject));
	if (!pin_listed(&pin, pins, pin_count)) {
		log_warn("ignoring certificate '%s' (%s): not pinned", subject, pintext);
		return STATUS_OK;
	}
	(*pinned)++;
	problem = root_problem(crt, now);
	if (problem) {
		log_warn("rejecting pinned certificate '%s' (%s): %s", subject, pintext, problem);
		*last_problem = problem;
		return STATUS_OK;
	}
	for (size_t i = 0; i < out->count; i++)
		if (pin_equal(&out->items[i].pin, &pin))
			return STATUS_OK;	/* published twice */
	if (!anchor_from(&out->items[out->count], crt, &pin)) {
		free(out->items[out->count].subject);
		free(out->items[out->count].pem);
		return STATUS_INTERNAL;
	}
	out->count++;
	return STATUS_OK;
}

enum status bundle_select(const char *data, size_t len, const struct pin *pins,
			  size_t pin_count, time_t now, struct anchor_set *out,
			  struct error *err)
{
	gnutls_datum_t datum = { (unsigned char *)data, (unsigned int)len };
	gnutls_x509_crt_t *crts = NULL;
	const char *problem = NULL;
	unsigned int n = 0;
	size_t begins, ends, pinned = 0;
	enum status st = STATUS_OK;
	char start[48];
	int rc;

	memset(out, 0, sizeof(*out));
	begins = count_occurrences(data, PEM_BEGIN);
	ends = count_occurrences(data, PEM_END);
	if (begins == 0) {
		excerpt(data, len, start, sizeof(start));
		return error_set(err, STATUS_DATA,
				 "no PEM certificate in the bundle (%zu bytes, starting '%s')",
				 len, start);
	}
	rc = gnutls_x509_crt_list_import2(&crts, &n, &datum, GNUTLS_X509_FMT_PEM, 0);
	if (rc < 0 || begins != ends || n != begins)
		return error_set(err, STATUS_DATA,
				 "truncated or malformed PEM bundle: %zu certificates begin, "
				 "%zu end, %u parse%s%s", begins, ends, rc < 0 ? 0 : n,
				 rc < 0 ? ": " : "", rc < 0 ? gnutls_strerror(rc) : "");
	out->items = calloc(n, sizeof(*out->items));
	if (out->items == NULL) {
		st = error_set(err, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	for (unsigned int i = 0; i < n && st == STATUS_OK; i++)
		st = consider(crts[i], pins, pin_count, now, out, &problem, &pinned);
	if (st != STATUS_OK)
		error_set(err, st, "cannot read a certificate of the bundle");
	else if (pinned == 0)
		st = error_set(err, STATUS_DATA,
			       "none of the %u certificates in the bundle matches a configured pin", n);
	else if (out->count == 0)
		st = error_set(err, STATUS_DATA, "no usable root in the bundle: the pinned "
			       "certificate%s rejected (last: %s)", pinned > 1 ? "s were" : " was",
			       problem);
out:
	for (unsigned int i = 0; i < n; i++)
		gnutls_x509_crt_deinit(crts[i]);
	gnutls_free(crts);
	return st;
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
