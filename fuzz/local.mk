# SPDX-License-Identifier: MIT
# libFuzzer harnesses, one per parser of outside input (see fuzz/fuzz.h).
# Every build links each harness with replay.c into fuzz/replay-NAME, which
# `make check` runs over the committed corpus fuzz/corpus/NAME/. With
# ./configure --enable-fuzzing CC=clang, fuzz/fuzz-NAME are the fuzzers
# themselves; fuzz/run.sh runs each for a bounded time.
#
# A new parser gets fuzz/fuzz-NAME.c, a small fuzz/corpus/NAME/, and its name
# in the three lists below, as fuzz-signed.c (the signed-bundle CMS parser) has.
replay_programs = fuzz/replay-bundle fuzz/replay-smtp fuzz/replay-mx fuzz/replay-target fuzz/replay-config fuzz/replay-manifest fuzz/replay-state fuzz/replay-signed fuzz/replay-postconf fuzz/replay-frame
check_PROGRAMS += $(replay_programs)
TESTS += $(replay_programs)
EXTRA_DIST += fuzz/fuzz.h fuzz/corpus fuzz/run.sh

fuzz_replay_bundle_SOURCES = fuzz/fuzz-bundle.c fuzz/replay.c fuzz/util.c fuzz/fuzz.h
fuzz_replay_bundle_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_NAME='"bundle"'
fuzz_replay_bundle_LDADD = $(LDADD_CORE)
fuzz_replay_smtp_SOURCES = fuzz/fuzz-smtp.c fuzz/replay.c fuzz/util.c fuzz/fuzz.h
fuzz_replay_smtp_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_NAME='"smtp"'
fuzz_replay_smtp_LDADD = $(LDADD_CORE)
fuzz_replay_mx_SOURCES = fuzz/fuzz-mx.c fuzz/replay.c fuzz/util.c fuzz/fuzz.h
fuzz_replay_mx_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_NAME='"mx"'
fuzz_replay_mx_LDADD = $(LDADD_CORE)
fuzz_replay_target_SOURCES = fuzz/fuzz-target.c fuzz/replay.c fuzz/util.c fuzz/fuzz.h
fuzz_replay_target_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_NAME='"target"'
fuzz_replay_target_LDADD = $(LDADD_CORE)
fuzz_replay_config_SOURCES = fuzz/fuzz-config.c fuzz/replay.c fuzz/util.c fuzz/fuzz.h
fuzz_replay_config_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_NAME='"config"'
fuzz_replay_config_LDADD = $(LDADD_CORE)
fuzz_replay_manifest_SOURCES = fuzz/fuzz-manifest.c fuzz/replay.c fuzz/util.c fuzz/fuzz.h
fuzz_replay_manifest_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_NAME='"manifest"'
fuzz_replay_manifest_LDADD = $(LDADD_CORE)
fuzz_replay_state_SOURCES = fuzz/fuzz-state.c fuzz/replay.c fuzz/util.c fuzz/fuzz.h
fuzz_replay_state_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_NAME='"state"'
fuzz_replay_state_LDADD = $(LDADD_CORE)
fuzz_replay_signed_SOURCES = fuzz/fuzz-signed.c fuzz/replay.c fuzz/util.c fuzz/fuzz.h
fuzz_replay_signed_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_NAME='"signed"'
fuzz_replay_signed_LDADD = $(LDADD_CORE)
fuzz_replay_postconf_SOURCES = fuzz/fuzz-postconf.c fuzz/replay.c fuzz/util.c fuzz/fuzz.h
fuzz_replay_postconf_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_NAME='"postconf"'
fuzz_replay_postconf_LDADD = $(LDADD_CORE)

fuzz_replay_frame_SOURCES = fuzz/fuzz-frame.c fuzz/replay.c fuzz/util.c fuzz/fuzz.h
fuzz_replay_frame_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_NAME='"frame"'
fuzz_replay_frame_LDADD = $(LDADD_CORE)

if FUZZING
fuzz_programs = fuzz/fuzz-bundle fuzz/fuzz-smtp fuzz/fuzz-mx fuzz/fuzz-target fuzz/fuzz-config fuzz/fuzz-manifest fuzz/fuzz-state fuzz/fuzz-signed fuzz/fuzz-postconf fuzz/fuzz-frame
noinst_PROGRAMS = $(fuzz_programs)
FUZZER_LINK_FLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
fuzz_fuzz_bundle_SOURCES = fuzz/fuzz-bundle.c fuzz/util.c fuzz/fuzz.h
fuzz_fuzz_bundle_LDFLAGS = $(FUZZER_LINK_FLAGS)
fuzz_fuzz_bundle_LDADD = $(LDADD_CORE)
fuzz_fuzz_smtp_SOURCES = fuzz/fuzz-smtp.c fuzz/util.c fuzz/fuzz.h
fuzz_fuzz_smtp_LDFLAGS = $(FUZZER_LINK_FLAGS)
fuzz_fuzz_smtp_LDADD = $(LDADD_CORE)
fuzz_fuzz_mx_SOURCES = fuzz/fuzz-mx.c fuzz/util.c fuzz/fuzz.h
fuzz_fuzz_mx_LDFLAGS = $(FUZZER_LINK_FLAGS)
fuzz_fuzz_mx_LDADD = $(LDADD_CORE)
fuzz_fuzz_target_SOURCES = fuzz/fuzz-target.c fuzz/util.c fuzz/fuzz.h
fuzz_fuzz_target_LDFLAGS = $(FUZZER_LINK_FLAGS)
fuzz_fuzz_target_LDADD = $(LDADD_CORE)
fuzz_fuzz_config_SOURCES = fuzz/fuzz-config.c fuzz/util.c fuzz/fuzz.h
fuzz_fuzz_config_LDFLAGS = $(FUZZER_LINK_FLAGS)
fuzz_fuzz_config_LDADD = $(LDADD_CORE)
fuzz_fuzz_manifest_SOURCES = fuzz/fuzz-manifest.c fuzz/util.c fuzz/fuzz.h
fuzz_fuzz_manifest_LDFLAGS = $(FUZZER_LINK_FLAGS)
fuzz_fuzz_manifest_LDADD = $(LDADD_CORE)
fuzz_fuzz_state_SOURCES = fuzz/fuzz-state.c fuzz/util.c fuzz/fuzz.h
fuzz_fuzz_state_LDFLAGS = $(FUZZER_LINK_FLAGS)
fuzz_fuzz_state_LDADD = $(LDADD_CORE)
fuzz_fuzz_signed_SOURCES = fuzz/fuzz-signed.c fuzz/util.c fuzz/fuzz.h
fuzz_fuzz_signed_LDFLAGS = $(FUZZER_LINK_FLAGS)
fuzz_fuzz_signed_LDADD = $(LDADD_CORE)
fuzz_fuzz_postconf_SOURCES = fuzz/fuzz-postconf.c fuzz/util.c fuzz/fuzz.h
fuzz_fuzz_postconf_LDFLAGS = $(FUZZER_LINK_FLAGS)
fuzz_fuzz_postconf_LDADD = $(LDADD_CORE)
fuzz_fuzz_frame_SOURCES = fuzz/fuzz-frame.c fuzz/util.c fuzz/fuzz.h
fuzz_fuzz_frame_LDFLAGS = $(FUZZER_LINK_FLAGS)
fuzz_fuzz_frame_LDADD = $(LDADD_CORE)
endif
