/* SPDX-License-Identifier: MIT */
#include "probe.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "smtp.h"
#include "text.h"
#include "textbuf.h"
#include "timefmt.h"

/* What a probe carries between its steps. */
struct dialogue {
	const struct probe_options *opt;
	struct probe_result *r;
	struct smtp_conn conn;
	struct smtp_reply reply;
	struct error err;
};

const char *probe_cause_id(enum probe_cause cause)
{
	switch (cause) {
	case PROBE_VERIFIED: return "verified";
	case PROBE_UNREACHABLE: return "unreachable";
	case PROBE_TIMEOUT: return "timeout";
	case PROBE_PROTOCOL: return "protocol-error";
	case PROBE_REFUSED: return "refused";
	case PROBE_NO_STARTTLS: return "starttls-not-offered";
	case PROBE_STARTTLS_REFUSED: return "starttls-refused";
	case PROBE_INJECTION: return "starttls-injection";
	case PROBE_HANDSHAKE: return "handshake-failed";
	case PROBE_UNKNOWN_ISSUER: return "unknown-issuer";
	case PROBE_SELF_SIGNED: return "self-signed";
	case PROBE_EXPIRED: return "expired";
	case PROBE_NOT_YET_VALID: return "not-yet-valid";
	case PROBE_NAME_MISMATCH: return "name-mismatch";
	case PROBE_NO_SAN: return "no-subjectaltname";
	case PROBE_CERT_INVALID: return "certificate-invalid";
	case PROBE_SENDER_REFUSED: return "sender-refused";
	case PROBE_RECIPIENT_REFUSED: return "recipient-refused";
	case PROBE_MESSAGE_REFUSED: return "message-refused";
	}
	return "unknown";
}

/* Records the cause with its message and fix; returns the status for it. */
static enum status fail(struct probe_result *r, enum probe_cause cause, const char *fix,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum status fail(struct probe_result *r, enum probe_cause cause, const char *fix,
			const char *fmt, ...)
{
	va_list ap;

	r->cause = cause;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
	snprintf(r->fix, sizeof(r->fix), "%s", fix);
	return cause == PROBE_UNREACHABLE ? STATUS_UNAVAILABLE : STATUS_VERIFY_FAILED;
}

/* A failed read or write: a timeout, a closed connection, or a bad reply. */
static enum status io_failed(struct dialogue *d, const char *stage)
{
	switch (d->conn.cause) {
	case NET_CAUSE_TIMEOUT:
		return fail(d->r, PROBE_TIMEOUT, "check that the server is not overloaded or "
			    "stalled; raise --timeout if it is merely slow",
			    "no reply %s: %s", stage, d->err.msg);
	case NET_CAUSE_CLOSED:
		return fail(d->r, PROBE_PROTOCOL, "see the server's log for why it hung up; "
			    "run with -v to see the dialogue",
			    "the server closed the connection %s", stage);
	default:
		return fail(d->r, PROBE_PROTOCOL, "this does not look like a working SMTP server; "
			    "run with -v to see the dialogue", "reply %s: %s", stage, d->err.msg);
	}
}

/* Whether name is an IP address literal (IPv4, or IPv6 with or without
 * brackets). */
static bool is_ip_literal(const char *name)
{
	struct net_addr a;

	return net_addr_parse(name, strlen(name), 0, &a);
}

/* "a, b, c" of the certificate's DNS names (or "none"); one that is an IP
 * address says so, since clients match an address only against an IP
 * subjectAltName. */
static void names_list(const struct tls_cert *c, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < c->name_count; i++)
		textbuf_appendf(out, size, &used, "%s%s%s", i ? ", " : "", c->names[i],
				is_ip_literal(c->names[i]) ? " (an IP address written as a DNS "
				"name: clients match addresses only against IP names)" : "");
	if (c->name_count == 0)
		snprintf(out, size, "no DNS names");
}

/* Turns a failed certificate verification into the cause and its fix. */
static enum status cert_failed(struct dialogue *d)
{
	struct probe_result *r = d->r;
	const struct tls_info *ti = &r->tls;
	const struct tls_cert *leaf = ti->chain_count ? &ti->chain[0] : NULL;
	const struct tls_cert *top = ti->chain_count ? &ti->chain[ti->chain_count - 1] : NULL;
	char names[512], fix[PROBE_TEXT_MAX], when[TIME_TEXT_SIZE];
	time_t now = time(NULL);

	switch (ti->problem) {
	case TLS_PROBLEM_SELF_SIGNED:
		snprintf(fix, sizeof(fix), "issue the server a certificate from the internal CA "
			 "with subjectAltName DNS:%s, or pin and refresh the CA that should vouch for it",
			 r->name);
		return fail(r, PROBE_SELF_SIGNED, fix,
			    "the server presents a self-signed certificate ('%s') that %s does not trust",
			    leaf->subject, d->opt->trust_desc);
	case TLS_PROBLEM_UNKNOWN_ISSUER:
		return fail(r, PROBE_UNKNOWN_ISSUER,
			    "is the root pinned in [source] and installed by 'anchorsync refresh' "
			    "(see 'anchorsync status')? If it is, the server may not send its "
			    "intermediate certificates",
			    "the certificate's issuer '%s' is unknown: no trust anchor in %s signed the chain",
			    top ? top->issuer : "?", d->opt->trust_desc);
	case TLS_PROBLEM_EXPIRED:
		for (size_t i = 0; i < ti->chain_count; i++)
			if (ti->chain[i].not_after < now) {
				time_format_utc(ti->chain[i].not_after, when);
				return fail(r, PROBE_EXPIRED, i == 0 ?
					    "renew the server certificate and reload the mail server" :
					    "renew the expired CA certificate and reissue what it signed",
					    "the certificate '%s' expired on %s", ti->chain[i].subject, when);
			}
		return fail(r, PROBE_EXPIRED, "renew the expired certificate",
			    "a certificate in the chain has expired");
	case TLS_PROBLEM_NOT_YET_VALID:
		for (size_t i = 0; i < ti->chain_count; i++)
			if (ti->chain[i].not_before > now) {
				time_format_utc(ti->chain[i].not_before, when);
				return fail(r, PROBE_NOT_YET_VALID,
					    "check the clock of this node and of the CA; or wait until the certificate becomes valid",
					    "the certificate '%s' is not valid before %s",
					    ti->chain[i].subject, when);
			}
		return fail(r, PROBE_NOT_YET_VALID, "check the clocks",
			    "a certificate in the chain is not valid yet");
	case TLS_PROBLEM_NAME_MISMATCH:
		names_list(leaf, names, sizeof(names));
		snprintf(fix, sizeof(fix), "reissue the certificate with subjectAltName %s:%s, "
			 "or connect by a name it carries", is_ip_literal(r->name) ? "IP" : "DNS",
			 r->name);
		return fail(r, PROBE_NAME_MISMATCH, fix,
			    "the certificate is not valid for '%s': it carries %s%s%s%s",
			    r->name, names, leaf->cn[0] ? " (CN " : "", leaf->cn,
			    leaf->cn[0] ? ")" : "");
	default:
		return fail(r, PROBE_CERT_INVALID, "check the certificate chain the server sends",
			    "certificate verification failed: %s", ti->detail);
	}
}

/* Reads the greeting and sends EHLO; the EHLO reply stays in d->reply. */
static enum status greet_and_ehlo(struct dialogue *d, bool greeting)
{
	char line[600];

	if (greeting) {
		if (smtp_read_reply(&d->conn, &d->reply, &d->err) != STATUS_OK)
			return io_failed(d, "to the greeting");
		if (d->reply.code != 220) {
			smtp_reply_first_line(&d->reply, line, sizeof(line));
			return fail(d->r, PROBE_REFUSED, "the server refuses this client: see its reply",
				    "the server's greeting refuses the session: %s", line);
		}
	}
	if (smtp_exchange(&d->conn, &d->reply, &d->err, "EHLO %s", d->opt->helo) != STATUS_OK)
		return io_failed(d, "to EHLO");
	if (d->reply.code != 250) {
		smtp_reply_first_line(&d->reply, line, sizeof(line));
		return fail(d->r, PROBE_REFUSED, "check the EHLO name (--helo) and the server's policy",
			    "the server refused EHLO: %s", line);
	}
	return STATUS_OK;
}

static enum status tls_start(struct dialogue *d, const struct probe_options *opt)
{
	struct tls *tls = NULL;
	struct probe_result *r = d->r;
	struct pin pin;
	enum status st;

	st = tls_handshake(d->conn.fd, opt->trust, r->name, &d->conn.deadline, &tls, &r->tls,
			   &d->err);
	d->conn.tls = tls;
	r->tls_done = r->tls.chain_count > 0;
	if (r->tls.anchor_found && opt->anchor_is_ours != NULL && pin_parse(r->tls.anchor.pin, &pin))
		r->anchor_installed = opt->anchor_is_ours(&pin, opt->anchor_user);
	if (st == STATUS_INTERNAL)
		return fail(r, PROBE_HANDSHAKE, "", "%s", d->err.msg);
	if (st != STATUS_OK && r->tls.problem == TLS_PROBLEM_TIMEOUT)
		return fail(r, PROBE_TIMEOUT, "check that the server is not overloaded or "
			    "stalled; raise --timeout if it is merely slow",
			    "the TLS handshake did not finish in time: %s", r->tls.detail);
	if (st != STATUS_OK && r->tls.problem == TLS_PROBLEM_HANDSHAKE)
		return fail(r, PROBE_HANDSHAKE, "check the server's TLS settings and certificate "
			    "files (Postfix: smtpd_tls_chain_files); run with -v",
			    "the TLS handshake failed: %s", r->tls.detail);
	if (st != STATUS_OK)
		return cert_failed(d);
	if (r->tls.problem == TLS_PROBLEM_NO_SAN) {
		char text[PROBE_TEXT_MAX], fix[PROBE_TEXT_MAX];

		snprintf(text, sizeof(text), "the certificate has no DNS subjectAltName and matches "
			 "'%s' only through its CN; Go-based mail servers reject it "
			 "(\"x509: certificate is not valid for any names\"), as do RFC 9525 clients",
			 r->name);
		snprintf(fix, sizeof(fix), "reissue the certificate with subjectAltName DNS:%s",
			 r->name);
		if (!opt->allow_cn) {
			size_t n = strlen(fix);

			snprintf(fix + n, sizeof(fix) - n, " (or pass --allow-cn to accept it with a warning)");
			return fail(r, PROBE_NO_SAN, fix, "%s", text);
		}
		textbuf_message(r->warning, sizeof(r->warning), "%s; %s", text, fix);
	}
	return STATUS_OK;
}

/* Copies the token after "queued as " (Postfix, Exim say so), else the reply. */
static void queue_id_of(const struct smtp_reply *rep, char *out, size_t size)
{
	const char *p = strstr(rep->text, "queued as ");
	size_t len;

	if (p == NULL) {
		smtp_reply_first_line(rep, out, size);
		return;
	}
	p += strlen("queued as ");
	len = strcspn(p, " \n\r");
	text_escape(out, size, p, len);
}

/* DATA: the headers and a dot-stuffed body, then the final dot. */
static enum status send_message(struct dialogue *d)
{
	const struct probe_options *opt = d->opt;
	char node[256] = "localhost", date[64], when[TIME_TEXT_SIZE], msg[4096], line[600];
	time_t now = time(NULL);
	struct tm tm;
	int n;

	gethostname(node, sizeof(node) - 1);
	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	time_format_utc(now, when);
	if (smtp_exchange(&d->conn, &d->reply, &d->err, "DATA") != STATUS_OK)
		return io_failed(d, "to DATA");
	if (d->reply.code != 354) {
		smtp_reply_first_line(&d->reply, line, sizeof(line));
		return fail(d->r, PROBE_MESSAGE_REFUSED, "see the server's log for why",
			    "the server refused DATA: %s", line);
	}
	/* Every body line is ours and none starts with '.', but a node name
	 * could: dot-stuff all the same (RFC 5321 4.5.2). */
	n = snprintf(msg, sizeof(msg),
		     "Date: %s\r\n"
		     "Message-ID: <anchorsync.%lld.%ld@%s>\r\n"
		     "From: <%s>\r\n"
		     "To: <%s>\r\n"
		     "Subject: anchorsync delivery check from %s\r\n"
		     "MIME-Version: 1.0\r\n"
		     "Content-Type: text/plain; charset=us-ascii\r\n"
		     "\r\n"
		     "%s%s sent this message at %s\r\n"
		     "to prove verified TLS delivery to %s (%s).\r\n"
		     "It needs no answer.\r\n"
		     ".\r\n",
		     date, (long long)now, (long)getpid(), opt->helo,
		     opt->from[0] ? opt->from : "MAILER-DAEMON", opt->to, node,
		     node[0] == '.' ? "." : "", node, when, d->r->name, d->r->address);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return fail(d->r, PROBE_MESSAGE_REFUSED, "", "test message too long");
	if (smtp_send_raw(&d->conn, msg, (size_t)n, &d->err) != STATUS_OK ||
	    smtp_read_reply(&d->conn, &d->reply, &d->err) != STATUS_OK)
		return io_failed(d, "to the message");
	if (d->reply.code != 250) {
		smtp_reply_first_line(&d->reply, line, sizeof(line));
		return fail(d->r, PROBE_MESSAGE_REFUSED, "see the server's log for why",
			    "the server refused the message: %s", line);
	}
	queue_id_of(&d->reply, d->r->queue_id, sizeof(d->r->queue_id));
	return STATUS_OK;
}

/* MAIL FROM and RCPT TO, then the message or RSET. */
static enum status envelope(struct dialogue *d)
{
	const struct probe_options *opt = d->opt;
	char line[600], fix[PROBE_TEXT_MAX];

	if (opt->to != NULL) {
		if (smtp_exchange(&d->conn, &d->reply, &d->err, "MAIL FROM:<%s>", opt->from) != STATUS_OK)
			return io_failed(d, "to MAIL FROM");
		if (d->reply.code != 250) {
			smtp_reply_first_line(&d->reply, line, sizeof(line));
			return fail(d->r, PROBE_SENDER_REFUSED,
				    "use a sender the server accepts (--from)",
				    "the server refused the sender <%s>: %s", opt->from, line);
		}
		if (smtp_exchange(&d->conn, &d->reply, &d->err, "RCPT TO:<%s>", opt->to) != STATUS_OK)
			return io_failed(d, "to RCPT TO");
		if (d->reply.code != 250 && d->reply.code != 251) {
			smtp_reply_first_line(&d->reply, line, sizeof(line));
			snprintf(fix, sizeof(fix), "use a recipient that %s accepts (--to), or let it "
				 "accept mail for <%s>", d->r->host, opt->to);
			return fail(d->r, PROBE_RECIPIENT_REFUSED, fix,
				    "the server refused the recipient <%s>: %s", opt->to, line);
		}
		if (opt->send)
			return send_message(d);
	}
	if (smtp_exchange(&d->conn, &d->reply, &d->err, "RSET") != STATUS_OK)
		return io_failed(d, "to RSET");
	return STATUS_OK;
}

/* After the greeting and EHLO: STARTTLS, refused injection, the handshake
 * and EHLO again. */
static enum status starttls(struct dialogue *d)
{
	char line[600];
	enum status st;

	if (!smtp_reply_has_keyword(&d->reply, "STARTTLS"))
		return fail(d->r, PROBE_NO_STARTTLS, "enable TLS on the server (Postfix: "
			    "smtpd_tls_security_level = may and smtpd_tls_chain_files); "
			    "anchorsync never falls back to plaintext",
			    "the server does not offer STARTTLS, so mail to it would travel in plaintext");
	if (smtp_exchange(&d->conn, &d->reply, &d->err, "STARTTLS") != STATUS_OK)
		return io_failed(d, "to STARTTLS");
	if (d->reply.code != 220) {
		smtp_reply_first_line(&d->reply, line, sizeof(line));
		return fail(d->r, PROBE_STARTTLS_REFUSED, "check the server's TLS certificate and "
			    "key settings and its log", "the server refused STARTTLS: %s", line);
	}
	if (smtp_unread_bytes(&d->conn))
		return fail(d->r, PROBE_INJECTION, "something between this node and the server "
			    "(or the server itself) injects plaintext; do not trust this path "
			    "until it is fixed",
			    "the server sent data after its reply to STARTTLS and before the TLS "
			    "handshake (STARTTLS command injection)");
	st = tls_start(d, d->opt);
	if (st == STATUS_OK)
		st = greet_and_ehlo(d, false);
	return st;
}

/* The dialogue on a connected socket, up to QUIT. */
static enum status dialogue_run(struct dialogue *d, bool implicit_tls)
{
	enum status st;

	if (implicit_tls) {
		st = tls_start(d, d->opt);
		if (st == STATUS_OK)
			st = greet_and_ehlo(d, true);
	} else {
		st = greet_and_ehlo(d, true);
		if (st == STATUS_OK)
			st = starttls(d);
	}
	if (st == STATUS_OK)
		st = envelope(d);
	if (st != STATUS_OK)
		return st;
	if (smtp_exchange(&d->conn, &d->reply, &d->err, "QUIT") != STATUS_OK)
		log_debug("%s: QUIT: %s", d->r->host, d->err.msg);
	d->r->cause = PROBE_VERIFIED;
	return STATUS_OK;
}

/* A connection that failed, with what to do about it. */
static enum status connect_failed(struct dialogue *d, enum net_cause cause)
{
	struct probe_result *r = d->r;
	char fix[PROBE_TEXT_MAX];

	switch (cause) {
	case NET_CAUSE_NO_ADDRESS:
		snprintf(fix, sizeof(fix), "check the name, or give its address with "
			 "--resolve %s:%u:ADDRESS", r->host, r->port);
		break;
	case NET_CAUSE_REFUSED:
		snprintf(fix, sizeof(fix), "is the mail server running and listening on port %u?",
			 r->port);
		break;
	default:
		snprintf(fix, sizeof(fix), "check the network path and firewalls to %s port %u",
			 r->host, r->port);
	}
	return fail(r, PROBE_UNREACHABLE, fix, "%s", d->err.msg);
}

enum status probe_run(const char *host, unsigned port, bool implicit_tls,
		      const struct probe_options *opt, struct probe_result *r)
{
	struct dialogue d = { .opt = opt, .r = r };
	struct net_deadline deadline;
	enum net_cause cause;
	enum status st;
	int fd = -1;

	memset(r, 0, sizeof(*r));
	snprintf(r->host, sizeof(r->host), "%s", host);
	snprintf(r->name, sizeof(r->name), "%s", opt->name ? opt->name : host);
	r->port = port;
	r->implicit_tls = implicit_tls;

	/* One deadline for the server, from connecting to QUIT. */
	net_deadline_start(&deadline, opt->timeout);
	st = net_connect(host, port, opt->resolve, &deadline, &fd, r->address, &cause, &d.err);
	if (st != STATUS_OK)
		return connect_failed(&d, cause);
	smtp_conn_init(&d.conn, fd, &deadline, opt->transcript);
	st = dialogue_run(&d, implicit_tls);
	tls_free(d.conn.tls);
	close(fd);
	return st;
}
