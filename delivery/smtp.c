/* SPDX-License-Identifier: MIT */
#include "smtp.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "text.h"

void smtp_conn_init(struct smtp_conn *c, int fd, const struct net_deadline *deadline,
		    bool transcript)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->deadline = *deadline;
	c->transcript = transcript;
}

/* Records why the call failed; returns status for `return failed(...)`. */
static enum status failed(struct smtp_conn *c, enum net_cause cause, enum status status)
{
	c->cause = cause;
	return status;
}

static void transcript(const struct smtp_conn *c, bool from_server, const char *line, size_t len)
{
	if (!c->transcript)
		return;
	fputs(from_server ? (c->tls ? "<~ " : "<- ") : (c->tls ? " ~> " : " -> "), stderr);
	text_write(stderr, line, len, false);
	fputc('\n', stderr);
}

enum status smtp_reply_add_line(struct smtp_reply *r, const char *line, size_t len,
				struct error *err)
{
	int code, shown = len > 60 ? 60 : (int)len;
	size_t used, add;

	if (r->done)
		return error_set(err, STATUS_VERIFY_FAILED, "malformed reply: text after the last line");
	if (len < 3 || !isdigit((unsigned char)line[0]) || !isdigit((unsigned char)line[1]) ||
	    !isdigit((unsigned char)line[2]))
		return error_set(err, STATUS_VERIFY_FAILED,
				 "malformed reply '%.*s': no three-digit code", shown, line);
	code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	if (line[0] < '2' || line[0] > '5' || line[1] > '5')
		return error_set(err, STATUS_VERIFY_FAILED,
				 "malformed reply '%.*s': %d is not an SMTP reply code", shown, line, code);
	if (len > 3 && line[3] != ' ' && line[3] != '-')
		return error_set(err, STATUS_VERIFY_FAILED,
				 "malformed reply '%.*s': a space or '-' must follow the code",
				 shown, line);
	if (r->lines > 0 && code != r->code)
		return error_set(err, STATUS_VERIFY_FAILED,
				 "malformed reply: code %d inside a %d reply", code, r->code);
	if (r->lines == SMTP_REPLY_LINES_MAX)
		return error_set(err, STATUS_VERIFY_FAILED,
				 "malformed reply: more than %d lines", SMTP_REPLY_LINES_MAX);
	r->code = code;
	r->lines++;
	r->done = len == 3 || line[3] == ' ';

	/* keep the text, '\n'-joined, as much as fits */
	used = strlen(r->text);
	if (r->lines > 1 && used + 1 < sizeof(r->text))
		r->text[used++] = '\n';
	add = len > 4 ? len - 4 : 0;
	if (add > sizeof(r->text) - 1 - used)
		add = sizeof(r->text) - 1 - used;
	memcpy(r->text + used, line + 4, add);
	r->text[used + add] = '\0';
	return STATUS_OK;
}

/* Reads more bytes into the buffer before the deadline. */
static enum status fill(struct smtp_conn *c, struct error *err)
{
	int left = net_deadline_ms_left(&c->deadline);
	enum net_cause cause = NET_CAUSE_NONE;
	ssize_t n;

	if (c->start > 0) {
		memmove(c->buf, c->buf + c->start, c->end - c->start);
		c->end -= c->start;
		c->start = 0;
	}
	if (left <= 0)
		goto timed_out;
	if (c->tls != NULL) {
		n = tls_read(c->tls, c->buf + c->end, sizeof(c->buf) - c->end, &c->deadline,
			     &cause, err);
		if (n < 0)
			return failed(c, cause, STATUS_UNAVAILABLE);
	} else {
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		int rc;

		do
			rc = poll(&pfd, 1, left);
		while (rc < 0 && errno == EINTR && (left = net_deadline_ms_left(&c->deadline)) > 0);
		if (rc == 0 || left <= 0)
			goto timed_out;
		if (rc < 0)
			return failed(c, NET_CAUSE_IO, error_set(err, STATUS_UNAVAILABLE, "poll: %s",
								 strerror(errno)));
		do
			n = recv(c->fd, c->buf + c->end, sizeof(c->buf) - c->end, 0);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return failed(c, NET_CAUSE_IO, error_set(err, STATUS_UNAVAILABLE, "read: %s",
								 strerror(errno)));
	}
	if (n == 0)
		return failed(c, NET_CAUSE_CLOSED, error_set(err, STATUS_UNAVAILABLE,
							      "the server closed the connection"));
	c->end += (size_t)n;
	return STATUS_OK;
timed_out:
	return failed(c, NET_CAUSE_TIMEOUT, error_set(err, STATUS_UNAVAILABLE,
		      "timed out after %u s waiting for the server's reply", c->deadline.seconds));
}

/* Reads one line; *line points into the buffer, valid until the next read. */
static enum status read_line(struct smtp_conn *c, const char **line, size_t *len,
			     struct error *err)
{
	for (;;) {
		char *start = c->buf + c->start;
		size_t have = c->end - c->start;
		char *lf = memchr(start, '\n', have);
		enum status st;

		if (lf != NULL) {
			size_t total = (size_t)(lf - start) + 1;

			if (total > SMTP_LINE_MAX)
				break;
			*line = start;
			*len = total - 1;
			if (*len > 0 && start[*len - 1] == '\r')
				(*len)--;
			c->start += total;
			return STATUS_OK;
		}
		if (have >= SMTP_LINE_MAX)
			break;
		st = fill(c, err);
		if (st != STATUS_OK)
			return st;
	}
	return failed(c, NET_CAUSE_PROTOCOL, error_set(err, STATUS_VERIFY_FAILED,
		      "malformed reply: a line longer than %d octets (RFC 5321 limit)", SMTP_LINE_MAX));
}

enum status smtp_read_reply(struct smtp_conn *c, struct smtp_reply *r, struct error *err)
{
	enum status st;

	memset(r, 0, sizeof(*r));
	while (!r->done) {
		const char *line = NULL;
		size_t len = 0;

		st = read_line(c, &line, &len, err);
		if (st != STATUS_OK)
			return st;
		transcript(c, true, line, len);
		if (memchr(line, '\0', len) != NULL)
			return failed(c, NET_CAUSE_PROTOCOL, error_set(err, STATUS_VERIFY_FAILED,
				      "malformed reply: a NUL byte"));
		st = smtp_reply_add_line(r, line, len, err);
		if (st != STATUS_OK)
			return failed(c, NET_CAUSE_PROTOCOL, st);
	}
	return STATUS_OK;
}

/* Writes all of p before the deadline (the socket's send timeout bounds a
 * server that stops reading). */
static enum status write_all(struct smtp_conn *c, const char *p, size_t len, struct error *err)
{
	enum net_cause cause = NET_CAUSE_NONE;

	if (!net_socket_bound(c->fd, &c->deadline))
		return failed(c, NET_CAUSE_TIMEOUT, error_set(err, STATUS_UNAVAILABLE,
			      "timed out after %u s writing to the server", c->deadline.seconds));
	if (c->tls != NULL) {
		if (tls_write(c->tls, p, len, &c->deadline, &cause, err) != STATUS_OK)
			return failed(c, cause, STATUS_UNAVAILABLE);
		return STATUS_OK;
	}
	while (len > 0) {
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return failed(c, NET_CAUSE_TIMEOUT, error_set(err, STATUS_UNAVAILABLE,
				      "timed out after %u s writing to the server",
				      c->deadline.seconds));
		if (n < 0)
			return failed(c, NET_CAUSE_IO, error_set(err, STATUS_UNAVAILABLE, "write: %s",
								 strerror(errno)));
		p += n;
		len -= (size_t)n;
	}
	return STATUS_OK;
}

static enum status vcommand(struct smtp_conn *c, struct error *err, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static enum status vcommand(struct smtp_conn *c, struct error *err, const char *fmt, va_list ap)
{
	char line[SMTP_COMMAND_MAX + 3];
	int n = vsnprintf(line, SMTP_COMMAND_MAX + 1, fmt, ap);

	if (n < 0 || n > SMTP_COMMAND_MAX || strpbrk(line, "\r\n") != NULL)
		return failed(c, NET_CAUSE_PROTOCOL, error_set(err, STATUS_USAGE,
			      "SMTP command too long or with a line break"));
	transcript(c, false, line, (size_t)n);
	memcpy(line + n, "\r\n", 2);
	return write_all(c, line, (size_t)n + 2, err);
}

enum status smtp_command(struct smtp_conn *c, struct error *err, const char *fmt, ...)
{
	va_list ap;
	enum status st;

	va_start(ap, fmt);
	st = vcommand(c, err, fmt, ap);
	va_end(ap);
	return st;
}

enum status smtp_exchange(struct smtp_conn *c, struct smtp_reply *r, struct error *err,
			  const char *fmt, ...)
{
	va_list ap;
	enum status st;

	va_start(ap, fmt);
	st = vcommand(c, err, fmt, ap);
	va_end(ap);
	if (st != STATUS_OK)
		return st;
	return smtp_read_reply(c, r, err);
}

enum status smtp_send_raw(struct smtp_conn *c, const char *data, size_t len, struct error *err)
{
	if (c->transcript)
		fprintf(stderr, "%s [message: %zu octets]\n", c->tls ? " ~>" : " ->", len);
	return write_all(c, data, len, err);
}

bool smtp_unread_bytes(struct smtp_conn *c)
{
	char byte;

	if (c->end > c->start)
		return true;
	if (c->tls != NULL && tls_pending(c->tls) > 0)
		return true;
	return recv(c->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

bool smtp_reply_has_keyword(const struct smtp_reply *r, const char *keyword)
{
	size_t klen = strlen(keyword);
	const char *p = r->text;

	while (*p != '\0') {
		size_t len = strcspn(p, "\n");

		if (len >= klen && strncasecmp(p, keyword, klen) == 0 &&
		    (len == klen || p[klen] == ' '))
			return true;
		p += len;
		if (*p == '\n')
			p++;
	}
	return false;
}

void smtp_reply_first_line(const struct smtp_reply *r, char *out, size_t size)
{
	size_t len = strcspn(r->text, "\n");
	int n = snprintf(out, size, "%d ", r->code);

	if (n > 0 && (size_t)n < size)
		text_escape(out + n, size - (size_t)n, r->text, len);
}
