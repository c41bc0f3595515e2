/* SPDX-License-Identifier: MIT */
/* Numbers: digits only, within range; every other spelling is refused. */
#include "parse.h"
#include "tap.h"

int main(void)
{
	unsigned long long v = 7;
	unsigned port = 9;
	long long t = 3;

	ok(parse_uint("0", 0, 10, &v) && v == 0, "zero");
	ok(parse_uint("300", 1, 300, &v) && v == 300, "the upper bound is allowed");
	ok(parse_uint("18446744073709551615", 0, ~0ULL, &v) && v == ~0ULL, "the largest value");
	v = 7;
	ok(!parse_uint("18446744073709551616", 0, ~0ULL, &v) && v == 7, "overflow, *out untouched");
	ok(!parse_uint("00", 0, 10, &v), "a leading zero");
	ok(!parse_uint("05", 0, 10, &v), "a leading zero before a digit");
	ok(!parse_uint("+5", 0, 10, &v), "a plus sign");
	ok(!parse_uint("-5", 0, 10, &v), "a minus sign");
	ok(!parse_uint(" 5", 0, 10, &v), "a leading space");
	ok(!parse_uint("5 ", 0, 10, &v), "a trailing space");
	ok(!parse_uint("5s", 0, 10, &v), "a unit");
	ok(!parse_uint("", 0, 10, &v), "empty");
	ok(!parse_uint(NULL, 0, 10, &v), "NULL");
	ok(!parse_uint("0", 1, 10, &v), "below the minimum");
	ok(!parse_uint("11", 1, 10, &v), "above the maximum");
	ok(parse_port("25", &port) && port == 25, "port 25");
	ok(parse_port("65535", &port) && port == 65535, "port 65535");
	ok(!parse_port("0", &port), "port 0");
	ok(!parse_port("65536", &port), "port 65536");
	ok(parse_int("-86400", &t) && t == -86400, "a negative time");
	ok(parse_int("1700000000", &t) && t == 1700000000, "a positive time");
	ok(!parse_int("-", &t), "a lone minus");
	ok(!parse_int("--1", &t), "two minus signs");
	ok(!parse_int("9223372036854775808", &t), "beyond LLONG_MAX");
	return tap_done();
}
