/* SPDX-License-Identifier: MIT */
#include "tls.h"

#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "log.h"
#include "text.h"

struct tls_trust {
	gnutls_certificate_credentials_t cred;
};

struct tls {
	gnutls_session_t session;
	int fd;
	bool established;
};

enum status tls_trust_new(const char *ca_file, struct tls_trust **out, struct error *err)
{
	struct tls_trust *t;
	enum status st = STATUS_OK;
	int rc;

	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	rc = gnutls_certificate_allocate_credentials(&t->cred);
	if (rc < 0) {
		free(t);
		return error_set(err, STATUS_INTERNAL, "gnutls: %s", gnutls_strerror(rc));
	}
	if (ca_file != NULL) {
		rc = gnutls_certificate_set_x509_trust_file(t->cred, ca_file, GNUTLS_X509_FMT_PEM);
		if (rc <= 0) {
			st = error_set(err, STATUS_CONFIG, "CA file '%s': %s", ca_file,
				       rc == 0 ? "no certificate in it" : gnutls_strerror(rc));
			goto out_free;
		}
		log_debug("trusting %d certificate(s) from %s", rc, ca_file);
	} else {
		rc = gnutls_certificate_set_x509_system_trust(t->cred);
		if (rc < 0) {
			st = error_set(err, STATUS_CONFIG, "system trust store: %s",
				       gnutls_strerror(rc));
			goto out_free;
		}
		log_debug("trusting %d certificate(s) from the system store", rc);
	}
	*out = t;
	return STATUS_OK;
out_free:
	tls_trust_free(t);
	return st;
}

enum status tls_trust_new_paths(const char *ca_file, const char *ca_dir,
				struct tls_trust **out, struct error *err)
{
	enum status st;
	int rc;

	if (ca_dir == NULL)
		return tls_trust_new(ca_file, out, err);
	if (ca_file != NULL) {
		st = tls_trust_new(ca_file, out, err);
		if (st != STATUS_OK)
			return st;
	} else {
		*out = calloc(1, sizeof(**out));
		if (*out == NULL)
			return error_set(err, STATUS_INTERNAL, "out of memory");
		rc = gnutls_certificate_allocate_credentials(&(*out)->cred);
		if (rc < 0) {
			free(*out);
			*out = NULL;
			return error_set(err, STATUS_INTERNAL, "gnutls: %s", gnutls_strerror(rc));
		}
	}
	rc = gnutls_certificate_set_x509_trust_dir((*out)->cred, ca_dir, GNUTLS_X509_FMT_PEM);
	if (rc < 0 || (rc == 0 && ca_file == NULL)) {
		tls_trust_free(*out);
		*out = NULL;
		return error_set(err, STATUS_CONFIG, "CA directory '%s': %s", ca_dir,
				 rc == 0 ? "no certificate in it" : gnutls_strerror(rc));
	}
	log_debug("trusting %d certificate(s) from %s", rc, ca_dir);
	return STATUS_OK;
}

void tls_trust_free(struct tls_trust *trust)
{
	if (trust == NULL)
		return;
	gnutls_certificate_free_credentials(trust->cred);
	free(trust);
}

/* Copies a GnuTLS datum (not NUL-terminated text) into out, truncated. */
static void datum_copy(char *out, size_t size, const gnutls_datum_t *d)
{
	size_t n = d->size < size - 1 ? d->size : size - 1;

	memcpy(out, d->data, n);
	out[n] = '\0';
}

static void cert_describe(gnutls_x509_crt_t crt, const gnutls_datum_t *der, struct tls_cert *c)
{
	char raw[TLS_NAME_MAX];
	gnutls_datum_t dn = { NULL, 0 };
	struct pin pin;
	size_t size;

	memset(c, 0, sizeof(*c));
	if (gnutls_x509_crt_get_dn3(crt, &dn, 0) >= 0) {
		datum_copy(c->subject, sizeof(c->subject), &dn);
		gnutls_free(dn.data);
	}
	if (gnutls_x509_crt_get_issuer_dn3(crt, &dn, 0) >= 0) {
		datum_copy(c->issuer, sizeof(c->issuer), &dn);
		gnutls_free(dn.data);
	}
	/* The CN and the names are the certificate's bytes, shown escaped: a NUL
	 * or a control character in them is part of the name, not its end. */
	size = sizeof(raw) - 1;
	if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, raw,
					  &size) >= 0)
		text_escape(c->cn, sizeof(c->cn), raw, size);
	for (unsigned seq = 0; seq < 64 && c->name_count < TLS_NAMES_MAX; seq++) {
		int type;

		size = sizeof(raw) - 1;
		type = gnutls_x509_crt_get_subject_alt_name(crt, seq, raw, &size, NULL);
		if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (type == GNUTLS_SAN_DNSNAME)
			text_escape(c->names[c->name_count++], TLS_NAME_MAX, raw, size);
	}
	c->not_before = gnutls_x509_crt_get_activation_time(crt);
	c->not_after = gnutls_x509_crt_get_expiration_time(crt);
	c->self_signed = gnutls_x509_crt_check_issuer(crt, crt) != 0;
	pin_of_der(der->data, der->size, &pin);
	pin_format(&pin, c->pin);
}

/* Describes the peer's chain and finds the trust anchor that issued it. */
static void chain_describe(gnutls_session_t s, gnutls_certificate_credentials_t cred,
			   struct tls_info *info)
{
	const gnutls_datum_t *certs;
	gnutls_x509_trust_list_t tl = NULL;
	unsigned n = 0;

	certs = gnutls_certificate_get_peers(s, &n);
	if (certs == NULL)
		return;
	gnutls_certificate_get_trust_list(cred, &tl);
	for (unsigned i = 0; i < n && info->chain_count < TLS_CHAIN_MAX; i++) {
		gnutls_x509_crt_t crt, issuer = NULL;
		gnutls_datum_t der = { NULL, 0 };

		if (gnutls_x509_crt_init(&crt) < 0)
			return;
		if (gnutls_x509_crt_import(crt, &certs[i], GNUTLS_X509_FMT_DER) < 0) {
			gnutls_x509_crt_deinit(crt);
			break;
		}
		cert_describe(crt, &certs[i], &info->chain[info->chain_count++]);
		if (!info->anchor_found && tl != NULL &&
		    gnutls_x509_trust_list_get_issuer(tl, crt, &issuer, GNUTLS_TL_GET_COPY) == 0) {
			if (gnutls_x509_crt_export2(issuer, GNUTLS_X509_FMT_DER, &der) == 0) {
				cert_describe(issuer, &der, &info->anchor);
				info->anchor_found = true;
				gnutls_free(der.data);
			}
			gnutls_x509_crt_deinit(issuer);
		}
		gnutls_x509_crt_deinit(crt);
	}
}

/* Picks the most telling problem from the verification status bits. */
static enum tls_problem classify(unsigned status, const struct tls_info *info)
{
	bool leaf_self_signed = info->chain_count == 1 && info->chain[0].self_signed;

	if ((status & GNUTLS_CERT_SIGNER_NOT_FOUND) && leaf_self_signed)
		return TLS_PROBLEM_SELF_SIGNED;
	if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
		return TLS_PROBLEM_UNKNOWN_ISSUER;
	if (status & GNUTLS_CERT_EXPIRED)
		return TLS_PROBLEM_EXPIRED;
	if (status & GNUTLS_CERT_NOT_ACTIVATED)
		return TLS_PROBLEM_NOT_YET_VALID;
	if (status & GNUTLS_CERT_UNEXPECTED_OWNER)
		return TLS_PROBLEM_NAME_MISMATCH;
	return TLS_PROBLEM_OTHER_VERIFY;
}

static bool name_is_address(const char *name)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, name, buf) == 1 || inet_pton(AF_INET6, name, buf) == 1;
}

enum status tls_handshake(int fd, struct tls_trust *trust, const char *name,
			  const struct net_deadline *deadline, struct tls **out, struct tls_info *info,
			  struct error *err)
{
	struct tls *t;
	gnutls_datum_t text = { NULL, 0 };
	int rc;

	memset(info, 0, sizeof(*info));
	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return error_set(err, STATUS_INTERNAL, "out of memory");
	/* A probe never resumes a session: asking for no tickets spares the
	 * server's post-handshake ticket flight, and the delayed-ACK wait that
	 * came with it. */
	rc = gnutls_init(&t->session, GNUTLS_CLIENT | GNUTLS_NO_TICKETS);
	if (rc < 0) {
		free(t);
		return error_set(err, STATUS_INTERNAL, "gnutls: %s", gnutls_strerror(rc));
	}
	*out = t;
	if ((rc = gnutls_set_default_priority(t->session)) < 0 ||
	    (rc = gnutls_credentials_set(t->session, GNUTLS_CRD_CERTIFICATE, trust->cred)) < 0)
		return error_set(err, STATUS_INTERNAL, "gnutls: %s", gnutls_strerror(rc));
	/* SNI always, unless the name is an address literal (RFC 6066 forbids it). */
	if (!name_is_address(name) &&
	    (rc = gnutls_server_name_set(t->session, GNUTLS_NAME_DNS, name, strlen(name))) < 0)
		return error_set(err, STATUS_INTERNAL, "gnutls: %s", gnutls_strerror(rc));
	gnutls_session_set_verify_cert(t->session, name, 0);
	gnutls_transport_set_int(t->session, fd);
	t->fd = fd;
	/* The whole handshake within what is left of the deadline; the socket's
	 * timeouts bound each read and write as well. */
	net_socket_bound(fd, deadline);
	gnutls_handshake_set_timeout(t->session, (unsigned)net_deadline_ms_left(deadline) + 1);

	do
		rc = gnutls_handshake(t->session);
	while (rc < 0 && !gnutls_error_is_fatal(rc));

	chain_describe(t->session, trust->cred, info);
	if (rc == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR) {
		info->verify_status = gnutls_session_get_verify_cert_status(t->session);
		info->problem = classify(info->verify_status, info);
		if (gnutls_certificate_verification_status_print(info->verify_status,
				GNUTLS_CRT_X509, &text, 0) == 0) {
			datum_copy(info->detail, sizeof(info->detail), &text);
			gnutls_free(text.data);
		}
		return error_set(err, STATUS_VERIFY_FAILED, "certificate verification failed: %s",
				 info->detail);
	}
	if (rc < 0) {
		/* A socket timeout surfaces as a pull or push error. */
		info->problem = rc == GNUTLS_E_TIMEDOUT || net_deadline_ms_left(deadline) <= 0 ?
				TLS_PROBLEM_TIMEOUT : TLS_PROBLEM_HANDSHAKE;
		if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED)
			snprintf(info->detail, sizeof(info->detail), "%s: %s", gnutls_strerror(rc),
				 gnutls_alert_get_name(gnutls_alert_get(t->session)));
		else
			snprintf(info->detail, sizeof(info->detail), "%s", gnutls_strerror(rc));
		return error_set(err, STATUS_VERIFY_FAILED, "TLS handshake failed: %s", info->detail);
	}
	t->established = true;
	snprintf(info->version, sizeof(info->version), "%s",
		 gnutls_protocol_get_name(gnutls_protocol_get_version(t->session)));
	{
		char *desc = gnutls_session_get_desc(t->session);

		snprintf(info->cipher, sizeof(info->cipher), "%s", desc ? desc : "");
		gnutls_free(desc);
	}
	/* GnuTLS accepts the CN when there is no DNS subjectAltName; Go and RFC
	 * 9525 clients do not. */
	if (info->chain_count > 0 && info->chain[0].name_count == 0 && !name_is_address(name))
		info->problem = TLS_PROBLEM_NO_SAN;
	return STATUS_OK;
}

/* Servers send TLS 1.3 session tickets right after the handshake, often as
 * two small segments: with Nagle on the server and delayed ACKs here, the
 * second waits 40 ms for an ACK. Acknowledge at once while we wait for data
 * (the kernel drops back to delayed ACKs by itself, so before every read). */
static void quick_ack(int fd)
{
	setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &(int){ 1 }, sizeof(int));
}

ssize_t tls_read(struct tls *t, void *buf, size_t len, const struct net_deadline *deadline,
		 enum net_cause *cause, struct error *err)
{
	ssize_t n;
	int left;

	/* AGAIN also follows a post-handshake message (a session ticket): read
	 * on while time is left. */
	do {
		left = net_deadline_ms_left(deadline);
		if (left == 0)
			break;
		gnutls_record_set_timeout(t->session, (unsigned)left);
		quick_ack(t->fd);
		n = gnutls_record_recv(t->session, buf, len);
	} while (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED);
	if (left == 0)
		n = GNUTLS_E_TIMEDOUT;
	if (n >= 0)
		return n;
	if (n == GNUTLS_E_PREMATURE_TERMINATION)
		return 0;
	if (n == GNUTLS_E_TIMEDOUT) {
		*cause = NET_CAUSE_TIMEOUT;
		error_set(err, STATUS_UNAVAILABLE, "timed out after %u s waiting for the server",
			  deadline->seconds);
	} else {
		*cause = NET_CAUSE_IO;
		error_set(err, STATUS_UNAVAILABLE, "TLS read: %s", gnutls_strerror((int)n));
	}
	return -1;
}

enum status tls_write(struct tls *t, const void *buf, size_t len,
		      const struct net_deadline *deadline, enum net_cause *cause,
		      struct error *err)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = gnutls_record_send(t->session, p, len);

		if (n == GNUTLS_E_INTERRUPTED)
			continue;
		if (n == GNUTLS_E_AGAIN && net_deadline_ms_left(deadline) > 0)
			continue;	/* the socket's send timeout is the deadline's */
		if (n == GNUTLS_E_AGAIN) {
			*cause = NET_CAUSE_TIMEOUT;
			return error_set(err, STATUS_UNAVAILABLE, "timed out after %u s writing "
					 "to the server", deadline->seconds);
		}
		if (n < 0) {
			*cause = NET_CAUSE_IO;
			return error_set(err, STATUS_UNAVAILABLE, "TLS write: %s",
					 gnutls_strerror((int)n));
		}
		p += n;
		len -= (size_t)n;
	}
	return STATUS_OK;
}

size_t tls_pending(struct tls *t)
{
	return gnutls_record_check_pending(t->session);
}

void tls_free(struct tls *t)
{
	if (t == NULL)
		return;
	if (t->established)
		gnutls_bye(t->session, GNUTLS_SHUT_WR);
	gnutls_deinit(t->session);
	free(t);
}
