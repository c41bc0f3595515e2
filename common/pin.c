/* SPDX-License-Identifier: MIT */
#include "pin.h"

#include <gnutls/crypto.h>
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
