/* Reaching a server: name resolution (with curl-style --resolve overrides),
 * IPv4 and IPv6, a connect timeout, and the next address when one fails. */
#ifndef ANCHORSYNC_NET_H
#define ANCHORSYNC_NET_H

#include <stddef.h>

#include "status.h"
#include "strlist.h"

#define NET_ADDR_TEXT_MAX 64	/* "[v6 address]:port" */

/* Checks that every entry of resolve is HOST:PORT:ADDR[,ADDR...] with a valid
 * port and numeric addresses (IPv6 with or without brackets). Returns
 * STATUS_USAGE naming the first bad entry. */
enum status net_resolve_check(const struct strlist *resolve, struct error *err);

/* Connects to host:port within timeout seconds per address, trying the
 * addresses of a matching resolve entry, else those getaddrinfo returns, in
 * order. On success *fd is a connected blocking socket the caller closes and
 * addr holds the address that answered. Fails with STATUS_UNAVAILABLE saying
 * what happened to each address (refused, timed out, unreachable), or when the
 * name does not resolve. */
enum status net_connect(const char *host, unsigned port, const struct strlist *resolve,
			unsigned timeout, int *fd, char addr[NET_ADDR_TEXT_MAX],
			struct error *err);

#endif
