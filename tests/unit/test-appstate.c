/* SPDX-License-Identifier: MIT */
/* What anchorsync remembers about each [app]: the journal of the files it
 * created (with unsettled entries marked) and the last checks, both read back
 * as written; and the [app] sections of the configuration. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app_state.h"
#include "config.h"
#include "tap.h"

static enum status conf(struct config *cfg, const char *text, struct error *err)
{
	config_init(cfg);
	return config_load_text(cfg, "t.conf", text, strlen(text), err);
}

static void test_journal(const char *dir)
{
	struct app_journal j = { 0 }, back;
	struct error err;

	ok(app_journal_add(&j, "pf", "/q/etc/ssl/certs/a.pem") &&
	   app_journal_add(&j, "pf", "/q/etc/ssl/certs/a.pem") && j.count == 1,
	   "a path is listed once");
	ok(app_journal_add(&j, "exp", "/x/tab\there.pem") && j.items[1].adding,
	   "a new entry is marked adding");
	j.items[0].adding = false;
	ok(app_journal_save(&j, dir, &err) == STATUS_OK, "the journal saves");
	ok(app_journal_load(&back, dir, &err) == STATUS_OK && back.count == 2, "and loads back");
	ok(back.count == 2 && !back.items[0].adding && back.items[1].adding &&
	   strcmp(back.items[1].path, "/x/tab\there.pem") == 0,
	   "with its marks, and a tab in a path kept");
	ok(app_journal_find(&back, "exp", "/x/tab\there.pem") != NULL &&
	   app_journal_find(&back, "pf", "/x/tab\there.pem") == NULL, "found per application");
	app_journal_drop(&back, 0);
	ok(back.count == 1 && strcmp(back.items[0].app, "exp") == 0, "an entry is dropped");
	app_journal_free(&back);
	app_journal_free(&j);
}

static void test_records(const char *dir)
{
	struct app_records r = { 0 }, back;
	struct app_record *rec;
	struct error err;

	rec = app_records_get(&r, "postfix");
	rec->type = strdup("postfix");
	rec->trusted = false;
	rec->stamp = 0xfeedULL;
	rec->reason = strdup("no CA\nsecond line");
	strlist_add(&rec->watch, "/etc/postfix/main.cf");
	rec->restart = strdup("ok");
	rec->restarted = 1700000000;
	ok(app_records_save(&r, dir, &err) == STATUS_OK, "the checks save");
	ok(app_records_load(&back, dir, &err) == STATUS_OK && back.count == 1, "and load back");
	rec = back.count ? &back.items[0] : NULL;
	ok(rec && strcmp(rec->type, "postfix") == 0 && !rec->trusted && rec->stamp == 0xfeedULL,
	   "type, verdict and stamp");
	ok(rec && strcmp(rec->reason, "no CA second line") == 0, "a reason stays one line");
	ok(rec && rec->watch.count == 1 && rec->restarted == 1700000000 &&
	   strcmp(rec->restart, "ok") == 0, "what it watches and the last restart");
	app_records_free(&back);
	app_records_free(&r);
}

static void test_config(void)
{
	struct config cfg;
	struct error err;

	ok(conf(&cfg, "[app pf]\ntype = postfix\n[app exp]\ntype = file\npath = /tmp/x.pem\n"
		"content = anchors\nmode = 0600\nrestart = systemctl restart pmail\n", &err) ==
	   STATUS_OK && cfg.app_count == 2, "two applications");
	ok(cfg.app_count == 2 && strcmp(cfg.apps[0].config_directory, "/etc/postfix") == 0,
	   "postfix: config_directory defaults to /etc/postfix");
	ok(cfg.app_count == 2 && cfg.apps[1].mode == 0600 &&
	   cfg.apps[1].content == APP_CONTENT_ANCHORS && config_app(&cfg, "exp") == &cfg.apps[1],
	   "file: mode, content and restart");
	config_free(&cfg);
	ok(conf(&cfg, "[app e]\ntype = file\npath = /tmp/y.pem\n", &err) == STATUS_OK &&
	   cfg.apps[0].mode == 0644 && cfg.apps[0].content == APP_CONTENT_SYSTEM,
	   "file: mode 0644 and content system by default");
	config_free(&cfg);
	ok(conf(&cfg, "[app e]\npath = /tmp/y.pem\n", &err) == STATUS_CONFIG &&
	   strstr(err.msg, "[app e]: no type") != NULL, "no type: refused");
	config_free(&cfg);
	ok(conf(&cfg, "[app e]\ntype = file\n", &err) == STATUS_CONFIG &&
	   strstr(err.msg, "needs a path") != NULL, "file without path: refused");
	config_free(&cfg);
	ok(conf(&cfg, "[app e]\ntype = file\npath = /nonexistent-dir/x.pem\n", &err) ==
	   STATUS_CONFIG && strstr(err.msg, "'/nonexistent-dir' of path does not exist"),
	   "a missing directory: refused at load");
	config_free(&cfg);
	ok(conf(&cfg, "[app e]\ntype = sendmail\n", &err) == STATUS_CONFIG &&
	   strstr(err.msg, "t.conf:2: unknown type 'sendmail'") != NULL, "an unknown type, with its line");
	config_free(&cfg);
	ok(conf(&cfg, "[app e]\ntype = file\ntype = file\n", &err) == STATUS_CONFIG &&
	   strstr(err.msg, "given twice") != NULL, "a key given twice");
	config_free(&cfg);
	ok(conf(&cfg, "[app a.b]\ntype = file\n", &err) == STATUS_CONFIG, "a dot in a name");
	config_free(&cfg);
	ok(conf(&cfg, "[app e]\ntype = file\npath = /tmp/z\nmode = 0999\n", &err) == STATUS_CONFIG,
	   "a mode that is not octal");
	config_free(&cfg);
	ok(conf(&cfg, "[app e]\ntype = file\npath = /tmp/z\nbogus = 1\n", &err) == STATUS_CONFIG &&
	   strstr(err.msg, "unknown key 'bogus' in [app e]") != NULL, "an unknown key");
	config_free(&cfg);
	ok(conf(&cfg, "[app p]\ntype = postfix\npath = /tmp/z\n", &err) == STATUS_CONFIG,
	   "a file key in a postfix application");
	config_free(&cfg);
	ok(conf(&cfg, "[app a]\ntype = file\npath = /tmp/z\n[app b]\ntype = file\npath = /tmp/z\n",
		&err) == STATUS_CONFIG && strstr(err.msg, "also [app a]'s") != NULL,
	   "two applications, one path");
	config_free(&cfg);
}

int main(void)
{
	char dir[] = "/tmp/anchorsync-test-appstate-XXXXXX";

	if (mkdtemp(dir) == NULL)
		return 99;
	test_journal(dir);
	test_records(dir);
	test_config();
	for (size_t i = 0; i < 2; i++) {
		char path[sizeof(dir) + 16];
		snprintf(path, sizeof(path), "%s/%s", dir, i ? STATE_APPS : STATE_APPS_CHECK);
		unlink(path);
	}
	rmdir(dir);
	return tap_done();
}
