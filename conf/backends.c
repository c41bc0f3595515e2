/* SPDX-License-Identifier: MIT */
#include "backends.h"

#include <string.h>

const char *const backend_list[] = { "debian", "redhat", "suse", "alpine", "arch", NULL };

bool backend_known(const char *name)
{
	for (size_t i = 0; backend_list[i] != NULL; i++)
		if (strcmp(backend_list[i], name) == 0)
			return true;
	return false;
}

const char *backend_names(void)
{
	return "debian, redhat, suse, alpine, arch";
}
