# SPDX-License-Identifier: MIT
# The shipped Prometheus rules against promtool, and a fleet of nodes seen by
# a real Prometheus.
PROMETHEUS_TESTS = \
	tests/prometheus/rules.test

TESTS += $(PROMETHEUS_TESTS)
EXTRA_DIST += $(PROMETHEUS_TESTS) tests/prometheus/rules.test.yml
