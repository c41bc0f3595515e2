# SPDX-License-Identifier: MIT
# delivery tests: unit tests for the reply parser and target parsing, and
# integration tests against a private Postfix, dnsmasq and a scripted fake.
check_PROGRAMS += tests/delivery/test-smtp-reply tests/delivery/test-target \
	tests/delivery/test-helpers
tests_delivery_test_helpers_SOURCES = tests/delivery/test-helpers.c
tests_delivery_test_helpers_LDADD = $(LDADD_CORE)
tests_delivery_test_smtp_reply_SOURCES = tests/delivery/test-smtp-reply.c
tests_delivery_test_smtp_reply_LDADD = $(LDADD_CORE)
tests_delivery_test_target_SOURCES = tests/delivery/test-target.c
tests_delivery_test_target_LDADD = $(LDADD_CORE)

TESTS += tests/delivery/test-smtp-reply tests/delivery/test-target \
	tests/delivery/test-helpers \
	tests/delivery/usage.test \
	tests/delivery/postfix.test \
	tests/delivery/schedule.test \
	tests/delivery/fake.test \
	tests/delivery/mx.test

EXTRA_DIST += tests/delivery/usage.test tests/delivery/postfix.test \
	tests/delivery/schedule.test \
	tests/delivery/fake.test tests/delivery/mx.test \
	tests/lib/postfix.sh tests/lib/dnsmasq.sh tests/lib/fake-smtp.py \
	tests/bench/verify.sh
