/* SPDX-License-Identifier: MIT */
/* The trust store family from os-release: ID, then ID_LIKE, never guessed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "store.h"
#include "tap.h"

static char root[] = "/tmp/anchorsync-test-osrelease-XXXXXX";

static void put(const char *rel, const char *text)
{
	char *path = path_join(root, rel);

	if (text)
		file_write_atomic(path, text, strlen(text), 0644, false, NULL);
	else
		unlink(path);
	free(path);
}

/* The backend detected with etc/os-release holding text (NULL: none). */
static const char *detect(const char *text, struct error *err)
{
	const struct store_backend *b = NULL;

	put("etc/os-release", text);
	if (store_backend_detect(root, &b, err) != STATUS_OK)
		return err->status == STATUS_CONFIG ? "(config error)" : "(other error)";
	return store_backend_name(b);
}

int main(void)
{
	struct error err;
	char *dir;

	if (mkdtemp(root) == NULL)
		return 99;
	dir = path_join(root, "etc");
	dir_create(dir, 0755, &err);
	free(dir);
	dir = path_join(root, "usr/lib");
	dir_create(dir, 0755, &err);
	free(dir);

	is_str(detect("ID=debian\nVERSION_ID=\"12\"\n", &err), "debian", "Debian");
	is_str(detect("NAME=\"Ubuntu\"\nID=ubuntu\nID_LIKE=debian\n", &err), "debian", "Ubuntu");
	is_str(detect("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n", &err), "redhat",
	       "Rocky, quoted");
	is_str(detect("ID='almalinux'\n", &err), "redhat", "Alma, single quotes");
	is_str(detect("ID=fedora\n", &err), "redhat", "Fedora");
	is_str(detect("ID=\"opensuse-leap\"\nID_LIKE=\"suse opensuse\"\n", &err), "suse",
	       "openSUSE Leap");
	is_str(detect("ID=alpine\n", &err), "alpine", "Alpine");
	is_str(detect("ID=arch\n", &err), "arch", "Arch");
	is_str(detect("ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n", &err), "debian",
	       "an unknown ID falls back to ID_LIKE");
	is_str(detect("ID=pop\nID_LIKE=\"nosuch ubuntu\"\n", &err), "debian",
	       "the first known word of ID_LIKE counts");
	is_str(detect("VERSION_ID=1\nMY_ID=debian\n", &err), "(config error)",
	       "a look-alike key is not ID");
	is_str(detect("ID=gentoo\n", &err), "(config error)", "an unknown family is a config error");
	ok(strstr(err.msg, "gentoo") && strstr(err.msg, "[store] backend"),
	   "naming the ID and the way out");
	is_str(detect(NULL, &err), "(config error)", "no os-release at all is a config error");
	put("usr/lib/os-release", "ID=arch\n");
	is_str(detect(NULL, &err), "arch", "usr/lib/os-release when etc/os-release is absent");
	is_str(detect("ID=debian\n", &err), "debian", "etc/os-release comes first");

	put("etc/os-release", NULL);
	put("usr/lib/os-release", NULL);
	dir = path_join(root, "usr/lib");
	rmdir(dir);
	free(dir);
	dir = path_join(root, "usr");
	rmdir(dir);
	free(dir);
	dir = path_join(root, "etc");
	rmdir(dir);
	free(dir);
	rmdir(root);
	return tap_done();
}
