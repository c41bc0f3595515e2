/* SPDX-License-Identifier: MIT */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include "text.h"

/* The longest message written; a longer one is cut. */
#define LOG_LINE_MAX 4096

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
	char line[LOG_LINE_MAX], *shown;
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	size_t len = n < 0 ? 0 : (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;

	/* A message quotes what others wrote (a URL, a file, a server's reply):
	 * what a terminal or a log reader would act on is shown as \xNN. */
	shown = text_escape_copy(line, len, false);
	if (log_to_syslog && priority != LOG_DEBUG)
		syslog(priority, "%s", shown ? shown : "(out of memory)");
	if (to_stderr)
		fprintf(stderr, "%s: %s%s\n", log_ident, label, shown ? shown : "(out of memory)");
	free(shown);
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
