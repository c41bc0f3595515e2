/* SPDX-License-Identifier: MIT */
/* Unit tests for the helpers delivery/ and the rest share: text escaping,
 * the JSON writer, key-value state files, dates and days left, --resolve
 * entries, the MX answer parser and the backend names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends.h"
#include "json.h"
#include "kvfile.h"
#include "mx.h"
#include "net.h"
#include "store.h"
#include "text.h"
#include "timefmt.h"
#include "../unit/tap.h"

static char *escaped_write(const char *s, size_t len, bool keep_newlines)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	text_write(f, s, len, keep_newlines);
	fclose(f);
	return text;
}

static void test_text(void)
{
	char out[64], *w;

	ok(text_utf8_len("a", 1) == 1, "ASCII is one byte");
	ok(text_utf8_len("\xc3\xa9", 2) == 2, "é is two");
	ok(text_utf8_len("\xe2\x82\xac", 3) == 3, "€ is three");
	ok(text_utf8_len("\xf0\x9f\x98\x80", 4) == 4, "an emoji is four");
	ok(text_utf8_len("\xff", 1) == 0, "0xff starts nothing");
	ok(text_utf8_len("\x80", 1) == 0, "a stray continuation byte");
	ok(text_utf8_len("\xc0\xaf", 2) == 0, "an overlong '/'");
	ok(text_utf8_len("\xed\xa0\x80", 3) == 0, "a surrogate");
	ok(text_utf8_len("\xe2\x82", 2) == 0, "a sequence cut short");

	text_escape(out, sizeof(out), "ok \x1b[2J\xff\xc3\xa9\r\n", 12);
	is_str(out, "ok \\x1b[2J\\xff\xc3\xa9\\x0d\\x0a", "escape: ESC, 0xff, CR, LF escaped, é kept");
	text_escape(out, sizeof(out), "\xc2\x9b" "1m", 4);
	is_str(out, "\\xc2\\x9b1m", "escape: a C1 control (CSI) is escaped");
	text_escape(out, 6, "abc\x1b", 4);
	is_str(out, "abc", "escape: an escape that does not fit is left out whole");
	w = escaped_write("line\n\tnext\x07", 11, true);
	is_str(w, "line\n\tnext\\x07", "write: newlines kept when asked, tab kept, BEL escaped");
	free(w);
	w = escaped_write("a\nb", 3, false);
	is_str(w, "a\\x0ab", "write: newlines escaped otherwise");
	free(w);
}

static void test_json(void)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	struct json j;

	json_begin(&j, f);
	json_object_begin(&j);
	json_member_string(&j, "s", "q\"b\\n\n\x01\xff\xc3\xa9");
	json_member_int(&j, "i", -5);
	json_member_bool(&j, "b", true);
	json_member_string(&j, "n", NULL);
	json_key(&j, "a");
	json_array_begin(&j);
	json_int(&j, 1);
	json_object_begin(&j);
	json_object_end(&j);
	json_null(&j);
	json_array_end(&j);
	json_object_end(&j);
	fclose(f);
	is_str(text, "{\"s\":\"q\\\"b\\\\n\\n\\u0001\\ufffd\xc3\xa9\",\"i\":-5,\"b\":true,\"n\":null,"
	       "\"a\":[1,{},null]}", "json: escapes, U+FFFD for a bad byte, commas in nesting");
	free(text);
}

static void kv_collect(void *user, const char *key, const char *value)
{
	char *out = user;
	size_t n = strlen(out);

	snprintf(out + n, 256 - n, "[%s=%s]", key, value);
}

static void test_kvfile(void)
{
	char dir[] = "/tmp/anchorsync-kv.XXXXXX", path[64], got[256] = "";
	bool missing = false;
	struct error err = { 0 };
	FILE *f;

	if (mkdtemp(dir) == NULL) {
		ok(false, "kvfile: temp dir");
		return;
	}
	snprintf(path, sizeof(path), "%s/kv", dir);
	ok(kvfile_read(path, kv_collect, got, &missing, &err) == STATUS_OK && missing &&
	   got[0] == '\0', "kvfile: a missing file reads as empty");
	f = fopen(path, "w");
	fputs("attempt 12\nnospace\nerror two words here\nlast no-newline", f);
	fclose(f);
	ok(kvfile_read(path, kv_collect, got, &missing, &err) == STATUS_OK && !missing,
	   "kvfile: reads");
	is_str(got, "[attempt=12][error=two words here][last=no-newline]",
	       "kvfile: key to the first space, a line without one skipped, no final newline needed");
	unlink(path);
	rmdir(dir);
}

static void test_time(void)
{
	char out[TIME_TEXT_SIZE];

	time_format_utc(0, out);
	is_str(out, "1970-01-01 00:00:00 UTC", "time: UTC for people");
	time_format_rfc3339(1700000000, out);
	is_str(out, "2023-11-14T22:13:20Z", "time: RFC 3339");
	ok(time_days_left(1000 + 86400 * 3, 1000) == 3, "days left: exactly three");
	ok(time_days_left(1000 + 86399, 1000) == 0, "days left: under a day is 0");
	ok(time_days_left(999, 1000) == -1, "days left: a second late is -1");
	ok(time_days_left(1000 - 86400, 1000) == -1, "days left: a day late is -1");
	ok(time_days_left(1000 - 86401, 1000) == -2, "days left: rounded down");
}

static bool resolve_ok(const char *entry)
{
	struct strlist l = { 0 };
	struct error err = { 0 };
	bool good;

	strlist_add(&l, entry);
	good = net_resolve_check(&l, &err) == STATUS_OK;
	strlist_free(&l);
	return good;
}

static void test_resolve(void)
{
	ok(resolve_ok("mail.example:25:127.0.0.1"), "resolve: IPv4");
	ok(resolve_ok("mail.example:25:::1"), "resolve: bare IPv6");
	ok(resolve_ok("mail.example:587:[::1],10.0.0.1"), "resolve: bracketed IPv6 and a list");
	ok(!resolve_ok("mail.example:25:"), "resolve: no address");
	ok(!resolve_ok("mail.example:0:127.0.0.1"), "resolve: port 0");
	ok(!resolve_ok("mail.example:025:127.0.0.1"), "resolve: a port with a leading zero");
	ok(!resolve_ok("mail.example:+25:127.0.0.1"), "resolve: a signed port");
	ok(!resolve_ok("mail.example:65536:127.0.0.1"), "resolve: port over 65535");
	ok(!resolve_ok("mail.example:25:mail.other"), "resolve: a name is not an address");
	ok(!resolve_ok(":25:127.0.0.1"), "resolve: no host");
	ok(!resolve_ok("mail.example:25:127.0.0.1,"), "resolve: an empty list item");
}

/* A DNS answer for example.org MX: header, question, then the answers. */
static size_t dns_answer(unsigned char *m, int answers, const unsigned char *rrs, size_t rrs_len)
{
	static const unsigned char head[] = {
		0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0, 0, 15, 0, 1,
	};

	memcpy(m, head, sizeof(head));
	m[7] = (unsigned char)answers;
	memcpy(m + sizeof(head), rrs, rrs_len);
	return sizeof(head) + rrs_len;
}

static void test_mx(void)
{
	/* two MX records: 20 mx2 (a pointer to example.org), 10 mx1.example.org */
	static const unsigned char two[] = {
		0xc0, 12, 0, 15, 0, 1, 0, 0, 1, 0, 0, 8, 0, 20, 3, 'm', 'x', '2', 0xc0, 12,
		0xc0, 12, 0, 15, 0, 1, 0, 0, 1, 0, 0, 19, 0, 10, 3, 'm', 'x', '1', 7, 'e', 'x',
		'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0,
	};
	static const unsigned char null_mx[] = {
		0xc0, 12, 0, 15, 0, 1, 0, 0, 1, 0, 0, 3, 0, 0, 0,
	};
	unsigned char m[512];
	struct mx_host hosts[MX_HOSTS_MAX];
	bool is_null = false;
	size_t len = dns_answer(m, 2, two, sizeof(two));

	ok(mx_answer_parse(m, (int)len, hosts, &is_null) == 2 && !is_null, "mx: two records");
	ok(hosts[0].preference == 20 && strcmp(hosts[0].name, "mx2.example.org") == 0,
	   "mx: a compressed name is expanded");
	ok(hosts[1].preference == 10 && strcmp(hosts[1].name, "mx1.example.org") == 0,
	   "mx: a full name");
	ok(mx_answer_parse(m, (int)len - 5, hosts, &is_null) == -1, "mx: a truncated answer");
	m[7] = 3;
	ok(mx_answer_parse(m, (int)len, hosts, &is_null) == -1, "mx: more answers than the message holds");
	len = dns_answer(m, 1, null_mx, sizeof(null_mx));
	ok(mx_answer_parse(m, (int)len, hosts, &is_null) == 0 && is_null, "mx: a null MX");
	ok(mx_answer_parse(m, 5, hosts, &is_null) == -1, "mx: shorter than a header");
}

static void test_backends(void)
{
	size_t n = 0;

	for (; backend_list[n] != NULL; n++)
		if (store_backend_by_name(backend_list[n]) == NULL)
			break;
	ok(n == 5 && backend_list[n] == NULL, "backends: every name conf/ accepts is a store backend");
	ok(backend_known("arch") && !backend_known("auto") && !backend_known("gentoo"),
	   "backends: known and unknown");
}

int main(void)
{
	test_text();
	test_json();
	test_kvfile();
	test_time();
	test_resolve();
	test_mx();
	test_backends();
	return tap_done();
}
