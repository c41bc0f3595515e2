# Unit tests (C, TAP) and integration tests (shell, TAP) against real servers.
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	ANCHORSYNC='$(abs_top_builddir)/anchorsync'; export ANCHORSYNC;

EXTRA_DIST += tests/lib/tap.sh tests/lib/ca.sh tests/lib/nginx.sh tests/lib/store.sh

include tests/unit/local.mk
include tests/integration/local.mk
include tests/delivery/local.mk
include tests/packaging/local.mk
