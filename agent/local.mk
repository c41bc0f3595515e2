# The agent: command table, the refresh pipeline and its parts.
libanchorsync_a_SOURCES += \
	agent/cli.c agent/cli.h \
	agent/store.c agent/store.h agent/stubs.c

sbin_PROGRAMS += anchorsync
anchorsync_SOURCES = agent/main.c
anchorsync_LDADD = $(LDADD_CORE)
