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

/* At most a few lines of a tool's output in a message. */
static void test_excerpt(void)
{
	char out[1024], many[4096] = "";

	command_output_excerpt(NULL, out, sizeof(out));
	is_str(out, "", "no output, no excerpt");
	command_output_excerpt("\n  \n", out, sizeof(out));
	is_str(out, "", "blank lines are no excerpt");
	command_output_excerpt("one\ntwo\n", out, sizeof(out));
	is_str(out, "one | two", "short output whole, in order");
	for (int i = 1; i <= 30; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "step %d\n", i);
	command_output_excerpt(many, out, sizeof(out));
	is_str(out, "(3 of 30 lines) step 28 | step 29 | step 30", "else the last three lines");
	strcat(many, "E: cannot write the bundle\nWARNING: skipping x.crt\n");
	for (int i = 0; i < 5; i++)
		strcat(many, "done\n");
	command_output_excerpt(many, out, sizeof(out));
	is_str(out, "(2 of 37 lines) E: cannot write the bundle | WARNING: skipping x.crt",
	       "the lines that say what went wrong, in order");
	command_output_excerpt("bad\x1b[2Jbyte: error\n", out, sizeof(out));
	is_str(out, "bad\\x1b[2Jbyte: error", "escaped");
}

int main(void)
{
	test_excerpt();
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
