/* SPDX-License-Identifier: MIT */
/* The SMTP side of the client: a connection that is plaintext or TLS, a
 * buffered reply reader with RFC 5321 limits, and commands with an optional
 * transcript. */
#ifndef ANCHORSYNC_SMTP_H
#define ANCHORSYNC_SMTP_H

#include <stdbool.h>
#include <stddef.h>

#include "net.h"
#include "status.h"
#include "tls.h"

#define SMTP_LINE_MAX 512		/* octets of a reply line with its CRLF (RFC 5321 4.5.3.1.5) */
#define SMTP_REPLY_LINES_MAX 64		/* lines of one multi-line reply */
#define SMTP_REPLY_TEXT_MAX 4096	/* text kept of one reply */
#define SMTP_COMMAND_MAX 1000		/* a command line we send, CRLF excluded */

struct smtp_reply {
	int code;			/* 0 until the first line */
	size_t lines;
	bool done;			/* the last line ("CODE " or "CODE") was read */
	char text[SMTP_REPLY_TEXT_MAX];	/* line texts after the code, '\n'-joined */
};

struct smtp_conn {
	int fd;				/* the caller's socket */
	struct tls *tls;		/* NULL while plaintext; set by the caller */
	struct net_deadline deadline;	/* for the whole dialogue */
	enum net_cause cause;		/* why the last call failed */
	bool transcript;		/* print the dialogue to stderr */
	char buf[2 * SMTP_LINE_MAX];
	size_t start, end;
};

/* Prepares c for the connected socket fd; every read and write must end
 * before deadline. */
void smtp_conn_init(struct smtp_conn *c, int fd, const struct net_deadline *deadline,
		    bool transcript);

/* Adds one reply line (without its line ending) to r, which starts zeroed.
 * Returns STATUS_VERIFY_FAILED with the reason for a malformed line: no
 * three-digit code, a code that is not 2xx..5xx, a separator other than ' ' or
 * '-', a code different from the earlier lines', or too many lines. */
enum status smtp_reply_add_line(struct smtp_reply *r, const char *line, size_t len,
				struct error *err);

/* Reads one complete reply into r before c's deadline. Fails with
 * STATUS_UNAVAILABLE when the server closes or times out, STATUS_VERIFY_FAILED
 * for a malformed reply or a line over SMTP_LINE_MAX octets; c->cause says
 * which. The functions below set c->cause as well when they fail. */
enum status smtp_read_reply(struct smtp_conn *c, struct smtp_reply *r, struct error *err);

/* Sends one command line (CRLF is added). The text must not contain CR or LF. */
enum status smtp_command(struct smtp_conn *c, struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sends a command and reads its reply. */
enum status smtp_exchange(struct smtp_conn *c, struct smtp_reply *r, struct error *err,
			  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Sends raw bytes (a message body); the transcript shows a summary. */
enum status smtp_send_raw(struct smtp_conn *c, const char *data, size_t len, struct error *err);

/* True when the server sent bytes that nobody has read yet: left in the
 * buffer, held by TLS, or waiting on the socket. */
bool smtp_unread_bytes(struct smtp_conn *c);

/* True when the EHLO reply r announces keyword (case-insensitive). */
bool smtp_reply_has_keyword(const struct smtp_reply *r, const char *keyword);

/* The first line of r's text, for messages, into out. */
void smtp_reply_first_line(const struct smtp_reply *r, char *out, size_t size);

#endif
