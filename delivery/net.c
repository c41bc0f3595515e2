/* SPDX-License-Identifier: MIT */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "log.h"
#include "parse.h"
#include "textbuf.h"

#define NET_MAX_ADDRS 16

bool net_addr_parse(const char *text, size_t len, unsigned port, struct net_addr *a)
{
	char buf[INET6_ADDRSTRLEN + 2];
	struct sockaddr_in *sin = (struct sockaddr_in *)&a->ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&a->ss;

	if (len >= 2 && text[0] == '[' && text[len - 1] == ']') {
		text++;
		len -= 2;
	}
	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, text, len);
	buf[len] = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, buf, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		a->len = sizeof(*sin);
		return true;
	}
	if (inet_pton(AF_INET6, buf, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		a->len = sizeof(*sin6);
		return true;
	}
	return false;
}

/* Splits "HOST:PORT:ADDRS" at its first two colons. */
static bool resolve_split(const char *entry, const char **host, size_t *host_len,
			  unsigned *port, const char **addrs)
{
	const char *c1 = strchr(entry, ':'), *c2;
	char text[8];

	if (c1 == NULL || c1 == entry)
		return false;
	c2 = strchr(c1 + 1, ':');
	if (c2 == NULL || c2[1] == '\0' || (size_t)(c2 - c1 - 1) >= sizeof(text))
		return false;
	snprintf(text, sizeof(text), "%.*s", (int)(c2 - c1 - 1), c1 + 1);
	if (!parse_port(text, port))
		return false;
	*host = entry;
	*host_len = (size_t)(c1 - entry);
	*addrs = c2 + 1;
	return true;
}

/* Fills out with the addresses of addrs ("A,B,..."); returns how many, or -1
 * when one is not a numeric address. */
static int resolve_addrs(const char *addrs, unsigned port, struct net_addr *out, int max)
{
	int n = 0;

	while (*addrs != '\0') {
		size_t len = strcspn(addrs, ",");

		if (n == max || !net_addr_parse(addrs, len, port, &out[n]))
			return -1;
		n++;
		addrs += len;
		if (*addrs == ',' && *++addrs == '\0')
			return -1;	/* "ADDR," lists nothing after the comma */
	}
	return n;
}

enum status net_resolve_check(const struct strlist *resolve, struct error *err)
{
	struct net_addr tmp[NET_MAX_ADDRS];

	for (size_t i = 0; i < resolve->count; i++) {
		const char *host, *addrs;
		size_t host_len;
		unsigned port;

		if (!resolve_split(resolve->items[i], &host, &host_len, &port, &addrs) ||
		    resolve_addrs(addrs, port, tmp, NET_MAX_ADDRS) <= 0)
			return error_set(err, STATUS_USAGE, "resolve '%s': expected HOST:PORT:ADDRESS "
					 "with a numeric address", resolve->items[i]);
	}
	return STATUS_OK;
}

static void addr_format(const struct net_addr *a, char out[NET_ADDR_TEXT_MAX])
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)&a->ss;

		inet_ntop(AF_INET6, &s->sin6_addr, host, sizeof(host));
		snprintf(out, NET_ADDR_TEXT_MAX, "[%s]:%u", host, ntohs(s->sin6_port));
	} else {
		const struct sockaddr_in *s = (const struct sockaddr_in *)&a->ss;

		inet_ntop(AF_INET, &s->sin_addr, host, sizeof(host));
		snprintf(out, NET_ADDR_TEXT_MAX, "%s:%u", host, ntohs(s->sin_port));
	}
}

/* The addresses for host:port: from resolve when an entry matches, else DNS. */
static enum status addrs_for(const char *host, unsigned port, const struct strlist *resolve,
			     struct net_addr *out, int *count, struct error *err)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_protocol = IPPROTO_TCP };
	struct addrinfo *res = NULL;
	char service[8];
	int rc, n = 0;

	for (size_t i = 0; i < resolve->count; i++) {
		const char *h, *addrs;
		size_t hl;
		unsigned p;

		if (!resolve_split(resolve->items[i], &h, &hl, &p, &addrs))
			continue;
		if (p != port || hl != strlen(host) || strncasecmp(h, host, hl) != 0)
			continue;
		n = resolve_addrs(addrs, port, out, NET_MAX_ADDRS);
		if (n <= 0)
			return error_set(err, STATUS_USAGE, "resolve '%s': bad address",
					 resolve->items[i]);
		log_debug("%s:%u resolved to %s by --resolve", host, port, addrs);
		*count = n;
		return STATUS_OK;
	}

	snprintf(service, sizeof(service), "%u", port);
	rc = getaddrinfo(host, service, &hints, &res);
	if (rc != 0)
		return error_set(err, STATUS_UNAVAILABLE, "cannot resolve '%s': %s", host,
				 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
	for (struct addrinfo *ai = res; ai != NULL && n < NET_MAX_ADDRS; ai = ai->ai_next) {
		if (ai->ai_addrlen > sizeof(out[n].ss))
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		memcpy(&out[n].ss, ai->ai_addr, ai->ai_addrlen);
		out[n].len = ai->ai_addrlen;
		n++;
	}
	freeaddrinfo(res);
	if (n == 0)
		return error_set(err, STATUS_UNAVAILABLE, "cannot resolve '%s': no address", host);
	*count = n;
	return STATUS_OK;
}

void net_deadline_start(struct net_deadline *d, unsigned seconds)
{
	clock_gettime(CLOCK_MONOTONIC, &d->at);
	d->at.tv_sec += seconds;
	d->seconds = seconds;
}

int net_deadline_ms_left(const struct net_deadline *d)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(d->at.tv_sec - now.tv_sec) * 1000 + (d->at.tv_nsec - now.tv_nsec) / 1000000;
	return ms <= 0 ? 0 : ms > INT_MAX ? INT_MAX : (int)ms;
}

bool net_socket_bound(int fd, const struct net_deadline *d)
{
	int ms = net_deadline_ms_left(d);
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

	if (ms == 0)
		return false;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return true;
}

/* Connects to one address before the deadline. Returns the socket, or -1
 * with errno set (ETIMEDOUT when the time ran out). */
static int connect_one(const struct net_addr *a, const struct net_deadline *deadline)
{
	struct pollfd pfd;
	int fd, flags, rc, soerr = 0;
	socklen_t len = sizeof(soerr);

	fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)&a->ss, a->len) == 0)
		goto connected;
	if (errno != EINPROGRESS)
		goto fail;
	pfd = (struct pollfd){ .fd = fd, .events = POLLOUT };
	do
		rc = poll(&pfd, 1, net_deadline_ms_left(deadline));
	while (rc < 0 && errno == EINTR);
	if (rc == 0) {
		errno = ETIMEDOUT;
		goto fail;
	}
	if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		goto fail;
	if (soerr != 0) {
		errno = soerr;
		goto fail;
	}
connected:
	/* Commands are small writes that wait for a reply; without this, Nagle and
	 * delayed ACKs cost 40 ms after the TLS handshake's last flight. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
		goto fail;
	return fd;
fail:
	rc = errno;
	close(fd);
	errno = rc;
	return -1;
}

enum status net_connect(const char *host, unsigned port, const struct strlist *resolve,
			const struct net_deadline *deadline, int *fd,
			char addr[NET_ADDR_TEXT_MAX], enum net_cause *cause, struct error *err)
{
	struct net_addr addrs[NET_MAX_ADDRS];
	char tried[1024] = "", text[NET_ADDR_TEXT_MAX];
	size_t used = 0;
	int count = 0;
	enum status st;

	*fd = -1;
	*cause = NET_CAUSE_NO_ADDRESS;
	st = addrs_for(host, port, resolve, addrs, &count, err);
	if (st != STATUS_OK)
		return st;
	*cause = NET_CAUSE_REFUSED;
	for (int i = 0; i < count; i++) {
		int s, e;

		addr_format(&addrs[i], text);
		log_debug("connecting to %s (%s)", host, text);
		s = connect_one(&addrs[i], deadline);
		if (s >= 0) {
			*fd = s;
			memcpy(addr, text, NET_ADDR_TEXT_MAX);
			return STATUS_OK;
		}
		e = errno;
		log_debug("%s: %s", text, strerror(e));
		if (e == ETIMEDOUT)
			*cause = NET_CAUSE_TIMEOUT;
		else if (e != ECONNREFUSED && *cause == NET_CAUSE_REFUSED)
			*cause = NET_CAUSE_UNREACHABLE;
		textbuf_appendf(tried, sizeof(tried), &used, "%s%s: %s", i ? "; " : "", text,
				e == ETIMEDOUT ? "connection timed out" :
				e == ECONNREFUSED ? "connection refused" : strerror(e));
	}
	return error_set(err, STATUS_UNAVAILABLE, "cannot connect to %s port %u (%s)",
			 host, port, tried);
}
