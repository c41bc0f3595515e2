/* SPDX-License-Identifier: MIT */
/* `anchorsync sign`: the command line, then sign_bundle. */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "signer.h"

static enum status parse_args(const struct invocation *inv, struct sign_request *a,
			      struct error *err)
{
	static const struct option options[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "cert", required_argument, NULL, 'c' },
		{ "chain", required_argument, NULL, 'C' },
		{ "serial", required_argument, NULL, 's' },
		{ "expires", required_argument, NULL, 'e' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	memset(a, 0, sizeof(*a));
	while ((opt = getopt_long(inv->argc, inv->argv, "vqo:", options, NULL)) != -1) {
		switch (opt) {
		case 'k': a->key = optarg; break;
		case 'c': a->cert = optarg; break;
		case 'C': a->chain = optarg; break;
		case 's': a->serial = optarg; break;
		case 'e': a->expires = optarg; break;
		case 'o': a->out = optarg; break;
		default:
			if (!cli_common_option(opt))
				return cli_usage_error(inv, "unknown option", err);
		}
	}
	if (optind + 1 != inv->argc)
		return cli_usage_error(inv, "needs one BUNDLE.pem", err);
	a->bundle = inv->argv[optind];
	if (!a->key || !a->cert || !a->serial || !a->expires)
		return error_set(err, STATUS_USAGE, "sign: --key, --cert, --serial and --expires "
				 "are required (see 'anchorsync --help')");
	return STATUS_OK;
}

enum status cmd_sign(const struct invocation *inv, struct error *err)
{
	struct sign_request a;
	enum status st = parse_args(inv, &a, err);

	return st == STATUS_OK ? sign_bundle(&a, err) : st;
}
