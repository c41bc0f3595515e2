/* SPDX-License-Identifier: MIT */
/* OS trust-store backends: where a distribution keeps local anchors, how it
 * names them, and the command that rebuilds the bundle others read.
 * store.c changes the store and calls on store_effect.c to check the result;
 * the check reads struct store's paths and calls nothing here. */
#ifndef ANCHORSYNC_STORE_H
#define ANCHORSYNC_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "backends.h"
#include "config.h"
#include "status.h"

struct store_backend {
	enum backend family;		/* its name: store_backend_name */
	const char *anchors_dir;	/* local anchors, one PEM file each */
	const char *suffix;		/* the file ending the update command reads */
	const char *bundle;		/* the bundle the update command writes */
	const char *update;		/* the update command */
	const char *update_arg;		/* its argument, or NULL */
	const char *fresh_arg;		/* added after a removal, or NULL */
	/* For a root= tree without its own update command: the host command's
	 * options naming each directory it reads and writes, each followed by
	 * its path inside the tree, NULL-terminated; NULL when it has none. */
	const char *const *tree_args;
	const char *links_dir;		/* links the command rebuilds in place, or NULL */
	bool links_anchors;		/* it links <name>.pem there to each anchor file, and
					 * `openssl rehash` links <hash>.N to those */
	const char *leftover;		/* the temporary bundle a killed run leaves, appended
					 * to by the next run; removed before a run. Or NULL */
};

/* The backend called name, or NULL. */
const struct store_backend *store_backend_by_name(const char *name);

/* "debian", "redhat", ...: the name [store] backend gives b. */
const char *store_backend_name(const struct store_backend *b);

/* Picks the backend from ROOT/etc/os-release (ID, then ID_LIKE); root may be
 * NULL for /. Fails with STATUS_CONFIG when the family is not known. */
enum status store_backend_detect(const char *root, const struct store_backend **out,
				 struct error *err);

/* Finds the backend from the configuration: its backend= or detection. */
enum status store_backend_for(const struct config *cfg, const struct store_backend **out,
			      struct error *err);

/* One anchor file to write: the name inside the anchors directory and its PEM. */
struct store_file {
	const char *name;
	const char *pem;
	size_t pem_len;
};

struct manifest;

struct store {
	const struct store_backend *backend;
	const char *root;		/* NULL for / */
	const char *state_dir;		/* where the last effect check is remembered */
	/* The roots anchorsync manages before a change (the manifest), set by the
	 * caller: store_apply checks that these, less the retired and with the
	 * added, are trusted after its update. NULL: only the added and retired
	 * roots are checked. Borrowed. */
	const struct manifest *managed;
	char *anchors_dir;		/* root + backend->anchors_dir */
	char *bundle_path;		/* root + backend->bundle */
	char *links_dir;		/* root + backend->links_dir, or NULL */
	int lock_fd;			/* handed to the update command, or -1 */
	bool rollback_incomplete;	/* the last failed store_apply could not
					 * put everything back */
};

/* Prepares s for cfg; store_close releases it, also after a failure. */
enum status store_open(struct store *s, const struct config *cfg, struct error *err);
void store_close(struct store *s);

/* Whether a root's file in the anchors directory may be deleted as
 * anchorsync's: its name is exactly manifest_file_name(pin) and it holds a PEM
 * certificate whose SHA-256 is pin. */
enum store_owner {
	STORE_FILE_OURS,
	STORE_FILE_GONE,	/* nothing there: nothing to delete */
	STORE_FILE_FOREIGN,	/* not verifiably anchorsync's: leave it */
};

/* Tells whether name, which the manifest lists for pin, is anchorsync's; for
 * a foreign file, why says why not. */
enum store_owner store_file_owner(const struct store *s, const struct pin *pin,
				  const char *name, char *why, size_t whylen);

/* Removes from the anchors directory what a killed write left: the staging
 * directory of file_write_atomic (fileio.h) and what is in it, and the
 * temporary files earlier versions wrote beside the anchors (an anchor file's
 * name followed by '.' and six letters or digits, a regular file of ours).
 * Nothing else: a file anchorsync cannot recognise stays. Warns and returns
 * how many files it removed. store_apply and store_repair call it first. */
size_t store_sweep(const struct store *s);

/* Writes the added files (atomically), deletes the retired ones, runs the
 * update command and checks its effect: every managed root trusted, no retired
 * one left (store_effect.h); the outcome is remembered in state_dir. A leftover
 * temporary bundle of a killed earlier run is removed first. The command runs
 * as after a removal (Debian's --fresh) when anything is retired, when settle
 * is true (the manifest shows a change a killed run left unsettled) or when a
 * killed update left its temporary bundle: a tool that stopped half-way (the
 * anchor linked, its hash link not yet made) sees nothing new on a plain run
 * and would not finish what it started. When any step
 * (the effect check included) fails the previous files are put back, the
 * command is run again (and when that fails too, the links it rebuilds in
 * place are put back as they were), and STATUS_STORE is returned with what the
 * command printed; s->rollback_incomplete tells whether the rollback left
 * anything not as it was (err then names it). Retired names must be files
 * store_file_owner found anchorsync's. When the store update command runs it
 * inherits s->lock_fd, so that if anchorsync is killed the next run still
 * waits for it. */
enum status store_apply(struct store *s, const struct store_file *add, size_t add_count,
			const char *const *retire, size_t retire_count, bool settle,
			struct error *err);

/* Puts back what the store lost: writes those of files (the managed roots)
 * that are missing or hold anything else than their root (overwritten behind
 * anchorsync's back), and runs the update command as after a removal (Debian's
 * --fresh: every link rebuilt, so a lost hash link comes back too), its
 * effect checked; a failure is rolled back as in store_apply. */
enum status store_repair(struct store *s, const struct store_file *files, size_t count,
			 struct error *err);

#endif
