/* SPDX-License-Identifier: MIT */
/* The publisher's side of signed bundles: a PEM CMS (label CMS, as
 * `openssl cms` writes it) whose embedded content is the Serial and Expires
 * header, a blank line and the roots, signed with the publisher's key, with
 * the signer's certificate and its chain included. Nodes read it with
 * signed_bundle.h. */
#ifndef ANCHORSYNC_SIGNER_H
#define ANCHORSYNC_SIGNER_H

#include "status.h"

/* What to sign with and what: file names, and the header's values as given on
 * the command line (expires: days from now, a date, or an RFC 3339 time). */
struct sign_request {
	const char *key, *cert, *chain, *serial, *expires, *out, *bundle;
};

/* Writes the signed bundle of the roots in req->bundle to req->out (stdout
 * when NULL). STATUS_USAGE for a bad serial or expiry, STATUS_DATA for an
 * unreadable key, certificate or bundle, STATUS_IO when it cannot write. */
enum status sign_bundle(const struct sign_request *req, struct error *err);

#endif
