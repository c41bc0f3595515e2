/* SPDX-License-Identifier: MIT */
/* Unit tests for the SMTP reply parser and reader: multi-line replies, the
 * 512-octet line cap, malformed lines and the per-reply timeout. */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "smtp.h"
#include "../unit/tap.h"

/* Feeds text to a reader through a socket pair and reads one reply. */
static enum status read_from(const char *text, struct smtp_reply *r, struct error *err)
{
	struct smtp_conn c;
	struct net_deadline deadline;
	int sv[2];
	enum status st;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return STATUS_INTERNAL;
	if (write(sv[1], text, strlen(text)) != (ssize_t)strlen(text))
		return STATUS_INTERNAL;
	net_deadline_start(&deadline, 1);
	smtp_conn_init(&c, sv[0], &deadline, false);
	st = smtp_read_reply(&c, r, err);
	close(sv[0]);
	close(sv[1]);
	return st;
}

static void test_lines(void)
{
	struct smtp_reply r = { 0 };
	struct error err = { 0 };

	ok(smtp_reply_add_line(&r, "250-first", 9, &err) == STATUS_OK && !r.done,
	   "a '-' line continues the reply");
	ok(smtp_reply_add_line(&r, "250 last", 8, &err) == STATUS_OK && r.done,
	   "a ' ' line ends it");
	is_str(r.text, "first\nlast", "the texts are kept, joined");
	ok(r.code == 250 && r.lines == 2, "code and line count");

	memset(&r, 0, sizeof(r));
	ok(smtp_reply_add_line(&r, "354", 3, &err) == STATUS_OK && r.done && r.code == 354,
	   "a bare code is a whole reply");

	memset(&r, 0, sizeof(r));
	ok(smtp_reply_add_line(&r, "25", 2, &err) == STATUS_VERIFY_FAILED &&
	   strstr(err.msg, "three-digit") != NULL, "a short code is malformed");
	memset(&r, 0, sizeof(r));
	ok(smtp_reply_add_line(&r, "abc hello", 9, &err) == STATUS_VERIFY_FAILED,
	   "letters instead of a code are malformed");
	memset(&r, 0, sizeof(r));
	ok(smtp_reply_add_line(&r, "650 no", 6, &err) == STATUS_VERIFY_FAILED &&
	   strstr(err.msg, "not an SMTP reply code") != NULL, "6xx is not a reply code");
	memset(&r, 0, sizeof(r));
	ok(smtp_reply_add_line(&r, "250x", 4, &err) == STATUS_VERIFY_FAILED,
	   "a code must be followed by ' ' or '-'");
	memset(&r, 0, sizeof(r));
	smtp_reply_add_line(&r, "250-a", 5, &err);
	ok(smtp_reply_add_line(&r, "251 b", 5, &err) == STATUS_VERIFY_FAILED &&
	   strstr(err.msg, "code 251 inside a 250 reply") != NULL, "codes must agree");
	memset(&r, 0, sizeof(r));
	for (int i = 0; i < SMTP_REPLY_LINES_MAX; i++)
		smtp_reply_add_line(&r, "250-x", 5, &err);
	ok(smtp_reply_add_line(&r, "250 y", 5, &err) == STATUS_VERIFY_FAILED,
	   "too many lines are refused");
}

static void test_reader(void)
{
	struct smtp_reply r;
	struct error err = { 0 };
	char longline[700];

	ok(read_from("220-mail.example ESMTP\r\n220-second\r\n220 third\r\n", &r, &err) ==
	   STATUS_OK && r.code == 220 && r.lines == 3, "reads a three-line reply");
	ok(read_from("250 bare LF\n", &r, &err) == STATUS_OK && strcmp(r.text, "bare LF") == 0,
	   "accepts a bare LF line ending");

	memset(longline, 'x', sizeof(longline));
	memcpy(longline, "220 ", 4);
	memcpy(longline + SMTP_LINE_MAX - 2, "\r\n", 3);	/* exactly 512 with CRLF */
	ok(read_from(longline, &r, &err) == STATUS_OK, "a 512-octet line is accepted");
	memset(longline, 'x', sizeof(longline));
	memcpy(longline, "220 ", 4);
	memcpy(longline + SMTP_LINE_MAX - 1, "\r\n", 3);	/* 513 */
	ok(read_from(longline, &r, &err) == STATUS_VERIFY_FAILED &&
	   strstr(err.msg, "longer than 512") != NULL, "a 513-octet line is refused");
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	ok(read_from(longline, &r, &err) == STATUS_VERIFY_FAILED,
	   "a long line without an end is refused without waiting");

	ok(read_from("220-only a first line\r\n", &r, &err) == STATUS_UNAVAILABLE &&
	   strstr(err.msg, "timed out after 1 s") != NULL, "an unfinished reply times out");
}

static void test_keywords(void)
{
	struct smtp_reply r = { 0 };
	struct error err = { 0 };
	char first[64];

	smtp_reply_add_line(&r, "250-mail.example", 16, &err);
	smtp_reply_add_line(&r, "250-starttls", 12, &err);
	smtp_reply_add_line(&r, "250 SIZE 100", 12, &err);
	ok(smtp_reply_has_keyword(&r, "STARTTLS"), "keywords match in any case");
	ok(smtp_reply_has_keyword(&r, "SIZE"), "a keyword with a parameter matches");
	ok(!smtp_reply_has_keyword(&r, "SIZ"), "a prefix does not match");
	smtp_reply_first_line(&r, first, sizeof(first));
	is_str(first, "250 mail.example", "the first line for messages");
}

int main(void)
{
	test_lines();
	test_reader();
	test_keywords();
	return tap_done();
}
