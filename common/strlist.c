/* SPDX-License-Identifier: MIT */
#include "strlist.h"

#include <stdlib.h>
#include <string.h>

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
