/* SPDX-License-Identifier: MIT */
/* Renderings of the agent's state: `status` (human or JSON), STATE_DIR/status.json
 * after every run, and the Prometheus textfile for node_exporter. */
#ifndef ANCHORSYNC_REPORT_H
#define ANCHORSYNC_REPORT_H

#include <stdio.h>
#include <time.h>

#include "manifest.h"
#include "record.h"
#include "status.h"
#include "store_effect.h"
#include "trustchain.h"

/* What a rendering shows; anchors_dir and backend may be NULL when unknown,
 * trust (the last store check) NULL when not read. Fill it with designated
 * initializers: warn_days and hold_down are both unsigned. */
struct report {
	const struct manifest *roots;
	const struct run_record *run;
	const char *backend;
	const char *anchors_dir;
	unsigned warn_days;
	time_t now;
	const struct trustchain *chain;	/* signed bundles; NULL: none */
	unsigned hold_down;
	const struct store_effect *trust;
	const char *apps_state_dir;	/* with [app] sections: the state dir holding
					 * their last checks; NULL: none */
	unsigned delivery_warn_days;	/* [delivery] warn_days */
	unsigned delivery_interval;	/* [delivery] interval; 0: after changes only */
};

void report_write_json(FILE *out, const struct report *r);
void report_write_text(FILE *out, const struct report *r);
void report_write_metrics(FILE *out, const struct report *r);

/* Writes STATE_DIR/status.json and, when configured, the metrics file, each
 * atomically, and durably (file and directory fsync'ed) when durable: a run
 * whose report differs from the last only in its timestamps need not survive
 * a power loss, since no later decision reads them. Without r->trust the last
 * store check is read from STATE_DIR. A failure is only warned about: the
 * run's outcome stands. */
void report_publish(const char *state_dir, const char *metrics_file, const struct report *r,
		    bool durable);

#endif
