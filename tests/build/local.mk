# SPDX-License-Identifier: MIT
# Checks of the source tree itself.
TESTS += tests/build/layers.test
EXTRA_DIST += tests/build/layers.test
