/* SPDX-License-Identifier: MIT */
/* libFuzzer harness for the signed-bundle parser: CMS decoding (PEM CMS/PKCS7
 * or DER), the embedded content and its Serial/Expires header, then signature
 * verification against one fixed pin and the selection of the listed roots.
 * Build: clang -fsanitize=fuzzer,address with libanchorsync.a. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "log.h"
#include "signed_bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pin root = { { 0x60, 0x71, 0x7e, 0x95 } };
	struct signed_bundle b = { 0 };	/* freed below even when never opened */
	struct anchor_set set;
	struct signed_header h;
	struct error err;

	log_open("fuzz-signed", -1);
	signed_header_parse((const char *)data, size, &h, &err);
	if (signed_detect((const char *)data, size) &&
	    signed_open((const char *)data, size, &b, &err) == STATUS_OK) {
		signed_verify(&b, &root, 1, NULL, SIGNED_PURPOSE_DEFAULT, 1767225600, NULL, &err);
		if (signed_select_roots(b.content + b.header.body, b.content_len - b.header.body,
					NULL, 1767225600, &set, &err) == STATUS_OK || set.items)
			anchor_set_free(&set);
	}
	signed_bundle_free(&b);
	return 0;
}
