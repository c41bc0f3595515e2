/* SPDX-License-Identifier: MIT */
/* `anchorsync refresh`: the pipeline, one direction:
 * lock -> splay -> fetch -> select (pins, root checks) -> plan -> apply ->
 * record -> on_change -> verify. A run that changes nothing touches no trust
 * store file and runs no update command; it only records the attempt, and
 * checks delivery when the last check is older than [delivery] interval. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "apply.h"
#include "apps.h"
#include "bundle.h"
#include "cli.h"
#include "command.h"
#include "fetch.h"
#include "fetch_select.h"
#include "fileio.h"
#include "lock.h"
#include "log.h"
#include "manifest.h"
#include "plan.h"
#include "privsep.h"
#include "record.h"
#include "refresh_delivery.h"
#include "report.h"
#include "signed_bundle.h"
#include "state_files.h"
#include "store.h"
#include "verify_views.h"
#include "store_effect.h"
#include "text.h"
#include "timefmt.h"
#include "trustchain.h"
#include "verify.h"

struct refresh {
	const struct config *cfg;
	bool now;
	bool dry_run;
	int lock_fd;
	struct privsep_user user;	/* who fetches and verifies */
	struct store store;
	struct manifest installed;
	struct run_record record;
	struct fetch_cache cache;
	char *cached_body;		/* STATE_DIR/bundle.pem, or NULL */
	size_t cached_len;
	struct fetch_result fetched;
	struct anchor_set anchors;	/* from the fetched body, or the kept one on 304 */
	struct trustchain chain;		/* what signed bundles established */
	struct trustchain next_chain;		/* after this bundle, when signed */
	struct plan plan;
	bool changed;
	bool repaired;			/* the store had lost a root; the update put it back */
	struct store_effect effect;	/* the last store check, kept when a no-change run
					   found it current; else empty, and refresh_record
					   reads it after the store changed */
	bool recording;			/* the run record is loaded: write it back */
	char *record_before;		/* its substance as loaded (record_substance) */
	bool apps_changed;		/* an [app] view was written or reloaded */
	bool apps_repaired;		/* ... because it had drifted */
	enum status apps_status;	/* an [app] that does not trust the roots */
	struct error apps_err;
};

static void splay_sleep(unsigned splay)
{
	unsigned int r = 0;

	if (splay == 0)
		return;
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (unsigned int)getpid();
	r %= splay + 1;
	log_debug("sleeping %u of up to %u seconds (splay)", r, splay);
	sleep(r);
}

/* Whether a root the manifest lists and the bundle still offers must be
 * installed again: a change to it was interrupted (its entry is still marked),
 * or its file was deleted by hand. */
static bool needs_install(const struct manifest_entry *e, void *user)
{
	const struct store *store = user;
	char name[MANIFEST_NAME_SIZE];
	char *path;
	bool missing;

	if (e->state != MANIFEST_INSTALLED)
		return true;	/* settled without a warning: nobody deleted it */
	manifest_file_name(&e->pin, store->backend->suffix, name);
	path = path_join(store->anchors_dir, e->file[0] ? e->file : name);
	missing = path && access(path, F_OK) < 0 && errno == ENOENT;
	free(path);
	if (missing)
		log_warn("'%s' was removed by hand; putting it back", e->file);
	return missing;
}

/* The PEM of every root the manifest says is installed, read from the anchors
 * directory: a node bootstrapped from pins and a plain bundle holds its
 * pinned roots' certificates only there, and the first signed bundle may not
 * carry them. NULL when none can be read. */
static char *installed_roots_pem(void *user)
{
	const struct refresh *r = user;
	char *all = NULL;
	size_t all_len = 0;

	for (size_t i = 0; i < r->installed.count; i++) {
		char *path = path_join(r->store.anchors_dir, r->installed.entries[i].file);
		char *pem = NULL, *grown;
		size_t len = 0;

		if (path && r->installed.entries[i].file[0] != '\0' &&
		    file_read_state(path, 64 * 1024, &pem, &len, NULL, NULL) == STATUS_OK &&
		    (grown = realloc(all, all_len + len + 2)) != NULL) {
			all = grown;
			memcpy(all + all_len, pem, len);
			all_len += len;
			all[all_len++] = '\n';
			all[all_len] = '\0';
		}
		free(pem);
		free(path);
	}
	return all;
}

static enum status refresh_prepare(struct refresh *r, struct error *err)
{
	const struct config *cfg = r->cfg;
	struct error ferr;
	bool missing;
	char *path;
	enum status st;

	/* A dry run writes nothing and takes no lock: an ordinary user who can
	 * read the state may run it. */
	st = r->dry_run ? STATUS_OK :
	     lock_acquire(cfg->state_dir, r->now ? cfg->lock_wait : 0, &r->lock_fd, err);
	if (st != STATUS_OK)
		return st;
	st = record_load(&r->record, cfg->state_dir, err);
	if (st != STATUS_OK)
		return st;
	r->recording = true;
	r->record_before = record_substance(&r->record);
	if (!r->now && !r->dry_run)
		splay_sleep(cfg->splay);
	st = store_open(&r->store, cfg, err);
	r->store.lock_fd = r->lock_fd;
	/* Under the lock, what a killed run (of any version) left in the anchors
	 * directory goes, even on a run that changes nothing. */
	if (st == STATUS_OK && !r->dry_run)
		store_sweep(&r->store);
	if (st == STATUS_OK)
		st = manifest_load(&r->installed, cfg->state_dir, err);
	if (st == STATUS_OK)
		st = trustchain_load(&r->chain, cfg->state_dir, err);
	if (st != STATUS_OK)
		return st;
	r->store.managed = &r->installed;
	fetch_cache_load(&r->cache, cfg->state_dir);
	path = path_join(cfg->state_dir, STATE_BUNDLE);
	if (path == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	if (file_read_state(path, cfg->max_size, &r->cached_body, &r->cached_len, &missing,
			    &ferr) != STATUS_OK) {
		r->cached_body = NULL;
		if (!missing)
			log_warn("ignoring the kept bundle: %s", ferr.msg);
	}
	free(path);
	return STATUS_OK;
}

/* Fetches, authenticates and selects the roots in an unprivileged child
 * (fetch_select.h); what comes back has been checked again here. */
static enum status refresh_fetch(struct refresh *r, struct error *err)
{
	struct fetch_request rq = { .cfg = r->cfg, .chain = &r->chain, .installed = &r->installed,
				    .kept = r->cached_body, .kept_len = r->cached_len,
				    .cache = &r->cache, .installed_pem = installed_roots_pem,
				    .user = r };
	struct fetch_outcome out;
	enum status st;

	st = fetch_select_unprivileged(&rq, &r->user, &out, err);
	r->fetched = out.fetched;
	r->anchors = out.anchors;
	r->next_chain = out.next;
	if (st != STATUS_OK)
		return st;
	record_set(&r->record.source, r->fetched.url);
	if (!plan_make(&r->plan, &r->installed, &r->anchors))
		return error_set(err, STATUS_INTERNAL, "out of memory");
	plan_readd_missing(&r->plan, &r->anchors, needs_install, &r->store);
	return STATUS_OK;
}

static void print_plan(const struct refresh *r)
{
	const struct plan *p = &r->plan;
	char pin[PIN_TEXT_SIZE], name[MANIFEST_NAME_SIZE];

	for (size_t i = 0; i < p->add_count; i++) {
		pin_format(&p->add[i]->pin, pin);
		manifest_file_name(&p->add[i]->pin, r->store.backend->suffix, name);
		printf("would add %s '%s' as %s/%s\n", pin, p->add[i]->subject,
		       r->store.anchors_dir, name);
	}
	for (size_t i = 0; i < p->retire_count; i++) {
		pin_format(&p->retire[i]->pin, pin);
		printf("would retire %s '%s' (%s/%s)\n", pin, p->retire[i]->subject,
		       r->store.anchors_dir, p->retire[i]->file);
	}
	if (plan_is_empty(p))
		printf("nothing to change: %zu root%s current\n", p->keep_count,
		       p->keep_count == 1 ? "" : "s");
}

static enum status refresh_apply(struct refresh *r, struct error *err)
{
	struct manifest next;
	enum status st;

	st = apply_plan(&r->store, r->cfg->state_dir, &r->installed, &r->plan, &next,
			&r->changed, err);
	if (st == STATUS_OK) {
		manifest_free(&r->installed);
		r->installed = next;
	} else {
		manifest_free(&next);
	}
	return st;
}

/* Writes down the signed bundle just accepted: the roots it lists now sign. */
static enum status keep_chain(struct refresh *r, struct error *err)
{
	enum status st;

	if (r->next_chain.serial == 0 || !trustchain_differs(&r->chain, &r->next_chain))
		return STATUS_OK;
	st = trustchain_save(&r->next_chain, r->cfg->state_dir, err);
	if (st != STATUS_OK)
		return st;
	if (r->next_chain.serial != r->chain.serial)
		log_notice("accepted signed bundle serial %llu from '%s'", r->next_chain.serial,
			   r->next_chain.signer);
	trustchain_free(&r->chain);
	r->chain = r->next_chain;
	memset(&r->next_chain, 0, sizeof(r->next_chain));
	return STATUS_OK;
}

/* Puts back the roots the store lost (their files are in place, the store was
 * rebuilt without them, or their links went): every managed root's file is
 * written from the bundle when missing, and the update command rebuilds the
 * store, its effect checked. */
static enum status refresh_repair(struct refresh *r, struct error *err)
{
	const struct manifest *m = &r->installed;
	struct store_file *files = calloc(m->count + 1, sizeof(*files));
	size_t n = 0;
	enum status st;

	if (files == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < m->count; i++) {
		const struct anchor *a = anchor_set_find(&r->anchors, &m->entries[i].pin);

		if (a != NULL)
			files[n++] = (struct store_file){ m->entries[i].file, a->pem, a->pem_len };
	}
	st = store_repair(&r->store, files, n, err);
	free(files);
	return st;
}

/* A run that changes nothing still makes sure the store trusts the roots
 * anchorsync manages. It reads the store only when the bundle or its links
 * changed since the last good check; when a root has gone missing it warns,
 * remembers it, and repairs the store. Finding everything in order writes no
 * store file and runs no update command. */
static enum status refresh_check_store(struct refresh *r, struct error *err)
{
	const struct manifest *m = &r->installed;
	struct store_root *want = calloc(m->count + 1, sizeof(*want));
	struct store_effect last = { 0 }, now = { 0 };
	struct store_stamp stamp;
	struct error werr;
	enum status st = STATUS_OK;

	if (want == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < m->count; i++)
		want[i] = (struct store_root){ m->entries[i].pin, m->entries[i].file };
	store_stamp_take(&r->store, &stamp);
	if (store_effect_load(r->cfg->state_dir, &last, &werr) != STATUS_OK)
		log_warn("cannot read the last store check: %s", werr.msg);
	if (store_effect_current(&last, &stamp, want, m->count) &&
	    store_effect_files_current(&r->store, &last, want, m->count)) {
		r->effect = last;	/* what the run records: no second read */
		memset(&last, 0, sizeof(last));
		goto out;
	}
	st = store_effect_run(&r->store, want, m->count, NULL, 0, &now, err);
	if ((st == STATUS_OK || st == STATUS_STORE) &&
	    store_effect_save(r->cfg->state_dir, &now, &werr) != STATUS_OK)
		log_warn("cannot remember the store check: %s", werr.msg);
	if (st != STATUS_STORE)
		goto out;
	log_warn("%s; running %s to put it back", err->msg, r->store.backend->update);
	st = refresh_repair(r, err);
	r->repaired = st == STATUS_OK;
	if (r->repaired)
		log_warn("the trust store trusts every root anchorsync manages again");
out:
	store_effect_free(&last);
	store_effect_free(&now);
	free(want);
	return st;
}

/* Keeps the accepted bundle and its validators for the next conditional GET.
 * The bundle is written only when it differs from the kept one; the validators
 * also when a whole answer renewed them (at most daily, or on a change). */
static void remember_bundle(struct refresh *r)
{
	const struct fetch_result *f = &r->fetched;
	bool same_body = r->cached_body && r->cached_len == f->len &&
			 memcmp(r->cached_body, f->body, f->len) == 0;
	struct error err = { .msg = "out of memory" };
	char *path = NULL;

	if (f->not_modified)
		return;
	if (!same_body && ((path = path_join(r->cfg->state_dir, STATE_BUNDLE)) == NULL ||
			   file_write_atomic(path, f->body, f->len, 0644, true, &err) != STATUS_OK))
		goto fail;
	if ((!same_body || !fetch_cache_equal(&r->cache, &f->validators) ||
	     f->validators.etag || f->validators.last_modified) &&
	    fetch_cache_save(&f->validators, r->cfg->state_dir, &err) != STATUS_OK)
		goto fail;
	free(path);
	return;
fail:
	log_warn("cannot keep the bundle for conditional requests: %s", err.msg);
	free(path);
}

/* Runs the on_change hook within [agent] hook_timeout. Its failure is logged
 * and recorded; the trust store change stands either way. */
static void run_on_change(struct refresh *r)
{
	char added[64], retired[64];
	const char *env[] = { added, retired, NULL };
	struct command_options opts = { .timeout = r->cfg->hook_timeout, .keep_fd = -1,
					.env = env };
	char *output = NULL, excerpt[1024];
	struct error err;

	if (r->cfg->on_change == NULL)
		return;
	/* A size_t in decimal fits: these cannot truncate. */
	snprintf(added, sizeof(added), "ANCHORSYNC_ADDED=%zu", r->plan.add_count);
	snprintf(retired, sizeof(retired), "ANCHORSYNC_RETIRED=%zu", r->plan.retire_count);
	if (command_shell(r->cfg->on_change, &opts, &output, &err) == STATUS_OK) {
		record_set(&r->record.hook_error, NULL);
	} else {
		command_output_excerpt(output, excerpt, sizeof(excerpt));
		log_error("on_change %s; the trust store change stands%s%s", err.msg,
			  excerpt[0] ? "; it printed: " : "", excerpt);
		error_prefix(&err, "on_change");
		record_set(&r->record.hook_error, err.msg);
	}
	free(output);
}

/* Keeps every [app] view in line with the managed roots (agent/apps). A view
 * that cannot be made to trust them fails the run after the rest is done. */
static void refresh_apps(struct refresh *r)
{
	struct apps apps;

	r->apps_status = apps_open(&apps, r->cfg, &r->store, &r->apps_err);
	if (r->apps_status == STATUS_OK)
		r->apps_status = apps_sync(&apps, &r->installed, r->changed || r->repaired,
					   &r->apps_err);
	r->apps_changed = apps.changed;
	r->apps_repaired = apps.repaired;
	apps_close(&apps);
}

/* Checks delivery through every view and records it (refresh_delivery.h). */
static enum status check_delivery(struct refresh *r, bool after_change, struct error *err)
{
	return delivery_check(r->cfg, &r->store, &r->installed, &r->record, after_change, err);
}

static void warn_expiring(const struct refresh *r, time_t now)
{
	for (size_t i = 0; i < r->installed.count; i++) {
		const struct manifest_entry *e = &r->installed.entries[i];
		long long left = time_days_left(e->not_after, now);
		char pin[PIN_TEXT_SIZE], when[TIME_TEXT_SIZE];

		if (left >= (long long)r->cfg->warn_days)
			continue;
		pin_format(&e->pin, pin);
		time_format_utc(e->not_after, when);
		log_warn("root '%s' (%s) %s %s (%lld days); publish its successor", e->subject,
			 pin, e->not_after < now ? "expired on" : "expires on", when, left);
	}
}

/* Whether the record must survive a power loss: the run changed the store,
 * failed, or says something else than the last (an error, a hook failure, a
 * delivery result). A run that only adds new timestamps to the same story
 * writes without fsync: its record is observation, and nothing decides on it. */
static bool record_durable(const struct refresh *r, enum status st)
{
	char *now;
	bool same;

	if (st != STATUS_OK || r->changed || r->repaired || r->apps_changed ||
	    r->record_before == NULL)
		return true;
	now = record_substance(&r->record);
	same = now != NULL && strcmp(now, r->record_before) == 0;
	free(now);
	return !same;
}

/* Says, on every run, which retired roots the store still trusts through
 * files anchorsync does not manage: anchorsync's part of the retirement is
 * done, but a retired root may be a compromised one. */
static void warn_still_trusted(const struct refresh *r, const struct store_effect *trust)
{
	for (size_t i = 0; i < trust->foreign_count; i++) {
		char pin[PIN_TEXT_SIZE], *file;

		pin_format(&trust->foreign[i].pin, pin);
		file = text_escape_copy(trust->foreign[i].file, strlen(trust->foreign[i].file),
					false);
		log_warn("retired root %s is still trusted through '%s', a file anchorsync "
			 "does not manage: remove it and run %s, unless that root is meant to "
			 "stay trusted", pin, file ? file : "?", r->store.backend ?
			 r->store.backend->update : "the store's update command");
		free(file);
	}
}

/* Records the run in last-run, status.json and the metrics file. */
static void refresh_record(struct refresh *r, enum status st, const struct error *err)
{
	const struct config *cfg = r->cfg;
	time_t now = time(NULL);
	struct report rep = {
		.roots = &r->installed,
		.run = &r->record,
		.backend = r->store.backend ? store_backend_name(r->store.backend) : NULL,
		.anchors_dir = r->store.anchors_dir,
		.warn_days = cfg->warn_days,
		.now = now,
		.chain = &r->chain,
		.hold_down = cfg->hold_down,
		.apps_state_dir = cfg->app_count > 0 ? cfg->state_dir : NULL,
		.delivery_warn_days = cfg->delivery_warn_days,
		.delivery_interval = cfg->delivery_interval,
	};
	struct store_effect *trust = &r->effect;
	struct error werr;
	bool durable;

	if (trust->checked != 0 || store_effect_load(cfg->state_dir, trust, NULL) == STATUS_OK)
		rep.trust = trust;
	r->record.attempt = now;
	if (st == STATUS_OK || st == STATUS_VERIFY_FAILED)	/* the refresh itself */
		r->record.success = now;
	record_set(&r->record.result, st != STATUS_OK && st != STATUS_VERIFY_FAILED ? "error" :
		   r->changed || (r->apps_changed && !r->apps_repaired) ? "changed" :
		   r->repaired || r->apps_repaired ? "repaired" : "unchanged");
	record_set(&r->record.error, st == STATUS_OK ? NULL : err->msg);
	durable = record_durable(r, st);
	if (record_save(&r->record, cfg->state_dir, durable, &werr) != STATUS_OK)
		log_warn("cannot record the run: %s", werr.msg);
	report_publish(cfg->state_dir, cfg->metrics_file, &rep, durable);
	warn_still_trusted(r, trust);
	warn_expiring(r, now);
	trustchain_log(&r->chain, cfg, now);
}

static void refresh_release(struct refresh *r)
{
	free(r->record_before);
	plan_free(&r->plan);
	anchor_set_free(&r->anchors);
	trustchain_free(&r->chain);
	trustchain_free(&r->next_chain);
	fetch_result_free(&r->fetched);
	free(r->cached_body);
	fetch_cache_free(&r->cache);
	record_free(&r->record);
	manifest_free(&r->installed);
	store_effect_free(&r->effect);
	store_close(&r->store);
	lock_release(r->lock_fd);
}

static enum status refresh_run(struct refresh *r, struct error *err)
{
	enum status st = refresh_prepare(r, err);
	bool prepared = st == STATUS_OK;

	if (st == STATUS_OK)
		st = refresh_fetch(r, err);
	if (r->dry_run) {
		if (st == STATUS_OK) {
			print_plan(r);
			apps_print_plan(r->cfg, r->plan.add_count, r->plan.retire_count);
		}
		return st;	/* a dry run records nothing */
	}
	if (st == STATUS_OK && !plan_is_empty(&r->plan))
		st = refresh_apply(r, err);
	else if (st == STATUS_OK && r->installed.count > 0)
		st = refresh_check_store(r, err);
	if (st == STATUS_OK)
		st = keep_chain(r, err);
	if (st == STATUS_OK)
		remember_bundle(r);
	if (st == STATUS_OK && (r->cfg->app_count > 0 || apps_remembered(r->cfg->state_dir)))
		refresh_apps(r);
	if (st == STATUS_OK && (r->changed || r->repaired))
		run_on_change(r);
	if (r->recording)
		delivery_forget_unconfigured(r->cfg, &r->record);
	if (st == STATUS_OK && (r->changed || r->repaired || r->apps_changed))
		st = check_delivery(r, true, err);
	else if (st == STATUS_OK && delivery_due(r->cfg, &r->record, time(NULL)))
		st = check_delivery(r, false, err);
	else if (prepared && (st == STATUS_UNAVAILABLE || st == STATUS_DATA) &&
		 delivery_due(r->cfg, &r->record, time(NULL)))
		/* No source answered or every bundle was rejected: the store is as
		 * the last run left it, and delivery through it is worth knowing
		 * all the same. The run's outcome stays the fetch's failure. */
		check_delivery(r, false, &(struct error){ 0 });
	if (st == STATUS_OK && r->apps_status != STATUS_OK) {
		st = r->apps_status;
		*err = r->apps_err;
	}
	if (r->recording)
		refresh_record(r, st, err);
	return st;
}

static enum status refresh_option(int opt, const char *arg, void *user, struct error *err)
{
	struct refresh *r = user;

	(void)arg;
	(void)err;
	if (opt == 'n')
		r->now = true;
	else
		r->dry_run = true;
	return STATUS_OK;
}

enum status cmd_refresh(const struct invocation *inv, struct error *err)
{
	static const struct option options[] = {
		{ "now", no_argument, NULL, 'n' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cli_spec spec = { .options = options, .on_option = refresh_option,
					      .max_operands = 0,
					      .operands_usage = "takes no arguments" };
	struct config cfg;
	struct refresh r = { .cfg = &cfg, .lock_fd = -1 };
	int first;
	enum status st = cli_parse(inv, &spec, &r, &first, err);

	if (st != STATUS_OK)
		return st;
	st = cli_load_source_config(inv, &cfg, err);
	if (st == STATUS_OK)
		st = privsep_user_find(cfg.user, &r.user, err);
	if (st == STATUS_OK)
		st = refresh_run(&r, err);
	refresh_release(&r);
	config_free(&cfg);
	return st;
}
