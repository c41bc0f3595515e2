/* SPDX-License-Identifier: MIT */
/* `anchorsync fingerprint FILE...`: the pin to configure for each certificate,
 * read from PEM (every certificate in the file) or DER. */
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "fileio.h"

#define CERT_FILE_MAX (4 * 1024 * 1024)

static enum status print_pins(const char *path, struct error *err)
{
	gnutls_x509_crt_t *crts = NULL;
	gnutls_datum_t datum;
	unsigned int n = 0;
	enum status st;
	char *data;
	size_t len;
	int rc;

	st = file_read(path, CERT_FILE_MAX, &data, &len, NULL, err);
	if (st != STATUS_OK)
		return st == STATUS_IO ? STATUS_USAGE : st;
	datum = (gnutls_datum_t){ (unsigned char *)data, (unsigned int)len };
	rc = gnutls_x509_crt_list_import2(&crts, &n, &datum, GNUTLS_X509_FMT_PEM, 0);
	if (rc < 0 || n == 0)
		rc = gnutls_x509_crt_list_import2(&crts, &n, &datum, GNUTLS_X509_FMT_DER, 0);
	if (rc < 0 || n == 0) {
		st = error_set(err, STATUS_DATA, "'%s' holds no certificate (PEM or DER)", path);
		goto out;
	}
	for (unsigned int i = 0; i < n; i++) {
		char text[PIN_TEXT_SIZE];
		struct pin pin;

		if (!pin_of_crt(crts[i], &pin)) {
			st = error_set(err, STATUS_DATA, "cannot encode a certificate of '%s'", path);
			break;
		}
		pin_format(&pin, text);
		printf("%s  %s\n", text, path);
	}
out:
	for (unsigned int i = 0; i < n; i++)
		gnutls_x509_crt_deinit(crts[i]);
	gnutls_free(crts);
	free(data);
	return st;
}

enum status cmd_fingerprint(const struct invocation *inv, struct error *err)
{
	static const struct cli_spec spec = { .min_operands = 1, .max_operands = -1,
					      .operands_usage = "needs at least one FILE" };
	int first;
	enum status st = cli_parse(inv, &spec, NULL, &first, err);

	for (int i = first; i < inv->argc && st == STATUS_OK; i++)
		st = print_pins(inv->argv[i], err);
	return st;
}
