/* SPDX-License-Identifier: MIT */
#include "refresh_delivery.h"

#include <string.h>

#include "log.h"
#include "timefmt.h"
#include "verify_views.h"

bool delivery_due(const struct config *cfg, const struct run_record *rec, time_t now)
{
	long long last = rec->checked;

	if (cfg->delivery_interval == 0 || cfg->targets.count == 0)
		return false;
	if (last == 0 || now < last || now - last >= (long long)cfg->delivery_interval)
		return true;
	for (size_t i = 0; i < cfg->targets.count; i++) {
		bool found = false;

		for (size_t k = 0; k < rec->verify_count && !found; k++)
			found = rec->verify[k].view == NULL && rec->verify[k].target &&
				strcmp(rec->verify[k].target, cfg->targets.items[i]) == 0;
		if (!found)
			return true;
	}
	return false;
}

void delivery_forget_unconfigured(const struct config *cfg, struct run_record *rec)
{
	record_filter_verify(rec, verify_result_configured, (void *)cfg);
	if (cfg->targets.count == 0)
		rec->checked = 0;
}

/* Warns, once per target, of the certificate in the chain it sent that
 * expires within [delivery] warn_days. */
static void warn_expiring(const struct config *cfg, const struct run_record *rec, time_t now)
{
	for (size_t i = 0; i < rec->verify_count; i++) {
		const struct verify_result *v = &rec->verify[i];
		char when[TIME_TEXT_SIZE];
		long long left;
		bool earlier = false;

		for (size_t k = 0; k < rec->verify_count && !earlier; k++)
			earlier = k != i && rec->verify[k].expiry != 0 &&
				  strcmp(rec->verify[k].target, v->target) == 0 &&
				  (rec->verify[k].expiry < v->expiry ||
				   (rec->verify[k].expiry == v->expiry && k < i));
		if (v->expiry == 0 || earlier)
			continue;
		left = time_days_left((time_t)v->expiry, now);
		if (left >= (long long)cfg->delivery_warn_days)
			continue;
		time_format_utc((time_t)v->expiry, when);
		if (v->expiry < (long long)now)
			log_warn("delivery target '%s': the certificate '%s' in its chain expired "
				 "on %s; renew it", v->target, v->expiring ? v->expiring : "?", when);
		else
			log_warn("delivery target '%s': the certificate '%s' in its chain expires "
				 "on %s (%lld days); renew it before delivery breaks", v->target,
				 v->expiring ? v->expiring : "?", when, left);
	}
}

enum status delivery_check(const struct config *cfg, const struct store *store,
			   const struct manifest *installed, struct run_record *rec,
			   bool after_change, struct error *err)
{
	struct verify_result *results = NULL;
	size_t count = 0, failed = 0;
	time_t started = time(NULL);
	enum status st;

	if (cfg->targets.count == 0)
		return STATUS_OK;
	st = verify_views(cfg, store, installed, &results, &count, err);
	record_set_verify(rec, results, count, (long long)started);
	for (size_t i = 0; i < count; i++) {
		if (results[i].ok)
			continue;
		failed++;
		log_error("delivery to %s through %s%s%s failed (%s): %s", results[i].target,
			  results[i].view ? "[app " : "the OS store",
			  results[i].view ? results[i].view : "", results[i].view ? "]" : "",
			  results[i].cause ? results[i].cause : "check-failed", results[i].detail);
	}
	warn_expiring(cfg, rec, started);
	if (st == STATUS_OK)
		return STATUS_OK;
	if (after_change)
		return error_set(err, STATUS_VERIFY_FAILED,
				 "trust store updated, but delivery verification failed");
	return error_set(err, STATUS_VERIFY_FAILED, "delivery verification failed: %zu of %zu "
			 "checks", failed ? failed : count, count);
}
