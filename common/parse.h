/* SPDX-License-Identifier: MIT */
/* Strict parsing of numbers from configuration, command lines, state files and
 * the network: one rule everywhere, so "00", "+5", " 7" and "7s" mean the same
 * thing (nothing) wherever they appear. */
#ifndef ANCHORSYNC_PARSE_H
#define ANCHORSYNC_PARSE_H

#include <stdbool.h>

/* Parses s as decimal digits only (no sign, no spaces, no leading zero except
 * "0" itself) into *out when min <= value <= max. Returns false, leaving *out
 * alone, for anything else, overflow included. */
bool parse_uint(const char *s, unsigned long long min, unsigned long long max,
		unsigned long long *out);

/* The byte two hex digits (any case) at s stand for, or -1 when s does not
 * start with two. */
int parse_hex_byte(const char *s);

/* Parses a TCP port, 1 to 65535, as parse_uint does. */
bool parse_port(const char *s, unsigned *out);

/* Parses a signed decimal (an optional '-', then digits as parse_uint takes
 * them): for times stored in state files. */
bool parse_int(const char *s, long long *out);

#endif
