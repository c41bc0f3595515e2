/* SPDX-License-Identifier: MIT */
/* The files of an application's view: what each should hold, whether it does,
 * writing it (atomically) and taking it away. A file is a regular file with
 * PEM content and a mode, or a symbolic link (an OpenSSL hash link). */
#ifndef ANCHORSYNC_APP_FILES_H
#define ANCHORSYNC_APP_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "pin.h"
#include "status.h"

/* The largest file of a view anchorsync reads. */
#define APP_FILE_MAX (16 * 1024 * 1024)

struct app_file {
	char *path;
	char *data;		/* regular file: its content; NULL for a link */
	size_t len;
	mode_t mode;
	char *link;		/* symbolic link: its target; NULL for a file */
};

struct app_files {
	struct app_file *items;
	size_t count;
};

/* Appends a file (taking data) or a link; false when out of memory (data is
 * freed then too). */
bool app_files_add(struct app_files *f, const char *path, char *data, size_t len,
		   mode_t mode);
bool app_files_add_link(struct app_files *f, const char *path, const char *target);

/* Whether path is one of f's. */
bool app_files_has(const struct app_files *f, const char *path);

/* Whether the file at f's path is what it should be. */
bool app_file_current(const struct app_file *f);

/* Writes f (a file atomically and durably, a link through a renamed temporary
 * link). STATUS_STORE naming the path on failure. */
enum status app_file_write(const struct app_file *f, struct error *err);

/* Removes path, a file (or link) anchorsync created. Gone already is fine. */
enum status app_file_remove(const char *path, struct error *err);

void app_files_free(struct app_files *f);

/* The pins of every PEM certificate in text (len bytes); *pins is the
 * caller's to free. False when out of memory. */
bool app_pem_pins(const char *text, size_t len, struct pin **pins, size_t *count);

/* Whether the PEM file at path holds a certificate with pin. */
bool app_pem_file_has(const char *path, const struct pin *pin);

/* Seconds `openssl x509 -hash` may take before it is stopped. */
#define APP_COMMAND_TIMEOUT 30

/* OpenSSL's subject hash of the certificate in the PEM file at path (what
 * `openssl rehash` names links by), from `openssl x509 -hash`, within
 * APP_COMMAND_TIMEOUT. */
enum status app_subject_hash(const char *path, char out[9], struct error *err);

#endif
