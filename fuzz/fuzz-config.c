/* SPDX-License-Identifier: MIT */
/* The configuration file, parsed from memory as config_load parses a file. */
#include <stdlib.h>

#include "config.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct config cfg;
	struct error err;

	config_init(&cfg);
	if (config_load_text(&cfg, "fuzz.conf", text, size, &err) == STATUS_OK)
		config_require_source(&cfg, &err);
	config_free(&cfg);
	free(text);
	return 0;
}
