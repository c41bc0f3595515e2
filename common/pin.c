/* SPDX-License-Identifier: MIT */
#include "pin.h"

#include <gnutls/crypto.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "parse.h"

bool pin_parse(const char *text, struct pin *out)
{
	const char *p = text;
	size_t n = 0;

	if (strncasecmp(p, "sha256:", 7) != 0)
		return false;
	p += 7;
	while (*p != '\0') {
		int byte;
		if (*p == ':' && n > 0) {
			p++;
			continue;
		}
		byte = parse_hex_byte(p);
		if (byte < 0 || n == PIN_BYTES)
			return false;
		out->sha256[n++] = (unsigned char)byte;
		p += 2;
	}
	return n == PIN_BYTES;
}

void pin_of_der(const unsigned char *der, size_t len, struct pin *out)
{
	gnutls_hash_fast(GNUTLS_DIG_SHA256, der, len, out->sha256);
}

bool pin_of_crt(gnutls_x509_crt_t crt, struct pin *out)
{
	size_t size = sizeof(out->sha256);

	return gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256, out->sha256, &size) >= 0 &&
	       size == sizeof(out->sha256);
}

#define PEM_BEGIN "-----BEGIN CERTIFICATE-----"
#define PEM_END "-----END CERTIFICATE-----"

enum pem_found pem_next_der(const char *text, size_t len, size_t *at, gnutls_datum_t *der)
{
	const char *from = text + *at, *end = text + len, *begin, *stop;
	gnutls_datum_t in;

	der->data = NULL;
	der->size = 0;
	begin = *at < len ? memmem(from, (size_t)(end - from), PEM_BEGIN, strlen(PEM_BEGIN)) : NULL;
	if (begin == NULL) {
		*at = len;
		return PEM_NONE;
	}
	stop = memmem(begin, (size_t)(end - begin), PEM_END, strlen(PEM_END));
	if (stop == NULL) {
		*at = len;
		return PEM_UNREADABLE;
	}
	stop += strlen(PEM_END);
	*at = (size_t)(stop - text);
	in.data = (unsigned char *)(uintptr_t)begin;
	in.size = (unsigned int)(stop - begin);
	return gnutls_pem_base64_decode2("CERTIFICATE", &in, der) >= 0 ? PEM_CERTIFICATE :
									 PEM_UNREADABLE;
}

bool pin_of_pem(const char *pem, size_t len, struct pin *out)
{
	gnutls_datum_t der;
	size_t at = 0;
	bool ok = pem_next_der(pem, len, &at, &der) == PEM_CERTIFICATE;

	if (ok)
		pin_of_der(der.data, der.size, out);
	gnutls_free(der.data);
	return ok;
}

void pin_format(const struct pin *pin, char out[PIN_TEXT_SIZE])
{
	static const char digits[] = "0123456789abcdef";
	char *p = out + 7;

	memcpy(out, "sha256:", 7);
	for (size_t i = 0; i < PIN_BYTES; i++) {
		*p++ = digits[pin->sha256[i] >> 4];
		*p++ = digits[pin->sha256[i] & 0xf];
	}
	*p = '\0';
}

bool pin_equal(const struct pin *a, const struct pin *b)
{
	return memcmp(a->sha256, b->sha256, PIN_BYTES) == 0;
}

bool pin_list_contains(const struct pin *list, size_t count, const struct pin *pin)
{
	for (size_t i = 0; i < count; i++)
		if (pin_equal(&list[i], pin))
			return true;
	return false;
}
