#include "config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store.h"

/* What the inih handler carries between calls: the config being filled, and the
 * first error (ini_parse reports only its line number). */
struct parse_state {
	struct config *cfg;
	char first_error[512];
	bool failed;
};

typedef bool (*setter_fn)(struct config *cfg, const char *value, char *why, size_t whylen);

struct key {
	const char *section;
	const char *name;
	setter_fn set;
};

void config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->state_dir = strdup(STATEDIR);
	cfg->splay = 300;
	cfg->lock_wait = 600;
	cfg->source_timeout = 30;
	cfg->max_size = 1024 * 1024;
	cfg->backend = strdup("auto");
	cfg->warn_days = 30;
	cfg->delivery_timeout = 30;
}

bool strlist_add(struct strlist *list, const char *s)
{
	char **items = realloc(list->items, (list->count + 1) * sizeof(*items));
	char *copy = strdup(s);

	if (items)
		list->items = items;
	if (items == NULL || copy == NULL) {
		free(copy);
		return false;
	}
	list->items[list->count++] = copy;
	return true;
}

void strlist_free(struct strlist *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->count = 0;
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

static bool set_state_dir(struct config *c, const char *v, char *why, size_t n)
{
	if (*v == '\0') {
		snprintf(why, n, "state_dir must not be empty");
		return false;
	}
	return set_absolute_path(&c->state_dir, v, why, n);
}

static bool set_splay(struct config *c, const char *v, char *why, size_t n)
{
	return set_uint(&c->splay, v, 86400, why, n);
}

static bool set_lock_wait(struct config *c, const char *v, char *why, size_t n)
{
	return set_uint(&c->lock_wait, v, 86400, why, n);
}

static bool set_on_change(struct config *c, const char *v, char *why, size_t n)
{
	return set_string(&c->on_change, v, why, n);
}

static bool set_metrics_file(struct config *c, const char *v, char *why, size_t n)
{
	return set_absolute_path(&c->metrics_file, v, why, n);
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

static bool set_source_ca_file(struct config *c, const char *v, char *why, size_t n)
{
	return set_absolute_path(&c->source_ca_file, v, why, n);
}

static bool set_source_timeout(struct config *c, const char *v, char *why, size_t n)
{
	if (strcmp(v, "0") == 0) {
		snprintf(why, n, "timeout must be at least 1 second");
		return false;
	}
	return set_uint(&c->source_timeout, v, 3600, why, n);
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
	if (strcmp(v, "auto") != 0 && store_backend_by_name(v) == NULL) {
		snprintf(why, n, "unknown backend '%s' (auto, %s)", v, store_backend_names());
		return false;
	}
	return set_string(&c->backend, v, why, n);
}

static bool set_root(struct config *c, const char *v, char *why, size_t n)
{
	return set_absolute_path(&c->root, v, why, n);
}

static bool set_warn_days(struct config *c, const char *v, char *why, size_t n)
{
	return set_uint(&c->warn_days, v, 3650, why, n);
}

static bool add_target(struct config *c, const char *v, char *why, size_t n)
{
	return add_item(&c->targets, v, why, n);
}

static bool add_resolve(struct config *c, const char *v, char *why, size_t n)
{
	return add_item(&c->resolve, v, why, n);
}

static bool set_helo(struct config *c, const char *v, char *why, size_t n)
{
	return set_string(&c->helo, v, why, n);
}

static bool set_from(struct config *c, const char *v, char *why, size_t n)
{
	return set_string(&c->from, v, why, n);
}

static bool set_to(struct config *c, const char *v, char *why, size_t n)
{
	return set_string(&c->to, v, why, n);
}

static bool set_delivery_ca_file(struct config *c, const char *v, char *why, size_t n)
{
	return set_absolute_path(&c->delivery_ca_file, v, why, n);
}

static bool set_send(struct config *c, const char *v, char *why, size_t n)
{
	return set_bool(&c->send, v, why, n);
}

static bool set_allow_cn(struct config *c, const char *v, char *why, size_t n)
{
	return set_bool(&c->allow_cn, v, why, n);
}

static bool set_delivery_timeout(struct config *c, const char *v, char *why, size_t n)
{
	if (strcmp(v, "0") == 0) {
		snprintf(why, n, "timeout must be at least 1 second");
		return false;
	}
	return set_uint(&c->delivery_timeout, v, 3600, why, n);
}

static const struct key keys[] = {
	{ "agent", "state_dir", set_state_dir },
	{ "agent", "splay", set_splay },
	{ "agent", "lock_wait", set_lock_wait },
	{ "agent", "on_change", set_on_change },
	{ "agent", "metrics_file", set_metrics_file },
	{ "source", "url", add_url },
	{ "source", "pin", add_pin },
	{ "source", "ca_file", set_source_ca_file },
	{ "source", "timeout", set_source_timeout },
	{ "source", "max_size", set_max_size },
	{ "store", "backend", set_backend },
	{ "store", "root", set_root },
	{ "store", "warn_days", set_warn_days },
	{ "delivery", "target", add_target },
	{ "delivery", "resolve", add_resolve },
	{ "delivery", "helo", set_helo },
	{ "delivery", "from", set_from },
	{ "delivery", "to", set_to },
	{ "delivery", "ca_file", set_delivery_ca_file },
	{ "delivery", "send", set_send },
	{ "delivery", "allow_cn", set_allow_cn },
	{ "delivery", "timeout", set_delivery_timeout },
};

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
		if (keys[i].set(ps->cfg, value, why, sizeof(why)))
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
	free(cfg->backend);
	free(cfg->root);
	strlist_free(&cfg->targets);
	strlist_free(&cfg->resolve);
	free(cfg->helo);
	free(cfg->from);
	free(cfg->to);
	free(cfg->delivery_ca_file);
	memset(cfg, 0, sizeof(*cfg));
}
