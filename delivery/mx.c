/* SPDX-License-Identifier: MIT */
#include "mx.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "net.h"
#include "parse.h"

#define MX_ANSWER_MAX 65536

/* Parses IPV4ADDRESS[:PORT] (the resolver's nameserver list takes IPv4 only). */
static enum status nameserver_parse(const char *text, struct sockaddr_in *sin,
				    struct error *err)
{
	const char *colon = strchr(text, ':');
	size_t len = colon ? (size_t)(colon - text) : strlen(text);
	unsigned port = 53;
	struct net_addr a;

	if ((colon == NULL || parse_port(colon + 1, &port)) &&
	    net_addr_parse(text, len, port, &a) && a.ss.ss_family == AF_INET) {
		memcpy(sin, &a.ss, sizeof(*sin));
		return STATUS_OK;
	}
	return error_set(err, STATUS_USAGE, "nameserver '%s': expected IPV4ADDRESS[:PORT]", text);
}

enum status mx_nameserver_check(const char *nameserver, struct error *err)
{
	struct sockaddr_in sin;

	if (nameserver == NULL)
		return STATUS_OK;
	return nameserver_parse(nameserver, &sin, err);
}

static int by_preference(const void *a, const void *b)
{
	const struct mx_host *x = a, *y = b;

	return (x->preference > y->preference) - (x->preference < y->preference);
}

static unsigned get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

int mx_answer_parse(const unsigned char *msg, int len, struct mx_host hosts[MX_HOSTS_MAX],
		    bool *null_mx)
{
	const unsigned char *p = msg + 12, *eom = msg + len;
	unsigned qdcount, ancount;
	char name[NS_MAXDNAME];
	int n = 0, skip;

	if (len < 12)
		return -1;
	qdcount = get16(msg + 4);
	ancount = get16(msg + 6);
	for (unsigned i = 0; i < qdcount; i++) {
		skip = dn_skipname(p, eom);
		if (skip < 0 || eom - p < skip + 4)
			return -1;
		p += skip + 4;
	}
	for (unsigned i = 0; i < ancount && n < MX_HOSTS_MAX; i++) {
		unsigned type, rdlen;

		skip = dn_skipname(p, eom);
		if (skip < 0 || eom - p < skip + 10)
			return -1;
		p += skip;
		type = get16(p);
		rdlen = get16(p + 8);
		p += 10;
		if ((size_t)(eom - p) < rdlen)
			return -1;
		if (type == ns_t_mx && rdlen >= 3) {
			if (dn_expand(msg, eom, p + 2, name, sizeof(name)) < 0)
				return -1;
			if (name[0] == '\0' || strcmp(name, ".") == 0) {
				*null_mx = true;	/* RFC 7505: no mail for this domain */
			} else if (strlen(name) <= TARGET_HOST_MAX) {
				hosts[n].preference = get16(p);
				snprintf(hosts[n].name, sizeof(hosts[n].name), "%s", name);
				n++;
			}
		}
		p += rdlen;
	}
	return n;
}

enum status mx_lookup(const char *domain, const char *nameserver,
		      struct mx_host hosts[MX_HOSTS_MAX], size_t *count, bool *implicit,
		      struct error *err)
{
	struct __res_state res;
	struct sockaddr_in ns;
	unsigned char *answer = NULL;
	bool null_mx = false;
	enum status st = STATUS_OK;
	int len, n;

	*count = 0;
	*implicit = false;
	memset(&res, 0, sizeof(res));
	if (nameserver != NULL && (st = nameserver_parse(nameserver, &ns, err)) != STATUS_OK)
		return st;
	if (res_ninit(&res) < 0)
		return error_set(err, STATUS_UNAVAILABLE, "cannot initialise the resolver");
	if (nameserver != NULL) {
		res.nsaddr_list[0] = ns;
		res.nscount = 1;
	}
	answer = malloc(MX_ANSWER_MAX);
	if (answer == NULL) {
		st = error_set(err, STATUS_INTERNAL, "out of memory");
		goto out_close;
	}
	len = res_nquery(&res, domain, ns_c_in, ns_t_mx, answer, MX_ANSWER_MAX);
	if (len < 0) {
		switch (res.res_h_errno) {
		case HOST_NOT_FOUND:
			st = error_set(err, STATUS_UNAVAILABLE,
				       "MX lookup for '%s': the domain does not exist", domain);
			goto out_free;
		case NO_DATA:
			break;	/* no MX: the implicit MX below */
		default:
			st = error_set(err, STATUS_UNAVAILABLE,
				       "MX lookup for '%s': DNS did not answer (%s)", domain,
				       hstrerror(res.res_h_errno));
			goto out_free;
		}
		n = 0;
	} else {
		n = mx_answer_parse(answer, len > MX_ANSWER_MAX ? MX_ANSWER_MAX : len, hosts, &null_mx);
		if (n < 0) {
			st = error_set(err, STATUS_UNAVAILABLE,
				       "MX lookup for '%s': malformed DNS answer", domain);
			goto out_free;
		}
	}
	if (n == 0 && null_mx) {
		st = error_set(err, STATUS_UNAVAILABLE, "'%s' publishes a null MX: it accepts no mail",
			       domain);
		goto out_free;
	}
	if (n == 0) {
		log_debug("'%s' has no MX records: using its address records", domain);
		hosts[0].preference = 0;
		*implicit = true;
		snprintf(hosts[0].name, sizeof(hosts[0].name), "%s", domain);
		n = 1;
	}
	qsort(hosts, (size_t)n, sizeof(hosts[0]), by_preference);
	*count = (size_t)n;
out_free:
	free(answer);
out_close:
	res_nclose(&res);
	return st;
}
