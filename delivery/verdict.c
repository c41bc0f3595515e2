/* SPDX-License-Identifier: MIT */
#include "verdict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "text.h"
#include "textbuf.h"
#include "timefmt.h"

static void cert_human(FILE *out, const struct tls_cert *c, const char *label)
{
	char when[TIME_TEXT_SIZE];

	time_format_rfc3339(c->not_after, when);
	fprintf(out, "    %-8s %s\n", label, c->subject);
	fprintf(out, "             issuer:    %s\n", c->issuer);
	fprintf(out, "             DNS names: ");
	for (size_t i = 0; i < c->name_count; i++)
		fprintf(out, "%s%s", i ? ", " : "", c->names[i]);
	fprintf(out, "%s\n", c->name_count ? "" : "(none)");
	fprintf(out, "             not after: %s\n", when);
	fprintf(out, "             %s\n", c->pin);
}

static void probe_human(FILE *out, const struct probe_result *r)
{
	const struct tls_info *ti = &r->tls;

	fprintf(out, "  server:    %s port %u%s, address %s\n", r->host, r->port,
		r->implicit_tls ? " (implicit TLS)" : " (STARTTLS)",
		r->address[0] ? r->address : "none");
	if (strcmp(r->name, r->host) != 0)
		fprintf(out, "  name:      %s\n", r->name);
	if (ti->version[0])
		fprintf(out, "  TLS:       %s, %s\n", ti->version, ti->cipher);
	if (r->tls_done) {
		fprintf(out, "  chain:\n");
		for (size_t i = 0; i < ti->chain_count; i++) {
			char label[24];	/* "[" SIZE_MAX "]" */

			snprintf(label, sizeof(label), "[%zu]", i);
			cert_human(out, &ti->chain[i], label);
		}
		if (ti->anchor_found) {
			fprintf(out, "  anchor:    %s\n", ti->anchor.subject);
			fprintf(out, "             %s, %s\n", ti->anchor.pin,
				r->anchor_installed ? "installed by anchorsync" :
				"not installed by anchorsync");
		} else {
			fprintf(out, "  anchor:    none in the trust store\n");
		}
	}
	if (r->cause == PROBE_VERIFIED) {
		fprintf(out, "  verdict:   OK: delivery to %s is verified (%s)\n", r->name,
			ti->version[0] ? ti->version : "TLS");
		if (r->warning[0])
			fprintf(out, "  warning:   %s\n", r->warning);
		if (r->queue_id[0])
			fprintf(out, "  queued as: %s\n", r->queue_id);
	} else {
		fprintf(out, "  verdict:   FAILED (%s): %s\n", probe_cause_id(r->cause), r->message);
		if (r->fix[0])
			fprintf(out, "  fix:       %s\n", r->fix);
	}
}

static void target_human(FILE *out, const struct target_check *c)
{
	fprintf(out, "%s\n", c->target);
	if (c->implicit_mx)
		fprintf(out, "  MX:        none; the domain itself receives mail (RFC 5321 5.1)\n");
	if (c->error[0])
		fprintf(out, "  verdict:   FAILED: %s\n", c->error);
	for (size_t i = 0; i < c->probe_count; i++)
		probe_human(out, &c->probes[i]);
}

/* Much of the report is the server's own text (replies, certificate names):
 * it is composed first, then written with anything a terminal would act on
 * escaped. */
void verdict_human(FILE *out, const struct target_check *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *draft = open_memstream(&text, &len);

	if (draft == NULL)
		return;
	target_human(draft, c);
	if (fclose(draft) == 0)
		text_write(out, text, len, true);
	free(text);
}

static void json_opt_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s[0] ? s : NULL);
}

static void cert_json(struct json *j, const struct tls_cert *c)
{
	char when[TIME_TEXT_SIZE];

	time_format_rfc3339(c->not_after, when);
	json_object_begin(j);
	json_member_string(j, "subject", c->subject);
	json_member_string(j, "issuer", c->issuer);
	json_key(j, "dns_names");
	json_array_begin(j);
	for (size_t i = 0; i < c->name_count; i++)
		json_string(j, c->names[i]);
	json_array_end(j);
	json_member_string(j, "not_after", when);
	json_member_string(j, "sha256", c->pin);
	json_object_end(j);
}

static void probe_json(struct json *j, const struct probe_result *r)
{
	const struct tls_info *ti = &r->tls;

	json_object_begin(j);
	json_member_string(j, "host", r->host);
	json_member_string(j, "name", r->name);
	json_member_int(j, "port", r->port);
	json_member_bool(j, "implicit_tls", r->implicit_tls);
	json_opt_string(j, "address", r->address);
	json_member_bool(j, "ok", r->cause == PROBE_VERIFIED);
	json_member_string(j, "verdict", probe_cause_id(r->cause));
	json_opt_string(j, "message", r->message);
	json_opt_string(j, "fix", r->fix);
	json_opt_string(j, "warning", r->warning);
	json_opt_string(j, "tls_version", ti->version);
	json_opt_string(j, "cipher", ti->cipher);
	json_key(j, "chain");
	json_array_begin(j);
	for (size_t i = 0; i < ti->chain_count; i++)
		cert_json(j, &ti->chain[i]);
	json_array_end(j);
	json_key(j, "anchor");
	if (ti->anchor_found) {
		json_object_begin(j);
		json_member_string(j, "subject", ti->anchor.subject);
		json_member_string(j, "sha256", ti->anchor.pin);
		json_member_bool(j, "installed_by_anchorsync", r->anchor_installed);
		json_object_end(j);
	} else {
		json_null(j);
	}
	json_opt_string(j, "queue_id", r->queue_id);
	json_object_end(j);
}

void verdict_json(FILE *out, const struct target_check *c)
{
	struct json j;

	json_begin(&j, out);
	json_object_begin(&j);
	json_member_string(&j, "target", c->target);
	json_member_bool(&j, "ok", c->status == STATUS_OK);
	json_member_bool(&j, "reachable", c->status != STATUS_UNAVAILABLE);
	json_opt_string(&j, "error", c->error);
	json_member_bool(&j, "implicit_mx", c->implicit_mx);
	json_key(&j, "servers");
	json_array_begin(&j);
	for (size_t i = 0; i < c->probe_count; i++)
		probe_json(&j, &c->probes[i]);
	json_array_end(&j);
	json_object_end(&j);
	fputc('\n', out);
}

/* s with what text_escape escapes escaped, newlines too; frees s. */
static char *escaped(char *s)
{
	size_t len = strlen(s), size = 4 * len + 1;
	char *e = malloc(size);

	if (e != NULL)
		text_escape(e, size, s, len);
	free(s);
	return e;
}

char *verdict_summary(const struct target_check *c)
{
	char *s = NULL;
	int rc = -1;

	if (c->error[0])
		rc = asprintf(&s, "%s", c->error);
	for (size_t i = 0; rc < 0 && i < c->probe_count; i++) {
		const struct probe_result *r = &c->probes[i];

		if (r->cause != PROBE_VERIFIED)
			rc = asprintf(&s, "%s port %u: %s: %s; fix: %s", r->host, r->port,
				      probe_cause_id(r->cause), r->message, r->fix);
	}
	if (rc < 0 && c->probe_count > 0)
		rc = asprintf(&s, "verified %s (%s)%s%s", c->probes[0].name,
			      c->probes[0].tls.version, c->probes[0].warning[0] ? "; warning: " : "",
			      c->probes[0].warning);
	if (rc < 0)
		return NULL;
	return escaped(s);
}

/* The probe whose certificate the facts name: the first that failed with a
 * chain, else the first with a chain; NULL when none got one. */
static const struct probe_result *facts_probe(const struct target_check *c)
{
	const struct probe_result *seen = NULL;

	for (size_t i = 0; i < c->probe_count; i++) {
		const struct probe_result *r = &c->probes[i];

		if (!r->tls_done || r->tls.chain_count == 0)
			continue;
		if (r->cause != PROBE_VERIFIED)
			return r;
		if (seen == NULL)
			seen = r;
	}
	return seen;
}

void verdict_facts(const struct target_check *c, struct verdict_facts *f)
{
	const struct probe_result *named = facts_probe(c);
	size_t used = 0;

	memset(f, 0, sizeof(*f));
	f->cause = c->probe_count == 0 ? (c->status == STATUS_OK ? "verified" : "unreachable") :
		   probe_cause_id(PROBE_VERIFIED);
	for (size_t i = 0; i < c->probe_count; i++)
		if (c->probes[i].cause != PROBE_VERIFIED) {
			f->cause = probe_cause_id(c->probes[i].cause);
			break;
		}
	for (size_t i = 0; named && i < named->tls.chain[0].name_count; i++)
		textbuf_appendf(f->names, sizeof(f->names), &used, "%s%s", i ? ", " : "",
				named->tls.chain[0].names[i]);
	for (size_t i = 0; i < c->probe_count; i++) {
		const struct tls_info *ti = &c->probes[i].tls;

		for (size_t k = 0; c->probes[i].tls_done && k < ti->chain_count; k++)
			if (f->expiry == 0 || ti->chain[k].not_after < f->expiry) {
				f->expiry = ti->chain[k].not_after;
				text_escape(f->expiring, sizeof(f->expiring), ti->chain[k].subject,
					    strlen(ti->chain[k].subject));
			}
	}
}
