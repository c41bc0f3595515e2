/* SPDX-License-Identifier: MIT */
/* Fixed buffers: a path that does not fit is refused, a message that does not
 * fit is cut visibly, and an error message keeps its cause's start. */
#include <string.h>

#include "status.h"
#include "tap.h"
#include "textbuf.h"

int main(void)
{
	char small[8], big[64];
	size_t used = 0;
	struct error err;
	char longer[3 * ERROR_MSG_SIZE];

	ok(textbuf_printf(small, sizeof(small), "%s", "1234567"), "a path that fits is whole");
	ok(!textbuf_printf(small, sizeof(small), "%s", "12345678"), "one byte more is refused");
	ok(textbuf_message(small, sizeof(small), "%s", "abcdefg"), "a message that fits is whole");
	ok(!textbuf_message(small, sizeof(small), "%s", "abcdefgh"), "a longer one is cut");
	is_str(small, "abcd...", "  ... and ends in ...");
	big[0] = '\0';
	ok(textbuf_appendf(big, sizeof(big), &used, "%s", "one") &&
	   textbuf_appendf(big, sizeof(big), &used, "; %s", "two"), "appends that fit");
	is_str(big, "one; two", "  ... follow each other");
	ok(used == strlen(big), "  ... and used is the length");
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	ok(!textbuf_appendf(big, sizeof(big), &used, "%s", longer), "an append that does not fit");
	ok(strlen(big) == sizeof(big) - 1 && strcmp(big + sizeof(big) - 4, "...") == 0,
	   "  ... fills the buffer and ends in ...");
	ok(!textbuf_appendf(big, sizeof(big), &used, "z") && big[sizeof(big) - 2] == '.',
	   "  ... and later appends change nothing");
	error_set(&err, STATUS_IO, "cannot read '%s'", longer);
	ok(strncmp(err.msg, "cannot read 'xxx", 16) == 0 &&
	   strcmp(err.msg + strlen(err.msg) - 3, "...") == 0, "an over-long error is cut visibly");
	error_set(&err, STATUS_IO, "the cause");
	error_prefix(&err, "%s", longer);
	ok(strcmp(err.msg + strlen(err.msg) - 3, "...") == 0, "so is an over-long prefix");
	return tap_done();
}
