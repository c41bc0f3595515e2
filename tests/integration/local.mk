# SPDX-License-Identifier: MIT
# Integration tests: whole refresh runs against a real nginx and the real
# update-ca-certificates, in isolated stores under temp dirs (world.sh).
INTEGRATION_TESTS = \
	tests/integration/install.test \
	tests/integration/rotation.test \
	tests/integration/lock.test \
	tests/integration/rollback.test \
	tests/integration/badinput.test \
	tests/integration/limits.test \
	tests/integration/sources.test \
	tests/integration/config.test \
	tests/integration/fingerprint.test \
	tests/integration/options.test \
	tests/integration/signed.test \
	tests/integration/truth.test \
	tests/integration/toolversions.test \
	tests/integration/image.test \
	tests/integration/statefiles.test \
	tests/integration/retired.test \
	tests/integration/crash.test \
	tests/integration/interrupt.test \
	tests/integration/hooks.test \
	tests/integration/appworld.test \
	tests/integration/apps-file.test \
	tests/integration/apps-harden.test \
	tests/integration/apps-postfix.test \
	tests/integration/recipe-exim.test \
	tests/integration/recipe-opensmtpd.test \
	tests/integration/recipe-dovecot.test \
	tests/integration/recipe-node-python.test \
	tests/integration/recipe-go.test \
	tests/integration/privsep.test \
	tests/integration/family-redhat.test \
	tests/integration/family-arch.test \
	tests/integration/family-suse.test

TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += $(INTEGRATION_TESTS) \
	tests/integration/world.sh \
	tests/integration/family.sh \
	tests/lib/families.sh \
	tests/lib/trace.sh \
	tests/lib/stall-server.py \
	tests/lib/debcache.sh \
	tests/lib/recipes.sh \
	tests/lib/daemon.sh \
	tests/lib/pemtool.py \
	tests/lib/many-roots.py \
	tests/lib/gotls.sh \
	tests/lib/gotls/main.go \
	tests/lib/user.sh

# The benchmark (not a test): tests/bench.sh runs every tests/bench/*.sh.
EXTRA_DIST += tests/bench.sh tests/bench/refresh.sh tests/bench/bundle.sh tests/bench/verify.sh
