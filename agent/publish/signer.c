/* SPDX-License-Identifier: MIT */
/* The publisher's side of signed bundles (`anchorsync sign`). */
#include "signer.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs7.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "fileio.h"
#include "log.h"
#include "parse.h"
#include "signed_bundle.h"
#include "timefmt.h"

#define SIGN_FILE_MAX (4 * 1024 * 1024)
#define DAY 86400

struct sign_job {
	gnutls_privkey_t key;
	gnutls_x509_crt_t signer;
	gnutls_x509_crt_t *chain;
	unsigned chain_count;
	gnutls_pkcs7_t cms;
	char *content;
	size_t content_len;
};

/* --expires: a number of days from now, a date (midnight UTC) or an RFC 3339 time. */
static enum status parse_expires(const char *text, time_t now, time_t *out, struct error *err)
{
	unsigned long long days;
	char full[64];

	if (parse_uint(text, 1, 36500, &days)) {
		*out = now + (time_t)days * DAY;
		return STATUS_OK;
	}
	snprintf(full, sizeof(full), "%sT00:00:00Z", text);
	if ((strlen(text) == 10 && signed_parse_time(full, out)) || signed_parse_time(text, out)) {
		if (*out <= now)
			return error_set(err, STATUS_USAGE, "sign: --expires '%s' is in the past", text);
		return STATUS_OK;
	}
	return error_set(err, STATUS_USAGE, "sign: --expires '%s' is not DAYS, YYYY-MM-DD or an "
			 "RFC 3339 time", text);
}

static enum status read_input(const char *path, char **data, size_t *len, struct error *err)
{
	enum status st = file_read(path, SIGN_FILE_MAX, data, len, NULL, err);

	return st == STATUS_IO ? error_set(err, STATUS_USAGE, "sign: %s", err->msg) : st;
}

/* The signed content: header, blank line, the roots as bundle_select re-encoded them. */
static enum status make_content(const struct sign_request *a, time_t now, struct sign_job *job,
				struct error *err)
{
	struct anchor_set roots = { NULL, 0 };
	unsigned long long serial;
	char when[TIME_TEXT_SIZE], *data = NULL;
	struct file_draft d;
	time_t expires;
	size_t len;
	enum status st;

	if (!signed_parse_serial(a->serial, &serial))
		return error_set(err, STATUS_USAGE, "sign: --serial '%s' is not a whole number "
				 "from 1 to 2^63-1", a->serial);
	st = parse_expires(a->expires, now, &expires, err);
	if (st == STATUS_OK)
		st = read_input(a->bundle, &data, &len, err);
	if (st == STATUS_OK)
		st = signed_select_roots(data, len, NULL, now, &roots, err);
	if (st != STATUS_OK) {
		if (st == STATUS_DATA)
			error_prefix(err, "refusing to sign '%s'", a->bundle);
		goto out;
	}
	if (!file_draft_open(&d)) {
		st = error_set(err, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	time_format_rfc3339(expires, when);
	fprintf(d.out, "Serial: %llu\nExpires: %s\n\n", serial, when);
	for (size_t i = 0; i < roots.count; i++)
		fwrite(roots.items[i].pem, 1, roots.items[i].pem_len, d.out);
	if (fclose(d.out) != 0) {
		free(d.text);
		st = error_set(err, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	job->content = d.text;
	job->content_len = d.len;
out:
	anchor_set_free(&roots);
	free(data);
	return st;
}

static enum status load_credentials(const struct sign_request *a, struct sign_job *job,
				    struct error *err)
{
	gnutls_datum_t in;
	char *data = NULL;
	size_t len;
	enum status st;
	int rc;

	if ((st = read_input(a->key, &data, &len, err)) != STATUS_OK)
		return st;
	in = (gnutls_datum_t){ (unsigned char *)data, (unsigned int)len };
	rc = gnutls_privkey_init(&job->key);
	if (rc >= 0)
		rc = gnutls_privkey_import_x509_raw(job->key, &in, GNUTLS_X509_FMT_PEM, NULL, 0);
	free(data);
	if (rc < 0)
		return error_set(err, STATUS_USAGE, "sign: cannot read the key '%s': %s", a->key,
				 gnutls_strerror(rc));
	if ((st = read_input(a->cert, &data, &len, err)) != STATUS_OK)
		return st;
	in = (gnutls_datum_t){ (unsigned char *)data, (unsigned int)len };
	rc = gnutls_x509_crt_init(&job->signer);
	if (rc >= 0)
		rc = gnutls_x509_crt_import(job->signer, &in, GNUTLS_X509_FMT_PEM);
	free(data);
	if (rc < 0)
		return error_set(err, STATUS_USAGE, "sign: cannot read the certificate '%s': %s",
				 a->cert, gnutls_strerror(rc));
	if (a->chain == NULL)
		return STATUS_OK;
	if ((st = read_input(a->chain, &data, &len, err)) != STATUS_OK)
		return st;
	in = (gnutls_datum_t){ (unsigned char *)data, (unsigned int)len };
	rc = gnutls_x509_crt_list_import2(&job->chain, &job->chain_count, &in,
					  GNUTLS_X509_FMT_PEM, 0);
	free(data);
	if (rc < 0)
		return error_set(err, STATUS_USAGE, "sign: cannot read the chain '%s': %s", a->chain,
				 gnutls_strerror(rc));
	return STATUS_OK;
}

static enum status sign_content(struct sign_job *job, struct error *err)
{
	gnutls_datum_t data = { (unsigned char *)job->content, (unsigned int)job->content_len };
	int rc = gnutls_pkcs7_init(&job->cms);

	if (rc >= 0)
		rc = gnutls_pkcs7_sign(job->cms, job->signer, job->key, &data, NULL, NULL,
				       GNUTLS_DIG_SHA256, GNUTLS_PKCS7_EMBED_DATA |
				       GNUTLS_PKCS7_INCLUDE_CERT | GNUTLS_PKCS7_INCLUDE_TIME);
	for (unsigned i = 0; rc >= 0 && i < job->chain_count; i++)
		rc = gnutls_pkcs7_set_crt(job->cms, job->chain[i]);
	if (rc < 0)
		return error_set(err, STATUS_DATA, "sign: cannot sign: %s", gnutls_strerror(rc));
	/* A key that is not the certificate's signs happily; catch it here. */
	rc = gnutls_pkcs7_verify_direct(job->cms, job->signer, 0, &data, 0);
	if (rc < 0)
		return error_set(err, STATUS_USAGE, "sign: the key does not match the certificate: %s",
				 gnutls_strerror(rc));
	if (!signed_has_purpose(job->signer, SIGNED_PURPOSE_DEFAULT))
		log_warn("the signer certificate lacks the codeSigning purpose (%s): nodes with "
			 "the default signer_purpose will refuse this bundle", SIGNED_PURPOSE_DEFAULT);
	return STATUS_OK;
}

static enum status write_output(const struct sign_job *job, const char *out, struct error *err)
{
	gnutls_datum_t der = { NULL, 0 }, pem = { NULL, 0 };
	enum status st = STATUS_OK;
	int rc = gnutls_pkcs7_export2(job->cms, GNUTLS_X509_FMT_DER, &der);

	if (rc >= 0)
		rc = gnutls_pem_base64_encode2("CMS", &der, &pem);
	if (rc < 0)
		st = error_set(err, STATUS_INTERNAL, "sign: cannot encode: %s", gnutls_strerror(rc));
	else if (out == NULL || strcmp(out, "-") == 0)
		fwrite(pem.data, 1, pem.size, stdout);
	else
		st = file_write_atomic(out, pem.data, pem.size, 0644, true, err);
	gnutls_free(der.data);
	gnutls_free(pem.data);
	return st;
}

static void sign_job_free(struct sign_job *job)
{
	if (job->cms)
		gnutls_pkcs7_deinit(job->cms);
	if (job->key)
		gnutls_privkey_deinit(job->key);
	if (job->signer)
		gnutls_x509_crt_deinit(job->signer);
	for (unsigned i = 0; i < job->chain_count; i++)
		gnutls_x509_crt_deinit(job->chain[i]);
	gnutls_free(job->chain);
	free(job->content);
}

enum status sign_bundle(const struct sign_request *a, struct error *err)
{
	struct sign_job job = { 0 };
	enum status st = make_content(a, time(NULL), &job, err);

	if (st == STATUS_OK)
		st = load_credentials(a, &job, err);
	if (st == STATUS_OK)
		st = sign_content(&job, err);
	if (st == STATUS_OK)
		st = write_output(&job, a->out, err);
	sign_job_free(&job);
	return st;
}
