# SPDX-License-Identifier: MIT
# Helpers shared by agent/ and delivery/.
libcommon_a_SOURCES += \
	common/status.c common/status.h \
	common/log.c common/log.h \
	common/fileio.c common/fileio.h \
	common/command.c common/command.h \
	common/frame.c common/frame.h \
	common/privsep.c common/privsep.h \
	common/pin.c common/pin.h \
	common/json.c common/json.h \
	common/kvfile.c common/kvfile.h \
	common/parse.c common/parse.h \
	common/pathsafe.c common/pathsafe.h \
	common/strlist.c common/strlist.h \
	common/text.c common/text.h \
	common/textbuf.c common/textbuf.h \
	common/timefmt.c common/timefmt.h
