/* MX answers: the DNS message parser of delivery/mx.c. It is file-local, so
 * the harness compiles mx.c into itself (and links no other copy). */
#include "../delivery/mx.c"

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mx_host hosts[MX_HOSTS_MAX];
	bool null_mx = false;

	if (size > MX_ANSWER_MAX)
		return 0;
	mx_parse(data, (int)size, hosts, &null_mx);
	return 0;
}
