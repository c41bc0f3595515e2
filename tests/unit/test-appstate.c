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
	struct app_journal j = { 0 }, back, j2;
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
	app_owned_wrote(&back.items[1], "first", 5);
	app_owned_wrote(&back.items[1], "second", 6);
	app_owned_wrote(&back.items[1], "third", 5);
	ok(back.items[1].digest_count == 2, "an unsettled entry keeps two digests");
	ok(app_journal_save(&back, dir, &err) == STATUS_OK &&
	   app_journal_load(&j2, dir, &err) == STATUS_OK && j2.count == 2 &&
	   j2.items[1].adding && j2.items[1].digest_count == 2 &&
	   pin_equal(&j2.items[1].digest[1], &back.items[1].digest[1]) &&
	   j2.items[0].digest_count == 0, "the digests save and load back, with the mark");
	app_owned_settle(&j2.items[1]);
	ok(j2.items[1].digest_count == 1 &&
	   pin_equal(&j2.items[1].digest[0], &back.items[1].digest[1]),
	   "a settled entry keeps the newest digest");
	app_journal_free(&j2);
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

/* Names up to the limit load; longer ones are refused, not cut into another
 * application's name. */
static void test_names(void)
{
	char name[64], text[512];
	struct config cfg;
	struct error err;

	memset(name, 'n', 44);
	name[44] = '\0';
	snprintf(text, sizeof(text), "[app %s]\ntype = file\npath = /tmp/z\n", name);
	ok(conf(&cfg, text, &err) == STATUS_OK && cfg.app_count == 1 &&
	   strcmp(cfg.apps[0].name, name) == 0, "a 44-character name loads whole");
	config_free(&cfg);
	memset(name, 'n', 45);
	name[45] = '\0';
	snprintf(text, sizeof(text), "[app %s]\ntype = file\npath = /tmp/z\n", name);
	ok(conf(&cfg, text, &err) == STATUS_CONFIG &&
	   strstr(err.msg, "t.conf:2: [app nnnn") && strstr(err.msg, "at most 44 characters"),
	   "a 45-character name: refused, naming the limit");
	config_free(&cfg);
	snprintf(text, sizeof(text), "[app %s-one-very-long-suffix]\ntype = file\npath = /tmp/a\n"
		 "[app %s-two-very-long-suffix]\ntype = file\npath = /tmp/b\n", name, name);
	ok(conf(&cfg, text, &err) == STATUS_CONFIG && strstr(err.msg, "at most 44 characters"),
	   "two long names that would be cut alike: refused, not merged");
	config_free(&cfg);
}

static void test_config(void)
{
	struct config cfg;
	struct error err;

	ok(conf(&cfg, "[app pf]\ntype = postfix\nconfig_directory = /tmp\n[app exp]\n"
		"type = file\npath = /tmp/x.pem\ncontent = anchors\nmode = 0600\n"
		"restart = systemctl restart pmail\n", &err) == STATUS_OK && cfg.app_count == 2,
	   "two applications");
	config_free(&cfg);
	/* The default is /etc/postfix, which must exist like any other. */
	if (access("/etc/postfix", F_OK) == 0)
		ok(conf(&cfg, "[app pf]\ntype = postfix\n[app exp]\ntype = file\n"
			"path = /tmp/x.pem\ncontent = anchors\nmode = 0600\n", &err) == STATUS_OK &&
		   strcmp(cfg.apps[0].config_directory, "/etc/postfix") == 0,
		   "postfix: config_directory defaults to /etc/postfix");
	else
		ok(conf(&cfg, "[app pf]\ntype = postfix\n[app exp]\ntype = file\n"
			"path = /tmp/x.pem\ncontent = anchors\nmode = 0600\n", &err) ==
		   STATUS_CONFIG && strstr(err.msg, "config_directory '/etc/postfix' is not a "
					   "directory") != NULL,
		   "postfix: config_directory defaults to /etc/postfix (missing here: refused)");
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
	for (const char *const *m = (const char *const[]){ "0666", "0662", "0777", "0620", NULL };
	     *m; m++) {
		char text[128], desc[64];
		snprintf(text, sizeof(text), "[app e]\ntype = file\npath = /tmp/z\nmode = %s\n", *m);
		snprintf(desc, sizeof(desc), "mode %s (group or others may write): refused", *m);
		ok(conf(&cfg, text, &err) == STATUS_CONFIG &&
		   strstr(err.msg, "lets group or others write the file") != NULL, desc);
		config_free(&cfg);
	}
	ok(conf(&cfg, "[app e]\ntype = file\npath = /tmp/z\nmode = 0640\n", &err) == STATUS_OK,
	   "mode 0640: accepted");
	config_free(&cfg);
	ok(conf(&cfg, "[app p]\ntype = postfix\nconfig_directory = /nonexistent-postfix\n", &err) ==
	   STATUS_CONFIG && strstr(err.msg, "config_directory '/nonexistent-postfix' is not a "
				   "directory") != NULL,
	   "a config_directory that does not exist: refused at load");
	config_free(&cfg);
	ok(conf(&cfg, "[app e]\ntype = file\npath = /tmp/a\x1b[2Jb\n", &err) == STATUS_CONFIG &&
	   strstr(err.msg, "holds a control character") != NULL,
	   "a path with a control character: refused");
	config_free(&cfg);
	ok(conf(&cfg, "[app store]\ntype = file\npath = /tmp/z\n", &err) == STATUS_CONFIG &&
	   strstr(err.msg, "'store' names the OS store's view") != NULL,
	   "the name 'store' is the OS store's view: refused");
	config_free(&cfg);
	test_names();
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
