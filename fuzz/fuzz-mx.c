/* SPDX-License-Identifier: MIT */
/* MX answers: the DNS message parser mx_lookup uses, on raw answers. */
#include "fuzz.h"
#include "mx.h"

#define FUZZ_MX_MAX 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mx_host hosts[MX_HOSTS_MAX];
	bool null_mx = false;

	if (size > FUZZ_MX_MAX)
		return 0;
	mx_answer_parse(data, (int)size, hosts, &null_mx);
	return 0;
}
