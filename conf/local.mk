# SPDX-License-Identifier: MIT
# Configuration parsing, and the sample file installed to $(sysconfdir)/anchorsync/.
libconf_a_SOURCES += conf/config.c conf/config.h \
	conf/backends.c conf/backends.h \
	conf/app_config.c conf/app_config.h

confdir = $(sysconfdir)/anchorsync
dist_conf_DATA = conf/anchorsync.conf
