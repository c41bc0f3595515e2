/* SPDX-License-Identifier: MIT */
/* A link directory remembered and put back (linkset): links that appeared are
 * removed, links that went or were retargeted come back as they were, and
 * regular files are left alone. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "linkset.h"
#include "tap.h"

static char scratch[] = "/tmp/anchorsync-test-linkset-XXXXXX";
static char certs[1100];

static char *at(const char *name)
{
	static char path[1200];

	snprintf(path, sizeof(path), "%s/%s", certs, name);
	return path;
}

/* The target of the link name, or "" when it is not a link. */
static const char *target_of(const char *name)
{
	static char target[PATH_MAX];
	ssize_t n = readlink(at(name), target, sizeof(target) - 1);

	target[n < 0 ? 0 : n] = '\0';
	return target;
}

int main(void)
{
	struct linkset set;
	FILE *f;

	scratch_make(scratch);
	snprintf(certs, sizeof(certs), "%s/certs", scratch);
	ok(linkset_take(&set, certs) && set.count == 0, "a missing directory is an empty set");
	linkset_free(&set);
	if (mkdir(certs, 0755) != 0 || symlink("a.crt", at("a.pem")) != 0 ||
	    symlink("a.pem", at("1234abcd.0")) != 0 || symlink("b.crt", at("b.pem")) != 0)
		return 99;
	ok(linkset_take(&set, certs) && set.count == 3, "three links taken");

	/* What a failed update command might leave. */
	unlink(at("a.pem"));
	unlink(at("b.pem"));
	symlink("elsewhere.crt", at("b.pem"));
	symlink("c.crt", at("c.pem"));
	f = fopen(at("ca-certificates.crt"), "w");
	if (f == NULL || fputs("a regular file\n", f) < 0 || fclose(f) != 0)
		return 99;

	ok(linkset_restore(&set), "the links are put back");
	is_str(target_of("a.pem"), "a.crt", "  ... a removed link is recreated");
	is_str(target_of("b.pem"), "b.crt", "  ... a retargeted one points where it did");
	is_str(target_of("1234abcd.0"), "a.pem", "  ... an untouched one stays");
	ok(target_of("c.pem")[0] == 0 && access(at("c.pem"), F_OK) != 0, "  ... a new one is removed");
	ok(access(at("ca-certificates.crt"), F_OK) == 0, "  ... and a regular file is left alone");
	linkset_free(&set);
	scratch_remove(scratch);
	return tap_done();
}
