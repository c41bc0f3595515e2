# Unit tests (C, TAP) and integration tests (shell, TAP) against real servers.
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	ANCHORSYNC='$(abs_top_builddir)/anchorsync'; export ANCHORSYNC;
