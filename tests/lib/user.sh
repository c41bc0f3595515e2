# SPDX-License-Identifier: MIT
# The unprivileged user a test run as root names in [agent] user: $TEST_USER,
# nobody unless ANCHORSYNC_TEST_USER names another (it must exist).
#   user_conf FILE   writes a configuration that says only that
TEST_USER=${ANCHORSYNC_TEST_USER:-nobody}

user_conf() {
	printf '[agent]\nuser = %s\n' "$TEST_USER" >"$1"
}
