# SPDX-License-Identifier: MIT
# The shipped Prometheus rules against promtool, and a fleet of nodes seen by
# a real Prometheus.
PROMETHEUS_TESTS = \
	tests/prometheus/rules.test \
	tests/prometheus/fleet.test

TESTS += $(PROMETHEUS_TESTS)
EXTRA_DIST += $(PROMETHEUS_TESTS) tests/prometheus/rules.test.yml

# blackbox_exporter's SMTP probe beside anchorsync verify (tests/bench.sh runs it).
EXTRA_DIST += tests/bench/probes.sh tests/lib/strip-starttls.py
