/* SPDX-License-Identifier: MIT */
/* `anchorsync status [--json]`: the managed roots, whether the store trusted
 * each at the last check, and the last results. */
#include <stdio.h>

#include "cli.h"
#include "manifest.h"
#include "record.h"
#include "report.h"
#include "store.h"
#include "store_effect.h"
#include "trustchain.h"
#include "verify_views.h"

enum status cmd_status(const struct invocation *inv, struct error *err)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cli_spec spec = { .options = options, .on_option = cli_flag_option,
					      .max_operands = 0,
					      .operands_usage = "takes no arguments" };
	struct manifest roots = { 0 };
	struct run_record run = { 0 };
	struct store store = { 0 };
	struct trustchain chain = { 0 };
	struct store_effect trust = { 0 };
	struct config cfg;
	bool json = false;
	int first;
	enum status st = cli_parse(inv, &spec, &json, &first, err);

	if (st != STATUS_OK)
		return st;
	st = cli_load_config(inv, &cfg, true, err);
	if (st == STATUS_OK)
		st = manifest_load(&roots, cfg.state_dir, err);
	if (st == STATUS_OK)
		st = record_load(&run, cfg.state_dir, err);
	if (st == STATUS_OK)	/* as the next refresh will: what is no longer configured goes */
		record_filter_verify(&run, verify_result_configured, &cfg);
	if (st == STATUS_OK)
		st = trustchain_load(&chain, cfg.state_dir, err);
	if (st == STATUS_OK)
		st = store_effect_load(cfg.state_dir, &trust, err);
	if (st == STATUS_OK) {
		/* An undetectable backend is not worth failing status over. */
		struct error ignored;
		bool have_store = store_open(&store, &cfg, &ignored) == STATUS_OK;
		struct report rep = {
			.roots = &roots,
			.run = &run,
			.backend = have_store ? store_backend_name(store.backend) : NULL,
			.anchors_dir = have_store ? store.anchors_dir : NULL,
			.warn_days = cfg.warn_days,
			.now = time(NULL),
			.chain = &chain,
			.hold_down = cfg.hold_down,
			.trust = &trust,
			.apps_state_dir = cfg.app_count > 0 ? cfg.state_dir : NULL,
			.delivery_warn_days = cfg.delivery_warn_days,
			.delivery_interval = cfg.delivery_interval,
		};
		(json ? report_write_json : report_write_text)(stdout, &rep);
	}
	store_close(&store);
	trustchain_free(&chain);
	store_effect_free(&trust);
	record_free(&run);
	manifest_free(&roots);
	config_free(&cfg);
	return st;
}
