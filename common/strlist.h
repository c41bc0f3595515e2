/* SPDX-License-Identifier: MIT */
/* A growable list of strings, each a copy the list owns. */
#ifndef ANCHORSYNC_STRLIST_H
#define ANCHORSYNC_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

struct strlist {
	char **items;
	size_t count;
};

/* Appends a copy of s; false when out of memory (list unchanged). */
bool strlist_add(struct strlist *list, const char *s);

/* Frees every item and the array, leaving an empty list. */
void strlist_free(struct strlist *list);

#endif
