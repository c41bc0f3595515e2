# SPDX-License-Identifier: MIT
# Packaging tests: the man pages and sample configuration against the program,
# the cron job and systemd units, and a build and install of both packages.
PACKAGING_TESTS = \
	tests/packaging/docs.test \
	tests/packaging/schedule.test \
	tests/packaging/packages.test

TESTS += $(PACKAGING_TESTS)
EXTRA_DIST += $(PACKAGING_TESTS)
