/* SPDX-License-Identifier: MIT */
/* Reaching a server: name resolution (with curl-style --resolve overrides),
 * IPv4 and IPv6, a connect timeout, and the next address when one fails. */
#ifndef ANCHORSYNC_NET_H
#define ANCHORSYNC_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#include "status.h"
#include "strlist.h"

#define NET_ADDR_TEXT_MAX 64	/* "[v6 address]:port" */

/* Why talking to a server failed: callers decide on this, not on the words. */
enum net_cause {
	NET_CAUSE_NONE,
	NET_CAUSE_NO_ADDRESS,	/* the name does not resolve */
	NET_CAUSE_REFUSED,	/* every address refused the connection */
	NET_CAUSE_UNREACHABLE,	/* no route, network down, ... */
	NET_CAUSE_TIMEOUT,	/* the deadline passed */
	NET_CAUSE_CLOSED,	/* the server closed the connection */
	NET_CAUSE_PROTOCOL,	/* a malformed or over-long reply */
	NET_CAUSE_IO,		/* a read or write failed otherwise */
};

/* A numeric IPv4 or IPv6 address with its port, ready for connect(). */
struct net_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/* Parses the len bytes of text, a numeric IPv4 or IPv6 address (brackets
 * allowed), with port into a; false when it is not one. */
bool net_addr_parse(const char *text, size_t len, unsigned port, struct net_addr *a);

/* One deadline for everything said to one server. */
struct net_deadline {
	struct timespec at;	/* CLOCK_MONOTONIC */
	unsigned seconds;	/* as given, for messages */
};

/* Sets d to seconds from now. */
void net_deadline_start(struct net_deadline *d, unsigned seconds);

/* Milliseconds until d, 0 once it has passed. */
int net_deadline_ms_left(const struct net_deadline *d);

/* Bounds blocking reads and writes on fd by what is left of d (SO_RCVTIMEO,
 * SO_SNDTIMEO); false when the deadline has passed. */
bool net_socket_bound(int fd, const struct net_deadline *d);

/* Checks that every entry of resolve is HOST:PORT:ADDR[,ADDR...] with a valid
 * port and numeric addresses (IPv6 with or without brackets). Returns
 * STATUS_USAGE naming the first bad entry. */
enum status net_resolve_check(const struct strlist *resolve, struct error *err);

/* Connects to host:port before deadline, trying the addresses of a matching
 * resolve entry, else those getaddrinfo returns, in order. On success *fd is a
 * connected blocking socket the caller closes and addr holds the address that
 * answered. Fails with STATUS_UNAVAILABLE saying what happened to each address
 * (refused, timed out, unreachable), or when the name does not resolve; *cause
 * says which in one word. */
enum status net_connect(const char *host, unsigned port, const struct strlist *resolve,
			const struct net_deadline *deadline, int *fd,
			char addr[NET_ADDR_TEXT_MAX], enum net_cause *cause, struct error *err);

#endif
