/* SPDX-License-Identifier: MIT */
/* The configuration file: an INI file read with inih into struct config.
 *
 * Every key is checked as it is read; the first problem is reported as
 * "FILE:LINE: message". Repeatable keys (url, pin, target, resolve) append.
 * [app NAME] sections are checked as a whole after the file is read: a type is
 * required, a file application needs a path whose directory exists, and a key
 * of the other type is an error ("FILE: [app NAME]: message"). */
#ifndef ANCHORSYNC_CONFIG_H
#define ANCHORSYNC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "pin.h"
#include "status.h"
#include "strlist.h"

#define CONFIG_DEFAULT_PATH SYSCONFDIR "/anchorsync/anchorsync.conf"
#define CONFIG_DEFAULT_USER "anchorsync"

/* One [app NAME] section: a consumer of trust anchors that does not read the
 * OS store live (agent/apps). */
enum app_type { APP_POSTFIX, APP_FILE };
enum app_content { APP_CONTENT_SYSTEM, APP_CONTENT_ANCHORS };

struct app_config {
	char *name;			/* letters, digits, '-', '_' */
	enum app_type type;
	char *restart;			/* shell command, or NULL */
	char *config_directory;		/* postfix: its config dir, default /etc/postfix */
	char *path;			/* file: the PEM file anchorsync owns */
	enum app_content content;	/* file: system (default) or anchors */
	unsigned mode;			/* file: default 0644 */
	unsigned seen;			/* keys given, a bit each (one value per key) */
};

struct config {
	char *path;

	/* [agent] */
	char *state_dir;
	unsigned splay;			/* seconds */
	unsigned lock_wait;		/* seconds refresh --now waits for the lock */
	char *on_change;		/* shell command, or NULL */
	unsigned hook_timeout;		/* seconds on_change may run */
	char *metrics_file;		/* Prometheus textfile, or NULL */
	char *user;			/* who fetches and verifies when run as root */

	/* [source] */
	struct strlist urls;		/* mirrors, in order */
	struct pin *pins;
	size_t pin_count;
	char *source_ca_file;		/* extra CAs for HTTPS, or NULL */
	unsigned source_timeout;	/* seconds, whole transfer */
	size_t max_size;		/* bytes */
	bool require_signature;		/* refuse unsigned bundles */
	char *signer_purpose;		/* EKU OID a bundle signer must carry */
	unsigned hold_down;		/* seconds before a root only a signature vouches for counts */

	/* [store] */
	char *backend;			/* "auto" or a family name */
	char *root;			/* install under this root, or NULL for / */
	unsigned warn_days;

	/* [delivery] */
	struct strlist targets;
	struct strlist resolve;		/* HOST:PORT:ADDR */
	char *helo;			/* NULL: the host name */
	char *from;			/* NULL: the null sender <> */
	char *to;			/* NULL: no RCPT TO probe */
	char *delivery_ca_file;		/* NULL: the trust store */
	bool send;
	bool allow_cn;
	unsigned delivery_timeout;	/* seconds */
	char *nameserver;		/* ADDR[:PORT] for mx: lookups, or NULL */
	unsigned delivery_interval;	/* seconds between scheduled checks; 0: only
					   after a change */
	unsigned delivery_warn_days;	/* a chain certificate expiring sooner warns */

	/* [app NAME], in the order first seen */
	struct app_config *apps;
	size_t app_count;
};

/* The [app] section called name, or NULL. */
const struct app_config *config_app(const struct config *cfg, const char *name);

/* Fills cfg with the defaults (no file read). */
void config_init(struct config *cfg);

/* Reads path over the defaults. On failure err holds "path:line: message" and
 * status STATUS_CONFIG; cfg must still be released with config_free. Only a
 * regular file of at most 1 MiB is read. A line longer than 8192 bytes or
 * holding a NUL byte is an error, as is a one-value key given twice. */
enum status config_load(struct config *cfg, const char *path, struct error *err);

/* As config_load, from text (len bytes, NUL-terminated) named name in
 * messages. Does not set cfg->path. */
enum status config_load_text(struct config *cfg, const char *name, const char *text,
			     size_t len, struct error *err);

/* Checks what a refresh needs: at least one url and one pin. */
enum status config_require_source(const struct config *cfg, struct error *err);

void config_free(struct config *cfg);

#endif
