/* SPDX-License-Identifier: MIT */
#include "target_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "mx.h"

enum status target_check_run(const char *text, const struct probe_options *opt,
			 const char *nameserver, struct target_check *c, struct error *err)
{
	struct mx_host hosts[MX_HOSTS_MAX];
	struct target t;
	size_t count = 1, reached = 0, failed = 0;
	enum status st;

	memset(c, 0, sizeof(*c));
	st = target_parse(text, &t, err);
	if (st != STATUS_OK)
		return st;
	c->target = strdup(text);
	if (c->target == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	if (t.kind == TARGET_MX) {
		struct error lookup = { .status = STATUS_OK };

		st = mx_lookup(t.host, nameserver, hosts, &count, &c->implicit_mx, &lookup);
		if (st == STATUS_USAGE || st == STATUS_INTERNAL)
			return error_set(err, st, "%s", lookup.msg);
		if (st != STATUS_OK) {
			snprintf(c->error, sizeof(c->error), "%s", lookup.msg);
			c->status = STATUS_UNAVAILABLE;
			return c->status;
		}
		for (size_t i = 0; i < count; i++)
			log_debug("%s: MX %u %s", t.host, hosts[i].preference, hosts[i].name);
	} else {
		snprintf(hosts[0].name, sizeof(hosts[0].name), "%s", t.host);
	}
	c->probes = calloc(count, sizeof(*c->probes));
	if (c->probes == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < count; i++) {
		st = probe_run(hosts[i].name, t.port, t.implicit_tls, opt, &c->probes[i]);
		c->probe_count++;
		if (st != STATUS_UNAVAILABLE)
			reached++;
		if (st != STATUS_OK)
			failed++;
	}
	if (failed == 0)
		c->status = STATUS_OK;
	else if (reached == 0)
		c->status = STATUS_UNAVAILABLE;
	else
		c->status = STATUS_VERIFY_FAILED;
	return c->status;
}

void target_check_free(struct target_check *c)
{
	free(c->target);
	free(c->probes);
	memset(c, 0, sizeof(*c));
}
