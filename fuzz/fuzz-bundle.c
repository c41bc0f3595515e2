/* SPDX-License-Identifier: MIT */
/* The fetched bundle: bundle_select with the unit tests' roots pinned. The
 * signed-bundle (CMS) parser has its own harness, fuzz-signed.c. */
#include <stdlib.h>
#include <time.h>

#include "bundle.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *pins[] = {
		"sha256:57b074458962f34f05cd140286b8e86cc0cd2d12de024e3b755d398d3edb170b",
		"sha256:9927b38488576e33e160a32b794b33b18ba9fa7b60fcae9240f0c175c9b1b048",
	};
	struct pin p[2];
	struct anchor_set set;
	struct error err;
	char *text = fuzz_text(data, size);

	fuzz_dir();	/* quiets the log */
	pin_parse(pins[0], &p[0]);
	pin_parse(pins[1], &p[1]);
	bundle_select(text, size, &(struct bundle_rules){ .pins = p, .pin_count = 2,
		      .now = 1767225600 }, &set, &err);
	anchor_set_free(&set);
	free(text);
	return 0;
}
