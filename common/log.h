/* SPDX-License-Identifier: MIT */
/* Diagnostics for a program that runs both by hand and from cron.
 *
 * Errors and warnings always go to stderr. Notices (what changed) go to stderr
 * on a terminal and to syslog otherwise; -q silences them on stderr. Debug lines
 * appear only with -v. Off a terminal, errors and warnings go to syslog too. */
#ifndef ANCHORSYNC_LOG_H
#define ANCHORSYNC_LOG_H

#include <stdbool.h>

/* verbosity: -1 quiet, 0 normal, 1 verbose. */
void log_open(const char *ident, int verbosity);
bool log_verbose(void);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
