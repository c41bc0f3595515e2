/* SPDX-License-Identifier: MIT */
#include "fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fileio.h"
#include "kvfile.h"
#include "log.h"
#include "parse.h"
#include "state_files.h"
#include "text.h"
#include "textbuf.h"

/* The system's hashed certificate directory, searched besides [source] ca_file. */
#define SYSTEM_CA_PATH "/etc/ssl/certs"

/* One transfer's state, filled by the libcurl callbacks. */
struct transfer {
	char *body;
	size_t len;
	size_t max;
	bool too_big;
	struct fetch_cache validators;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
	struct transfer *t = user;
	size_t n = size * nmemb;
	char *grown;

	if (t->len + n > t->max) {
		t->too_big = true;
		return 0;	/* makes libcurl stop with CURLE_WRITE_ERROR */
	}
	grown = realloc(t->body, t->len + n + 1);
	if (grown == NULL)
		return 0;
	t->body = grown;
	memcpy(t->body + t->len, data, n);
	t->len += n;
	t->body[t->len] = '\0';
	return n;
}

/* Copies a header's value (without CR LF) when line starts with name. */
static void take_header(const char *line, size_t len, const char *name, char **slot)
{
	size_t nl = strlen(name);

	if (len <= nl || strncasecmp(line, name, nl) != 0)
		return;
	line += nl;
	len -= nl;
	while (len > 0 && (*line == ' ' || *line == '\t'))
		line++, len--;
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	free(*slot);
	*slot = strndup(line, len);
	if (*slot && !fetch_validator_valid(*slot)) {
		log_warn("ignoring a malformed %.*s header", (int)nl - 1, name);
		free(*slot);
		*slot = NULL;
	}
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *user)
{
	struct transfer *t = user;
	size_t n = size * nmemb;

	/* A redirect starts a new response: keep only the last one's validators. */
	if (n > 5 && strncmp(line, "HTTP/", 5) == 0) {
		free(t->validators.etag);
		free(t->validators.last_modified);
		t->validators.etag = t->validators.last_modified = NULL;
	}
	take_header(line, n, "ETag:", &t->validators.etag);
	take_header(line, n, "Last-Modified:", &t->validators.last_modified);
	return n;
}

static struct curl_slist *conditional_headers(const char *url, const struct fetch_cache *cache)
{
	struct curl_slist *headers = NULL;
	char line[1024];

	if (cache->url == NULL || strcmp(cache->url, url) != 0)
		return NULL;
	if (cache->etag) {
		snprintf(line, sizeof(line), "If-None-Match: %s", cache->etag);
		headers = curl_slist_append(headers, line);
	}
	if (cache->last_modified) {
		snprintf(line, sizeof(line), "If-Modified-Since: %s", cache->last_modified);
		headers = curl_slist_append(headers, line);
	}
	return headers;
}

/* The CAs to verify HTTPS with besides the system's: a path libcurl opens. */
struct ca_source {
	char path[64];		/* "" when none */
	int fd;			/* a memory file holding the PEM, or -1 */
};

/* Makes ca_pem (when given) into a file this process can open whoever it
 * runs as: a memory file, named through /proc/self/fd (libcurl's GnuTLS
 * backend takes no in-memory CA). Without ca_pem, [source] ca_file's path. */
static enum status ca_open(struct ca_source *ca, const struct config *cfg, const char *ca_pem,
			   size_t ca_len, struct error *err)
{
	ca->fd = -1;
	ca->path[0] = '\0';
	if (ca_pem == NULL) {
		if (cfg->source_ca_file)
			snprintf(ca->path, sizeof(ca->path), "%s", cfg->source_ca_file);
		if (cfg->source_ca_file && strlen(cfg->source_ca_file) >= sizeof(ca->path))
			return error_set(err, STATUS_CONFIG, "[source] ca_file path is too long");
		return STATUS_OK;
	}
	ca->fd = memfd_create("anchorsync-ca", MFD_CLOEXEC);
	if (ca->fd < 0 || write(ca->fd, ca_pem, ca_len) != (ssize_t)ca_len) {
		if (ca->fd >= 0)
			close(ca->fd);
		return error_set(err, STATUS_INTERNAL, "cannot hold [source] ca_file in memory: %s",
				 strerror(errno));
	}
	snprintf(ca->path, sizeof(ca->path), "/proc/self/fd/%d", ca->fd);
	return STATUS_OK;
}

static void setup_handle(CURL *h, const struct config *cfg, const char *url,
			 const struct ca_source *ca, struct transfer *t, char *errbuf)
{
	bool tls = strncasecmp(url, "https:", 6) == 0;

	curl_easy_setopt(h, CURLOPT_URL, url);
	/* Never from https down to http: a redirect must not shed TLS. libcurl
	 * 7.85 named the protocols in strings and deprecated the bitmasks that
	 * older ones (Debian 11's 7.74) know only; both say the same. */
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, tls ? "https" : "http,https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS,
			 (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FILE));
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS,
			 (long)(tls ? CURLPROTO_HTTPS : CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)(cfg->source_timeout < 10 ?
							   cfg->source_timeout : 10));
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)cfg->source_timeout);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)cfg->max_size);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "anchorsync/" PACKAGE_VERSION);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, t);
	if (ca->path[0] != '\0') {
		curl_easy_setopt(h, CURLOPT_CAINFO, ca->path);
		curl_easy_setopt(h, CURLOPT_CAPATH, SYSTEM_CA_PATH);
	}
}

/* Says why a transfer failed; a redirect to a scheme that is not followed
 * (libcurl only says the scheme "is not supported") is named as such. */
static void transfer_failed(CURL *h, const char *url, CURLcode rc, const char *errbuf,
			    char *why, size_t whylen)
{
	char *last = NULL, shown[300];
	long redirects = 0;
	size_t scheme;

	curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &last);
	curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &redirects);
	if (rc != CURLE_UNSUPPORTED_PROTOCOL || redirects == 0 || last == NULL) {
		snprintf(why, whylen, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
		return;
	}
	text_escape(shown, sizeof(shown), last, strlen(last));
	scheme = strcspn(last, ":");
	if (strncasecmp(url, "https:", 6) == 0 && scheme == 4 && strncasecmp(last, "http", 4) == 0)
		snprintf(why, whylen, "refused a redirect away from TLS, to '%s': an https "
			 "source is only followed to https", shown);
	else
		snprintf(why, whylen, "refused a redirect to '%s': only http and https "
			 "redirects are followed", shown);
}

/* Fetches one url. Returns STATUS_OK with out filled on 200 (a body accept
 * took) or 304; otherwise why says what went wrong for the mirror list, and
 * the status is STATUS_DATA for a body that was refused (too big included). */
static enum status fetch_one(const struct config *cfg, const char *url,
			     const struct ca_source *ca, const struct fetch_cache *cache,
			     enum status (*accept)(const char *, size_t, void *, struct error *),
			     void *user, struct fetch_result *out, char *why, size_t whylen)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct transfer t = { .max = cfg->max_size };
	struct curl_slist *headers = conditional_headers(url, cache);
	enum status st = STATUS_UNAVAILABLE;
	struct error aerr;
	long code = 0;
	CURLcode rc;
	CURL *h = curl_easy_init();

	if (h == NULL) {
		snprintf(why, whylen, "cannot start libcurl");
		return STATUS_INTERNAL;
	}
	setup_handle(h, cfg, url, ca, &t, errbuf);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (t.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(why, whylen, "body is larger than max_size (%zu bytes)", cfg->max_size);
		st = STATUS_DATA;
	} else if (rc != CURLE_OK) {
		transfer_failed(h, url, rc, errbuf, why, whylen);
	} else if (code == 304 && headers != NULL) {
		out->not_modified = true;
		st = STATUS_OK;
	} else if (code != 200 && code != 0) {
		snprintf(why, whylen, "HTTP status %ld", code);
	} else if (t.body == NULL && (t.body = strdup("")) == NULL) {
		st = STATUS_INTERNAL;
		snprintf(why, whylen, "out of memory");
	} else if ((st = accept(t.body, t.len, user, &aerr)) != STATUS_OK) {
		snprintf(why, whylen, "%s", aerr.msg);
		if (st != STATUS_INTERNAL)
			st = STATUS_DATA;
	} else {
		out->body = t.body;
		out->len = t.len;
		t.body = NULL;
	}
	if (st == STATUS_OK) {
		out->url = url;
		out->validators = t.validators;
		memset(&t.validators, 0, sizeof(t.validators));
		out->validators.url = strdup(url);
		out->validators.fetched = (long long)time(NULL);
	}
	fetch_cache_free(&t.validators);
	free(t.body);
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	return st;
}

/* Tries each mirror in order (fetch_bundle). */
static enum status fetch_mirrors(const struct config *cfg, const struct ca_source *ca,
				 const struct fetch_cache *cache, bool use_cache,
				 enum status (*accept)(const char *, size_t, void *, struct error *),
				 void *user, struct fetch_result *out, struct error *err)
{
	static const struct fetch_cache no_cache;
	char failures[sizeof(err->msg)] = "";
	enum status worst = STATUS_UNAVAILABLE;
	size_t used = 0;

	for (size_t i = 0; i < cfg->urls.count; i++) {
		const char *url = cfg->urls.items[i];
		char why[sizeof(err->msg)];
		enum status st = fetch_one(cfg, url, ca, use_cache ? cache : &no_cache, accept,
					   user, out, why, sizeof(why));
		if (st == STATUS_OK) {
			log_debug("fetched %s%s", url, out->not_modified ? " (not modified)" : "");
			return STATUS_OK;
		}
		if (st == STATUS_INTERNAL)
			return error_set(err, st, "'%s': %s", url, why);
		if (st == STATUS_DATA)
			worst = STATUS_DATA;
		if (cfg->urls.count > 1)
			log_warn("mirror '%s' passed over: %s", url, why);
		textbuf_appendf(failures, sizeof(failures), &used, "%s'%s': %s", i ? "; " : "",
				url, why);
	}
	if (worst == STATUS_DATA)
		return error_set(err, STATUS_DATA, "no acceptable bundle: %s", failures);
	return error_set(err, STATUS_UNAVAILABLE, "no source reachable: %s", failures);
}

enum status fetch_bundle(const struct config *cfg, const char *ca_pem, size_t ca_len,
			 const struct fetch_cache *cache, bool use_cache,
			 enum status (*accept)(const char *body, size_t len, void *user,
					       struct error *err),
			 void *user, struct fetch_result *out, struct error *err)
{
	struct ca_source ca;
	enum status st;

	memset(out, 0, sizeof(*out));
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return error_set(err, STATUS_INTERNAL, "cannot initialise libcurl");
	st = ca_open(&ca, cfg, ca_pem, ca_len, err);
	if (st == STATUS_OK)
		st = fetch_mirrors(cfg, &ca, cache, use_cache, accept, user, out, err);
	if (ca.fd >= 0)
		close(ca.fd);
	return st;
}

void fetch_result_free(struct fetch_result *r)
{
	free(r->body);
	fetch_cache_free(&r->validators);
	memset(r, 0, sizeof(*r));
}

void fetch_cache_free(struct fetch_cache *c)
{
	free(c->url);
	free(c->etag);
	free(c->last_modified);
	memset(c, 0, sizeof(*c));
}

static bool same_string(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

bool fetch_cache_equal(const struct fetch_cache *a, const struct fetch_cache *b)
{
	return same_string(a->url, b->url) && same_string(a->etag, b->etag) &&
	       same_string(a->last_modified, b->last_modified);
}

bool fetch_cache_usable(const struct fetch_cache *c, time_t now)
{
	long long age = (long long)now - c->fetched;

	return (c->etag || c->last_modified) && c->fetched > 0 && age >= 0 &&
	       age < FETCH_REVALIDATE_SECONDS;
}

bool fetch_validator_valid(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] > 0x7e)
			return false;
	return n > 0 && n <= 256;
}

static void on_cache_line(void *user, const char *key, const char *value)
{
	struct fetch_cache *c = user;
	char **slot = strcmp(key, "url") == 0 ? &c->url :
		      strcmp(key, "etag") == 0 ? &c->etag :
		      strcmp(key, "last-modified") == 0 ? &c->last_modified : NULL;

	if (strcmp(key, "fetched") == 0) {
		if (!parse_int(value, &c->fetched))
			c->fetched = 0;	/* unknown: not usable */
	} else if (slot && *slot == NULL && (slot == &c->url || fetch_validator_valid(value))) {
		*slot = strdup(value);
	}
}

void fetch_cache_load(struct fetch_cache *c, const char *state_dir)
{
	struct error err;

	memset(c, 0, sizeof(*c));
	if (kvfile_load(state_dir, STATE_FETCH_CACHE, on_cache_line, c, NULL, &err) != STATUS_OK)
		log_warn("ignoring the fetch cache: %s", err.msg);
}

enum status fetch_cache_save(const struct fetch_cache *c, const char *state_dir,
			     struct error *err)
{
	char *path = path_join(state_dir, STATE_FETCH_CACHE);
	char *text = NULL;
	enum status st;
	int n;

	if (path == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	n = asprintf(&text, "url %s\nfetched %lld\n%s%s%s%s%s%s", c->url ? c->url : "", c->fetched,
		     c->etag ? "etag " : "", c->etag ? c->etag : "", c->etag ? "\n" : "",
		     c->last_modified ? "last-modified " : "",
		     c->last_modified ? c->last_modified : "", c->last_modified ? "\n" : "");
	if (n < 0)
		st = error_set(err, STATUS_INTERNAL, "out of memory");
	else
		st = file_write_atomic(path, text, (size_t)n, 0644, true, err);
	if (n >= 0)
		free(text);
	free(path);
	return st;
}
