/* SPDX-License-Identifier: MIT */
/* Delivery targets and --resolve entries: target_parse, net_resolve_check and
 * the nameserver override, each on the whole input. */
#include <stdlib.h>

#include "config.h"
#include "fuzz.h"
#include "mx.h"
#include "net.h"
#include "target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct strlist resolve = { &text, 1 };
	struct target t;
	struct error err;

	target_parse(text, &t, &err);
	net_resolve_check(&resolve, &err);
	mx_nameserver_check(text, &err);
	free(text);
	return 0;
}
