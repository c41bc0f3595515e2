/* SPDX-License-Identifier: MIT */
/* The manifest of installed roots: manifest_load reads only STATE_DIR/manifest,
 * so the input is written there first. */
#include "fuzz.h"
#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manifest m;
	struct error err;

	fuzz_write_file("manifest", data, size);
	manifest_load(&m, fuzz_dir(), &err);
	manifest_free(&m);
	return 0;
}
