/* SPDX-License-Identifier: MIT */
/* What every command receives from main, and the commands themselves.
 *
 * A command parses its own options from argv (argv[0] is the command name),
 * returns a status and leaves a message in err; main prints it and maps the
 * status to an exit code. */
#ifndef ANCHORSYNC_CLI_H
#define ANCHORSYNC_CLI_H

#include <getopt.h>
#include <stdbool.h>

#include "config.h"
#include "status.h"

struct invocation {
	const char *config_path;	/* -c FILE, or the default */
	bool config_explicit;		/* -c was given */
	int argc;
	char **argv;
};

/* Loads the configuration named by inv into cfg (initialised here; the caller
 * frees it). When the default file is absent and optional is true, cfg keeps the
 * defaults. */
enum status cli_load_config(const struct invocation *inv, struct config *cfg,
			    bool optional, struct error *err);

/* Loads the configuration as cli_load_config does (the file must exist) and
 * checks that it names a source and that every [delivery] value parses: what
 * refresh and check-config need, before anything is touched. */
enum status cli_load_source_config(const struct invocation *inv, struct config *cfg,
				   struct error *err);

/* Handles the options every command takes (-v, -q); returns false for others. */
bool cli_common_option(int opt);

/* Reports an unknown option or stray argument in err, naming the command. */
enum status cli_usage_error(const struct invocation *inv, const char *what, struct error *err);

/* A command's command line, for cli_parse. */
struct cli_spec {
	/* The command's own long options, ending in a zero entry (NULL: none);
	 * -v/--verbose and -q/--quiet are added to them. */
	const struct option *options;
	const char *shorts;		/* its short options besides v and q ("o:"), or NULL */
	/* Called with each of its options (optarg in arg); anything but STATUS_OK
	 * stops the parse with that status. May be NULL when it has none. */
	enum status (*on_option)(int opt, const char *arg, void *user, struct error *err);
	int min_operands;
	int max_operands;		/* -1: no limit */
	const char *operands_usage;	/* the usage error for another count */
};

/* An on_option for a command whose one option is a flag: sets the bool user
 * points to. */
enum status cli_flag_option(int opt, const char *arg, void *user, struct error *err);

/* Parses inv's options and counts its operands as spec says; *first is the
 * index of the first operand in inv->argv. An unknown option, one that lacks
 * its value, or a wrong number of operands is STATUS_USAGE naming the
 * command and the problem. */
enum status cli_parse(const struct invocation *inv, const struct cli_spec *spec, void *user,
		      int *first, struct error *err);

enum status cmd_refresh(const struct invocation *inv, struct error *err);
enum status cmd_verify(const struct invocation *inv, struct error *err);
enum status cmd_status(const struct invocation *inv, struct error *err);
enum status cmd_fingerprint(const struct invocation *inv, struct error *err);
enum status cmd_remove(const struct invocation *inv, struct error *err);
enum status cmd_check_config(const struct invocation *inv, struct error *err);
enum status cmd_sign(const struct invocation *inv, struct error *err);

#endif
