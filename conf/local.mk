# Configuration parsing, and the sample file installed to $(sysconfdir)/anchorsync/.
libanchorsync_a_SOURCES += conf/config.c conf/config.h

confdir = $(sysconfdir)/anchorsync
dist_conf_DATA = conf/anchorsync.conf
