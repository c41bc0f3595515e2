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

/* Each byte's value as a base64 digit; B64_SPACE for whitespace, B64_PAD for
 * "=", B64_BAD for anything else. */
#define B64_BAD (-1)
#define B64_SPACE (-2)
#define B64_PAD (-3)
static const signed char base64_values[256] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -2, -2, -1, -1, -2, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-2, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1, -1, 63,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -3, -1, -1,
	-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, -1,
	-1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

/* Decodes the base64 text of [from, to) into *der (gnutls_malloc'd): digits
 * in groups of four, "=" padding only at the end, whitespace anywhere; false
 * on anything else. Here rather than GnuTLS's, whose decoder (nettle's) costs
 * a call per character: a big bundle is mostly base64. */
static bool base64_decode(const char *from, const char *to, gnutls_datum_t *der)
{
	unsigned char *out = gnutls_malloc((size_t)(to - from) / 4 * 3 + 3);
	uint32_t acc = 0;
	size_t n = 0, digits = 0, pad = 0;

	if (out == NULL)
		return false;
	for (const char *p = from; p < to; p++) {
		int v = base64_values[(unsigned char)*p];

		if (v >= 0 && pad == 0) {
			acc = acc << 6 | (uint32_t)v;
			if (++digits == 4) {
				out[n++] = (unsigned char)(acc >> 16);
				out[n++] = (unsigned char)(acc >> 8);
				out[n++] = (unsigned char)acc;
				digits = 0;
				acc = 0;
			}
		} else if (v == B64_PAD && digits > 1 && pad < 2) {
			pad++;
		} else if (v != B64_SPACE) {
			goto bad;
		}
	}
	if (digits + pad != 0 && digits + pad != 4)
		goto bad;
	if (digits == 2) {
		out[n++] = (unsigned char)(acc >> 4);
	} else if (digits == 3) {
		out[n++] = (unsigned char)(acc >> 10);
		out[n++] = (unsigned char)(acc >> 2);
	}
	if (n == 0)
		goto bad;
	der->data = out;
	der->size = (unsigned int)n;
	return true;
bad:
	gnutls_free(out);
	return false;
}

enum pem_found pem_next_der(const char *text, size_t len, size_t *at, gnutls_datum_t *der)
{
	const char *from = NULL, *end = NULL, *begin = NULL, *stop, *body;

	der->data = NULL;
	der->size = 0;
	if (text != NULL && *at < len) {	/* (no pointer arithmetic on a NULL text) */
		from = text + *at;
		end = text + len;
		begin = memmem(from, (size_t)(end - from), PEM_BEGIN, strlen(PEM_BEGIN));
	}
	if (begin == NULL) {
		*at = len;
		return PEM_NONE;
	}
	stop = memmem(begin, (size_t)(end - begin), PEM_END, strlen(PEM_END));
	if (stop == NULL) {
		*at = len;
		return PEM_UNREADABLE;
	}
	*at = (size_t)(stop + strlen(PEM_END) - text);
	/* The base64 starts on the line after BEGIN. */
	body = memchr(begin, '\n', (size_t)(stop - begin));
	return body && base64_decode(body + 1, stop, der) ? PEM_CERTIFICATE : PEM_UNREADABLE;
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
