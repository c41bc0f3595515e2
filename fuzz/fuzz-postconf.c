/* SPDX-License-Identifier: MIT */
/* What Postfix says about itself: the output of `postconf -h -x P...` (split
 * into values) and of `postconf -M` / master.cf (the smtp/unix chroot column). */
#include <stdlib.h>

#include "fuzz.h"
#include "postconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), *values[4];
	enum postconf_chroot chroot;
	struct error err;

	if (postconf_values(text, size, values, 4, &err) == STATUS_OK)
		for (size_t i = 0; i < 4; i++)
			free(values[i]);
	postconf_master_chroot(text, size, "smtp", "unix", &chroot, &err);
	free(text);
	return 0;
}
