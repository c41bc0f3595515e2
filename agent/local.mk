# SPDX-License-Identifier: MIT
# The agent: command table, the refresh pipeline and its parts.
libagent_a_SOURCES += \
	agent/cli.c agent/cli.h \
	agent/lock.c agent/lock.h \
	agent/fetch.c agent/fetch.h \
	agent/bundle.c agent/bundle.h \
	agent/signed.c agent/signed.h \
	agent/trustchain.c agent/trustchain.h \
	agent/sign.c \
	agent/plan.c agent/plan.h \
	agent/manifest.c agent/manifest.h \
	agent/apply.c agent/apply.h \
	agent/store.c agent/store.h \
	agent/store_check.c agent/store_check.h \
	agent/linkset.c agent/linkset.h \
	agent/record.c agent/record.h \
	agent/state_files.h \
	agent/report.c agent/report.h \
	agent/refresh.c \
	agent/verify.h agent/verify_cmd.c \
	agent/status_cmd.c \
	agent/fingerprint.c \
	agent/remove.c \
	agent/check_config.c

sbin_PROGRAMS += anchorsync
anchorsync_SOURCES = agent/main.c
anchorsync_LDADD = $(LDADD_CORE)
