#include "config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backends.h"

/* What the inih handler carries between calls: the config being filled, and the
 * first error (ini_parse reports only its line number). */
struct parse_state {
	struct config *cfg;
	char first_error[512];
	bool failed;
};

void config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->state_dir = strdup(STATEDIR);
	cfg->splay = 300;
	cfg->lock_wait = 600;
	cfg->source_timeout = 30;
	cfg->max_size = 1024 * 1024;
	cfg->signer_purpose = strdup("1.3.6.1.5.5.7.3.3");	/* codeSigning */
	cfg->backend = strdup("auto");
	cfg->warn_days = 30;
	cfg->delivery_timeout = 30;
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

static bool parse_uint(const char *value, unsigned long max, unsigned long *out,
		       char *why, size_t whylen)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(value, &end, 10);
	if (*value == '\0' || *value == '-' || *end != '\0' || errno != 0 || v > max) {
		snprintf(why, whylen, "'%s' is not a whole number from 0 to %lu", value, max);
		return false;
	}
	*out = v;
	return true;
}

static bool set_uint(unsigned *slot, const char *value, unsigned long max,
		     char *why, size_t whylen)
{
	unsigned long v;

	if (!parse_uint(value, max, &v, why, whylen))
		return false;
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

static bool add_url(struct config *c, const char *v, char *why, size_t n)
{
	static const char *schemes[] = { "https://", "http://", "file:///" };

	for (size_t i = 0; i < 3; i++)
		if (strncasecmp(v, schemes[i], strlen(schemes[i])) == 0)
			return add_item(&c->urls, v, why, n);
	snprintf(why, n, "url '%s' is not https://, http:// or file:///", v);
	return false;
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
	unsigned long mult = 1, value;

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
	if (!parse_uint(digits, 64UL * 1024 * 1024 / mult, &value, why, n))
		return false;
	if (value == 0) {
		snprintf(why, n, "max_size must be more than 0");
		return false;
	}
	c->max_size = value * mult;
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

/* A duration: seconds, or a number with s, m, h or d. At most ten years. */
static bool set_hold_down(struct config *c, const char *v, char *why, size_t n)
{
	static const struct { char suffix; unsigned long mult; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	char digits[32];
	size_t len = strlen(v);
	unsigned long mult = 1, value;

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
	if (!parse_uint(digits, 3650UL * 86400 / mult, &value, why, n))
		return false;
	c->hold_down = (unsigned)(value * mult);
	return true;
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

static const struct key keys[] = {
	{ "agent", "state_dir", KEY_DIR, FIELD(state_dir), 0, NULL },
	{ "agent", "splay", KEY_UINT, FIELD(splay), 86400, NULL },
	{ "agent", "lock_wait", KEY_UINT, FIELD(lock_wait), 86400, NULL },
	{ "agent", "on_change", KEY_STRING, FIELD(on_change), 0, NULL },
	{ "agent", "metrics_file", KEY_PATH, FIELD(metrics_file), 0, NULL },
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
		/* fall through */
	case KEY_UINT:
		return set_uint(field, value, key->max, why, n);
	case KEY_BOOL:
		return set_bool(field, value, why, n);
	case KEY_LIST:
		return add_item(field, value, why, n);
	case KEY_CUSTOM:
		return key->custom(cfg, value, why, n);
	}
	return false;
}

static bool section_known(const char *section)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].section, section) == 0)
			return true;
	return false;
}

/* inih calls this once per key; returning 0 makes ini_parse report the line. */
static int config_handler(void *user, const char *section, const char *name,
			  const char *value)
{
	struct parse_state *ps = user;
	char why[sizeof(ps->first_error)];

	if (!section_known(section)) {
		snprintf(why, sizeof(why), "unknown section [%s]", section);
		goto fail;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(keys[i].section, section) != 0 || strcmp(keys[i].name, name) != 0)
			continue;
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

enum status config_load(struct config *cfg, const char *path, struct error *err)
{
	struct parse_state ps = { .cfg = cfg };
	int line;

	free(cfg->path);
	cfg->path = strdup(path);
	ini_use_stack = false;
	ini_allow_realloc = true;
	ini_allow_multiline = false;
	/* Comments are whole lines: a value such as an on_change command keeps its ';'. */
	ini_allow_inline_comments = false;
	ini_max_line = 64 * 1024;
	ini_stop_on_first_error = true;
	line = ini_parse(path, config_handler, &ps);
	if (line == -1)
		return error_set(err, STATUS_CONFIG, "cannot read '%s': %s", path, strerror(errno));
	if (line == -2)
		return error_set(err, STATUS_CONFIG, "%s: out of memory", path);
	if (line > 0 && ps.failed)
		return error_set(err, STATUS_CONFIG, "%s:%d: %s", path, line, ps.first_error);
	if (line > 0)
		return error_set(err, STATUS_CONFIG, "%s:%d: syntax error (want [section] or key = value)",
				 path, line);
	return STATUS_OK;
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
	memset(cfg, 0, sizeof(*cfg));
}
