/* SPDX-License-Identifier: MIT */
/* The manifest: escaping round trips, pending marks, and malformed lines that
 * never wedge the state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "manifest.h"
#include "tap.h"

static struct pin pin_n(unsigned char n)
{
	struct pin p;

	memset(p.sha256, n, sizeof(p.sha256));
	return p;
}

static char *slurp(const char *dir)
{
	char *path = path_join(dir, "manifest"), *text = NULL;
	size_t len;

	if (file_read(path, 1 << 20, &text, &len, NULL, NULL) != STATUS_OK)
		text = NULL;
	free(path);
	return text;
}

static void write_manifest(const char *dir, const char *text)
{
	char *path = path_join(dir, "manifest");

	file_write_atomic(path, text, strlen(text), 0644, false, NULL);
	free(path);
}

static int count_lines(const char *text)
{
	int n = 0;

	for (; text && *text; text++)
		n += *text == '\n';
	return n;
}

int main(void)
{
	char dir[] = "/tmp/anchorsync-test-manifest-XXXXXX";
	char name[MANIFEST_NAME_SIZE], pintext[PIN_TEXT_SIZE], line[512], text[2048];
	char subject[] = "CN=Line\nBreak,O=Tab\there,OU=back\\slash\r\x01";
	char file_a[] = "anchorsync-0101010101010101.crt", file_b[] = "b.crt";
	struct manifest_entry e[2] = {
		{ .pin = pin_n(1), .not_after = 2000000000, .file = file_a, .subject = subject,
		  .state = MANIFEST_ADDING },
		{ .pin = pin_n(2), .not_after = -5, .file = file_b, .subject = file_b,
		  .state = MANIFEST_RETIRING },
	};
	struct manifest m = { e, 2 }, back = { 0 };
	struct error err;
	char *saved;

	if (mkdtemp(dir) == NULL)
		return 99;

	struct pin p1 = pin_n(0xab);
	manifest_file_name(&p1, ".crt", name);
	is_str(name, "anchorsync-abababababababab.crt", "the anchor file name: prefix, 16 hex, suffix");

	ok(manifest_save(&m, dir, &err) == STATUS_OK, "a manifest with control characters saves");
	saved = slurp(dir);
	ok(count_lines(saved) == 3, "one line per root (plus the header): the newline is escaped");
	ok(saved && strstr(saved, "CN=Line\\nBreak,O=Tab\\there,OU=back\\\\slash\\r\\x01") != NULL,
	   "the subject is stored escaped");
	ok(saved && strstr(saved, "\tadding\n") && strstr(saved, "\tretiring\n"),
	   "pending entries carry their mark");
	free(saved);
	ok(manifest_load(&back, dir, &err) == STATUS_OK && back.count == 2, "it loads back");
	if (back.count == 2) {
		is_str(back.entries[0].subject, subject, "the subject round-trips");
		is_str(back.entries[0].file, file_a, "the file name round-trips");
		ok(back.entries[0].state == MANIFEST_ADDING && back.entries[1].state ==
		   MANIFEST_RETIRING, "the marks round-trip");
		ok(back.entries[0].not_after == 2000000000 && back.entries[1].not_after == -5,
		   "not-after round-trips");
	}
	manifest_free(&back);

	/* Settled entries are written as before: four fields. */
	e[0].state = MANIFEST_INSTALLED;
	m.count = 1;
	manifest_save(&m, dir, &err);
	saved = slurp(dir);
	ok(saved && strstr(saved, "\tadding") == NULL, "a settled entry carries no mark");
	free(saved);

	/* Malformed lines: skipped with a warning, never fatal. */
	pin_format(&e[1].pin, pintext);
	snprintf(line, sizeof(line), "%s\tnot-a-time\tx.crt\tCN=x\n", pintext);
	{
		struct pin p3 = pin_n(3);
		char p3text[PIN_TEXT_SIZE];
		pin_format(&p3, p3text);
		snprintf(text, sizeof(text),
			 "# comment\n"
			 "%s\t100\tgood.crt\tCN=good\n"
			 "garbage without tabs\n"
			 "%s"
			 "sha256:0303\t1\tshort-pin.crt\tCN=s\n"
			 "%s\t1\tbad-escape.crt\tCN=\\q\n"
			 "%s\t1\t../../etc/passwd\tCN=p\n"
			 "%s\t1\tf.crt\tCN=f\tnonsense-state\n",
			 p3text, line, p3text, p3text, p3text);
	}
	write_manifest(dir, text);
	ok(manifest_load(&back, dir, &err) == STATUS_OK, "malformed lines do not fail the load");
	ok(back.count == 2, "the good line and one salvaged entry remain");
	if (back.count == 2) {
		ok(back.entries[0].state == MANIFEST_INSTALLED &&
		   strcmp(back.entries[0].file, "good.crt") == 0, "the good line is read");
		ok(pin_equal(&back.entries[1].pin, &e[1].pin) &&
		   back.entries[1].state == MANIFEST_RETIRING && back.entries[1].file[0] == '\0',
		   "a malformed line with a readable pin becomes a root to retire, by its pin");
	}
	manifest_free(&back);

	/* A missing manifest is empty. */
	{
		char *path = path_join(dir, "manifest");
		unlink(path);
		free(path);
	}
	ok(manifest_load(&back, dir, &err) == STATUS_OK && back.count == 0,
	   "a missing manifest is an empty one");
	manifest_free(&back);

	{
		char a[] = "a\\x00b", b[] = "trailing\\", c[] = "x\\x41\\\\y";
		ok(!manifest_unescape(a), "an escaped NUL is refused");
		ok(!manifest_unescape(b), "a lone trailing backslash is refused");
		ok(manifest_unescape(c) && strcmp(c, "xA\\y") == 0, "\\xHH and \\\\ unescape");
	}

	{
		char *path = path_join(dir, "manifest");
		unlink(path);
		free(path);
		rmdir(dir);
	}
	return tap_done();
}
