# The bundled SMTP client behind `anchorsync verify`.
libanchorsync_a_SOURCES += \
	delivery/verify_cmd.c delivery/verify.h
