/* SPDX-License-Identifier: MIT */
/* MX lookups for mx:DOMAIN targets (RFC 5321 section 5.1). */
#ifndef ANCHORSYNC_MX_H
#define ANCHORSYNC_MX_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"
#include "target.h"

#define MX_HOSTS_MAX 16

struct mx_host {
	unsigned preference;
	char name[TARGET_HOST_MAX + 1];
};

/* Looks up the MX records of domain and fills hosts with at most MX_HOSTS_MAX
 * exchanges, lowest preference first. A domain without MX records stands for
 * itself (the implicit MX: its A/AAAA), so *count is then 1 with the domain
 * and *implicit is true.
 * nameserver, when not NULL, is "ADDR[:PORT]" (IPv4) and replaces the servers
 * of /etc/resolv.conf. Fails with STATUS_UNAVAILABLE when the domain does not
 * exist, publishes a null MX ("."), or DNS does not answer; STATUS_USAGE when
 * nameserver is malformed. */
enum status mx_lookup(const char *domain, const char *nameserver,
		      struct mx_host hosts[MX_HOSTS_MAX], size_t *count, bool *implicit,
		      struct error *err);

/* Reads the MX records of the DNS answer msg (len bytes) into hosts, in the
 * answer's order, checking every offset against the end of the message; sets
 * *null_mx for a "." exchange (RFC 7505). Returns the number found, or -1
 * when the answer does not parse. */
int mx_answer_parse(const unsigned char *msg, int len, struct mx_host hosts[MX_HOSTS_MAX],
		    bool *null_mx);

/* Checks a nameserver override: "ADDR[:PORT]" with an IPv4 ADDR. */
enum status mx_nameserver_check(const char *nameserver, struct error *err);

#endif
