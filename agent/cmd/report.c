/* SPDX-License-Identifier: MIT */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "fileio.h"
#include "json.h"
#include "log.h"
#include "state_files.h"
#include "text.h"
#include "timefmt.h"

/* t for people; "never" for 0. */
static void format_time(long long t, char out[TIME_TEXT_SIZE])
{
	if (t == 0)
		snprintf(out, TIME_TEXT_SIZE, "never");
	else
		time_format_utc((time_t)t, out);
}

static void json_time_or_null(struct json *j, const char *key, long long t)
{
	json_key(j, key);
	if (t)
		json_int(j, t);
	else
		json_null(j);
}

/* The last store check's verdict on pin: NULL when no check looked for it. */
static const struct store_verdict *verdict_of(const struct report *r, const struct pin *pin)
{
	return r->trust && r->trust->checked ? store_effect_find(r->trust, pin) : NULL;
}

/* "trusted": true, false or null (not checked), and "untrusted_why". */
static void json_trusted(struct json *j, const struct report *r, const struct pin *pin)
{
	const struct store_verdict *v = verdict_of(r, pin);

	json_key(j, "trusted");
	if (v)
		json_bool(j, v->trusted);
	else
		json_null(j);
	if (v && !v->trusted)
		json_member_string(j, "untrusted_why", v->why);
}

static void json_roots(struct json *j, const struct report *r)
{
	json_key(j, "roots");
	json_array_begin(j);
	for (size_t i = 0; i < r->roots->count; i++) {
		const struct manifest_entry *e = &r->roots->entries[i];
		char pin[PIN_TEXT_SIZE];
		char *file = r->anchors_dir ? path_join(r->anchors_dir, e->file) : NULL;

		pin_format(&e->pin, pin);
		json_object_begin(j);
		json_member_string(j, "fingerprint", pin);
		json_member_string(j, "subject", e->subject);
		json_member_int(j, "not_after", (long long)e->not_after);
		json_member_int(j, "days_left", time_days_left(e->not_after, r->now));
		json_member_bool(j, "expiring",
				 time_days_left(e->not_after, r->now) < (long long)r->warn_days);
		json_member_string(j, "file", file ? file : e->file);
		json_member_string(j, "state", e->state == MANIFEST_INSTALLED ? "installed" :
				   manifest_state_name(e->state));
		json_trusted(j, r, &e->pin);
		json_object_end(j);
		free(file);
	}
	json_array_end(j);
}

/* Whether v's chain holds a certificate that expires within warn_days. */
static bool delivery_expiring(const struct report *r, const struct verify_result *v)
{
	return v->expiry != 0 &&
	       time_days_left((time_t)v->expiry, r->now) < (long long)r->delivery_warn_days;
}

static void json_verify(struct json *j, const struct report *r)
{
	const struct run_record *run = r->run;

	json_time_or_null(j, "delivery_checked", run->checked);
	json_member_int(j, "delivery_interval", r->delivery_interval);
	json_member_int(j, "delivery_warn_days", r->delivery_warn_days);
	json_key(j, "verify");
	json_array_begin(j);
	for (size_t i = 0; i < run->verify_count; i++) {
		const struct verify_result *v = &run->verify[i];

		json_object_begin(j);
		json_member_string(j, "target", v->target);
		json_member_string(j, "view", verify_result_view(v));
		json_member_bool(j, "ok", v->ok);
		json_member_string(j, "cause", v->cause);
		json_member_string(j, "detail", v->detail);
		json_member_string(j, "names", v->names);
		json_time_or_null(j, "chain_expiry", v->expiry);
		json_member_string(j, "chain_expiry_certificate", v->expiring);
		json_member_bool(j, "expiring", delivery_expiring(r, v));
		json_time_or_null(j, "checked", run->checked);
		json_object_end(j);
	}
	json_array_end(j);
}

/* Retired roots the store still trusts through files anchorsync does not
 * manage: the administrator must see them (a retired root may be a
 * compromised one). */
static void json_foreign(struct json *j, const struct report *r)
{
	json_key(j, "retired_still_trusted");
	json_array_begin(j);
	for (size_t i = 0; r->trust && i < r->trust->foreign_count; i++) {
		char pin[PIN_TEXT_SIZE];

		pin_format(&r->trust->foreign[i].pin, pin);
		json_object_begin(j);
		json_member_string(j, "fingerprint", pin);
		json_member_string(j, "file", r->trust->foreign[i].file);
		json_object_end(j);
	}
	json_array_end(j);
}

void report_write_json(FILE *out, const struct report *r)
{
	struct json j;

	json_begin(&j, out);
	json_object_begin(&j);
	json_member_string(&j, "version", PACKAGE_VERSION);
	json_member_string(&j, "backend", r->backend);
	json_member_string(&j, "anchors_dir", r->anchors_dir);
	json_time_or_null(&j, "last_attempt", r->run->attempt);
	json_time_or_null(&j, "last_success", r->run->success);
	json_member_string(&j, "result", r->run->result);
	json_member_string(&j, "source", r->run->source);
	json_member_string(&j, "error", r->run->error);
	json_time_or_null(&j, "store_checked", r->trust ? r->trust->checked : 0);
	json_member_int(&j, "store_duplicates", r->trust ? (long long)r->trust->duplicates : 0);
	json_member_string(&j, "hook_error", r->run->hook_error);
	json_roots(&j, r);
	json_foreign(&j, r);
	trustchain_write_json(&j, r->chain, r->hold_down);
	json_verify(&j, r);
	if (r->apps_state_dir)
		apps_write_json(&j, r->apps_state_dir);
	json_object_end(&j);
	fputc('\n', out);
}

static void text_trusted(FILE *out, const struct report *r, const struct pin *pin)
{
	const struct store_verdict *v = verdict_of(r, pin);
	char when[TIME_TEXT_SIZE];

	if (v == NULL) {
		fprintf(out, "    trusted: unknown (not checked yet)\n");
		return;
	}
	format_time(r->trust->checked, when);
	if (v->trusted)
		fprintf(out, "    trusted: yes (checked %s)\n", when);
	else
		fprintf(out, "    trusted: NO (checked %s): %s\n", when, v->why ? v->why : "");
}

/* The delivery checks: when, then per target and view the verdict, the
 * server's names and the chain's earliest expiry. */
static void text_delivery(FILE *out, const struct report *r)
{
	const struct run_record *run = r->run;
	char when[TIME_TEXT_SIZE];

	if (run->verify_count == 0 && run->checked == 0)
		return;
	format_time(run->checked, when);
	if (r->delivery_interval)
		fprintf(out, "delivery checked: %s (every %u seconds, and after a change)\n",
			when, r->delivery_interval);
	else
		fprintf(out, "delivery checked: %s (after a change)\n", when);
	for (size_t i = 0; i < run->verify_count; i++) {
		const struct verify_result *v = &run->verify[i];

		fprintf(out, "delivery %s: %s%s%s%s: %s\n", v->ok ? "ok" : "FAILED",
			v->view ? "[app " : "", v->view ? v->view : "", v->view ? "] " : "",
			v->target, v->detail ? v->detail : "");
		if (v->names)
			fprintf(out, "    server names: %s\n", v->names);
		if (v->expiry == 0)
			continue;
		format_time(v->expiry, when);
		fprintf(out, "    chain expires: %s (%lld days), '%s'%s\n", when,
			time_days_left((time_t)v->expiry, r->now), v->expiring ? v->expiring : "?",
			v->expiry < (long long)r->now ? " EXPIRED" :
			delivery_expiring(r, v) ? " EXPIRING SOON" : "");
	}
}

void report_write_text(FILE *out, const struct report *r)
{
	char when[TIME_TEXT_SIZE];

	fprintf(out, "trust store: %s (%s)\n", r->anchors_dir ? r->anchors_dir : "unknown",
		r->backend ? r->backend : "backend unknown");
	fprintf(out, "roots installed by anchorsync: %zu\n", r->roots->count);
	for (size_t i = 0; i < r->roots->count; i++) {
		const struct manifest_entry *e = &r->roots->entries[i];
		long long left = time_days_left(e->not_after, r->now);
		char pin[PIN_TEXT_SIZE];

		pin_format(&e->pin, pin);
		format_time(e->not_after, when);
		fprintf(out, "  %s\n    subject: %s\n    file:    %s\n    expires: %s "
			"(%lld days)%s\n", pin, e->subject, e->file, when, left,
			left < (long long)r->warn_days ? " EXPIRING SOON" : "");
		if (e->state != MANIFEST_INSTALLED)
			fprintf(out, "    pending: %s (a run was interrupted; the next refresh "
				"settles it)\n", manifest_state_name(e->state));
		text_trusted(out, r, &e->pin);
	}
	for (size_t i = 0; r->trust && i < r->trust->foreign_count; i++) {
		char pin[PIN_TEXT_SIZE];

		pin_format(&r->trust->foreign[i].pin, pin);
		fprintf(out, "RETIRED ROOT STILL TRUSTED: %s, through '", pin);
		text_write(out, r->trust->foreign[i].file, strlen(r->trust->foreign[i].file),
			   false);
		fprintf(out, "', a file anchorsync does not manage\n");
	}
	trustchain_write_text(out, r->chain, r->hold_down);
	format_time(r->run->attempt, when);
	fprintf(out, "last attempt: %s%s%s%s\n", when, r->run->result ? " (" : "",
		r->run->result ? r->run->result : "", r->run->result ? ")" : "");
	format_time(r->run->success, when);
	fprintf(out, "last success: %s\n", when);
	if (r->run->source)
		fprintf(out, "source:       %s\n", r->run->source);
	if (r->run->error)
		fprintf(out, "last error:   %s\n", r->run->error);
	if (r->run->hook_error)
		fprintf(out, "hook error:   %s\n", r->run->hook_error);
	text_delivery(out, r);
	if (r->apps_state_dir)
		apps_write_text(out, r->apps_state_dir);
}

/* Prometheus label values escape backslash, quote and newline. */
static void metric_label(FILE *out, const char *value)
{
	for (const char *p = value; *p; p++) {
		if (*p == '\\' || *p == '"')
			fputc('\\', out);
		if (*p == '\n')
			fputs("\\n", out);
		else
			fputc(*p, out);
	}
}

/* Whether an earlier result than i has the same target (and view, when
 * by_view): a series is written once. */
static bool written_before(const struct run_record *run, size_t i, bool by_view)
{
	const struct verify_result *v = &run->verify[i];

	for (size_t k = 0; k < i; k++)
		if (strcmp(run->verify[k].target, v->target) == 0 &&
		    (!by_view || strcmp(verify_result_view(&run->verify[k]),
					verify_result_view(v)) == 0))
			return true;
	return false;
}

/* target="...",view="..." */
static void target_view_labels(FILE *out, const struct verify_result *v)
{
	fputs("target=\"", out);
	metric_label(out, v->target);
	fputs("\",view=\"", out);
	metric_label(out, verify_result_view(v));
	fputc('"', out);
}

/* The earliest notAfter any view saw in target i's chain, and its subject. */
static const struct verify_result *earliest_expiry(const struct run_record *run, size_t i)
{
	const struct verify_result *best = &run->verify[i];

	for (size_t k = 0; k < run->verify_count; k++)
		if (strcmp(run->verify[k].target, best->target) == 0 && run->verify[k].expiry &&
		    (best->expiry == 0 || run->verify[k].expiry < best->expiry))
			best = &run->verify[k];
	return best;
}

static void delivery_metrics(FILE *out, const struct report *r)
{
	const struct run_record *run = r->run;

	fputs("# HELP anchorsync_delivery_verified Whether the last delivery check of each target through each view (store, or an application) verified.\n"
	      "# TYPE anchorsync_delivery_verified gauge\n", out);
	for (size_t i = 0; i < run->verify_count; i++) {
		if (written_before(run, i, true))
			continue;
		fputs("anchorsync_delivery_verified{", out);
		target_view_labels(out, &run->verify[i]);
		fprintf(out, "} %d\n", run->verify[i].ok);
	}
	fputs("# HELP anchorsync_delivery_cause Why a delivery check failed: 1 for its cause.\n"
	      "# TYPE anchorsync_delivery_cause gauge\n", out);
	for (size_t i = 0; i < run->verify_count; i++) {
		if (run->verify[i].ok || written_before(run, i, true))
			continue;
		fputs("anchorsync_delivery_cause{", out);
		target_view_labels(out, &run->verify[i]);
		fputs(",cause=\"", out);
		metric_label(out, run->verify[i].cause ? run->verify[i].cause : "check-failed");
		fputs("\"} 1\n", out);
	}
	fputs("# HELP anchorsync_delivery_cert_expiry_timestamp_seconds The earliest notAfter in the chain each target sent.\n"
	      "# TYPE anchorsync_delivery_cert_expiry_timestamp_seconds gauge\n", out);
	for (size_t i = 0; i < run->verify_count; i++) {
		const struct verify_result *e = earliest_expiry(run, i);

		if (e->expiry == 0 || written_before(run, i, false))
			continue;
		fputs("anchorsync_delivery_cert_expiry_timestamp_seconds{target=\"", out);
		metric_label(out, e->target);
		fprintf(out, "\"} %lld\n", e->expiry);
	}
	fputs("# HELP anchorsync_delivery_cert_expiring_timestamp_seconds A certificate in a target's chain that expires within [delivery] warn_days, and when.\n"
	      "# TYPE anchorsync_delivery_cert_expiring_timestamp_seconds gauge\n", out);
	for (size_t i = 0; i < run->verify_count; i++) {
		const struct verify_result *e = earliest_expiry(run, i);

		if (!delivery_expiring(r, e) || written_before(run, i, false))
			continue;
		fputs("anchorsync_delivery_cert_expiring_timestamp_seconds{target=\"", out);
		metric_label(out, e->target);
		fputs("\",certificate=\"", out);
		metric_label(out, e->expiring ? e->expiring : "");
		fprintf(out, "\"} %lld\n", e->expiry);
	}
	fprintf(out, "# HELP anchorsync_delivery_warn_days How many days ahead a certificate in a target's chain warns ([delivery] warn_days).\n"
		"# TYPE anchorsync_delivery_warn_days gauge\n"
		"anchorsync_delivery_warn_days %u\n", r->delivery_warn_days);
	if (run->checked != 0)
		fprintf(out, "# HELP anchorsync_delivery_last_check_timestamp_seconds When the delivery targets were last checked.\n"
			"# TYPE anchorsync_delivery_last_check_timestamp_seconds gauge\n"
			"anchorsync_delivery_last_check_timestamp_seconds %lld\n", run->checked);
	fputs("# HELP anchorsync_verify_success Whether delivery to each target verified through the OS store (see anchorsync_delivery_verified).\n"
	      "# TYPE anchorsync_verify_success gauge\n", out);
	for (size_t i = 0; i < run->verify_count; i++) {
		if (run->verify[i].view != NULL || written_before(run, i, true))
			continue;
		fputs("anchorsync_verify_success{target=\"", out);
		metric_label(out, run->verify[i].target);
		fprintf(out, "\"} %d\n", run->verify[i].ok);
	}
}

void report_write_metrics(FILE *out, const struct report *r)
{
	fprintf(out, "# HELP anchorsync_last_run_timestamp_seconds When the last refresh ran.\n"
		"# TYPE anchorsync_last_run_timestamp_seconds gauge\n"
		"anchorsync_last_run_timestamp_seconds %lld\n", r->run->attempt);
	fprintf(out, "# HELP anchorsync_last_success_timestamp_seconds When a refresh last succeeded.\n"
		"# TYPE anchorsync_last_success_timestamp_seconds gauge\n"
		"anchorsync_last_success_timestamp_seconds %lld\n", r->run->success);
	fprintf(out, "# HELP anchorsync_last_run_success Whether the last refresh succeeded.\n"
		"# TYPE anchorsync_last_run_success gauge\n"
		"anchorsync_last_run_success %d\n",
		r->run->result && strcmp(r->run->result, "error") != 0);
	fprintf(out, "# HELP anchorsync_managed_roots Roots anchorsync installed.\n"
		"# TYPE anchorsync_managed_roots gauge\n"
		"anchorsync_managed_roots %zu\n", r->roots->count);
	fprintf(out, "# HELP anchorsync_root_expiry_timestamp_seconds When each managed root expires.\n"
		"# TYPE anchorsync_root_expiry_timestamp_seconds gauge\n");
	for (size_t i = 0; i < r->roots->count; i++) {
		char pin[PIN_TEXT_SIZE];
		pin_format(&r->roots->entries[i].pin, pin);
		fprintf(out, "anchorsync_root_expiry_timestamp_seconds{fingerprint=\"%s\",subject=\"",
			pin);
		metric_label(out, r->roots->entries[i].subject);
		fprintf(out, "\"} %lld\n", (long long)r->roots->entries[i].not_after);
	}
	fprintf(out, "# HELP anchorsync_root_expiring_timestamp_seconds A managed root that expires within [store] warn_days (or has expired), and when.\n"
		"# TYPE anchorsync_root_expiring_timestamp_seconds gauge\n");
	for (size_t i = 0; i < r->roots->count; i++) {
		const struct manifest_entry *e = &r->roots->entries[i];
		char pin[PIN_TEXT_SIZE];

		if (time_days_left(e->not_after, r->now) >= (long long)r->warn_days)
			continue;
		pin_format(&e->pin, pin);
		fprintf(out, "anchorsync_root_expiring_timestamp_seconds{fingerprint=\"%s\",subject=\"",
			pin);
		metric_label(out, e->subject);
		fprintf(out, "\"} %lld\n", (long long)e->not_after);
	}
	fprintf(out, "# HELP anchorsync_root_warn_days How many days ahead a managed root's expiry warns ([store] warn_days).\n"
		"# TYPE anchorsync_root_warn_days gauge\n"
		"anchorsync_root_warn_days %u\n", r->warn_days);
	fprintf(out, "# HELP anchorsync_root_trusted Whether the last store check found each managed root trusted (1), missing (0).\n"
		"# TYPE anchorsync_root_trusted gauge\n");
	for (size_t i = 0; i < r->roots->count; i++) {
		const struct store_verdict *v = verdict_of(r, &r->roots->entries[i].pin);
		char pin[PIN_TEXT_SIZE];
		if (v == NULL)
			continue;
		pin_format(&r->roots->entries[i].pin, pin);
		fprintf(out, "anchorsync_root_trusted{fingerprint=\"%s\"} %d\n", pin, v->trusted);
	}
	fprintf(out, "# HELP anchorsync_retired_roots_still_trusted Retired roots the store still trusts through files anchorsync does not manage.\n"
		"# TYPE anchorsync_retired_roots_still_trusted gauge\n"
		"anchorsync_retired_roots_still_trusted %zu\n",
		r->trust ? r->trust->foreign_count : 0);
	fprintf(out, "# HELP anchorsync_retired_root_trusted Each such root, and the file that keeps it trusted.\n"
		"# TYPE anchorsync_retired_root_trusted gauge\n");
	for (size_t i = 0; r->trust && i < r->trust->foreign_count; i++) {
		char pin[PIN_TEXT_SIZE];

		pin_format(&r->trust->foreign[i].pin, pin);
		fprintf(out, "anchorsync_retired_root_trusted{fingerprint=\"%s\",file=\"", pin);
		metric_label(out, r->trust->foreign[i].file);
		fputs("\"} 1\n", out);
	}
	trustchain_write_metrics(out, r->chain);
	delivery_metrics(out, r);
	if (r->apps_state_dir)
		apps_write_metrics(out, r->apps_state_dir);
}

static enum status report_save(const char *path,
			       void (*render)(FILE *, const struct report *),
			       const struct report *r, bool durable, struct error *err)
{
	struct file_draft d;

	if (!file_draft_open(&d))
		return error_set(err, STATUS_INTERNAL, "out of memory");
	render(d.out, r);
	return file_draft_commit(&d, path, 0644, durable, err);
}

void report_publish(const char *state_dir, const char *metrics_file, const struct report *r,
		    bool durable)
{
	char *path = path_join(state_dir, STATE_STATUS);
	struct store_effect trust = { 0 };
	struct report with_trust = *r;
	struct error err;

	if (r->trust == NULL && store_effect_load(state_dir, &trust, NULL) == STATUS_OK)
		with_trust.trust = &trust;
	if (path == NULL ||
	    report_save(path, report_write_json, &with_trust, durable, &err) != STATUS_OK ||
	    (metrics_file && report_save(metrics_file, report_write_metrics, &with_trust,
					 durable, &err) != STATUS_OK))
		log_warn("cannot publish the status: %s", path ? err.msg : "out of memory");
	store_effect_free(&trust);
	free(path);
}
