/* SPDX-License-Identifier: MIT */
/* The fetched bundle: bundle_select with the unit tests' roots pinned, then
 * with the first one installed before; and the PEM reader every store and
 * application check uses (pem_next_der), on the raw bytes, unterminated. The
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
	static char file[] = "corp-root.crt", subject[] = "CN=Unit Root";
	struct manifest_entry root = { .not_after = 1893456000, .file = file,
				       .subject = subject, .state = MANIFEST_INSTALLED };
	struct pin p[2];
	struct anchor_set set;
	struct error err;
	char *text = fuzz_text(data, size);
	gnutls_datum_t der;
	size_t at = 0;

	fuzz_dir();	/* quiets the log */
	pin_parse(pins[0], &p[0]);
	pin_parse(pins[1], &p[1]);
	bundle_select(text, size, &(struct bundle_rules){ .pins = p, .pin_count = 2,
		      .now = 1767225600 }, &set, &err);
	anchor_set_free(&set);
	root.pin = p[0];
	bundle_select(text, size, &(struct bundle_rules){ .pins = p, .pin_count = 2,
		      .installed = &(struct manifest){ &root, 1 }, .now = 1767225600 }, &set, &err);
	anchor_set_free(&set);
	while (pem_next_der((const char *)data, size, &at, &der) != PEM_NONE)
		gnutls_free(der.data);
	free(text);
	return 0;
}
