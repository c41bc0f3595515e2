/* SPDX-License-Identifier: MIT */
/* Pins: every spelling admins paste is accepted, anything else is refused. */
#include <stdio.h>

#include "pin.h"
#include "tap.h"

#define HEX "57b074458962f34f05cd140286b8e86cc0cd2d12de024e3b755d398d3edb170b"
#define COLONS "57:B0:74:45:89:62:F3:4F:05:CD:14:02:86:B8:E8:6C:C0:CD:2D:12:DE:02:4E:3B:75:5D:39:8D:3E:DB:17:0B"

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
	return tap_done();
}
