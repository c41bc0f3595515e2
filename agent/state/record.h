/* SPDX-License-Identifier: MIT */
/* The record of the last refresh, kept in STATE_DIR/last-run: when it ran,
 * when it last succeeded, what it did, and the last delivery checks. */
#ifndef ANCHORSYNC_RECORD_H
#define ANCHORSYNC_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

/* One delivery check as recorded: the target as configured, the view it
 * was checked through, whether it verified, and the verdict line; then the
 * facts for status and metrics (each NULL or 0 when not known). */
struct verify_result {
	char *target;		/* e.g. "smtp://mail.corp.internal" */
	char *view;		/* an [app NAME]'s name, or NULL: the OS store */
	bool ok;
	char *detail;		/* "verified ..." or the cause and fix */
	char *cause;		/* "verified", "name-mismatch", ... (probe_cause_id) */
	char *names;		/* the server certificate's DNS names, "a, b" */
	long long expiry;	/* the earliest notAfter in the chain the server sent */
	char *expiring;		/* the subject of that certificate */
};

void verify_results_free(struct verify_result *results, size_t count);

struct run_record {
	long long attempt;		/* seconds since the epoch; 0: never */
	long long success;		/* last run that ended well; 0: never */
	char *result;			/* "changed", "repaired", "unchanged" or "error" */
	char *source;			/* the mirror that answered */
	char *error;			/* the failure, one line */
	char *hook_error;		/* how the last on_change failed or timed
					 * out; NULL once it succeeds again */
	struct verify_result *verify;	/* the last delivery checks */
	size_t verify_count;
	long long checked;		/* when they ran; 0: never */
};

/* Reads STATE_DIR/last-run; a missing file is an empty record. The caller
 * frees r with record_free. */
enum status record_load(struct run_record *r, const char *state_dir, struct error *err);

/* Writes r to STATE_DIR/last-run atomically; durably (fsync'ed, and its
 * directory) when durable. */
enum status record_save(const struct run_record *r, const char *state_dir, bool durable,
			struct error *err);

/* What r says besides its timestamps, as text the caller frees (NULL when
 * out of memory): two records with the same substance differ only in when. */
char *record_substance(const struct run_record *r);

/* Replaces a string field with a copy of value (NULL clears it). */
void record_set(char **field, const char *value);

/* Replaces the delivery results, taking ownership of results, checked at
 * the time checked. */
void record_set_verify(struct run_record *r, struct verify_result *results, size_t count,
		       long long checked);

/* Drops the delivery results for which keep(result, user) says false. */
void record_filter_verify(struct run_record *r,
			  bool (*keep)(const struct verify_result *v, void *user), void *user);

/* "store", or the name of the application whose view v was checked through. */
const char *verify_result_view(const struct verify_result *v);

void record_free(struct run_record *r);

#endif
