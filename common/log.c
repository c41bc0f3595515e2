/* SPDX-License-Identifier: MIT */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <unistd.h>

static const char *log_ident = "anchorsync";
static int log_verbosity;
static bool log_to_syslog;

void log_open(const char *ident, int verbosity)
{
	log_ident = ident;
	log_verbosity = verbosity;
	log_to_syslog = !isatty(STDERR_FILENO);
	if (log_to_syslog)
		openlog(ident, LOG_PID, LOG_DAEMON);
}

bool log_verbose(void)
{
	return log_verbosity > 0;
}

static void log_emit(int priority, bool to_stderr, const char *label,
		     const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
static void log_emit(int priority, bool to_stderr, const char *label,
		     const char *fmt, va_list ap)
{
	va_list copy;

	if (log_to_syslog && priority != LOG_DEBUG) {
		va_copy(copy, ap);
		vsyslog(priority, fmt, copy);
		va_end(copy);
	}
	if (!to_stderr)
		return;
	fprintf(stderr, "%s: %s", log_ident, label);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_ERR, true, "", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, log_verbosity >= 0, "warning: ", fmt, ap);
	va_end(ap);
}

void log_notice(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_NOTICE, log_verbosity > 0 || (!log_to_syslog && log_verbosity == 0),
		 "", fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_verbosity <= 0)
		return;
	va_start(ap, fmt);
	log_emit(LOG_DEBUG, true, "", fmt, ap);
	va_end(ap);
}
