/* SPDX-License-Identifier: MIT */
#include "apps.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app_files.h"
#include "app_owned.h"
#include "command.h"
#include "fileio.h"
#include "log.h"
#include "pathsafe.h"
#include "postfix.h"
#include "store_effect.h"
#include "target.h"

#define PEM_MAX (1024 * 1024)

/* One application's run: what its view should hold and what came of it. */
struct app_run {
	const struct app_config *app;
	struct app_record *rec;
	struct postfix_view pf;		/* postfix: what postconf said */
	struct app_files files;		/* what anchorsync keeps in its view */
	struct strlist watch;		/* what else it reads */
	bool reads_at_start;		/* a CA file read at start: reload on a change */
	bool changed;
	bool settle;			/* journal entries to settle after the restart */
	struct strlist stale;		/* anchorsync's by name, not wanted: to remove */
	char reason[1024];		/* why it is not trusted */
	char *warning;			/* trusted, but the root does not protect its mail */
};

enum status apps_open(struct apps *a, const struct config *cfg, const struct store *store,
		      struct error *err)
{
	enum status st;

	memset(a, 0, sizeof(*a));
	a->cfg = cfg;
	a->store = store;
	st = app_journal_load(&a->journal, cfg->state_dir, err);
	if (st == STATUS_OK)
		st = app_records_load(&a->records, cfg->state_dir, err);
	return st;
}

static const char *const app_state_names[] = { STATE_APPS, STATE_APPS_CHECK };

bool apps_remembered(const char *state_dir)
{
	bool found = false;

	for (size_t i = 0; i < 2 && !found; i++) {
		char *path = path_join(state_dir, app_state_names[i]);
		found = path == NULL || access(path, F_OK) == 0;
		free(path);
	}
	return found;
}

void apps_close(struct apps *a)
{
	app_journal_free(&a->journal);
	app_records_free(&a->records);
}

/* FNV-1a over bytes. */
static void mix(uint64_t *h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++)
		*h = (*h ^ p[i]) * 1099511628211ULL;
}

static void mix_str(uint64_t *h, const char *s)
{
	mix(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

static void mix_stat(uint64_t *h, const char *path)
{
	unsigned long long v[5] = { 0 };
	struct stat sb;

	if (lstat(path, &sb) == 0) {
		v[0] = sb.st_dev;
		v[1] = sb.st_ino;
		v[2] = (unsigned long long)sb.st_size;
		v[3] = (unsigned long long)sb.st_mtim.tv_sec * 1000000000ULL +
		       (unsigned long long)sb.st_mtim.tv_nsec;
		v[4] = sb.st_mode;
	}
	mix_str(h, path);
	mix(h, v, sizeof(v));
}

/* The stamp of app's view: its settings, the roots, and the identity of
 * every file it owns and watches. Equal stamps: nothing to re-read. */
static unsigned long long view_stamp(const struct apps *a, const struct app_config *app,
				     const struct strlist *watch, const struct manifest *roots)
{
	uint64_t h = 14695981039346656037ULL;
	unsigned v[2] = { app->type, app->content };

	mix_str(&h, app->name);
	mix(&h, v, sizeof(v));
	mix(&h, &app->mode, sizeof(app->mode));
	mix_str(&h, app->path);
	mix_str(&h, app->config_directory);
	for (size_t i = 0; i < roots->count; i++)
		mix(&h, &roots->entries[i].pin, sizeof(roots->entries[i].pin));
	for (size_t i = 0; i < a->journal.count; i++)
		if (strcmp(a->journal.items[i].app, app->name) == 0)
			mix_stat(&h, a->journal.items[i].path);
	for (size_t i = 0; i < watch->count; i++)
		mix_stat(&h, watch->items[i]);
	return h;
}

/* The path of a managed root's file in the anchors directory (caller frees). */
static char *root_file(const struct apps *a, const struct manifest_entry *e)
{
	char name[MANIFEST_NAME_SIZE];

	manifest_file_name(&e->pin, a->store->backend->suffix, name);
	return path_join(a->store->anchors_dir, e->file[0] ? e->file : name);
}

static enum status read_pem(const char *path, char **data, size_t *len, struct error *err)
{
	enum status st = file_read(path, PEM_MAX * 16, data, len, NULL, err);

	if (st != STATUS_OK)
		err->status = st = STATUS_STORE;
	return st;
}

/* Every root's PEM, one after another, each ending in a newline (caller frees). */
static enum status roots_pem(const struct apps *a, const struct manifest *roots, char **out,
			     size_t *out_len, struct error *err)
{
	char *all = strdup(""), *grown;
	size_t all_len = 0;
	enum status st = all ? STATUS_OK : error_set(err, STATUS_INTERNAL, "out of memory");

	for (size_t i = 0; i < roots->count && st == STATUS_OK; i++) {
		char *path = root_file(a, &roots->entries[i]), *pem = NULL;
		size_t len = 0;
		st = path ? read_pem(path, &pem, &len, err) :
			    error_set(err, STATUS_INTERNAL, "out of memory");
		if (st == STATUS_OK && (grown = realloc(all, all_len + len + 2)) == NULL)
			st = error_set(err, STATUS_INTERNAL, "out of memory");
		if (st == STATUS_OK) {
			all = grown;
			memcpy(all + all_len, pem, len);
			all_len += len;
			if (len > 0 && pem[len - 1] != '\n')
				all[all_len++] = '\n';
			all[all_len] = '\0';
		}
		free(pem);
		free(path);
	}
	if (st != STATUS_OK) {
		free(all);
		return st;
	}
	*out = all;
	*out_len = all_len;
	return STATUS_OK;
}

/* A file export: the OS bundle or the roots, at path. */
static enum status plan_file(struct apps *a, struct app_run *run, const struct manifest *roots,
			     struct error *err)
{
	const struct app_config *app = run->app;
	char *data = NULL;
	size_t len = 0;
	enum status st;

	if (app->content == APP_CONTENT_SYSTEM) {
		st = read_pem(a->store->bundle_path, &data, &len, err);
		if (st == STATUS_OK && !strlist_add(&run->watch, a->store->bundle_path))
			st = error_set(err, STATUS_INTERNAL, "out of memory");
	} else {
		st = roots_pem(a, roots, &data, &len, err);
	}
	if (st != STATUS_OK) {
		free(data);
		return st;
	}
	if (!app_files_add(&run->files, app->path, data, len, app->mode))
		return error_set(err, STATUS_INTERNAL, "out of memory");
	return STATUS_OK;
}

/* The hash link for a root in dir: the <hash>.N that already leads to name,
 * else the first free N. */
static char *hash_link(const char *dir, const char *hash, const char *name)
{
	char link[64], target[256], *path, *free_slot = NULL;

	for (int n = 0; n < 16; n++) {
		ssize_t len;
		snprintf(link, sizeof(link), "%s.%d", hash, n);
		if ((path = path_join(dir, link)) == NULL)
			break;
		len = readlink(path, target, sizeof(target) - 1);
		if (len >= 0 && (size_t)len == strlen(name) && memcmp(target, name, len) == 0) {
			free(free_slot);
			return path;
		}
		if (len < 0 && errno == ENOENT && free_slot == NULL) {
			free_slot = path;
			continue;
		}
		free(path);
	}
	return free_slot;
}

/* Roots no longer managed that a copy made from the OS store (Postfix's start)
 * brought into the chroot copy under anchorsync's names, and the links that
 * lead to them: retired, so taken out too. */
static enum status plan_stale(struct app_run *run, struct error *err)
{
	const char *dir = run->pf.copy_dir;
	struct strlist gone = { 0 };
	struct dirent *de;
	bool ok = true;
	DIR *d = opendir(dir);

	if (d == NULL)
		return STATUS_OK;
	while (ok && (de = readdir(d)) != NULL) {
		char *path = path_join(dir, de->d_name);
		ok = path != NULL;
		if (ok && !app_files_has(&run->files, path) && de->d_type != DT_LNK &&
		    app_named_ours(dir, de->d_name))
			ok = strlist_add(&gone, de->d_name) && strlist_add(&run->stale, path);
		free(path);
	}
	rewinddir(d);
	while (ok && gone.count > 0 && (de = readdir(d)) != NULL) {
		char target[NAME_MAX + 1], *path = path_join(dir, de->d_name);
		ssize_t n = path ? readlink(path, target, sizeof(target) - 1) : -1;
		ok = path != NULL;
		if (n > 0) {
			target[n] = '\0';
			for (size_t i = 0; i < gone.count && ok; i++)
				if (strcmp(target, gone.items[i]) == 0)
					ok = strlist_add(&run->stale, path);
		}
		free(path);
	}
	closedir(d);
	strlist_free(&gone);
	return ok ? STATUS_OK : error_set(err, STATUS_INTERNAL, "out of memory");
}

/* The chroot copy of a Postfix CApath: per root its .pem and hash link. */
static enum status plan_copy(struct apps *a, struct app_run *run, const struct manifest *roots,
			     struct error *err)
{
	const char *dir = run->pf.copy_dir;
	enum status st = STATUS_OK;

	for (size_t i = 0; i < roots->count && st == STATUS_OK; i++) {
		char name[MANIFEST_NAME_SIZE], hash[9], *src = root_file(a, &roots->entries[i]);
		char *pem = NULL, *path = NULL, *link = NULL;
		size_t len = 0;

		manifest_file_name(&roots->entries[i].pin, ".pem", name);
		st = src ? read_pem(src, &pem, &len, err) :
			   error_set(err, STATUS_INTERNAL, "out of memory");
		if (st == STATUS_OK)
			st = app_subject_hash(src, hash, err);
		if (st == STATUS_OK && ((path = path_join(dir, name)) == NULL ||
					(link = hash_link(dir, hash, name)) == NULL))
			st = error_set(err, STATUS_STORE, "no free hash link for '%s' in '%s'",
				       name, dir);
		if (st == STATUS_OK && (!app_files_add(&run->files, path, pem, len, 0644) ||
					!app_files_add_link(&run->files, link, name)))
			st = error_set(err, STATUS_INTERNAL, "out of memory");
		else if (st != STATUS_OK)
			free(pem);
		free(src);
		free(path);
		free(link);
	}
	return st;
}

/* The policy keys for a [delivery] target: "[host]:port", "[host]", the same
 * for each address [delivery] resolve gives it, then the host and its parent
 * domains (what a transport or policy entry for that server would name). */
static bool target_keys(const struct config *cfg, const struct target *t, struct strlist *keys)
{
	char key[TARGET_HOST_MAX + 16], prefix[TARGET_HOST_MAX + 16];
	bool ok = true;

	snprintf(key, sizeof(key), "[%s]:%u", t->host, t->port);
	ok = strlist_add(keys, key);
	snprintf(key, sizeof(key), "[%s]", t->host);
	ok = ok && strlist_add(keys, key);
	/* resolve = HOST:PORT:ADDRESS */
	snprintf(prefix, sizeof(prefix), "%s:%u:", t->host, t->port);
	for (size_t i = 0; ok && i < cfg->resolve.count; i++) {
		const char *r = cfg->resolve.items[i];
		size_t n = strlen(prefix), len;
		if (strncmp(r, prefix, n) != 0)
			continue;
		r += n;
		len = strlen(r);
		if (len >= 2 && r[0] == '[' && r[len - 1] == ']')
			r++, len -= 2;
		snprintf(key, sizeof(key), "[%.*s]:%u", (int)len, r, t->port);
		ok = strlist_add(keys, key);
		snprintf(key, sizeof(key), "[%.*s]", (int)len, r);
		ok = ok && strlist_add(keys, key);
	}
	return ok && postfix_policy_keys(t->host, keys);
}

/* Whether the Postfix verifies the servers it delivers to: mail for the
 * domain of [delivery] to, routed as Postfix routes it, or else each
 * [delivery] target. When it does not, its trust in the roots protects
 * nothing: run->warning says so (also when its policy cannot be read). */
static enum status judge_protection(struct apps *a, struct app_run *run, struct error *err)
{
	const struct config *cfg = a->cfg;
	const char *dir = run->app->config_directory, *at = cfg->to ? strrchr(cfg->to, '@') : NULL;
	char shown[TARGET_HOST_MAX + 16], *nexthop = NULL;
	struct strlist keys = { 0 };
	struct error why;
	struct target t;
	enum status st = STATUS_OK;

	if (at && at[1]) {
		st = postfix_next_hop(dir, &run->pf, at + 1, &nexthop, &why);
		if (st == STATUS_OK && nexthop && !postfix_policy_keys(nexthop, &keys))
			st = error_set(&why, STATUS_INTERNAL, "out of memory");
		if (st == STATUS_OK && nexthop)
			st = postfix_protection(dir, &run->pf, at + 1, &keys, &run->warning, &why);
	}
	for (size_t i = 0; !(at && at[1]) && i < cfg->targets.count && st == STATUS_OK &&
	     run->warning == NULL; i++) {
		if (target_parse(cfg->targets.items[i], &t, &why) != STATUS_OK ||
		    t.kind == TARGET_MX)
			continue;
		strlist_free(&keys);
		snprintf(shown, sizeof(shown), "%s:%u", t.host, t.port);
		st = target_keys(cfg, &t, &keys) ?
		     postfix_protection(dir, &run->pf, shown, &keys, &run->warning, &why) :
		     error_set(&why, STATUS_INTERNAL, "out of memory");
	}
	free(nexthop);
	strlist_free(&keys);
	if (st == STATUS_INTERNAL) {
		*err = why;
		return st;
	}
	if (st != STATUS_OK &&
	    asprintf(&run->warning, "cannot tell whether it verifies servers: %s", why.msg) < 0)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	return STATUS_OK;
}

static enum status plan_postfix(struct apps *a, struct app_run *run,
				const struct manifest *roots, struct error *err)
{
	const char *dir = run->app->config_directory;
	struct postfix_view *pf = &run->pf;
	char *main_cf = path_join(dir, "main.cf"), *master_cf = path_join(dir, "master.cf");
	enum status st = postfix_view_read(dir, pf, err);

	if (main_cf == NULL || master_cf == NULL || !strlist_add(&run->watch, main_cf) ||
	    !strlist_add(&run->watch, master_cf))
		st = error_set(err, STATUS_INTERNAL, "out of memory");
	free(main_cf);
	free(master_cf);
	if (st == STATUS_OK)
		st = judge_protection(a, run, err);
	if (st == STATUS_OK && !postfix_map_files(pf, &run->watch))
		st = error_set(err, STATUS_INTERNAL, "out of memory");
	if (st != STATUS_OK)
		return st;
	if (pf->cafile)
		strlist_add(&run->watch, pf->cafile);
	if (pf->tafile)
		strlist_add(&run->watch, pf->tafile);
	run->reads_at_start = pf->cafile || pf->tafile;
	if (pf->copy_dir == NULL)
		return STATUS_OK;
	strlist_add(&run->watch, pf->copy_dir);
	if (access(pf->copy_dir, F_OK) < 0)
		return error_set(err, STATUS_STORE, "'%s' (the chroot copy of smtp_tls_CApath) is "
				 "missing: start Postfix once (its start makes the copy)",
				 pf->copy_dir);
	if (path_check_safe(pf->copy_dir, PATH_DIR, "chroot copy of smtp_tls_CApath", NULL,
			    err) != STATUS_OK)
		return err->status = STATUS_STORE;
	st = plan_copy(a, run, roots, err);
	if (st == STATUS_OK)
		st = plan_stale(run, err);
	return st;
}

/* A file at an application's path that anchorsync did not create is never
 * overwritten. */
static enum status check_foreign(const struct apps *a, const struct app_run *run,
				 struct error *err)
{
	for (size_t i = 0; i < run->files.count; i++) {
		const char *path = run->files.items[i].path;
		struct stat sb;
		if (app_journal_find(&a->journal, run->app->name, path) == NULL &&
		    lstat(path, &sb) == 0 && run->app->type == APP_FILE)
			return error_set(err, STATUS_STORE, "[app %s]: '%s' exists and anchorsync "
					 "did not create it; move it away or choose another path",
					 run->app->name, path);
	}
	return STATUS_OK;
}

/* Removes what a killed write left beside run's files: the staging
 * directories of their directories (each anchorsync's own), and the
 * temporary link an earlier version made beside a hash link. */
static void sweep_leftovers(const struct app_run *run)
{
	const char *done = NULL;
	size_t done_len = 0;

	for (size_t i = 0; i < run->files.count; i++) {
		const struct app_file *f = &run->files.items[i];
		size_t dir_len = (size_t)(strrchr(f->path, '/') - f->path);
		char *legacy = NULL;

		if (done == NULL || dir_len != done_len || strncmp(f->path, done, dir_len) != 0) {
			char *dir = strndup(f->path, dir_len ? dir_len : 1);
			if (dir && file_tmp_sweep_dir(dir) > 0)
				log_warn("[app %s]: removed what an interrupted run left in '%s'",
					 run->app->name, dir);
			free(dir);
			done = f->path;
			done_len = dir_len;
		}
		if (f->link && asprintf(&legacy, "%s.anchorsync-new", f->path) >= 0) {
			struct stat sb;
			if (lstat(legacy, &sb) == 0 && S_ISLNK(sb.st_mode))
				unlink(legacy);
			free(legacy);
		}
	}
}

/* Writes what differs and removes what anchorsync created that is no longer
 * wanted. The journal lists a file (as adding) durably before it is written;
 * the entries settle (saved by the caller after the restart) only when the
 * change is complete, so a run killed before that restarts the application
 * on the next run. */
static enum status apply_files(struct apps *a, struct app_run *run, struct error *err)
{
	const char *name = run->app->name;
	bool marked = false, backfilled = false;
	enum status st = STATUS_OK;

	sweep_leftovers(run);

	for (size_t i = 0; i < run->files.count && st == STATUS_OK; i++) {
		const struct app_file *f = &run->files.items[i];
		struct app_owned *listed = app_journal_find(&a->journal, name, f->path);
		if (app_file_current(f)) {
			/* Listed before digests were kept: remember what it holds. */
			if (listed && listed->digest_count == 0) {
				app_owned_wrote(listed, f->data ? f->data : f->link,
						f->data ? f->len : strlen(f->link));
				backfilled = true;
			}
			continue;
		}
		for (size_t k = 0; k < run->files.count && !marked; k++) {
			const struct app_file *g = &run->files.items[k];
			struct app_owned *o;
			if (!app_journal_add(&a->journal, name, g->path))
				return error_set(err, STATUS_INTERNAL, "out of memory");
			o = app_journal_find(&a->journal, name, g->path);
			o->adding = true;
			app_owned_wrote(o, g->data ? g->data : g->link,
					g->data ? g->len : strlen(g->link));
		}
		if (!marked)
			st = app_journal_save(&a->journal, a->cfg->state_dir, err);
		marked = true;
		if (st == STATUS_OK)
			st = app_file_write(f, err);
		run->changed = true;
	}
	if (backfilled && !marked && st == STATUS_OK)
		st = app_journal_save(&a->journal, a->cfg->state_dir, err);
	for (size_t i = 0; i < run->stale.count && st == STATUS_OK; i++) {
		log_notice("[app %s]: removing '%s', a retired root's", name, run->stale.items[i]);
		st = app_file_remove(run->stale.items[i], err);
		run->changed = true;
	}
	for (size_t i = a->journal.count; i-- > 0 && st == STATUS_OK;) {
		struct app_owned *o = &a->journal.items[i];
		if (strcmp(o->app, name) != 0)
			continue;
		if (app_files_has(&run->files, o->path)) {
			run->changed |= o->adding;
			run->settle |= o->adding;
		} else if ((st = app_owned_remove(o, NULL, err)) == STATUS_OK) {
			o->adding = true;	/* dropped when settled */
			run->changed = run->settle = true;
		}
	}
	return st;
}

/* Marks run's journal entries settled and drops the removed ones. */
static enum status settle_files(struct apps *a, struct app_run *run, struct error *err)
{
	if (!run->settle)
		return STATUS_OK;
	for (size_t i = a->journal.count; i-- > 0;) {
		struct app_owned *o = &a->journal.items[i];
		if (strcmp(o->app, run->app->name) != 0 || !o->adding)
			continue;
		if (app_files_has(&run->files, o->path)) {
			o->adding = false;
			app_owned_settle(o);
		} else {
			app_journal_drop(&a->journal, i);
		}
	}
	return app_journal_save(&a->journal, a->cfg->state_dir, err);
}

/* Whether run's Postfix reads pin: in its chroot copy, its live CApath, its
 * CAfile or its trust anchor file. */
static bool postfix_trusts(const struct apps *a, const struct app_run *run,
			   const struct manifest_entry *e)
{
	const struct postfix_view *pf = &run->pf;
	char hash[9], link[64], *src, *path;
	bool found = false;

	if ((pf->cafile && app_pem_file_has(pf->cafile, &e->pin)) ||
	    (pf->tafile && app_pem_file_has(pf->tafile, &e->pin)))
		return true;
	if (pf->capath == NULL || (src = root_file(a, e)) == NULL)
		return false;
	if (app_subject_hash(src, hash, NULL) == STATUS_OK)
		for (int n = 0; n < 16 && !found; n++) {
			snprintf(link, sizeof(link), "%s.%d", hash, n);
			path = path_join(pf->copy_dir ? pf->copy_dir : pf->capath, link);
			found = path && app_pem_file_has(path, &e->pin);
			free(path);
		}
	free(src);
	return found;
}

/* Reads back what the application reads and compares certificates as DER:
 * every root there (and for an anchors export, nothing else). */
static bool judge(const struct apps *a, struct app_run *run, const struct manifest *roots)
{
	const struct app_config *app = run->app;
	struct pin *pins = NULL;
	size_t count = 0, len;
	char *text = NULL;
	bool ok = true;

	if (app->type == APP_POSTFIX && !run->pf.capath && !run->pf.cafile && !run->pf.tafile) {
		snprintf(run->reason, sizeof(run->reason), "[app %s]: Postfix in %s trusts no CA: "
			 "set smtp_tls_CApath = /etc/ssl/certs in %s/main.cf", app->name,
			 app->config_directory, app->config_directory);
		return false;
	}
	if (app->type == APP_FILE &&
	    (file_read(app->path, PEM_MAX * 16, &text, &len, NULL, NULL) != STATUS_OK ||
	     !app_pem_pins(text, len, &pins, &count))) {
		snprintf(run->reason, sizeof(run->reason), "[app %s]: cannot read '%s' back",
			 app->name, app->path);
		ok = false;
	}
	for (size_t i = 0; ok && i < roots->count; i++) {
		const struct manifest_entry *e = &roots->entries[i];
		bool found = pin_list_contains(pins, count, &e->pin);

		if (app->type == APP_POSTFIX)
			found = postfix_trusts(a, run, e);
		if (!found)
			snprintf(run->reason, sizeof(run->reason), "[app %s]: root '%s' is not in %s; "
				 "%s", app->name, e->subject,
				 app->type == APP_FILE ? app->path : run->pf.capath ?
				 "what smtp_tls_CApath reads" : "smtp_tls_CAfile",
				 app->type == APP_FILE ? "it was changed behind anchorsync's back" :
				 "set smtp_tls_CApath = /etc/ssl/certs or point smtp_tls_CAfile "
				 "at the system bundle");
		ok = found;
	}
	for (size_t k = 0; ok && app->type == APP_FILE && app->content == APP_CONTENT_ANCHORS &&
	     k < count; k++)
		if (manifest_find(roots, &pins[k]) == NULL) {
			snprintf(run->reason, sizeof(run->reason), "[app %s]: '%s' holds a "
				 "certificate anchorsync does not manage", app->name, app->path);
			ok = false;
		}
	free(pins);
	free(text);
	return ok;
}

/* Runs app's restart (or, for a Postfix reading a CA file, `postfix reload`),
 * within hook_timeout, and records how it went. */
static void restart(const struct apps *a, struct app_run *run)
{
	struct command_options opts = { .timeout = a->cfg->hook_timeout, .keep_fd = -1 };
	const struct app_config *app = run->app;
	const char *reload[] = { "postfix", "-c", app->config_directory, "reload", NULL };
	char *output = NULL;
	struct error err;
	enum status st;

	if (app->restart == NULL && !(app->type == APP_POSTFIX && run->reads_at_start))
		return;
	run->rec->restarted = time(NULL);
	free(run->rec->restart);
	st = app->restart ? command_shell(app->restart, &opts, &output, &err) :
			    command_run(reload, &opts, &output, &err);
	if (st == STATUS_OK) {
		log_notice("[app %s]: restarted", app->name);
		run->rec->restart = strdup("ok");
	} else {
		char excerpt[1024];

		command_output_excerpt(output, excerpt, sizeof(excerpt));
		log_error("[app %s]: restart %s%s%s", app->name, err.msg,
			  excerpt[0] ? "; it printed: " : "", excerpt);
		error_prefix(&err, "restart");
		run->rec->restart = strdup(err.msg);
	}
	free(output);
}

static void run_free(struct app_run *run)
{
	strlist_free(&run->stale);
	postfix_view_free(&run->pf);
	app_files_free(&run->files);
	strlist_free(&run->watch);
	free(run->warning);
}

/* Checks (and repairs) one application; STATUS_STORE when it does not trust
 * the roots. */
static enum status sync_one(struct apps *a, const struct app_config *app,
			    const struct manifest *roots, bool store_changed, struct error *err)
{
	struct app_run run = { .app = app };
	struct error werr;
	bool drifted;
	enum status st;

	run.rec = app_records_get(&a->records, app->name);
	if (run.rec == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	if (!store_changed && run.rec->trusted &&
	    run.rec->stamp == view_stamp(a, app, &run.rec->watch, roots)) {
		if (run.rec->warning)
			log_warn("[app %s]: %s", app->name, run.rec->warning);
		return STATUS_OK;
	}
	a->checked = true;
	st = app->type == APP_FILE ? plan_file(a, &run, roots, err) :
				     plan_postfix(a, &run, roots, err);
	if (st == STATUS_OK)
		st = check_foreign(a, &run, err);
	if (st == STATUS_OK)
		st = apply_files(a, &run, err);
	if (st == STATUS_OK && !judge(a, &run, roots))
		st = error_set(err, STATUS_STORE, "%s", run.reason);
	if (st != STATUS_OK && strncmp(err->msg, "[app ", 5) != 0)
		error_prefix(err, "[app %s]", app->name);
	drifted = run.changed && !store_changed && run.rec->checked != 0;
	if (drifted)
		log_warn("[app %s]: its view had drifted; repaired", app->name);
	else if (run.changed)
		log_notice("[app %s]: its view brought up to date", app->name);
	if (run.changed || (store_changed && run.reads_at_start))
		restart(a, &run);
	if (settle_files(a, &run, &werr) != STATUS_OK)
		log_warn("cannot settle the journal of [app %s]: %s", app->name, werr.msg);
	a->changed |= run.changed || (store_changed && run.reads_at_start);
	a->repaired |= drifted;
	if (run.warning)
		log_warn("[app %s]: %s", app->name, run.warning);
	free(run.rec->warning);
	run.rec->warning = run.warning;
	run.warning = NULL;
	free(run.rec->type);
	free(run.rec->reason);
	strlist_free(&run.rec->watch);
	run.rec->type = strdup(app->type == APP_FILE ? "file" : "postfix");
	run.rec->trusted = st == STATUS_OK;
	run.rec->checked = time(NULL);
	run.rec->reason = st == STATUS_OK ? NULL : strdup(err->msg);
	run.rec->watch = run.watch;
	memset(&run.watch, 0, sizeof(run.watch));
	run.rec->stamp = view_stamp(a, app, &run.rec->watch, roots);
	run_free(&run);
	return st;
}

/* Forgets applications no longer configured: their records, and the files
 * anchorsync created for them (deleted, as a retired root's file is). */
static void drop_unconfigured(struct apps *a)
{
	bool dropped = false, removed;
	struct error e;

	for (size_t i = a->records.count; i-- > 0;)
		if (config_app(a->cfg, a->records.items[i].name) == NULL) {
			a->checked = true;
			app_record_clear(&a->records.items[i]);
			free(a->records.items[i].name);
			memmove(&a->records.items[i], &a->records.items[i + 1],
				(a->records.count - i - 1) * sizeof(a->records.items[0]));
			a->records.count--;
		}
	for (size_t i = a->journal.count; i-- > 0;) {
		const struct app_owned *o = &a->journal.items[i];
		if (config_app(a->cfg, o->app) != NULL)
			continue;
		if (app_owned_remove(o, &removed, &e) != STATUS_OK) {
			log_warn("%s", e.msg);
			continue;
		}
		if (removed)
			log_notice("[app %s] is no longer configured: removed '%s'", o->app,
				   o->path);
		app_journal_drop(&a->journal, i);
		dropped = true;
	}
	if (dropped && app_journal_save(&a->journal, a->cfg->state_dir, &e) != STATUS_OK)
		log_warn("cannot save the application journal: %s", e.msg);
}

/* No application configured and no file of one left: the state files go, so
 * that later runs skip the applications step (apps_remembered). */
static void forget_all(const char *state_dir)
{
	for (size_t i = 0; i < 2; i++) {
		char *path = path_join(state_dir, app_state_names[i]);
		if (path && unlink(path) < 0 && errno != ENOENT)
			log_warn("cannot remove '%s': %s", path, strerror(errno));
		free(path);
	}
}

enum status apps_sync(struct apps *a, const struct manifest *roots, bool store_changed,
		      struct error *err)
{
	enum status first = STATUS_OK;
	struct error one, werr;

	/* Exported files first: a Postfix may read one (its trust anchor file). */
	for (size_t pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < a->cfg->app_count; i++) {
			const struct app_config *app = &a->cfg->apps[i];
			enum status st;
			if ((app->type == APP_FILE) != (pass == 0))
				continue;
			st = sync_one(a, app, roots, store_changed, &one);
			if (st != STATUS_OK)
				log_error("%s", one.msg);
			if (st != STATUS_OK && first == STATUS_OK) {
				first = st;
				*err = one;
			}
		}
	drop_unconfigured(a);
	if (a->cfg->app_count == 0 && a->journal.count == 0)
		forget_all(a->cfg->state_dir);
	else if (a->checked &&
		 app_records_save(&a->records, a->cfg->state_dir, &werr) != STATUS_OK)
		log_warn("cannot remember the application checks: %s", werr.msg);
	return first;
}

enum status apps_remove(struct apps *a, struct error *err)
{
	enum status st = STATUS_OK;
	struct error werr;

	for (size_t i = 0; i < a->cfg->app_count; i++) {
		const struct app_config *app = &a->cfg->apps[i];
		struct app_run run = { .app = app, .rec = app_records_get(&a->records, app->name) };

		if (run.rec == NULL)
			return error_set(err, STATUS_INTERNAL, "out of memory");
		if (app->type == APP_POSTFIX &&
		    postfix_view_read(app->config_directory, &run.pf, &werr) == STATUS_OK &&
		    run.pf.copy_dir && plan_stale(&run, &werr) != STATUS_OK)
			log_warn("%s", werr.msg);
		if (apply_files(a, &run, err) != STATUS_OK && st == STATUS_OK)
			st = err->status;
		if (app->type == APP_POSTFIX && app->restart == NULL)
			run.changed = false;	/* a CApath copy needs no reload */
		if (run.changed)
			restart(a, &run);
		if (settle_files(a, &run, err) != STATUS_OK && st == STATUS_OK)
			st = err->status;
		run_free(&run);
	}
	for (size_t i = 0; i < a->records.count; i++) {
		a->records.items[i].trusted = false;
		a->records.items[i].stamp = 0;
	}
	if (app_records_save(&a->records, a->cfg->state_dir, &werr) != STATUS_OK)
		log_warn("cannot remember the application checks: %s", werr.msg);
	return st;
}
