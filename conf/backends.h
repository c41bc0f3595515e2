/* SPDX-License-Identifier: MIT */
/* The trust-store families [store] backend names: the one list of their names.
 * The configuration checks a name here; agent/store/store.c holds what each
 * family means, indexed by enum backend. */
#ifndef ANCHORSYNC_BACKENDS_H
#define ANCHORSYNC_BACKENDS_H

#include <stdbool.h>

enum backend {
	BACKEND_DEBIAN,
	BACKEND_REDHAT,
	BACKEND_SUSE,
	BACKEND_ALPINE,
	BACKEND_ARCH,
	BACKEND_COUNT
};

/* The families' names by enum backend, in the order messages list them;
 * NULL-terminated. */
extern const char *const backend_list[BACKEND_COUNT + 1];

/* The family called name (not "auto"); false when there is none. */
bool backend_by_name(const char *name, enum backend *out);

/* True when name is one of backend_list (not "auto"). */
bool backend_known(const char *name);

/* "debian, redhat, suse, alpine, arch": for messages. */
const char *backend_names(void);

#endif
