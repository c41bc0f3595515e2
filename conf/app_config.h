/* SPDX-License-Identifier: MIT */
/* [app NAME] sections: read key by key from config.c's inih handler, then
 * checked as a whole once the file is read. */
#ifndef ANCHORSYNC_APP_CONFIG_H
#define ANCHORSYNC_APP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* The section prefix: "[app NAME]". */
#define APP_SECTION "app "

/* Sets key of the application named by section ("app NAME"), adding it when
 * new. False with why filled when the name, key or value is bad or the key
 * was already given for this application. */
bool app_config_key(struct config *cfg, const char *section, const char *key,
		    const char *value, char *why, size_t whylen);

/* Checks every application once the file is read: a type, a path for a file
 * application (its directory must exist), no key of the other type; fills
 * defaults. STATUS_CONFIG with "NAME: [app X]: message". */
enum status app_config_finish(struct config *cfg, const char *name, struct error *err);

void app_config_free(struct config *cfg);

#endif
