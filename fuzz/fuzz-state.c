/* SPDX-License-Identifier: MIT */
/* The key-value state files: the same input as last-run (record_load), as
 * fetch-cache (fetch_cache_load) and as store-check (store_effect_load: its
 * verdicts with file stamps and its retired roots kept by others' files), all
 * read with kvfile; and the applications' journal (apps: names, escaped paths,
 * marks and digests) and checks (apps-check). */
#include "app_state.h"
#include "fetch.h"
#include "fuzz.h"
#include "record.h"
#include "store_effect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run_record r;
	struct fetch_cache c;
	struct store_effect e;
	struct app_journal j;
	struct app_records ar;
	struct error err;

	fuzz_write_file("last-run", data, size);
	fuzz_write_file("fetch-cache", data, size);
	record_load(&r, fuzz_dir(), &err);
	record_free(&r);
	fetch_cache_load(&c, fuzz_dir());
	fetch_cache_usable(&c, 1767225600);
	fetch_cache_free(&c);
	fuzz_write_file("store-check", data, size);
	store_effect_load(fuzz_dir(), &e, &err);
	store_effect_free(&e);	/* also after a failure */
	fuzz_write_file(STATE_APPS, data, size);
	fuzz_write_file(STATE_APPS_CHECK, data, size);
	app_journal_load(&j, fuzz_dir(), &err);
	app_journal_free(&j);
	app_records_load(&ar, fuzz_dir(), &err);
	app_records_free(&ar);
	return 0;
}
