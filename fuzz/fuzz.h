/* SPDX-License-Identifier: MIT */
/* libFuzzer harnesses: one per parser of outside input. Each fuzz-NAME.c
 * defines LLVMFuzzerTestOneInput; linked with -fsanitize=fuzzer it is a fuzzer
 * (./configure --enable-fuzzing CC=clang), linked with replay.c it replays
 * fuzz/corpus/NAME/ in `make check`, with any compiler. */
#ifndef ANCHORSYNC_FUZZ_H
#define ANCHORSYNC_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A copy of data with a NUL after it; the caller frees it. Aborts on OOM. */
char *fuzz_text(const uint8_t *data, size_t size);

/* A private directory for harnesses whose parser reads only a path, removed
 * at exit with what fuzz_write_file put in it. Aborts when it cannot be made. */
const char *fuzz_dir(void);

/* Replaces fuzz_dir()/name with data. Aborts on failure. */
void fuzz_write_file(const char *name, const uint8_t *data, size_t size);

#endif
