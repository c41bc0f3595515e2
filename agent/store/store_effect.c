/* SPDX-License-Identifier: MIT */
#include "store_effect.h"

#include <dirent.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "kvfile.h"
#include "log.h"
#include "parse.h"
#include "state_files.h"
#include "store_source.h"
#include "textbuf.h"

#define BUNDLE_MAX (64 * 1024 * 1024)
#define LINK_DEPTH 16

/* The pins of the bundle's certificates, sorted. */
struct pin_list {
	struct pin *items;
	size_t count;
};

/* One symbolic link of the link directory. */
struct link_entry {
	char *name;
	char *target;		/* what readlink says */
	bool hash;		/* named like `openssl rehash` names: 8 hex digits, '.', a number */
	bool resolves;		/* the chain ends at an existing file ... */
	dev_t dev;		/* ... this one */
	ino_t ino;
};

struct link_list {
	struct link_entry *items;
	size_t count;
};

static int pin_compare(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct pin));
}

/* Fills out with the pin of every certificate in text, sorted; *bad counts
 * blocks that do not decode. False when out of memory. */
static bool bundle_pins(const char *text, struct pin_list *out, size_t *bad)
{
	size_t cap = 0, len = strlen(text), at = 0;
	gnutls_datum_t der;
	enum pem_found found;

	*bad = 0;
	while ((found = pem_next_der(text, len, &at, &der)) != PEM_NONE) {
		if (found == PEM_UNREADABLE) {
			(*bad)++;
			continue;
		}
		if (out->count == cap) {
			struct pin *grown = realloc(out->items, (cap ? 2 * cap : 256) * sizeof(*grown));
			if (grown == NULL) {
				gnutls_free(der.data);
				return false;
			}
			out->items = grown;
			cap = cap ? 2 * cap : 256;
		}
		pin_of_der(der.data, der.size, &out->items[out->count++]);
		gnutls_free(der.data);
	}
	if (out->count > 0)
		qsort(out->items, out->count, sizeof(*out->items), pin_compare);
	return true;
}

static size_t pin_occurrences(const struct pin_list *l, const struct pin *pin)
{
	size_t n = 0;

	for (size_t i = 0; i < l->count; i++)
		n += pin_equal(&l->items[i], pin);
	return n;
}

static size_t pin_duplicates(const struct pin_list *l)
{
	size_t n = 0;

	for (size_t i = 1; i < l->count; i++)
		n += pin_equal(&l->items[i - 1], &l->items[i]);
	return n;
}

/* Follows the symbolic link at path the way a program inside the tree at root
 * would see it: an absolute target lies under root, unless it already names a
 * path under root (what the host's tool writes when told the tree's
 * directories). Fills *sb with the file the chain ends at. */
static bool link_resolve(const char *root, const char *path, struct stat *sb)
{
	char cur[PATH_MAX], target[PATH_MAX], next[PATH_MAX];
	size_t rootlen = root ? strlen(root) : 0;
	bool fits;

	while (rootlen > 0 && root[rootlen - 1] == '/')
		rootlen--;
	if (!textbuf_printf(cur, sizeof(cur), "%s", path))
		return false;
	for (int depth = 0; depth < LINK_DEPTH; depth++) {
		ssize_t n;
		if (lstat(cur, sb) < 0)
			return false;
		if (!S_ISLNK(sb->st_mode))
			return true;
		n = readlink(cur, target, sizeof(target) - 1);
		if (n < 0)
			return false;
		target[n] = '\0';
		if (target[0] != '/')
			fits = textbuf_printf(next, sizeof(next), "%.*s/%s",
					      (int)(strrchr(cur, '/') - cur), cur, target);
		else if (rootlen == 0 ||
			 (strncmp(target, root, rootlen) == 0 && target[rootlen] == '/'))
			fits = textbuf_printf(next, sizeof(next), "%s", target);
		else
			fits = textbuf_printf(next, sizeof(next), "%.*s%s", (int)rootlen, root, target);
		if (!fits)
			return false;	/* longer than a path can be: not followed */
		memcpy(cur, next, sizeof(cur));
	}
	return false;
}

static bool is_hash_name(const char *name)
{
	size_t i = 0;

	while (i < 8 && ((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
		i++;
	if (i != 8 || name[8] != '.' || name[9] == '\0')
		return false;
	for (i = 9; name[i]; i++)
		if (name[i] < '0' || name[i] > '9')
			return false;
	return true;
}

static void links_free(struct link_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].name);
		free(l->items[i].target);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* Records every symbolic link in dir (a missing dir has none). False when
 * out of memory. */
static bool links_read(const char *root, const char *dir, struct link_list *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;
	bool ok = true;

	if (d == NULL)
		return true;
	while (ok && (de = readdir(d)) != NULL) {
		struct link_entry *e;
		struct stat sb;
		char *path = path_join(dir, de->d_name), target[PATH_MAX];
		ssize_t n;

		if (path == NULL) {
			ok = false;
			break;
		}
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0) {
			free(path);
			continue;	/* not a link */
		}
		target[n] = '\0';
		if (out->count == cap) {
			struct link_entry *grown = realloc(out->items,
							   (cap ? 2 * cap : 64) * sizeof(*grown));
			if (grown == NULL) {
				free(path);
				ok = false;
				break;
			}
			out->items = grown;
			cap = cap ? 2 * cap : 64;
		}
		e = &out->items[out->count++];
		memset(e, 0, sizeof(*e));
		e->name = strdup(de->d_name);
		e->target = strdup(target);
		e->hash = is_hash_name(de->d_name);
		e->resolves = link_resolve(root, path, &sb);
		e->dev = sb.st_dev;
		e->ino = sb.st_ino;
		ok = e->name && e->target;
		free(path);
	}
	closedir(d);
	return ok;
}

/* The name Debian's update-ca-certificates gives the link to an anchor file:
 * its name without the suffix, spaces and commas as '_', parentheses as '=',
 * then ".pem". */
static void link_name(const struct store *s, const char *file, char *out, size_t outlen)
{
	size_t n = strlen(file), suffix = strlen(s->backend->suffix);

	if (n >= suffix && strcmp(file + n - suffix, s->backend->suffix) == 0)
		n -= suffix;
	snprintf(out, outlen, "%.*s.pem", (int)n, file);
	for (char *p = out; *p; p++)
		if (*p == ' ' || *p == ',')
			*p = '_';
		else if (*p == '(' || *p == ')')
			*p = '=';
}

static const struct link_entry *link_find(const struct link_list *l, const char *name)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return &l->items[i];
	return NULL;
}

/* Why a wanted root's links are wrong, into why; false when they are right. */
static bool links_problem(const struct store *s, const char *links_dir,
			  const struct link_list *links, const char *file, char *why,
			  size_t whylen)
{
	char name[NAME_MAX + 1], *path = path_join(s->anchors_dir, file);
	const struct link_entry *e;
	struct stat sb;
	bool hashed = false, bad = true;

	link_name(s, file, name, sizeof(name));
	if (path == NULL || stat(path, &sb) < 0) {
		snprintf(why, whylen, "its file '%s' is missing", path ? path : file);
		goto out;
	}
	e = link_find(links, name);
	if (e == NULL || !e->resolves || e->dev != sb.st_dev || e->ino != sb.st_ino) {
		snprintf(why, whylen, "'%s/%s' %s", links_dir, name,
			 e == NULL ? "is missing" : "does not lead to it");
		goto out;
	}
	for (size_t i = 0; i < links->count && !hashed; i++)
		hashed = links->items[i].hash && links->items[i].resolves &&
			 links->items[i].dev == sb.st_dev && links->items[i].ino == sb.st_ino;
	if (!hashed) {
		snprintf(why, whylen, "no hash link in '%s' leads to it", links_dir);
		goto out;
	}
	bad = false;
out:
	free(path);
	return bad;
}

/* Why a retired root is still linked, into why; false when it is not. */
static bool links_left(const struct store *s, const char *links_dir,
		       const struct link_list *links, const char *file, char *why,
		       size_t whylen)
{
	char name[NAME_MAX + 1];

	link_name(s, file, name, sizeof(name));
	for (size_t i = 0; i < links->count; i++) {
		const char *t = links->items[i].target, *base = strrchr(t, '/');
		base = base ? base + 1 : t;
		if (strcmp(links->items[i].name, name) == 0 || strcmp(base, name) == 0 ||
		    strcmp(base, file) == 0) {
			snprintf(why, whylen, "'%s/%s' still links to it", links_dir,
				 links->items[i].name);
			return true;
		}
	}
	return false;
}

static void take_one(const char *path, unsigned long long out[4])
{
	struct stat sb;

	memset(out, 0, 4 * sizeof(out[0]));
	if (path == NULL || stat(path, &sb) < 0)
		return;
	out[0] = (unsigned long long)sb.st_dev;
	out[1] = (unsigned long long)sb.st_ino;
	out[2] = (unsigned long long)sb.st_size;
	out[3] = (unsigned long long)sb.st_mtim.tv_sec * 1000000000ULL +
		 (unsigned long long)sb.st_mtim.tv_nsec;
}

void store_stamp_take(const struct store *s, struct store_stamp *out)
{
	take_one(s->bundle_path, out->bundle);
	take_one(s->links_dir, out->links);
}

/* The store's contents as one check reads them. */
struct store_view {
	char *bundle;			/* NULL: unreadable, why in bundle_error */
	char bundle_error[ERROR_MSG_SIZE];
	struct pin_list pins;
	char *links_dir;		/* NULL: the backend's tool links no anchors */
	struct link_list links;
};

static void view_free(struct store_view *v)
{
	free(v->bundle);
	free(v->pins.items);
	free(v->links_dir);
	links_free(&v->links);
}

static bool view_read(const struct store *s, struct store_view *v)
{
	struct error err;
	size_t len, bad = 0;

	memset(v, 0, sizeof(*v));
	if (file_read(s->bundle_path, BUNDLE_MAX, &v->bundle, &len, NULL, &err) != STATUS_OK) {
		v->bundle = NULL;
		snprintf(v->bundle_error, sizeof(v->bundle_error), "%s", err.msg);
	} else if (!bundle_pins(v->bundle, &v->pins, &bad)) {
		return false;
	}
	if (bad > 0)
		log_warn("'%s' holds %zu certificate%s that do not decode", s->bundle_path, bad,
			 bad == 1 ? "" : "s");
	if (s->backend->links_anchors) {
		v->links_dir = s->links_dir ? strdup(s->links_dir) : NULL;
		if (v->links_dir == NULL || !links_read(s->root, v->links_dir, &v->links))
			return false;
	}
	return true;
}

/* Why a wanted root's own anchor file does not hold exactly that root, into
 * what; false when it does or is not there (a missing file is judged by the
 * bundle and the links). Someone may have overwritten it: the store would
 * trust what it holds at the next update. */
static bool file_problem(const struct store *s, const struct store_root *r, char *what,
			 size_t whatlen)
{
	char *path = path_join(s->anchors_dir, r->file ? r->file : ""), *text = NULL;
	char pin[PIN_TEXT_SIZE];
	struct pin_list pins = { NULL, 0 };
	struct stat sb;
	size_t len, bad = 0;
	bool problem = true;

	if (path == NULL || r->file == NULL || r->file[0] == '\0' || lstat(path, &sb) < 0) {
		problem = false;
	} else if (!S_ISREG(sb.st_mode)) {
		snprintf(what, whatlen, "its file '%s' is not a regular file", path);
	} else if (file_read(path, 1024 * 1024, &text, &len, NULL, NULL) != STATUS_OK ||
		   !bundle_pins(text, &pins, &bad)) {
		snprintf(what, whatlen, "its file '%s' cannot be read", path);
	} else if (pins.count == 1 && bad == 0 && pin_equal(&pins.items[0], &r->pin)) {
		problem = false;
	} else if (pins.count == 1 && bad == 0) {
		pin_format(&pins.items[0], pin);
		snprintf(what, whatlen, "its file '%s' holds another certificate (%s)", path, pin);
	} else {
		snprintf(what, whatlen, "its file '%s' holds %zu certificates, not just this root",
			 path, pins.count + bad);
	}
	free(pins.items);
	free(text);
	free(path);
	return problem;
}

/* Judges one wanted root against the view; why gets the problem. */
static bool judge_wanted(const struct store *s, const struct store_view *v,
			 const struct store_root *r, char *why, size_t whylen)
{
	char pin[PIN_TEXT_SIZE], what[1024];

	pin_format(&r->pin, pin);
	if (file_problem(s, r, what, sizeof(what)))
		;
	else if (v->bundle == NULL)
		textbuf_message(what, sizeof(what), "the bundle is unreadable: %s", v->bundle_error);
	else if (pin_occurrences(&v->pins, &r->pin) == 0)
		snprintf(what, sizeof(what), "it is missing from '%s'", s->bundle_path);
	else if (!v->links_dir || !links_problem(s, v->links_dir, &v->links, r->file, what,
						 sizeof(what)))
		return true;
	snprintf(why, whylen, "root %s (%s) is not trusted: %s", pin, r->file, what);
	return false;
}

/* Notes that r, retired, is still trusted through file. False when out of
 * memory. */
static bool add_foreign(struct store_effect *out, const struct pin *pin, const char *ours,
			const char *file)
{
	struct store_foreign *grown = realloc(out->foreign,
					      (out->foreign_count + 1) * sizeof(*grown));

	if (grown == NULL)
		return false;
	out->foreign = grown;
	grown += out->foreign_count;
	grown->pin = *pin;
	grown->ours = strdup(ours ? ours : "");
	grown->file = strdup(file);
	if (grown->ours == NULL || grown->file == NULL) {
		free(grown->ours);
		free(grown->file);
		return false;
	}
	out->foreign_count++;
	return true;
}

/* Judges one retired root against the view; why gets the problem. Still in
 * the bundle through a file that is not anchorsync's, it is listed in out
 * instead: that file is the administrator's to remove. */
static bool judge_gone(const struct store *s, const struct store_view *v,
		       const struct store_root *r, struct store_effect *out, char *why,
		       size_t whylen)
{
	char pin[PIN_TEXT_SIZE], what[1024], source[4096];

	pin_format(&r->pin, pin);
	if (v->bundle && pin_occurrences(&v->pins, &r->pin) > 0 &&
	    store_source_find(s, &r->pin, r->file, source, sizeof(source)) &&
	    add_foreign(out, &r->pin, r->file, source))
		return true;
	if (v->bundle && pin_occurrences(&v->pins, &r->pin) > 0)
		snprintf(what, sizeof(what), "it is still in '%s'", s->bundle_path);
	else if (!v->links_dir || !links_left(s, v->links_dir, &v->links, r->file, what,
					      sizeof(what)))
		return true;
	snprintf(why, whylen, "retired root %s (%s) is still trusted: %s", pin, r->file, what);
	return false;
}

bool store_roots_contain(const struct store_root *roots, size_t count, const struct pin *pin)
{
	for (size_t i = 0; i < count; i++)
		if (pin_equal(&roots[i].pin, pin))
			return true;
	return false;
}

/* Judges again, as gone, the retired roots the last check found trusted
 * through others' files (and that are neither wanted nor retired now).
 * Returns how many are a problem; the first one's why goes to first (when
 * not NULL). */
static size_t judge_still_foreign(const struct store *s, const struct store_view *v,
				  const struct store_root *want, size_t want_count,
				  const struct store_root *gone, size_t gone_count,
				  struct store_effect *out, char *first, size_t firstlen)
{
	struct store_effect last;
	char why[2048];
	size_t problems = 0;

	if (s->state_dir == NULL)
		return 0;
	if (store_effect_load(s->state_dir, &last, NULL) != STATUS_OK) {
		store_effect_free(&last);
		return 0;
	}
	for (size_t i = 0; i < last.foreign_count; i++) {
		struct store_root r = { last.foreign[i].pin, last.foreign[i].ours };

		if (store_roots_contain(want, want_count, &r.pin) ||
		    store_roots_contain(gone, gone_count, &r.pin) ||
		    judge_gone(s, v, &r, out, why, sizeof(why)))
			continue;
		if (problems++ == 0 && first)
			snprintf(first, firstlen, "%s", why);
	}
	store_effect_free(&last);
	return problems;
}

enum status store_effect_run(const struct store *s, const struct store_root *want,
			    size_t want_count, const struct store_root *gone,
			    size_t gone_count, struct store_effect *out, struct error *err)
{
	struct store_view v;
	char why[2048], first[2048] = "";
	size_t problems = 0;
	enum status st = STATUS_OK;

	memset(out, 0, sizeof(*out));
	store_stamp_take(s, &out->stamp);
	out->checked = (long long)time(NULL);
	out->roots = calloc(want_count ? want_count : 1, sizeof(*out->roots));
	if (out->roots == NULL || !view_read(s, &v)) {
		if (out->roots)
			view_free(&v);
		return error_set(err, STATUS_INTERNAL, "out of memory");
	}
	out->duplicates = pin_duplicates(&v.pins);
	if (out->duplicates > 0)
		log_warn("'%s' holds %zu certificate%s more than once", s->bundle_path,
			 out->duplicates, out->duplicates == 1 ? "" : "s");
	for (size_t i = 0; i < want_count; i++) {
		struct store_verdict *verdict = &out->roots[out->count++];
		char *file = path_join(s->anchors_dir, want[i].file ? want[i].file : "");

		verdict->pin = want[i].pin;
		take_one(file, verdict->file);	/* before reading: a later change shows */
		free(file);
		verdict->trusted = judge_wanted(s, &v, &want[i], why, sizeof(why));
		if (verdict->trusted)
			continue;
		for (char *p = why; *p; p++)	/* state lines are single lines */
			if (*p == '\n')
				*p = ' ';
		verdict->why = strdup(why);
		if (problems++ == 0)
			memcpy(first, why, sizeof(first));
	}
	for (size_t i = 0; i < gone_count; i++)
		if (!judge_gone(s, &v, &gone[i], out, why, sizeof(why)) && problems++ == 0)
			memcpy(first, why, sizeof(first));
	problems += judge_still_foreign(s, &v, want, want_count, gone, gone_count, out,
					problems ? NULL : first, sizeof(first));
	out->ok = problems == 0;
	if (problems > 0)
		st = error_set(err, STATUS_STORE, "%s%s", first,
			       problems > 1 ? " (and more: see status)" : "");
	view_free(&v);
	return st;
}

const struct store_verdict *store_effect_find(const struct store_effect *c,
					     const struct pin *pin)
{
	for (size_t i = 0; i < c->count; i++)
		if (pin_equal(&c->roots[i].pin, pin))
			return &c->roots[i];
	return NULL;
}

bool store_effect_current(const struct store_effect *last, const struct store_stamp *now,
			 const struct store_root *want, size_t want_count)
{
	if (!last->ok || last->checked == 0 || last->count != want_count ||
	    memcmp(&last->stamp, now, sizeof(*now)) != 0)
		return false;
	for (size_t i = 0; i < want_count; i++) {
		const struct store_verdict *v = store_effect_find(last, &want[i].pin);
		if (v == NULL || !v->trusted)
			return false;
	}
	return true;
}

bool store_effect_files_current(const struct store *s, const struct store_effect *last,
				const struct store_root *want, size_t want_count)
{
	for (size_t i = 0; i < want_count; i++) {
		const struct store_verdict *v = store_effect_find(last, &want[i].pin);
		char *path = path_join(s->anchors_dir, want[i].file ? want[i].file : "");
		unsigned long long now[4];

		take_one(path, now);
		free(path);
		if (v == NULL || now[1] == 0 || memcmp(now, v->file, sizeof(now)) != 0)
			return false;
	}
	return true;
}

void store_effect_free(struct store_effect *c)
{
	for (size_t i = 0; i < c->count; i++)
		free(c->roots[i].why);
	free(c->roots);
	for (size_t i = 0; i < c->foreign_count; i++) {
		free(c->foreign[i].ours);
		free(c->foreign[i].file);
	}
	free(c->foreign);
	memset(c, 0, sizeof(*c));
}

/* The state file, "key value" lines:
 *     checked <seconds>
 *     bundle <dev> <inode> <size> <mtime ns>
 *     links <dev> <inode> <size> <mtime ns>
 *     ok yes|no
 *     duplicates <n>
 *     trusted sha256:<hex> <dev> <inode> <size> <mtime ns>   (of its anchor file)
 *     untrusted sha256:<hex> <why>
 *     foreign sha256:<hex> <the name anchorsync gave it> <path of the file> */
static void scan_stamp(const char *value, unsigned long long out[4])
{
	if (sscanf(value, "%llu %llu %llu %llu", &out[0], &out[1], &out[2], &out[3]) != 4)
		memset(out, 0, 4 * sizeof(out[0]));
}

static void add_verdict(struct store_effect *c, const char *value, bool trusted)
{
	char pintext[PIN_TEXT_SIZE];
	const char *space = strchr(value, ' ');
	size_t n = space ? (size_t)(space - value) : strlen(value);
	struct store_verdict *grown, *v;
	struct pin pin;

	if (n >= sizeof(pintext))
		return;
	memcpy(pintext, value, n);
	pintext[n] = '\0';
	if (!pin_parse(pintext, &pin))
		return;
	grown = realloc(c->roots, (c->count + 1) * sizeof(*grown));
	if (grown == NULL)
		return;
	c->roots = grown;
	v = &c->roots[c->count++];
	memset(v, 0, sizeof(*v));
	v->pin = pin;
	v->trusted = trusted;
	v->why = trusted ? NULL : strdup(space ? space + 1 : "");
	if (trusted && space)
		scan_stamp(space + 1, v->file);
}

static void scan_foreign(struct store_effect *c, const char *value)
{
	char pintext[PIN_TEXT_SIZE], ours[256];
	struct pin pin;
	int at = 0;

	if (sscanf(value, "%71s %255s %n", pintext, ours, &at) == 2 && at > 0 &&
	    value[at] != '\0' && pin_parse(pintext, &pin))
		add_foreign(c, &pin, ours, value + at);
}

static void on_line(void *user, const char *key, const char *value)
{
	struct store_effect *c = user;
	unsigned long long count;

	if (strcmp(key, "checked") == 0)
		parse_int(value, &c->checked);
	else if (strcmp(key, "bundle") == 0)
		scan_stamp(value, c->stamp.bundle);
	else if (strcmp(key, "links") == 0)
		scan_stamp(value, c->stamp.links);
	else if (strcmp(key, "ok") == 0)
		c->ok = strcmp(value, "yes") == 0;
	else if (strcmp(key, "duplicates") == 0 && parse_uint(value, 0, SIZE_MAX, &count))
		c->duplicates = (size_t)count;
	else if (strcmp(key, "trusted") == 0 || strcmp(key, "untrusted") == 0)
		add_verdict(c, value, key[0] == 't');
	else if (strcmp(key, "foreign") == 0)
		scan_foreign(c, value);
}

enum status store_effect_load(const char *state_dir, struct store_effect *out,
			     struct error *err)
{
	memset(out, 0, sizeof(*out));
	return kvfile_load(state_dir, STATE_STORE_CHECK, on_line, out, NULL, err);
}

static void write_stamp(FILE *f, const char *key, const unsigned long long v[4])
{
	fprintf(f, "%s %llu %llu %llu %llu\n", key, v[0], v[1], v[2], v[3]);
}

enum status store_effect_save(const char *state_dir, const struct store_effect *c,
			     struct error *err)
{
	char *path = path_join(state_dir, STATE_STORE_CHECK), *old = NULL;
	struct file_draft d;
	size_t old_len = 0;
	enum status st = STATUS_OK;

	if (path == NULL || !file_draft_open(&d)) {
		free(path);
		return error_set(err, STATUS_INTERNAL, "out of memory");
	}
	fprintf(d.out, "checked %lld\n", c->checked);
	write_stamp(d.out, "bundle", c->stamp.bundle);
	write_stamp(d.out, "links", c->stamp.links);
	fprintf(d.out, "ok %s\nduplicates %zu\n", c->ok ? "yes" : "no", c->duplicates);
	for (size_t i = 0; i < c->count; i++) {
		char pin[PIN_TEXT_SIZE];
		pin_format(&c->roots[i].pin, pin);
		if (c->roots[i].trusted)
			fprintf(d.out, "trusted %s %llu %llu %llu %llu\n", pin,
				c->roots[i].file[0], c->roots[i].file[1], c->roots[i].file[2],
				c->roots[i].file[3]);
		else	/* one line: the reason never holds a newline */
			fprintf(d.out, "untrusted %s %s\n", pin,
				c->roots[i].why ? c->roots[i].why : "");
	}
	for (size_t i = 0; i < c->foreign_count; i++) {
		char pin[PIN_TEXT_SIZE];
		const struct store_foreign *f = &c->foreign[i];
		if (strchr(f->file, '\n') || strchr(f->ours, ' ') || strchr(f->ours, '\n'))
			continue;	/* not one line: judged again next time */
		pin_format(&f->pin, pin);
		fprintf(d.out, "foreign %s %s %s\n", pin, f->ours[0] ? f->ours : "-", f->file);
	}
	if (fflush(d.out) != 0)
		st = error_set(err, STATUS_INTERNAL, "out of memory");
	else if (file_read(path, BUNDLE_MAX, &old, &old_len, NULL, NULL) == STATUS_OK &&
		 old_len == d.len && memcmp(old, d.text, d.len) == 0) {
		file_draft_discard(&d);
		goto out;	/* unchanged: not rewritten */
	}
	if (st == STATUS_OK)
		st = file_draft_commit(&d, path, 0644, false, err);
	else
		file_draft_discard(&d);
out:
	free(old);
	free(path);
	return st;
}
