/* SPDX-License-Identifier: MIT */
/* What Postfix says about itself: the output of `postconf -h -x P...` (split
 * into values), of `postconf -M` / master.cf (the smtp/unix chroot column),
 * and each value as a chroot path (joined to a queue directory) and as a TLS
 * security level or policy entry. */
#include <stdlib.h>

#include "fuzz.h"
#include "postconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), *values[4], *joined, word[32];
	enum postconf_chroot chroot;
	struct error err;

	if (postconf_values(text, size, values, 4, &err) == STATUS_OK) {
		for (size_t i = 0; i < 4; i++) {
			if (postconf_chroot_path(values[0][0] == '/' ? values[0] : "/q", values[i],
						 &joined, &err) == STATUS_OK)
				free(joined);
			postconf_level_of(values[i], word, sizeof(word));
		}
		for (size_t i = 0; i < 4; i++)
			free(values[i]);
	}
	postconf_master_chroot(text, size, "smtp", "unix", &chroot, &err);
	free(text);
	return 0;
}
