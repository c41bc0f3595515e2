/* SPDX-License-Identifier: MIT */
/* SMTP replies as a server sends them: the buffered reader and the reply
 * parser over a socket pair holding the input, read until it fails. */
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "net.h"
#include "smtp.h"

#define FUZZ_SMTP_MAX 65536	/* fits a socket pair's buffer: no blocking write */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct net_deadline deadline;
	struct smtp_conn c;
	struct smtp_reply r;
	struct error err;
	char first[128];
	int sv[2];

	if (size > FUZZ_SMTP_MAX)
		return 0;
	fuzz_dir();
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		abort();
	if (size > 0 && write(sv[1], data, size) != (ssize_t)size)
		abort();
	shutdown(sv[1], SHUT_WR);
	net_deadline_start(&deadline, 1);
	smtp_conn_init(&c, sv[0], &deadline, false);
	for (int i = 0; i < 1000; i++) {
		struct smtp_reply fresh = { 0 };
		r = fresh;
		if (smtp_read_reply(&c, &r, &err) != STATUS_OK)
			break;
		smtp_reply_has_keyword(&r, "STARTTLS");
		smtp_reply_first_line(&r, first, sizeof(first));
	}
	close(sv[0]);
	close(sv[1]);
	return 0;
}
