/* SPDX-License-Identifier: MIT */
#include "target.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse.h"

struct scheme {
	const char *prefix;
	enum target_kind kind;
	unsigned port;
	bool implicit_tls;
};

static const struct scheme schemes[] = {
	{ "smtp://", TARGET_SMTP, 25, false },
	{ "submission://", TARGET_SUBMISSION, 587, false },
	{ "smtps://", TARGET_SMTPS, 465, true },
	{ "mx:", TARGET_MX, 25, false },
};

#define SCHEME_COUNT (sizeof(schemes) / sizeof(schemes[0]))

const char *target_scheme(enum target_kind kind)
{
	switch (kind) {
	case TARGET_SMTP: return "smtp";
	case TARGET_SUBMISSION: return "submission";
	case TARGET_SMTPS: return "smtps";
	case TARGET_MX: return "mx";
	}
	return "?";
}

/* A DNS name (letters, digits, '-', '_', dots between labels of at most 63
 * octets) or an IPv4 address, which has the same characters. */
static bool host_name_valid(const char *s, size_t len)
{
	size_t label = 0;

	if (len == 0 || len > TARGET_HOST_MAX || s[0] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!isalnum(c) && c != '-' && c != '_')
			return false;
		if (++label > 63)
			return false;
	}
	return true;
}

static bool ipv6_literal_valid(const char *s, size_t len)
{
	if (len == 0 || len > 45)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]) && s[i] != ':' && s[i] != '.')
			return false;
	return true;
}

enum status target_parse(const char *text, struct target *t, struct error *err)
{
	const struct scheme *sc = NULL;
	const char *rest, *host, *colon;
	size_t host_len;

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < SCHEME_COUNT; i++)
		if (strncasecmp(text, schemes[i].prefix, strlen(schemes[i].prefix)) == 0)
			sc = &schemes[i];
	if (sc == NULL)
		return error_set(err, STATUS_USAGE, "target '%s': expected smtp://HOST[:PORT], "
				 "submission://HOST[:PORT], smtps://HOST[:PORT] or mx:DOMAIN[:PORT]", text);
	t->kind = sc->kind;
	t->port = sc->port;
	t->implicit_tls = sc->implicit_tls;
	rest = text + strlen(sc->prefix);

	if (sc->kind == TARGET_MX) {
		colon = strchr(rest, ':');
		host_len = colon ? (size_t)(colon - rest) : strlen(rest);
		if (host_len > 0 && rest[host_len - 1] == '.')
			host_len--;	/* a fully qualified "example.org." */
		if (!host_name_valid(rest, host_len))
			return error_set(err, STATUS_USAGE, "target '%s': '%.*s' is not a domain name",
					 text, (int)host_len, rest);
		if (colon != NULL && !parse_port(colon + 1, &t->port))
			return error_set(err, STATUS_USAGE, "target '%s': port '%s' is not 1..65535",
					 text, colon + 1);
		memcpy(t->host, rest, host_len);
		return STATUS_OK;
	}

	if (rest[0] == '[') {
		const char *close = strchr(rest, ']');

		if (close == NULL || !ipv6_literal_valid(rest + 1, (size_t)(close - rest - 1)))
			return error_set(err, STATUS_USAGE, "target '%s': malformed IPv6 address", text);
		host = rest + 1;
		host_len = (size_t)(close - host);
		colon = close[1] == ':' ? close + 1 : NULL;
		if (close[1] != '\0' && colon == NULL)
			return error_set(err, STATUS_USAGE, "target '%s': unexpected text after ']'", text);
	} else {
		host = rest;
		colon = strchr(rest, ':');
		host_len = colon ? (size_t)(colon - rest) : strlen(rest);
		if (memchr(host, '/', host_len) != NULL) {
			/* allow one trailing slash: "smtp://mail.example/" */
			if (host[host_len - 1] != '/' || colon != NULL)
				return error_set(err, STATUS_USAGE, "target '%s': a target has no path", text);
			host_len--;
		}
		if (!host_name_valid(host, host_len))
			return error_set(err, STATUS_USAGE, "target '%s': '%.*s' is not a host name",
					 text, (int)host_len, host);
	}
	if (colon != NULL && !parse_port(colon + 1, &t->port))
		return error_set(err, STATUS_USAGE, "target '%s': port '%s' is not 1..65535",
				 text, colon + 1);
	memcpy(t->host, host, host_len);
	return STATUS_OK;
}
