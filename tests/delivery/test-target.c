/* SPDX-License-Identifier: MIT */
/* Unit tests for target parsing. */
#include <string.h>

#include "target.h"
#include "../unit/tap.h"

static bool parses(const char *text, enum target_kind kind, const char *host, unsigned port,
		   bool implicit_tls)
{
	struct target t;
	struct error err = { 0 };

	if (target_parse(text, &t, &err) != STATUS_OK) {
		printf("# %s: %s\n", text, err.msg);
		return false;
	}
	return t.kind == kind && strcmp(t.host, host) == 0 && t.port == port &&
	       t.implicit_tls == implicit_tls;
}

static bool refused(const char *text, const char *why)
{
	struct target t;
	struct error err = { 0 };

	return target_parse(text, &t, &err) == STATUS_USAGE && strstr(err.msg, why) != NULL;
}

int main(void)
{
	ok(parses("smtp://mail.corp.internal", TARGET_SMTP, "mail.corp.internal", 25, false),
	   "smtp:// defaults to port 25");
	ok(parses("smtp://mail.corp.internal:2525", TARGET_SMTP, "mail.corp.internal", 2525, false),
	   "smtp:// with a port");
	ok(parses("submission://mx.example", TARGET_SUBMISSION, "mx.example", 587, false),
	   "submission:// defaults to 587");
	ok(parses("smtps://mx.example", TARGET_SMTPS, "mx.example", 465, true),
	   "smtps:// is implicit TLS on 465");
	ok(parses("SMTPS://mx.example:10465", TARGET_SMTPS, "mx.example", 10465, true),
	   "schemes are case-insensitive");
	ok(parses("smtp://127.0.0.1:25", TARGET_SMTP, "127.0.0.1", 25, false), "an IPv4 address");
	ok(parses("smtp://[::1]:2525", TARGET_SMTP, "::1", 2525, false), "a bracketed IPv6 address");
	ok(parses("smtp://mail.example/", TARGET_SMTP, "mail.example", 25, false),
	   "one trailing slash is fine");
	ok(parses("mx:corp.internal", TARGET_MX, "corp.internal", 25, false), "mx:DOMAIN");
	ok(parses("mx:corp.internal.", TARGET_MX, "corp.internal", 25, false),
	   "mx: with a trailing dot");

	ok(parses("mx:corp.internal:2525", TARGET_MX, "corp.internal", 2525, false),
	   "mx: with a port for its hosts");
	ok(refused("http://mail.example", "expected smtp://"), "an unknown scheme");
	ok(refused("mail.example", "expected smtp://"), "no scheme");
	ok(refused("smtp://", "not a host name"), "no host");
	ok(refused("smtp://mail.example:0", "not 1..65535"), "port 0");
	ok(refused("smtp://mail.example:65536", "not 1..65535"), "port 65536");
	ok(refused("smtp://mail.example:25x", "not 1..65535"), "a port with letters");
	ok(refused("smtp://mail.example/path", "no path"), "a path");
	ok(refused("smtp://mail..example", "not a host name"), "an empty label");
	ok(refused("smtp://mail example", "not a host name"), "a space");
	ok(refused("smtp://[::1", "malformed IPv6"), "an unclosed bracket");
	ok(refused("smtp://[::1]x", "after ']'"), "text after the bracket");
	ok(refused("mx:", "not a domain name"), "mx: without a domain");
	ok(refused("mx:a_b c", "not a domain name"), "mx: with a space");
	return tap_done();
}
