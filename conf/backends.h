/* SPDX-License-Identifier: MIT */
/* The trust-store families [store] backend names. The configuration checks a
 * name here; agent/store/store.c holds what each family means. */
#ifndef ANCHORSYNC_BACKENDS_H
#define ANCHORSYNC_BACKENDS_H

#include <stdbool.h>

/* The families, in the order messages list them; NULL-terminated. */
extern const char *const backend_list[];

/* True when name is one of backend_list (not "auto"). */
bool backend_known(const char *name);

/* "debian, redhat, suse, alpine, arch": for messages. */
const char *backend_names(void);

#endif
