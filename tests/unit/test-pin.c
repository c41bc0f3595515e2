/* SPDX-License-Identifier: MIT */
/* Pins: every spelling admins paste is accepted, anything else is refused. */
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "pin.h"
#include "tap.h"

#define HEX "57b074458962f34f05cd140286b8e86cc0cd2d12de024e3b755d398d3edb170b"
#define COLONS "57:B0:74:45:89:62:F3:4F:05:CD:14:02:86:B8:E8:6C:C0:CD:2D:12:DE:02:4E:3B:75:5D:39:8D:3E:DB:17:0B"

/* PEM blocks, each read once, whatever lies between and around them. */
static void test_pem(void)
{
	char *root = fixture_read("root.pem", NULL), text[8192];
	enum pem_found seen[6];
	gnutls_datum_t der;
	struct pin want, got;
	size_t at = 0, n = 0, len;
	bool pins_match = true;

	pin_parse("sha256:" HEX, &want);
	ok(pin_of_pem(root, strlen(root), &got) && pin_equal(&got, &want),
	   "pin_of_pem: the pin of a PEM certificate is that of its DER");
	len = (size_t)snprintf(text, sizeof(text), "intro\n%s"
			       "-----BEGIN CERTIFICATE-----\n!!not base64!!\n"
			       "-----END CERTIFICATE-----\n%s-----BEGIN CERTIFICATE-----\nMIIB",
			       root, root);
	while (n < 6 && (seen[n] = pem_next_der(text, len, &at, &der)) != PEM_NONE) {
		if (seen[n] == PEM_CERTIFICATE) {
			pin_of_der(der.data, der.size, &got);
			pins_match = pins_match && pin_equal(&got, &want);
		}
		gnutls_free(der.data);
		n++;
	}
	ok(n == 4 && seen[0] == PEM_CERTIFICATE && seen[1] == PEM_UNREADABLE &&
	   seen[2] == PEM_CERTIFICATE && seen[3] == PEM_UNREADABLE && pins_match,
	   "pem_next_der: a certificate, a block that does not decode, the certificate, "
	   "a block without its end, then none");
	at = 0;
	ok(pem_next_der(text, strlen(root), &at, &der) == PEM_UNREADABLE,
	   "a block cut by the length given is not read past it");
	gnutls_free(der.data);
	free(root);
}

int main(void)
{
	struct pin a, b;
	char text[PIN_TEXT_SIZE];

	ok(pin_parse("sha256:" HEX, &a), "lowercase hex");
	ok(pin_parse("SHA256:" COLONS, &b), "uppercase with colons (openssl's form)");
	ok(pin_equal(&a, &b), "both spellings name the same certificate");
	pin_format(&a, text);
	is_str(text, "sha256:" HEX, "formats as sha256: and lowercase hex");
	ok(!pin_parse(HEX, &a), "refuses a pin without the sha256: prefix");
	ok(!pin_parse("sha1:" HEX, &a), "refuses another algorithm");
	ok(!pin_parse("sha256:" HEX "00", &a), "refuses 33 bytes");
	ok(!pin_parse("sha256:57b0", &a), "refuses a short pin");
	/* Each malformed pin below is right in every other way (64 digits unless
	 * the count is the point), so that it reaches the check it names. */
	snprintf(text, sizeof(text), "sha256:%s", HEX);
	text[7 + 10] = 'z';
	text[7 + 11] = 'g';
	ok(!pin_parse(text, &a), "refuses non-hex digits");
	ok(!pin_parse("sha256::" HEX, &a), "refuses a leading colon");
	snprintf(text, sizeof(text), "sha256:%.63s", HEX);
	ok(!pin_parse(text, &a), "refuses an odd digit count");
	ok(!pin_parse("sha256:", &a), "refuses an empty pin");
	test_pem();
	return tap_done();
}
