/* SPDX-License-Identifier: MIT */
/* Commands: the environment given in command_options reaches the command, adds
 * to or replaces ours, and leaves anchorsync's own environment as it was. */
#include <stdlib.h>

#include "command.h"
#include "tap.h"

static char *run(const char *script, const char *const *env)
{
	struct command_options opts = { .keep_fd = -1, .env = env };
	struct error err;
	char *output = NULL;

	if (command_shell(script, &opts, &output, &err) != STATUS_OK) {
		printf("# %s\n", err.msg);
		free(output);
		return NULL;
	}
	return output;
}

int main(void)
{
	const char *const env[] = { "ANCHORSYNC_ADDED=2", "TEST_SHADOWED=theirs", NULL };
	char *out;

	setenv("TEST_SHADOWED", "ours", 1);
	setenv("TEST_KEPT", "kept", 1);
	out = run("echo \"$ANCHORSYNC_ADDED $TEST_SHADOWED $TEST_KEPT\"", env);
	is_str(out, "2 theirs kept\n", "the command sees the entries given and the rest of ours");
	free(out);
	ok(getenv("ANCHORSYNC_ADDED") == NULL, "our environment does not gain them");
	is_str(getenv("TEST_SHADOWED"), "ours", "nor loses what they replace");
	out = run("echo \"${ANCHORSYNC_ADDED-unset} $TEST_SHADOWED\"", NULL);
	is_str(out, "unset ours\n", "without env, the command sees ours alone");
	free(out);
	return tap_done();
}
