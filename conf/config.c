/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app_config.h"
#include "backends.h"
#include "fileio.h"
#include "parse.h"

/* The longest configuration file and line read. A longer line is an error, not
 * split: inih would read its tail as a line of its own. */
#define CONFIG_MAX_SIZE (1024 * 1024)
#define CONFIG_MAX_LINE 8192
#define CONFIG_MAX_LINE_TEXT "8192"

/* What the inih handler carries between calls: the config being filled, and the
 * first error (ini_parse reports only its line number). */
struct parse_state {
	struct config *cfg;
	char first_error[512];
	bool failed;
	bool seen[32];		/* per entry of keys[]: a one-value key was set */
};

void config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->state_dir = strdup(STATEDIR);
	cfg->user = strdup(CONFIG_DEFAULT_USER);
	cfg->splay = 300;
	cfg->lock_wait = 600;
	cfg->hook_timeout = 300;
	cfg->source_timeout = 30;
	cfg->max_size = 1024 * 1024;
	cfg->signer_purpose = strdup("1.3.6.1.5.5.7.3.3");	/* codeSigning */
	cfg->backend = strdup("auto");
	cfg->warn_days = 30;
	cfg->delivery_timeout = 30;
	cfg->delivery_interval = 86400;
	cfg->delivery_warn_days = 21;
}

/* Replaces *slot with a copy of value; an empty value clears it. */
static bool set_string(char **slot, const char *value, char *why, size_t whylen)
{
	char *copy = NULL;

	if (*value != '\0' && (copy = strdup(value)) == NULL) {
		snprintf(why, whylen, "out of memory");
		return false;
	}
	free(*slot);
	*slot = copy;
	return true;
}

static bool set_uint(unsigned *slot, const char *value, unsigned long min, unsigned long max,
		     char *why, size_t whylen)
{
	unsigned long long v;

	if (!parse_uint(value, min, max, &v)) {
		snprintf(why, whylen, "'%s' is not a whole number from %lu to %lu", value, min, max);
		return false;
	}
	*slot = (unsigned)v;
	return true;
}

static bool set_bool(bool *slot, const char *value, char *why, size_t whylen)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(value, yes[i]) == 0)
			return *slot = true, true;
		if (strcasecmp(value, no[i]) == 0)
			return *slot = false, true;
	}
	snprintf(why, whylen, "'%s' is not yes or no", value);
	return false;
}

static bool set_absolute_path(char **slot, const char *value, char *why, size_t whylen)
{
	if (*value != '\0' && *value != '/') {
		snprintf(why, whylen, "'%s' is not an absolute path", value);
		return false;
	}
	return set_string(slot, value, why, whylen);
}

static bool add_item(struct strlist *list, const char *value, char *why, size_t whylen)
{
	if (*value == '\0') {
		snprintf(why, whylen, "empty value");
		return false;
	}
	if (!strlist_add(list, value)) {
		snprintf(why, whylen, "out of memory");
		return false;
	}
	return true;
}

/* A url: https://HOST..., http://HOST... or file:///PATH, without spaces or
 * control characters (libcurl would fail on them only at fetch time). */
static bool add_url(struct config *c, const char *v, char *why, size_t n)
{
	static const char *schemes[] = { "https://", "http://", "file:///" };
	const char *rest = NULL;

	for (size_t i = 0; i < 3 && rest == NULL; i++)
		if (strncasecmp(v, schemes[i], strlen(schemes[i])) == 0)
			rest = v + strlen(schemes[i]);
	if (rest == NULL) {
		snprintf(why, n, "url '%s' is not https://, http:// or file:///", v);
		return false;
	}
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p == 0x7f) {
			snprintf(why, n, "url '%s' contains a space or control character", v);
			return false;
		}
	if (*rest == '\0' || *rest == '/' || *rest == ':' || *rest == '?' || *rest == '#') {
		snprintf(why, n, "url '%s' has no %s", v, rest[-1] == '/' && rest[-2] == '/' &&
			 rest[-3] == '/' ? "path" : "host");
		return false;
	}
	return add_item(&c->urls, v, why, n);
}

static bool add_pin(struct config *c, const char *v, char *why, size_t n)
{
	struct pin pin;
	struct pin *pins;

	if (!pin_parse(v, &pin)) {
		snprintf(why, n, "malformed pin '%s' (want sha256: and 64 hex digits)", v);
		return false;
	}
	pins = realloc(c->pins, (c->pin_count + 1) * sizeof(*pins));
	if (pins == NULL) {
		snprintf(why, n, "out of memory");
		return false;
	}
	c->pins = pins;
	c->pins[c->pin_count++] = pin;
	return true;
}

/* Bytes, with an optional K or M suffix (powers of 1024). */
static bool set_max_size(struct config *c, const char *v, char *why, size_t n)
{
	char digits[32];
	size_t len = strlen(v);
	unsigned long long mult = 1, value;

	if (len > 0 && len < sizeof(digits) && strchr("kKmM", v[len - 1])) {
		mult = strchr("kK", v[len - 1]) ? 1024 : 1024 * 1024;
		len--;
	}
	if (len == 0 || len >= sizeof(digits)) {
		snprintf(why, n, "'%s' is not a size (bytes, or with K or M)", v);
		return false;
	}
	memcpy(digits, v, len);
	digits[len] = '\0';
	if (!parse_uint(digits, 0, 64ULL * 1024 * 1024 / mult, &value)) {
		snprintf(why, n, "'%s' is not a size (bytes, or with K or M, up to 64M)", v);
		return false;
	}
	if (value == 0) {
		snprintf(why, n, "max_size must be more than 0");
		return false;
	}
	c->max_size = (size_t)(value * mult);
	return true;
}

static bool set_backend(struct config *c, const char *v, char *why, size_t n)
{
	if (strcmp(v, "auto") != 0 && !backend_known(v)) {
		snprintf(why, n, "unknown backend '%s' (auto, %s)", v, backend_names());
		return false;
	}
	return set_string(&c->backend, v, why, n);
}

/* A duration into *out: seconds, or a number with s, m, h or d, from min
 * seconds to ten years. */
static bool set_duration(unsigned *out, const char *v, unsigned min, char *why, size_t n)
{
	static const struct { char suffix; unsigned long mult; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	char digits[32];
	size_t len = strlen(v);
	unsigned long long mult = 1, value;

	for (size_t i = 0; len > 0 && i < sizeof(units) / sizeof(units[0]); i++)
		if (v[len - 1] == units[i].suffix) {
			mult = units[i].mult;
			len--;
			break;
		}
	if (len == 0 || len >= sizeof(digits) || strspn(v, "0123456789") != len) {
		snprintf(why, n, "'%s' is not a duration (seconds, or a number with s, m, h or d)", v);
		return false;
	}
	memcpy(digits, v, len);
	digits[len] = '\0';
	if (!parse_uint(digits, 0, 3650ULL * 86400 / mult, &value)) {
		snprintf(why, n, "'%s' is not a duration of at most ten years", v);
		return false;
	}
	if (value != 0 && value * mult < min) {
		snprintf(why, n, "'%s' is shorter than %u seconds", v, min);
		return false;
	}
	*out = (unsigned)(value * mult);
	return true;
}

static bool set_hold_down(struct config *c, const char *v, char *why, size_t n)
{
	return set_duration(&c->hold_down, v, 0, why, n);
}

/* 0 checks only after a change; any other value is at least a second. */
static bool set_delivery_interval(struct config *c, const char *v, char *why, size_t n)
{
	return set_duration(&c->delivery_interval, v, 1, why, n);
}

/* An object identifier in dotted decimal, e.g. 1.3.6.1.5.5.7.3.3. */
static bool set_signer_purpose(struct config *c, const char *v, char *why, size_t n)
{
	size_t dots = 0;
	bool ok = *v >= '0' && *v <= '9';

	for (const char *p = v; ok && *p; p++) {
		if (*p == '.') {
			dots++;
			ok = p[1] >= '0' && p[1] <= '9';
		} else {
			ok = *p >= '0' && *p <= '9';
		}
	}
	if (!ok || dots == 0) {
		snprintf(why, n, "signer_purpose '%s' is not an OID (dotted numbers, e.g. "
			 "1.3.6.1.5.5.7.3.3)", v);
		return false;
	}
	return set_string(&c->signer_purpose, v, why, n);
}

/* A user name for the unprivileged side: a portable name (letters, digits,
 * '.', '_', '-', not starting with '-'), never root. */
static bool set_user(struct config *c, const char *v, char *why, size_t n)
{
	size_t len = strlen(v);

	if (len == 0 || len > 32 || v[0] == '-' || strspn(v, "abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != len) {
		snprintf(why, n, "user '%s' is not a user name", v);
		return false;
	}
	if (strcmp(v, "root") == 0) {
		snprintf(why, n, "user '%s' must be an unprivileged user: it runs what reads "
			 "the network", v);
		return false;
	}
	return set_string(&c->user, v, why, n);
}

/* How a key's value is read, and where it goes. */
enum key_kind {
	KEY_STRING,		/* any text; empty clears */
	KEY_PATH,		/* an absolute path; empty clears */
	KEY_DIR,		/* an absolute path, never empty */
	KEY_UINT,		/* 0 to max */
	KEY_SECONDS,		/* 1 to max */
	KEY_BOOL,
	KEY_LIST,		/* repeatable, appends */
	KEY_CUSTOM,
};

struct key {
	const char *section;
	const char *name;
	enum key_kind kind;
	size_t offset;		/* of the field in struct config */
	unsigned long max;	/* KEY_UINT, KEY_SECONDS */
	bool (*custom)(struct config *cfg, const char *value, char *why, size_t whylen);
};

#define FIELD(f) offsetof(struct config, f)
#define KEY_COUNT (sizeof(keys) / sizeof(keys[0]))

static const struct key keys[] = {
	{ "agent", "state_dir", KEY_DIR, FIELD(state_dir), 0, NULL },
	{ "agent", "splay", KEY_UINT, FIELD(splay), 86400, NULL },
	{ "agent", "lock_wait", KEY_UINT, FIELD(lock_wait), 86400, NULL },
	{ "agent", "on_change", KEY_STRING, FIELD(on_change), 0, NULL },
	{ "agent", "hook_timeout", KEY_SECONDS, FIELD(hook_timeout), 86400, NULL },
	{ "agent", "metrics_file", KEY_PATH, FIELD(metrics_file), 0, NULL },
	{ "agent", "user", KEY_CUSTOM, 0, 0, set_user },
	{ "source", "url", KEY_CUSTOM, 0, 0, add_url },
	{ "source", "pin", KEY_CUSTOM, 0, 0, add_pin },
	{ "source", "ca_file", KEY_PATH, FIELD(source_ca_file), 0, NULL },
	{ "source", "timeout", KEY_SECONDS, FIELD(source_timeout), 3600, NULL },
	{ "source", "max_size", KEY_CUSTOM, 0, 0, set_max_size },
	{ "store", "backend", KEY_CUSTOM, 0, 0, set_backend },
	{ "store", "root", KEY_PATH, FIELD(root), 0, NULL },
	{ "store", "warn_days", KEY_UINT, FIELD(warn_days), 3650, NULL },
	{ "delivery", "target", KEY_LIST, FIELD(targets), 0, NULL },
	{ "delivery", "resolve", KEY_LIST, FIELD(resolve), 0, NULL },
	{ "delivery", "helo", KEY_STRING, FIELD(helo), 0, NULL },
	{ "delivery", "from", KEY_STRING, FIELD(from), 0, NULL },
	{ "delivery", "to", KEY_STRING, FIELD(to), 0, NULL },
	{ "delivery", "ca_file", KEY_PATH, FIELD(delivery_ca_file), 0, NULL },
	{ "delivery", "send", KEY_BOOL, FIELD(send), 0, NULL },
	{ "delivery", "allow_cn", KEY_BOOL, FIELD(allow_cn), 0, NULL },
	{ "delivery", "timeout", KEY_SECONDS, FIELD(delivery_timeout), 3600, NULL },
	{ "delivery", "nameserver", KEY_STRING, FIELD(nameserver), 0, NULL },
	{ "delivery", "interval", KEY_CUSTOM, 0, 0, set_delivery_interval },
	{ "delivery", "warn_days", KEY_UINT, FIELD(delivery_warn_days), 3650, NULL },
	{ "source", "require_signature", KEY_BOOL, FIELD(require_signature), 0, NULL },
	{ "source", "signer_purpose", KEY_CUSTOM, 0, 0, set_signer_purpose },
	{ "source", "hold_down", KEY_CUSTOM, 0, 0, set_hold_down },
};

static bool set_value(struct config *cfg, const struct key *key, const char *value,
		      char *why, size_t n)
{
	void *field = (char *)cfg + key->offset;

	switch (key->kind) {
	case KEY_STRING:
		return set_string(field, value, why, n);
	case KEY_DIR:
		if (*value == '\0') {
			snprintf(why, n, "%s must not be empty", key->name);
			return false;
		}
		/* fall through */
	case KEY_PATH:
		return set_absolute_path(field, value, why, n);
	case KEY_SECONDS:
		if (strcmp(value, "0") == 0) {
			snprintf(why, n, "%s must be at least 1 second", key->name);
			return false;
		}
		return set_uint(field, value, 1, key->max, why, n);
	case KEY_UINT:
		return set_uint(field, value, 0, key->max, why, n);
	case KEY_BOOL:
		return set_bool(field, value, why, n);
	case KEY_LIST:
		return add_item(field, value, why, n);
	case KEY_CUSTOM:
		return key->custom(cfg, value, why, n);
	}
	return false;
}

_Static_assert(KEY_COUNT <= sizeof(((struct parse_state *)0)->seen),
	       "parse_state.seen has a slot per key");

static bool section_known(const char *section)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].section, section) == 0)
			return true;
	return false;
}

/* Whether key takes one value (url, pin, target and resolve repeat). */
static bool key_is_single(const struct key *key)
{
	return key->kind != KEY_LIST && key->custom != add_url && key->custom != add_pin;
}

/* inih calls this once per key; returning 0 makes ini_parse report the line. */
static int config_handler(void *user, const char *section, const char *name,
			  const char *value)
{
	struct parse_state *ps = user;
	char why[sizeof(ps->first_error)];

	if (strncmp(section, APP_SECTION, strlen(APP_SECTION)) == 0) {
		if (app_config_key(ps->cfg, section, name, value, why, sizeof(why)))
			return 1;
		goto fail;
	}
	if (!section_known(section)) {
		snprintf(why, sizeof(why), "unknown section [%s]", section);
		goto fail;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(keys[i].section, section) != 0 || strcmp(keys[i].name, name) != 0)
			continue;
		if (key_is_single(&keys[i]) && ps->seen[i]) {
			snprintf(why, sizeof(why), "'%s' is given twice in [%s]; it takes one value",
				 name, section);
			goto fail;
		}
		ps->seen[i] = true;
		if (set_value(ps->cfg, &keys[i], value, why, sizeof(why)))
			return 1;
		goto fail;
	}
	snprintf(why, sizeof(why), "unknown key '%s' in [%s]", name, section);
fail:
	snprintf(ps->first_error, sizeof(ps->first_error), "%s", why);
	ps->failed = true;
	return 0;
}

/* Finds the first line of text that inih would misread: one holding a NUL
 * byte or longer than CONFIG_MAX_LINE. Returns its number, or 0. */
static int bad_line(const char *text, size_t len, const char **why)
{
	int line = 1;
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] == '\0') {
			*why = "holds a NUL byte";
			return line;
		}
		if (i == len || text[i] == '\n') {
			if (i - start > CONFIG_MAX_LINE) {
				*why = "is longer than " CONFIG_MAX_LINE_TEXT " bytes";
				return line;
			}
			line++;
			start = i + 1;
		}
	}
	return 0;
}

enum status config_load_text(struct config *cfg, const char *name, const char *text,
			     size_t len, struct error *err)
{
	struct parse_state ps = { .cfg = cfg };
	const char *why = NULL;
	int line = bad_line(text, len, &why);

	if (line > 0)
		return error_set(err, STATUS_CONFIG, "%s:%d: line %s", name, line, why);
	ini_use_stack = false;
	ini_allow_realloc = true;
	ini_allow_multiline = false;
	/* Comments are whole lines: a value such as an on_change command keeps its ';'. */
	ini_allow_inline_comments = false;
	ini_max_line = CONFIG_MAX_LINE + 3;	/* CR, LF and NUL */
	ini_stop_on_first_error = true;
	line = ini_parse_string(text, config_handler, &ps);
	if (line == -2)
		return error_set(err, STATUS_CONFIG, "%s: out of memory", name);
	if (line > 0 && ps.failed)
		return error_set(err, STATUS_CONFIG, "%s:%d: %s", name, line, ps.first_error);
	if (line != 0)
		return error_set(err, STATUS_CONFIG, "%s:%d: syntax error (want [section] or key = value)",
				 name, line);
	return app_config_finish(cfg, name, err);
}

enum status config_load(struct config *cfg, const char *path, struct error *err)
{
	char *text = NULL;
	size_t len = 0;
	enum status st;

	free(cfg->path);
	cfg->path = strdup(path);
	st = file_read(path, CONFIG_MAX_SIZE, &text, &len, NULL, err);
	if (st == STATUS_IO)
		st = STATUS_CONFIG;
	if (st == STATUS_OK)
		st = config_load_text(cfg, path, text, len, err);
	if (err)
		err->status = st;
	free(text);
	return st;
}

enum status config_require_source(const struct config *cfg, struct error *err)
{
	const char *path = cfg->path ? cfg->path : "configuration";

	if (cfg->urls.count == 0)
		return error_set(err, STATUS_CONFIG, "%s: no url in [source]", path);
	if (cfg->pin_count == 0)
		return error_set(err, STATUS_CONFIG, "%s: no pin in [source]", path);
	return STATUS_OK;
}

void config_free(struct config *cfg)
{
	free(cfg->path);
	free(cfg->state_dir);
	free(cfg->on_change);
	free(cfg->metrics_file);
	free(cfg->user);
	strlist_free(&cfg->urls);
	free(cfg->pins);
	free(cfg->source_ca_file);
	free(cfg->signer_purpose);
	free(cfg->backend);
	free(cfg->root);
	strlist_free(&cfg->targets);
	strlist_free(&cfg->resolve);
	free(cfg->helo);
	free(cfg->from);
	free(cfg->to);
	free(cfg->delivery_ca_file);
	free(cfg->nameserver);
	app_config_free(cfg);
	memset(cfg, 0, sizeof(*cfg));
}
