/* SPDX-License-Identifier: MIT */
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends.h"
#include "command.h"
#include "fileio.h"
#include "linkset.h"
#include "log.h"
#include "manifest.h"
#include "store_effect.h"
#include "textbuf.h"

/* Seconds the update command may run before its process group is killed:
 * minutes more than the slowest store rebuild with hooks. */
#define STORE_UPDATE_TIMEOUT 600

/* Options every update-ca-certificates Debian 12 ships knows (--sysroot came
 * only with the security update): the same effect, spelled out. */
static const char *const debian_tree_args[] = {
	"--certsconf", "/etc/ca-certificates.conf",
	"--certsdir", "/usr/share/ca-certificates",
	"--localcertsdir", "/usr/local/share/ca-certificates",
	"--etccertsdir", "/etc/ssl/certs",
	"--hooksdir", "/etc/ca-certificates/update.d",
	NULL,
};

/* Indexed by enum backend, whose names conf/backends.c keeps. */
static const struct store_backend backends[BACKEND_COUNT] = {
	[BACKEND_DEBIAN] = { BACKEND_DEBIAN, "/usr/local/share/ca-certificates", ".crt",
	  "/etc/ssl/certs/ca-certificates.crt", "update-ca-certificates", NULL,
	  "--fresh", debian_tree_args, "/etc/ssl/certs", true,
	  "/etc/ssl/certs/ca-certificates.crt.new" },
	[BACKEND_REDHAT] = { BACKEND_REDHAT, "/etc/pki/ca-trust/source/anchors", ".pem",
	  "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", "update-ca-trust", "extract",
	  NULL, NULL, NULL, false, NULL },
	[BACKEND_SUSE] = { BACKEND_SUSE, "/etc/pki/trust/anchors", ".pem",
	  "/var/lib/ca-certificates/ca-bundle.pem", "update-ca-certificates", NULL, NULL, NULL,
	  NULL, false, NULL },
	[BACKEND_ALPINE] = { BACKEND_ALPINE, "/usr/local/share/ca-certificates", ".crt",
	  "/etc/ssl/certs/ca-certificates.crt", "update-ca-certificates", NULL, NULL, NULL,
	  "/etc/ssl/certs", false, NULL },
	[BACKEND_ARCH] = { BACKEND_ARCH, "/etc/ca-certificates/trust-source/anchors", ".crt",
	  "/etc/ca-certificates/extracted/tls-ca-bundle.pem", "update-ca-trust", NULL, NULL, NULL,
	  "/etc/ssl/certs", false, NULL },
};

/* os-release IDs of each family; ID_LIKE names the same families. */
static const struct {
	const char *id;
	enum backend family;
} os_ids[] = {
	{ "debian", BACKEND_DEBIAN }, { "ubuntu", BACKEND_DEBIAN },
	{ "rhel", BACKEND_REDHAT }, { "fedora", BACKEND_REDHAT }, { "centos", BACKEND_REDHAT },
	{ "rocky", BACKEND_REDHAT }, { "almalinux", BACKEND_REDHAT }, { "amzn", BACKEND_REDHAT },
	{ "ol", BACKEND_REDHAT },
	{ "suse", BACKEND_SUSE }, { "opensuse", BACKEND_SUSE }, { "sles", BACKEND_SUSE },
	{ "opensuse-leap", BACKEND_SUSE }, { "opensuse-tumbleweed", BACKEND_SUSE },
	{ "alpine", BACKEND_ALPINE },
	{ "arch", BACKEND_ARCH },
};

const struct store_backend *store_backend_by_name(const char *name)
{
	enum backend family;

	return backend_by_name(name, &family) ? &backends[family] : NULL;
}

const char *store_backend_name(const struct store_backend *b)
{
	return backend_list[b->family];
}

static const struct store_backend *backend_for_id(const char *id)
{
	for (size_t i = 0; i < sizeof(os_ids) / sizeof(os_ids[0]); i++)
		if (strcmp(os_ids[i].id, id) == 0)
			return &backends[os_ids[i].family];
	return NULL;
}

/* Copies the value of KEY= from os-release text, without quotes, into out. */
static bool os_release_value(const char *text, const char *key, char *out, size_t outlen)
{
	size_t keylen = strlen(key);

	for (const char *line = text; line && *line; line = strchr(line, '\n'), line += !!line) {
		size_t n = 0;
		const char *v;
		if (strncmp(line, key, keylen) != 0 || line[keylen] != '=')
			continue;
		v = line + keylen + 1;
		if (*v == '"' || *v == '\'')
			v++;
		while (v[n] && v[n] != '\n' && v[n] != '"' && v[n] != '\'' && n + 1 < outlen)
			n++;
		memcpy(out, v, n);
		out[n] = '\0';
		return true;
	}
	return false;
}

/* The backend for an ID, or for the first known word of ID_LIKE. */
static const struct store_backend *backend_from_os_release(const char *text, char *id,
							   size_t idlen)
{
	const struct store_backend *b = NULL;
	char like[256];

	if (!os_release_value(text, "ID", id, idlen))
		snprintf(id, idlen, "(none)");
	else
		b = backend_for_id(id);
	if (b == NULL && os_release_value(text, "ID_LIKE", like, sizeof(like))) {
		for (char *save = NULL, *w = strtok_r(like, " ", &save); w && !b;
		     w = strtok_r(NULL, " ", &save))
			b = backend_for_id(w);
	}
	return b;
}

enum status store_backend_detect(const char *root, const struct store_backend **out,
				 struct error *err)
{
	static const char *paths[] = { "/etc/os-release", "/usr/lib/os-release" };
	char id[64];
	char *text = NULL, *path = NULL;
	size_t len;
	enum status st = STATUS_IO;

	for (size_t i = 0; i < 2 && st != STATUS_OK; i++) {
		free(path);
		path = path_under_root(root, paths[i]);
		if (path == NULL)
			return error_set(err, STATUS_INTERNAL, "out of memory");
		st = file_read(path, 64 * 1024, &text, &len, NULL, err);
	}
	if (st != STATUS_OK) {
		st = error_set(err, STATUS_CONFIG,
			       "cannot tell the distribution: no readable os-release under '%s'; "
			       "set [store] backend", root ? root : "/");
		goto out;
	}
	*out = backend_from_os_release(text, id, sizeof(id));
	if (*out == NULL)
		st = error_set(err, STATUS_CONFIG,
			       "unknown distribution '%s' in '%s'; set [store] backend (%s)",
			       id, path, backend_names());
out:
	free(text);
	free(path);
	return st;
}

enum status store_backend_for(const struct config *cfg, const struct store_backend **out,
			      struct error *err)
{
	if (strcmp(cfg->backend, "auto") != 0) {
		*out = store_backend_by_name(cfg->backend);
		return STATUS_OK;
	}
	return store_backend_detect(cfg->root, out, err);
}

enum status store_open(struct store *s, const struct config *cfg, struct error *err)
{
	enum status st;

	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
	st = store_backend_for(cfg, &s->backend, err);
	if (st != STATUS_OK)
		return st;
	s->root = cfg->root;
	s->state_dir = cfg->state_dir;
	s->anchors_dir = path_under_root(s->root, s->backend->anchors_dir);
	s->bundle_path = path_under_root(s->root, s->backend->bundle);
	if (s->backend->links_dir)
		s->links_dir = path_under_root(s->root, s->backend->links_dir);
	if (s->anchors_dir == NULL || s->bundle_path == NULL ||
	    (s->backend->links_dir && s->links_dir == NULL))
		return error_set(err, STATUS_INTERNAL, "out of memory");
	return STATUS_OK;
}

void store_close(struct store *s)
{
	free(s->anchors_dir);
	free(s->bundle_path);
	free(s->links_dir);
	memset(s, 0, sizeof(*s));
}

enum store_owner store_file_owner(const struct store *s, const struct pin *pin,
				  const char *name, char *why, size_t whylen)
{
	char want[MANIFEST_NAME_SIZE];
	char *path = NULL, *data = NULL;
	enum store_owner owner = STORE_FILE_FOREIGN;
	struct pin found;
	struct stat sb;
	size_t len;

	manifest_file_name(pin, s->backend->suffix, want);
	if (strcmp(name, want) != 0) {
		snprintf(why, whylen, "its name is not '%s'", want);
		return STORE_FILE_FOREIGN;
	}
	path = path_join(s->anchors_dir, name);
	if (path == NULL) {
		snprintf(why, whylen, "out of memory");
		return STORE_FILE_FOREIGN;
	}
	if (lstat(path, &sb) < 0) {
		if (errno == ENOENT)
			owner = STORE_FILE_GONE;
		else
			snprintf(why, whylen, "cannot examine it: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode) || file_read(path, 1024 * 1024, &data, &len, NULL, NULL) !=
	    STATUS_OK) {
		snprintf(why, whylen, "it is not a readable regular file");
		goto out;
	}
	if (!pin_of_pem(data, len, &found))
		snprintf(why, whylen, "it holds no PEM certificate");
	else if (!pin_equal(&found, pin))
		snprintf(why, whylen, "it holds another certificate");
	else
		owner = STORE_FILE_OURS;
out:
	free(data);
	free(path);
	return owner;
}

/* Whether the tree at root holds the backend's own update command: an image,
 * whose command must run inside it (under chroot) so that what it writes,
 * links included, makes sense there. */
static bool tree_has_update(const char *root, const char *command)
{
	static const char *const dirs[] = { "/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/" };
	char path[4096];

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (textbuf_printf(path, sizeof(path), "%s%s%s", root, dirs[i], command) &&
		    access(path, X_OK) == 0)
			return true;
	}
	return false;
}

/* Runs the backend's update command for s; fresh after a removal. Under a
 * root= tree it is the tree's own command under chroot when the tree has one,
 * and otherwise the host's command told every directory of the tree. */
static enum status store_run_update(const struct store *s, bool fresh, char **output,
				    struct error *err)
{
	const struct store_backend *b = s->backend;
	const struct command_options opts = { .timeout = STORE_UPDATE_TIMEOUT,
					      .keep_fd = s->lock_fd };
	const char *argv[24];
	char paths[8][4096];
	bool in_tree = s->root && tree_has_update(s->root, b->update);
	size_t n = 0;

	if (s->root && !in_tree && b->tree_args == NULL)
		return error_set(err, STATUS_STORE,
				 "'%s' has no %s to run under chroot, and the host's %s cannot "
				 "write into another tree", s->root, b->update, b->update);
	if (in_tree) {
		argv[n++] = "chroot";
		argv[n++] = s->root;
	}
	argv[n++] = b->update;
	if (b->update_arg)
		argv[n++] = b->update_arg;
	if (fresh && b->fresh_arg)
		argv[n++] = b->fresh_arg;
	for (size_t i = 0; s->root && !in_tree && b->tree_args[i]; i += 2) {
		if (!textbuf_printf(paths[i / 2], sizeof(paths[0]), "%s%s", s->root,
				    b->tree_args[i + 1]))
			return error_set(err, STATUS_STORE, "'%s' is too long a root for %s's "
					 "paths", s->root, b->update);
		argv[n++] = b->tree_args[i];
		argv[n++] = paths[i / 2];
	}
	argv[n] = NULL;
	log_debug("running %s%s%s%s", in_tree ? "chroot'ed " : "", b->update,
		  fresh && b->fresh_arg ? " " : "", fresh && b->fresh_arg ? b->fresh_arg : "");
	return command_run(argv, &opts, output, err);
}

/* A previous state of one anchor file, to put back on failure. */
struct saved_file {
	char *path;
	char *data;		/* NULL: the file did not exist */
	size_t len;
	bool written;		/* apply changed it */
};

static void saved_free(struct saved_file *saved, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(saved[i].path);
		free(saved[i].data);
	}
	free(saved);
}

/* Records path's current content. A file that exists with other content than
 * want (when want is given) is not anchorsync's: refuse to replace it. */
static enum status save_file(struct saved_file *sf, const char *dir, const char *name,
			     const char *want, size_t want_len, struct error *err)
{
	bool missing;
	enum status st;

	sf->path = path_join(dir, name);
	if (sf->path == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	st = file_read(sf->path, 1024 * 1024, &sf->data, &sf->len, &missing, err);
	if (st != STATUS_OK && missing)
		return STATUS_OK;
	if (st != STATUS_OK) {
		err->status = STATUS_STORE;
		return STATUS_STORE;
	}
	if (want && (sf->len != want_len || memcmp(sf->data, want, want_len) != 0))
		return error_set(err, STATUS_STORE,
				 "'%s' exists with other content and is not anchorsync's; "
				 "nothing changed", sf->path);
	return STATUS_OK;
}

/* Appends "; " and a fragment to what the rollback could not put back. */
static void rollback_note(char *notes, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void rollback_note(char *notes, size_t size, const char *fmt, ...)
{
	size_t used = strlen(notes);
	va_list ap;

	if (used > 0 && !textbuf_appendf(notes, size, &used, "; "))
		return;
	va_start(ap, fmt);
	textbuf_vappendf(notes, size, &used, fmt, ap);
	va_end(ap);
}

/* Puts every changed file back as it was, then rebuilds the bundle the way the
 * failed run tried to: a --fresh run where nothing was removed would clear
 * links the failed run never touched. When that run fails as well, the links
 * are put back as they were before the first. Returns true when every step
 * worked; otherwise notes says what could not be put back. */
static bool store_rollback(const struct store *s, struct saved_file *saved, size_t count,
			   bool fresh, const struct linkset *links, char *notes,
			   size_t notes_size)
{
	struct error rerr;
	char *output = NULL;

	notes[0] = '\0';
	for (size_t i = 0; i < count; i++) {
		if (!saved[i].written)
			continue;
		if (saved[i].data == NULL) {
			if (unlink(saved[i].path) < 0 && errno != ENOENT) {
				rollback_note(notes, notes_size, "'%s' is still there (%s)",
					      saved[i].path, strerror(errno));
			}
		} else if (file_write_atomic(saved[i].path, saved[i].data, saved[i].len, 0644,
					     true, &rerr) != STATUS_OK) {
			rollback_note(notes, notes_size, "'%s' is missing (%s)", saved[i].path,
				      rerr.msg);
		}
	}
	if (!dir_sync(s->anchors_dir) && errno != ENOENT)
		rollback_note(notes, notes_size, "'%s' could not be synced (%s)", s->anchors_dir,
			      strerror(errno));
	if (store_run_update(s, fresh, &output, &rerr) == STATUS_OK) {
		free(output);
		return notes[0] == '\0';
	}
	free(output);
	log_error("after rollback, %s too: %s", s->backend->update, rerr.msg);
	if (links == NULL) {
		rollback_note(notes, notes_size, "'%s' could not be rebuilt (%s)", s->bundle_path,
			      rerr.msg);
		return false;
	}
	if (!linkset_restore(links)) {
		rollback_note(notes, notes_size, "some links in '%s' could not be put back (%s)",
			      links->dir, strerror(errno));
		return false;
	}
	return notes[0] == '\0';
}

/* Formats a failed update for the admin: how it ended, what the rollback
 * did (notes: what it could not put back, empty when it put back everything),
 * then a few lines of what the command printed (those that say what went
 * wrong, else the last). */
static enum status update_failed(struct error *err, const char *reason, const char *notes,
				 const char *output)
{
	char excerpt[1024];

	command_output_excerpt(output, excerpt, sizeof(excerpt));
	return error_set(err, STATUS_STORE, "trust store update failed, %s%s: %s%s%s",
			 *notes ? "and the rollback was incomplete: " : "previous anchors restored",
			 notes, reason, excerpt[0] ? "; it printed: " : "", excerpt);
}

/* Records every file the change touches; refuses before anything is written
 * to replace an added file that holds something else, unless reclaim (a
 * repair: the file is a managed root's own, and someone overwrote it). */
static enum status save_previous(const struct store *s, const struct store_file *add,
				 size_t add_count, const char *const *retire, size_t count,
				 bool reclaim, struct saved_file *saved, struct error *err)
{
	enum status st = STATUS_OK;

	for (size_t i = 0; i < count && st == STATUS_OK; i++) {
		bool adding = i < add_count, check = adding && !reclaim;
		st = save_file(&saved[i], s->anchors_dir,
			       adding ? add[i].name : retire[i - add_count],
			       check ? add[i].pem : NULL, check ? add[i].pem_len : 0, err);
	}
	if (st == STATUS_OK && add_count > 0)
		st = dir_create(s->anchors_dir, 0755, err);
	return st;
}

/* Writes the added files and removes the retired ones, marking what changed. */
static enum status write_changes(const struct store_file *add, size_t add_count,
				 size_t count, struct saved_file *saved, struct error *err)
{
	for (size_t i = 0; i < count; i++) {
		bool adding = i < add_count;
		enum status st = STATUS_OK;

		if (adding && saved[i].data != NULL && saved[i].len == add[i].pem_len &&
		    memcmp(saved[i].data, add[i].pem, add[i].pem_len) == 0)
			continue;	/* already there, same bytes */
		if (!adding && saved[i].data == NULL)
			continue;	/* already gone */
		saved[i].written = true;
		if (adding)
			st = file_write_atomic(saved[i].path, add[i].pem, add[i].pem_len, 0644,
					       true, err);
		else if (unlink(saved[i].path) < 0)
			st = error_set(err, STATUS_IO, "cannot remove '%s': %s", saved[i].path,
				       strerror(errno));
		if (st != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}

/* Removes the temporary bundle a killed update left behind: the next run
 * would append to it and write every certificate twice. Only that exact name,
 * and only a regular file. Returns whether there was one: the update that
 * left it stopped half-way. */
static bool remove_leftover(const struct store *s)
{
	char *path;
	struct stat sb;
	bool found = false;

	if (s->backend->leftover == NULL)
		return false;
	path = path_under_root(s->root, s->backend->leftover);
	if (path && lstat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
		found = true;
		log_warn("removing '%s', left by an interrupted update", path);
		if (unlink(path) < 0)
			log_warn("cannot remove '%s': %s", path, strerror(errno));
	}
	free(path);
	return found;
}

/* Whether name is one that anchorsync gives an anchor file ("anchorsync-",
 * 16 hex digits, the backend's suffix) followed by '.' and 6 more characters:
 * what an earlier version's killed write left. */
static bool legacy_tmp_name(const struct store *s, const char *name)
{
	size_t n = strlen(name), suffix = strlen(s->backend->suffix), pre = strlen("anchorsync-");

	if (n != pre + 16 + suffix + 7 || strncmp(name, "anchorsync-", pre) != 0 ||
	    strncmp(name + pre + 16, s->backend->suffix, suffix) != 0)
		return false;
	for (size_t i = pre; i < pre + 16; i++)
		if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
			return false;
	return true;
}

size_t store_sweep(const struct store *s)
{
	size_t removed = file_tmp_sweep_dir(s->anchors_dir);
	DIR *d = opendir(s->anchors_dir);
	struct dirent *de;

	while (d && (de = readdir(d)) != NULL) {
		char *path;
		if (!legacy_tmp_name(s, de->d_name))
			continue;
		path = path_join(s->anchors_dir, de->d_name);
		if (path) {
			path[strlen(path) - 7] = '\0';	/* the file it was to become */
			removed += file_tmp_sweep(path);
		}
		free(path);
	}
	if (d)
		closedir(d);
	if (removed > 0)
		log_warn("removed %zu temporary file%s an interrupted run left in '%s'", removed,
			 removed == 1 ? "" : "s", s->anchors_dir);
	return removed;
}

static bool name_listed(const char *const *names, size_t count, const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* The pin of the retired file name: from the manifest, else from the file's
 * content before it was removed. */
static bool retired_pin(const struct store *s, const char *name, const struct saved_file *sf,
			struct pin *out)
{
	for (size_t i = 0; s->managed && i < s->managed->count; i++)
		if (strcmp(s->managed->entries[i].file, name) == 0) {
			*out = s->managed->entries[i].pin;
			return true;
		}
	return sf->data && pin_of_pem(sf->data, sf->len, out);
}

/* Checks that the update had its effect: the managed roots less the retired,
 * and the added ones, trusted; the retired ones gone. Remembers a good check
 * in the state directory. */
static enum status check_effect(const struct store *s, const struct store_file *add,
				size_t add_count, const char *const *retire,
				size_t retire_count, const struct saved_file *saved,
				struct error *err)
{
	size_t managed = s->managed ? s->managed->count : 0, nwant = 0, ngone = 0;
	struct store_root *want = calloc(managed + add_count + 1, sizeof(*want));
	struct store_root *gone = calloc(retire_count + 1, sizeof(*gone));
	struct store_effect check = { 0 };
	struct error werr;
	enum status st;

	if (want == NULL || gone == NULL) {
		st = error_set(err, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < managed; i++) {
		const struct manifest_entry *e = &s->managed->entries[i];
		if (!name_listed(retire, retire_count, e->file))
			want[nwant++] = (struct store_root){ e->pin, e->file };
	}
	for (size_t i = 0; i < add_count; i++) {
		struct pin pin;
		if (!pin_of_pem(add[i].pem, add[i].pem_len, &pin)) {
			st = error_set(err, STATUS_INTERNAL, "'%s' holds no certificate",
				       add[i].name);
			goto out;
		}
		if (!store_roots_contain(want, nwant, &pin))
			want[nwant++] = (struct store_root){ pin, add[i].name };
	}
	for (size_t i = 0; i < retire_count; i++)
		if (retired_pin(s, retire[i], &saved[add_count + i], &gone[ngone].pin))
			gone[ngone++].file = retire[i];
	st = store_effect_run(s, want, nwant, gone, ngone, &check, err);
	if (st == STATUS_OK && s->state_dir &&
	    store_effect_save(s->state_dir, &check, &werr) != STATUS_OK)
		log_warn("cannot remember the store check: %s", werr.msg);
out:
	store_effect_free(&check);
	free(want);
	free(gone);
	return st;
}

/* Runs the update command, as after a removal when *fresh or when a killed
 * update left its temporary bundle, and checks its effect. A plain run whose
 * effect is missing is run once more as after a removal: a link a killed
 * update never made stays unmade by plain runs (the tool sees nothing new).
 * *fresh tells how the command last ran; *output is what it printed. */
static enum status update_checked(struct store *s, const struct store_file *add,
				  size_t add_count, const char *const *retire,
				  size_t retire_count, const struct saved_file *saved, bool *fresh,
				  char **output, struct error *err)
{
	enum status st;

	if (remove_leftover(s) && !*fresh) {
		log_notice("an earlier update was interrupted: rebuilding every link");
		*fresh = true;
	}
	st = store_run_update(s, *fresh, output, err);
	if (st == STATUS_OK)
		st = check_effect(s, add, add_count, retire, retire_count, saved, err);
	if (st != STATUS_STORE || *fresh || s->backend->fresh_arg == NULL)
		return st;
	log_notice("%s; rebuilding every link (%s %s)", err->msg, s->backend->update,
		   s->backend->fresh_arg);
	free(*output);
	*output = NULL;
	*fresh = true;
	st = store_run_update(s, true, output, err);
	if (st == STATUS_OK)
		st = check_effect(s, add, add_count, retire, retire_count, saved, err);
	return st;
}

/* store_apply and store_repair: the change, the update (with the fresh
 * argument when fresh), its effect checked, and the rollback. */
static enum status apply_change(struct store *s, const struct store_file *add, size_t add_count,
				const char *const *retire, size_t retire_count, bool fresh,
				bool reclaim, struct error *err)
{
	size_t count = add_count + retire_count;
	struct saved_file *saved = calloc(count ? count : 1, sizeof(*saved));
	struct linkset links = { 0 };
	bool have_links = false;
	char *output = NULL;
	enum status st;

	s->rollback_incomplete = false;
	if (saved == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	st = save_previous(s, add, add_count, retire, count, reclaim, saved, err);
	if (st != STATUS_OK)
		goto out;	/* nothing written yet */
	store_sweep(s);
	have_links = s->links_dir && linkset_take(&links, s->links_dir);
	st = write_changes(add, add_count, count, saved, err);
	if (!dir_sync(s->anchors_dir) && errno != ENOENT && st == STATUS_OK)
		st = error_set(err, STATUS_IO, "cannot sync '%s': %s", s->anchors_dir,
			       strerror(errno));
	if (st == STATUS_OK)
		st = update_checked(s, add, add_count, retire, retire_count, saved, &fresh, &output,
				    err);
	if (st != STATUS_OK) {
		char reason[sizeof(err->msg)], notes[1024];

		memcpy(reason, err->msg, sizeof(reason));
		s->rollback_incomplete = !store_rollback(s, saved, count, fresh,
							 have_links ? &links : NULL, notes,
							 sizeof(notes));
		st = update_failed(err, reason, notes, output);
	}
out:
	linkset_free(&links);
	free(output);
	saved_free(saved, count);
	return st;
}

enum status store_apply(struct store *s, const struct store_file *add, size_t add_count,
			const char *const *retire, size_t retire_count, bool settle,
			struct error *err)
{
	return apply_change(s, add, add_count, retire, retire_count, retire_count > 0 || settle,
			    false, err);
}

enum status store_repair(struct store *s, const struct store_file *files, size_t count,
			 struct error *err)
{
	return apply_change(s, files, count, NULL, 0, true, true, err);
}
