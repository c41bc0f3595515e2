# SPDX-License-Identifier: MIT
# The bundled SMTP client behind `anchorsync verify`.
libdelivery_a_SOURCES += \
	delivery/target.c delivery/target.h \
	delivery/net.c delivery/net.h \
	delivery/mx.c delivery/mx.h \
	delivery/smtp.c delivery/smtp.h \
	delivery/tls.c delivery/tls.h \
	delivery/probe.c delivery/probe.h \
	delivery/target_check.c delivery/target_check.h \
	delivery/verdict.c delivery/verdict.h
