/* SPDX-License-Identifier: MIT */
/* `anchorsync sign`: the command line, then sign_bundle. */
#include <string.h>

#include "cli.h"
#include "signer.h"

static enum status sign_option(int opt, const char *arg, void *user, struct error *err)
{
	struct sign_request *a = user;

	(void)err;
	switch (opt) {
	case 'k': a->key = arg; break;
	case 'c': a->cert = arg; break;
	case 'C': a->chain = arg; break;
	case 's': a->serial = arg; break;
	case 'e': a->expires = arg; break;
	case 'o': a->out = arg; break;
	}
	return STATUS_OK;
}

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
	static const struct cli_spec spec = { .options = options, .shorts = "o:",
					      .on_option = sign_option, .min_operands = 1,
					      .max_operands = 1,
					      .operands_usage = "needs one BUNDLE.pem" };
	int first;
	enum status st;

	memset(a, 0, sizeof(*a));
	st = cli_parse(inv, &spec, a, &first, err);
	if (st != STATUS_OK)
		return st;
	a->bundle = inv->argv[first];
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
