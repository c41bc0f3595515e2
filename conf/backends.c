/* SPDX-License-Identifier: MIT */
#include "backends.h"

#include <string.h>

const char *const backend_list[BACKEND_COUNT + 1] = {
	[BACKEND_DEBIAN] = "debian",
	[BACKEND_REDHAT] = "redhat",
	[BACKEND_SUSE] = "suse",
	[BACKEND_ALPINE] = "alpine",
	[BACKEND_ARCH] = "arch",
	[BACKEND_COUNT] = NULL,
};

bool backend_by_name(const char *name, enum backend *out)
{
	for (int i = 0; i < BACKEND_COUNT; i++)
		if (strcmp(backend_list[i], name) == 0) {
			*out = (enum backend)i;
			return true;
		}
	return false;
}

bool backend_known(const char *name)
{
	enum backend b;

	return backend_by_name(name, &b);
}

const char *backend_names(void)
{
	static char names[64];

	if (names[0] == '\0')
		for (int i = 0; i < BACKEND_COUNT; i++) {
			if (i > 0)
				strcat(names, ", ");
			strcat(names, backend_list[i]);
		}
	return names;
}
