/* SPDX-License-Identifier: MIT */
/* TLS for the SMTP client, over GnuTLS, behind an opaque handle.
 *
 * A struct tls_trust holds the trust anchors (a CA file or the system store);
 * a struct tls is one client session on a connected socket. The session always
 * sends SNI and lets GnuTLS check the chain and the name; failures are then
 * classified for the report. */
#ifndef ANCHORSYNC_TLS_H
#define ANCHORSYNC_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "net.h"
#include "pin.h"
#include "status.h"

#define TLS_CHAIN_MAX 8
#define TLS_NAMES_MAX 16
#define TLS_DN_MAX 512
#define TLS_NAME_MAX 256

/* What the report shows of one certificate. */
struct tls_cert {
	char subject[TLS_DN_MAX];
	char issuer[TLS_DN_MAX];
	/* The CN and the DNS subjectAltNames as the certificate holds them,
	 * escaped as text_escape does: an embedded NUL shows as \x00. */
	char cn[TLS_NAME_MAX];		/* the subject's CN, or "" */
	char names[TLS_NAMES_MAX][TLS_NAME_MAX];	/* DNS subjectAltNames */
	size_t name_count;
	time_t not_before, not_after;
	bool self_signed;
	char pin[PIN_TEXT_SIZE];
};

/* Why a handshake or the name check failed, most telling first. */
enum tls_problem {
	TLS_PROBLEM_NONE,
	TLS_PROBLEM_SELF_SIGNED,	/* the server's own certificate, untrusted */
	TLS_PROBLEM_UNKNOWN_ISSUER,	/* no trust anchor signed the chain */
	TLS_PROBLEM_EXPIRED,
	TLS_PROBLEM_NOT_YET_VALID,
	TLS_PROBLEM_NAME_MISMATCH,	/* the name is not among the certificate's */
	TLS_PROBLEM_NO_SAN,		/* valid for GnuTLS through the CN only */
	TLS_PROBLEM_OTHER_VERIFY,	/* revoked, insecure algorithm, ... */
	TLS_PROBLEM_HANDSHAKE,		/* no common parameters, reset, alert */
	TLS_PROBLEM_TIMEOUT,		/* the deadline passed during the handshake */
};

/* What a finished (or verification-failed) handshake showed. */
struct tls_info {
	char version[32];		/* "TLS1.3" */
	char cipher[128];		/* GnuTLS session description */
	struct tls_cert chain[TLS_CHAIN_MAX];
	size_t chain_count;
	bool anchor_found;		/* the anchor that validated the chain */
	struct tls_cert anchor;
	unsigned verify_status;		/* gnutls_certificate_status_t bits */
	enum tls_problem problem;
	char detail[256];		/* GnuTLS's own words for a handshake failure */
};

struct tls_trust;
struct tls;

/* Loads trust anchors: the PEM file ca_file, or the system trust store when
 * ca_file is NULL. *out is freed with tls_trust_free. Fails with STATUS_CONFIG
 * when the file holds no certificate or cannot be read. */
enum status tls_trust_new(const char *ca_file, struct tls_trust **out, struct error *err);

/* As tls_trust_new, from a CA file and/or a CA directory (every PEM file in
 * it, as an OpenSSL CApath is read); either may be NULL, not both. Fails with
 * STATUS_CONFIG when they hold no certificate or cannot be read. */
enum status tls_trust_new_paths(const char *ca_file, const char *ca_dir,
				struct tls_trust **out, struct error *err);
void tls_trust_free(struct tls_trust *trust);

/* Runs a client handshake on fd (which stays the caller's) with SNI and the
 * name check for name, before deadline. *out is set on every return
 * that got as far as creating the session (free it with tls_free); info is
 * filled as far as the handshake got. Returns STATUS_OK when the chain and
 * name verified; STATUS_VERIFY_FAILED with info->problem set when they did
 * not or when the handshake failed; STATUS_INTERNAL on a library failure.
 * A certificate valid only through its CN gives STATUS_OK with
 * info->problem = TLS_PROBLEM_NO_SAN: the caller decides how strict to be. */
enum status tls_handshake(int fd, struct tls_trust *trust, const char *name,
			  const struct net_deadline *deadline, struct tls **out, struct tls_info *info,
			  struct error *err);

/* Reads at most len bytes before deadline. Returns the count, 0 at the end of
 * the stream, or -1 with err and *cause filled. */
ssize_t tls_read(struct tls *t, void *buf, size_t len, const struct net_deadline *deadline,
		 enum net_cause *cause, struct error *err);

/* Writes all of buf before deadline (the socket's send timeout must be set to
 * it: net_socket_bound). Returns STATUS_OK, or STATUS_UNAVAILABLE with err and
 * *cause filled. */
enum status tls_write(struct tls *t, const void *buf, size_t len,
		      const struct net_deadline *deadline, enum net_cause *cause,
		      struct error *err);

/* Bytes GnuTLS has already decrypted and not yet handed out. */
size_t tls_pending(struct tls *t);

/* Sends close_notify (best effort) and frees t; NULL is fine. */
void tls_free(struct tls *t);

#endif
