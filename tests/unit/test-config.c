/* SPDX-License-Identifier: MIT */
/* Configuration: defaults, every key, and the FILE:LINE error for each problem. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "tap.h"
#include "verify.h"

#define PIN "sha256:57b074458962f34f05cd140286b8e86cc0cd2d12de024e3b755d398d3edb170b"

static char path[] = "/tmp/anchorsync-test-config-XXXXXX";

/* Loads text as a config file; returns the status, err filled. */
static enum status load(const char *text, struct config *cfg, struct error *err)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
	config_init(cfg);
	err->msg[0] = '\0';
	return config_load(cfg, path, err);
}

/* Expects text to fail at line with a message containing what. */
static void rejects(const char *text, int line, const char *what, const char *desc)
{
	struct config cfg;
	struct error err;
	char want[256];
	enum status st = load(text, &cfg, &err);

	snprintf(want, sizeof(want), "%s:%d: ", path, line);
	if (!ok(st == STATUS_CONFIG && strncmp(err.msg, want, strlen(want)) == 0 &&
		strstr(err.msg, what) != NULL, desc))
		printf("#   got status %d: %s\n", st, err.msg);
	config_free(&cfg);
}

static void test_full_config(void)
{
	struct config cfg;
	struct error err;
	enum status st = load("[agent]\nstate_dir = /var/tmp/as\nsplay = 0\n"
			      "on_change = systemctl restart pmail ; logger rotated # done\n"
			      "[source]\nurl = https://pki.corp.internal/roots.pem\n"
			      "url = http://mirror.corp.internal/roots.pem\n"
			      "pin = " PIN "\ntimeout = 5\nmax_size = 64K\n"
			      "[store]\nbackend = redhat\nroot = /srv/image\nwarn_days = 60\n"
			      "[delivery]\ntarget = smtp://mail.corp.internal\ntarget = mx:corp.internal\n"
			      "send = yes\nallow_cn = no\n", &cfg, &err);

	ok(st == STATUS_OK, "a full configuration loads");
	is_str(cfg.state_dir, "/var/tmp/as", "state_dir");
	ok(cfg.splay == 0 && cfg.source_timeout == 5 && cfg.warn_days == 60, "numbers");
	ok(cfg.urls.count == 2 && strcmp(cfg.urls.items[1], "http://mirror.corp.internal/roots.pem") == 0,
	   "url repeats as mirrors, in order");
	ok(cfg.pin_count == 1, "pin");
	ok(cfg.max_size == 64 * 1024, "max_size with K suffix");
	is_str(cfg.backend, "redhat", "backend");
	is_str(cfg.on_change, "systemctl restart pmail ; logger rotated # done",
	       "on_change keeps spaces, ';' and '#': comments are whole lines");
	ok(cfg.targets.count == 2 && cfg.send && !cfg.allow_cn, "delivery keys");
	ok(config_require_source(&cfg, &err) == STATUS_OK, "has url and pin");
	config_free(&cfg);
}

static void test_defaults(void)
{
	struct config cfg;
	struct error err;

	ok(load("# nothing set\n", &cfg, &err) == STATUS_OK, "an empty file loads");
	ok(cfg.splay == 300 && cfg.source_timeout == 30 && cfg.max_size == 1024 * 1024 &&
	   cfg.warn_days == 30, "defaults");
	is_str(cfg.backend, "auto", "backend defaults to auto");
	ok(config_require_source(&cfg, &err) == STATUS_CONFIG && strstr(err.msg, "no url"),
	   "a refresh needs a url");
	config_free(&cfg);
	load("[source]\nurl = http://x/\n", &cfg, &err);
	ok(config_require_source(&cfg, &err) == STATUS_CONFIG && strstr(err.msg, "no pin"),
	   "a refresh needs a pin");
	config_free(&cfg);
}

/* A comment longer than inih's buffer must not hide a live line in its tail:
 * the over-long line itself is the error. */
static void test_long_lines(void)
{
	size_t n = 10000;
	char *text = malloc(n + 200);
	struct config cfg;
	struct error err;

	strcpy(text, "[source]\n#");
	memset(text + 10, 'x', n);
	strcpy(text + 10 + n, "pin = " PIN "\n");
	rejects(text, 2, "line is longer than 8192 bytes", "an over-long comment line is an error");
	ok(load("[source]\n# short\npin = " PIN "\n", &cfg, &err) == STATUS_OK &&
	   cfg.pin_count == 1, "(a short comment and a pin load)");
	config_free(&cfg);
	memcpy(text, "[agent]\non_change = ", 20);
	memset(text + 20, 'y', 8000);
	strcpy(text + 8020, "\n");
	ok(load(text, &cfg, &err) == STATUS_OK && cfg.on_change && strlen(cfg.on_change) == 8000,
	   "a long value within the limit loads whole");
	config_free(&cfg);
	free(text);
	config_init(&cfg);
	ok(config_load_text(&cfg, "text", "[agent]\nsplay = 1\0[source]\n", 27, &err) ==
	   STATUS_CONFIG && strstr(err.msg, "text:2: line holds a NUL byte") != NULL,
	   "a NUL byte is an error naming its line");
	config_free(&cfg);
	config_init(&cfg);
	ok(config_load(&cfg, "/dev/zero", &err) == STATUS_CONFIG &&
	   strstr(err.msg, "not a regular file") != NULL, "/dev/zero is refused at once");
	config_free(&cfg);
}

/* [delivery] interval: seconds or with a unit, 0 for "after a change only";
 * warn_days: whole days. */
static void test_delivery_schedule(void)
{
	struct config cfg;
	struct error err;

	ok(load("# nothing\n", &cfg, &err) == STATUS_OK && cfg.delivery_interval == 86400 &&
	   cfg.delivery_warn_days == 21, "delivery checks daily, warning 21 days ahead, by default");
	config_free(&cfg);
	ok(load("[delivery]\ninterval = 3600\nwarn_days = 7\n", &cfg, &err) == STATUS_OK &&
	   cfg.delivery_interval == 3600 && cfg.delivery_warn_days == 7, "interval in seconds");
	config_free(&cfg);
	ok(load("[delivery]\ninterval = 6h\n", &cfg, &err) == STATUS_OK &&
	   cfg.delivery_interval == 6 * 3600, "interval with a unit");
	config_free(&cfg);
	ok(load("[delivery]\ninterval = 1\n", &cfg, &err) == STATUS_OK &&
	   cfg.delivery_interval == 1, "an interval of one second");
	config_free(&cfg);
	ok(load("[delivery]\ninterval = 0\n", &cfg, &err) == STATUS_OK &&
	   cfg.delivery_interval == 0, "0: checks only after a change");
	config_free(&cfg);
	rejects("[delivery]\ninterval = soon\n", 2, "not a duration", "an interval that is no duration");
	rejects("[delivery]\ninterval = -5\n", 2, "not a duration", "a negative interval");
	rejects("[delivery]\ninterval = 11000d\n", 2, "at most ten years", "an interval too long");
	rejects("[delivery]\ninterval = 1h\ninterval = 2h\n", 3, "given twice",
		"interval given twice");
	rejects("[delivery]\nwarn_days = 5000\n", 2, "from 0 to 3650", "warn_days too large");
}

int main(void)
{
	int fd = mkstemp(path);

	close(fd);
	test_full_config();
	test_defaults();
	test_delivery_schedule();
	rejects("[agent]\nsplay = 10\n[sorce]\nurl = http://x/\n", 4, "unknown section [sorce]",
		"unknown section");
	rejects("[source]\nurl = http://x/\nping = " PIN "\n", 3, "unknown key 'ping' in [source]",
		"unknown key (a typo is not silently accepted)");
	rejects("[agent]\nsplay = 5m\n", 2, "'5m' is not a whole number", "number with junk");
	rejects("[agent]\nsplay = -1\n", 2, "not a whole number", "negative number");
	rejects("[agent]\nsplay = 99999999999999999999\n", 2, "not a whole number", "overflow");
	rejects("[source]\ntimeout = 0\n", 2, "at least 1 second", "zero timeout");
	rejects("[source]\npin = sha256:1234\n", 2, "malformed pin", "short pin");
	rejects("[source]\npin = 57b074458962f34f05cd140286b8e86cc0cd2d12de024e3b755d398d3edb170b\n",
		2, "malformed pin", "pin without prefix");
	rejects("[source]\nurl = ftp://x/roots.pem\n", 2, "is not https://", "unsupported scheme");
	rejects("[source]\nmax_size = 0\n", 2, "more than 0", "zero max_size");
	rejects("[source]\nmax_size = 10G\n", 2, "not a", "unknown size suffix");
	rejects("[store]\nbackend = gentoo\n", 2, "unknown backend 'gentoo'", "unknown backend");
	rejects("[store]\nroot = relative/dir\n", 2, "not an absolute path", "relative root");
	rejects("[delivery]\nsend = maybe\n", 2, "not yes or no", "bad boolean");
	rejects("[source]\ntimeout = 00\n", 2, "not a whole number", "00 is not a timeout");
	rejects("[source]\ntimeout = +5\n", 2, "not a whole number", "+5 is not a number");
	rejects("[agent]\nsplay = 010\n", 2, "not a whole number", "a leading zero");
	rejects("[agent]\nsplay = 7s\n", 2, "not a whole number", "a unit after the number");
	rejects("[source]\nmax_size = +64K\n", 2, "not a size", "a signed size");
	rejects("[source]\nurl = http://pki corp/roots.pem\n", 2, "space or control",
		"a url with a space");
	rejects("[source]\nurl = http://pki\tcorp/roots.pem\n", 2, "space or control",
		"a url with a tab");
	rejects("[source]\nurl = http:///roots.pem\n", 2, "no host", "a url with an empty host");
	rejects("[source]\nurl = https://\n", 2, "no host", "a url that is only a scheme");
	rejects("[source]\nurl = file:///\n", 2, "no path", "a file url without a path");
	rejects("[source]\ntimeout = 5\ntimeout = 6\n", 3, "'timeout' is given twice",
		"a one-value key repeated");
	rejects("[agent]\nstate_dir = /a\n[source]\n[agent]\nstate_dir = /b\n", 5,
		"given twice", "a one-value key repeated in a second [agent]");
	test_long_lines();
	rejects("[agent]\nsplay 10\n", 2, "syntax error", "line without =");
	rejects("[agent]\nsplay = x\nsplay = y\n", 2, "'x'", "the first problem is reported");
	{
		struct config cfg;
		struct error err;
		load("[delivery]\ntarget = smtp://mail.corp.internal:2525\ntarget = mx:corp.internal\n"
		     "resolve = mail.corp.internal:2525:127.0.0.1\nnameserver = 127.0.0.1:5353\n", &cfg, &err);
		ok(verify_config_validate(&cfg, &err) == STATUS_OK, "delivery targets, resolve and nameserver check out");
		config_free(&cfg);
		load("[delivery]\ntarget = imap://mail.corp.internal\n", &cfg, &err);
		ok(verify_config_validate(&cfg, &err) == STATUS_CONFIG && strstr(err.msg, "imap://"),
		   "check-config names a target that is not SMTP");
		config_free(&cfg);
		load("[delivery]\nresolve = mail.corp.internal\n", &cfg, &err);
		ok(verify_config_validate(&cfg, &err) == STATUS_CONFIG, "and a malformed resolve entry");
		config_free(&cfg);
	}
	unlink(path);
	{
		struct config cfg;
		struct error err;
		config_init(&cfg);
		ok(config_load(&cfg, "/nonexistent/anchorsync.conf", &err) == STATUS_CONFIG &&
		   strstr(err.msg, "cannot read '/nonexistent/anchorsync.conf'"), "missing file");
		config_free(&cfg);
	}
	return tap_done();
}
