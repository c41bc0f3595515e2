/* SPDX-License-Identifier: MIT */
/* What Postfix says about itself: postconf -h values and master.cf chroot
 * columns, and what is refused. */
#include <stdlib.h>
#include <string.h>

#include "postconf.h"
#include "tap.h"

static enum status values(const char *text, char **v, size_t n)
{
	struct error err;

	return postconf_values(text, strlen(text), v, n, &err);
}

static enum postconf_chroot chroot_of(const char *text, enum status *st)
{
	enum postconf_chroot c = POSTCONF_CHROOT_YES;
	struct error err;

	*st = postconf_master_chroot(text, strlen(text), "smtp", "unix", &c, &err);
	return c;
}

static void test_chroot_path(void)
{
	struct error err;
	char *out = NULL;

	ok(postconf_chroot_path("/var/spool/postfix", "/etc/ssl/certs", &out, &err) == STATUS_OK &&
	   strcmp(out, "/var/spool/postfix/etc/ssl/certs") == 0, "a CApath joins the queue");
	free(out);
	ok(postconf_chroot_path("/var/spool/postfix/", "//etc//ssl/certs/", &out, &err) ==
	   STATUS_OK && strcmp(out, "/var/spool/postfix/etc/ssl/certs") == 0,
	   "component by component: repeated slashes fold");
	free(out);
	ok(postconf_chroot_path("/var/spool/postfix", "/var/spool/postfix/etc/ta.pem", &out, &err) ==
	   STATUS_OK && strcmp(out, "/var/spool/postfix/etc/ta.pem") == 0,
	   "a path already inside the queue stays");
	free(out);
	ok(postconf_chroot_path("/var/spool/postfix", "/var/spool/postfixes/x", &out, &err) ==
	   STATUS_OK && strcmp(out, "/var/spool/postfix/var/spool/postfixes/x") == 0,
	   "a path that only starts with the queue's text is not inside it");
	free(out);
	ok(postconf_chroot_path("/var/spool/postfix", "/../victim", &out, &err) == STATUS_DATA &&
	   out == NULL && strstr(err.msg, "'.' or '..' component"), "'..' refused, saying so");
	ok(postconf_chroot_path("/var/spool/postfix", "/etc/./ssl", &out, &err) == STATUS_DATA,
	   "'.' refused");
	ok(postconf_chroot_path("/q", "/etc/\\x1b[31mcerts", &out, &err) == STATUS_DATA &&
	   strstr(err.msg, "control character or a backslash"),
	   "an escaped control character refused");
	ok(postconf_chroot_path("/q", "/etc/a\x01b", &out, &err) == STATUS_DATA,
	   "a raw control character refused");
	ok(postconf_chroot_path("/q", "etc/ssl", &out, &err) == STATUS_DATA,
	   "a relative path refused");
}

static void test_levels(void)
{
	char word[16];

	ok(postconf_level_of("secure", word, sizeof(word)) == POSTCONF_LEVEL_VERIFIES &&
	   strcmp(word, "secure") == 0, "secure verifies");
	ok(postconf_level_of("verify match=hostname", word, sizeof(word)) ==
	   POSTCONF_LEVEL_VERIFIES && strcmp(word, "verify") == 0,
	   "a policy entry's first word is its level");
	ok(postconf_level_of("may", word, sizeof(word)) == POSTCONF_LEVEL_UNVERIFIED,
	   "may does not verify");
	ok(postconf_level_of("encrypt protocols=TLSv1.2", NULL, 0) == POSTCONF_LEVEL_UNVERIFIED,
	   "encrypt does not verify");
	ok(postconf_level_of("dane", NULL, 0) == POSTCONF_LEVEL_UNVERIFIED,
	   "dane does not verify with the CAs");
	ok(postconf_level_of("", word, sizeof(word)) == POSTCONF_LEVEL_UNVERIFIED &&
	   strcmp(word, "none") == 0, "unset is none");
	ok(postconf_level_of("securest", NULL, 0) == POSTCONF_LEVEL_UNKNOWN,
	   "another word is not taken for a level");
}

int main(void)
{
	char *v[3];
	enum status st;
	char big[POSTCONF_VALUE_MAX + 8];

	ok(values("/var/spool/postfix\n/etc/ssl/certs\n\n", v, 3) == STATUS_OK &&
	   strcmp(v[0], "/var/spool/postfix") == 0 && strcmp(v[1], "/etc/ssl/certs") == 0 &&
	   strcmp(v[2], "") == 0, "three values, the last empty");
	for (size_t i = 0; i < 3; i++)
		free(v[i]);
	ok(values("postconf: warning: main.cf: unused parameter\n/q\n/c\n/f\n", v, 3) == STATUS_OK &&
	   strcmp(v[0], "/q") == 0, "postconf's own warnings are skipped");
	for (size_t i = 0; i < 3; i++)
		free(v[i]);
	ok(values("/q\n/c\n/f", v, 3) == STATUS_OK && strcmp(v[2], "/f") == 0,
	   "no newline after the last value");
	for (size_t i = 0; i < 3; i++)
		free(v[i]);
	ok(values("/q\n/c\n", v, 3) == STATUS_DATA && v[0] == NULL, "too few values: refused");
	ok(values("/q\n/c\n/f\n/x\n", v, 3) == STATUS_DATA && v[0] == NULL,
	   "too many values: refused");
	ok(values("/q\n/c\x01\n/f\n", v, 3) == STATUS_DATA, "a control character: refused");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[sizeof(big) - 3] = '\n';
	big[sizeof(big) - 5] = '\n';
	ok(values(big, v, 3) == STATUS_DATA, "an over-long value: refused");

	ok(chroot_of("smtp       unix  -       -       y       -       -       smtp\n", &st) ==
	   POSTCONF_CHROOT_YES && st == STATUS_OK, "postconf -M: chrooted");
	ok(chroot_of("smtp inet n - y - - smtpd\nsmtp unix - - n - - smtp\n", &st) ==
	   POSTCONF_CHROOT_NO && st == STATUS_OK, "the inet service of the same name is skipped");
	ok(chroot_of("smtp unix - - - - - smtp\n", &st) == POSTCONF_CHROOT_DEFAULT,
	   "'-' is the default");
	ok(chroot_of("# smtp unix - - y - - smtp\nrelay unix - - y - - smtp\n", &st) ==
	   POSTCONF_CHROOT_ABSENT && st == STATUS_OK, "comments and other services: absent");
	ok(chroot_of("smtp unix - - n - - smtp\n  -o smtp unix - - y\n", &st) ==
	   POSTCONF_CHROOT_NO, "continuation lines are not services");
	chroot_of("smtp unix - - x - - smtp\n", &st);
	ok(st == STATUS_DATA, "a chroot column other than y, n, -: refused");
	chroot_of("smtp unix - -\n", &st);
	ok(st == STATUS_DATA, "fewer than eight fields: refused");
	test_chroot_path();
	test_levels();
	return tap_done();
}
