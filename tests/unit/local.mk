# SPDX-License-Identifier: MIT
# C unit tests, one per module, TAP on stdout.
unit_tests = tests/unit/test-pin tests/unit/test-config tests/unit/test-bundle \
	tests/unit/test-plan tests/unit/test-parse tests/unit/test-signed \
	tests/unit/test-manifest tests/unit/test-fileio tests/unit/test-osrelease \
	tests/unit/test-command tests/unit/test-textbuf tests/unit/test-trustchain \
	tests/unit/test-apply tests/unit/test-store-effect tests/unit/test-linkset \
	tests/unit/test-fetch tests/unit/test-postconf tests/unit/test-appstate \
	tests/unit/test-frame tests/unit/test-fetch-frame tests/unit/test-record
check_PROGRAMS += $(unit_tests)
TESTS += $(unit_tests)

tests_unit_test_pin_LDADD = $(LDADD_CORE)
tests_unit_test_config_LDADD = $(LDADD_CORE)
tests_unit_test_bundle_LDADD = $(LDADD_CORE)
tests_unit_test_plan_LDADD = $(LDADD_CORE)
tests_unit_test_signed_LDADD = $(LDADD_CORE)
tests_unit_test_parse_LDADD = $(LDADD_CORE)
tests_unit_test_manifest_LDADD = $(LDADD_CORE)
tests_unit_test_fileio_LDADD = $(LDADD_CORE)
tests_unit_test_osrelease_LDADD = $(LDADD_CORE)
tests_unit_test_postconf_LDADD = $(LDADD_CORE)
tests_unit_test_appstate_LDADD = $(LDADD_CORE)
tests_unit_test_command_LDADD = $(LDADD_CORE)
tests_unit_test_textbuf_LDADD = $(LDADD_CORE)
tests_unit_test_trustchain_LDADD = $(LDADD_CORE)
tests_unit_test_apply_LDADD = $(LDADD_CORE)
tests_unit_test_store_effect_LDADD = $(LDADD_CORE)
tests_unit_test_linkset_LDADD = $(LDADD_CORE)
tests_unit_test_fetch_LDADD = $(LDADD_CORE)
tests_unit_test_frame_LDADD = $(LDADD_CORE)
tests_unit_test_fetch_frame_LDADD = $(LDADD_CORE)
tests_unit_test_record_LDADD = $(LDADD_CORE)

EXTRA_DIST += tests/unit/fixture.h tests/unit/data/make-chain.py \
	tests/unit/data/chain-root.pem tests/unit/data/chain-root.key \
	tests/unit/data/chain-signer.pem tests/unit/data/chain-signer.key \
	tests/unit/data/chain-signer-short.pem tests/unit/data/chain-signer-short.key \
	tests/unit/data/make-short-signer.py \
	tests/unit/data/root.pem tests/unit/data/leaf.pem \
	tests/unit/data/intermediate.pem tests/unit/data/root-no-certsign.pem \
	tests/unit/data/signing-root.pem tests/unit/data/signed.cms \
	tests/unit/data/root-badsig.pem tests/unit/data/root-otherkey.pem \
	tests/unit/data/root-md5.pem tests/unit/data/root-sha1.pem \
	tests/unit/data/root-rsa1024.pem tests/unit/data/root-newline.pem \
	tests/unit/data/make-roots.py
