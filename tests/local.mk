# SPDX-License-Identifier: MIT
# Unit tests (C, TAP) and integration tests (bash scripts named *.test, TAP)
# against real servers. Every test sees where the sources and the program are.
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
TEST_EXTENSIONS = .test
TEST_LOG_DRIVER = $(LOG_DRIVER)
TEST_LOG_COMPILER = bash
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	ANCHORSYNC='$(abs_top_builddir)/anchorsync'; export ANCHORSYNC;

EXTRA_DIST += tests/unit/tap.h \
	tests/lib/tap.sh tests/lib/ca.sh tests/lib/nginx.sh tests/lib/store.sh

include tests/unit/local.mk
include tests/integration/local.mk
include tests/delivery/local.mk
include tests/packaging/local.mk
include tests/build/local.mk
include tests/prometheus/local.mk
