/* SPDX-License-Identifier: MIT */
/* libFuzzer harness for what the privileged parent reads from an
 * unprivileged child: the framing (common/frame.h), a child's error, the
 * fetch result and its checks (fetch_frame_check, with a fixed configuration:
 * one mirror, one pin, max_size 64 KiB; with no root installed, and with the
 * pinned one installed, taken on its manifest entry) and the delivery-check
 * results (verify_frame_check, two targets). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fetch_frame.h"
#include "frame.h"
#include "log.h"
#include "privsep.h"
#include "verify_child.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char conf[] = "[source]\nurl = http://127.0.0.1/roots.pem\n"
	"pin = sha256:57b074458962f34f05cd140286b8e86cc0cd2d12de024e3b755d398d3edb170b\n"
	"max_size = 64K\nhold_down = 1d\n";

static void walk(const uint8_t *data, size_t size)
{
	struct frame_reader r;
	struct frame_item it;
	uint64_t v;

	frame_reader_init(&r, data, size);
	while (frame_next(&r, 1 << 20, &it) == FRAME_ITEM) {
		free(frame_item_text(&it, 4096));
		frame_item_u64(&it, &v);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config cfg;
	static bool loaded;
	static const enum status allowed[] = { STATUS_DATA, STATUS_UNAVAILABLE };
	static char target1[] = "smtp://a.corp.internal", target2[] = "mx:corp.internal";
	static char *targets[] = { target1, target2 };
	struct verify_result results[2];
	struct trustchain chain = { 0 };
	static char file[] = "corp-root.crt", subject[] = "CN=Unit Root";
	struct manifest_entry root = { .not_after = 1893456000, .file = file,
				       .subject = subject, .state = MANIFEST_INSTALLED };
	struct manifest installed = { 0 };
	struct fetch_request rq = { .cfg = &cfg, .chain = &chain, .installed = &installed,
				     .kept = "kept", .kept_len = 4 };
	struct fetch_outcome out;
	struct error err;

	log_open("fuzz-frame", -1);
	if (!loaded) {
		config_init(&cfg);
		if (config_load_text(&cfg, "fuzz", conf, strlen(conf), &err) != STATUS_OK)
			abort();
		loaded = true;
	}
	walk(data, size);
	frame_is_whole(data, size);
	privsep_frame_error(data, size, allowed, 2, "fuzz", &err);
	fetch_frame_check(data, size, &rq, 1767225600, &out, &err);
	fetch_outcome_free(&out);
	pin_parse("sha256:57b074458962f34f05cd140286b8e86cc0cd2d12de024e3b755d398d3edb170b",
		  &root.pin);
	installed = (struct manifest){ .entries = &root, .count = 1 };
	fetch_frame_check(data, size, &rq, 1767225600, &out, &err);
	fetch_outcome_free(&out);
	installed = (struct manifest){ 0 };
	chain.serial = 2;
	fetch_frame_check(data, size, &rq, 1767225600, &out, &err);
	fetch_outcome_free(&out);
	memset(results, 0, sizeof(results));
	verify_frame_check(data, size, targets, 2, results, &err);
	for (size_t i = 0; i < 2; i++) {
		free(results[i].target);
		free(results[i].detail);
		free(results[i].cause);
		free(results[i].names);
		free(results[i].expiring);
	}
	return 0;
}
