/* SPDX-License-Identifier: MIT */
/* The files anchorsync keeps in [agent] state_dir: each name spelled here once. */
#ifndef ANCHORSYNC_STATE_FILES_H
#define ANCHORSYNC_STATE_FILES_H

#define STATE_LOCK "lock"		/* one run at a time; the holder's pid */
#define STATE_MANIFEST "manifest"	/* the roots anchorsync installed (manifest.h) */
#define STATE_BUNDLE "bundle.pem"	/* the last accepted bundle */
#define STATE_FETCH_CACHE "fetch-cache"	/* its validators, for conditional requests */
#define STATE_LAST_RUN "last-run"	/* the record of the last refresh (record.h) */
#define STATE_STATUS "status.json"	/* what `status --json` prints, after every run */
#define STATE_SIGNED "signed"		/* the signed-bundle custody state (trustchain.h) */
#define STATE_SIGNED_ROOTS "signed-roots.pem"	/* the roots it established */
#define STATE_STORE_CHECK "store-check"	/* the last check of the store (store_effect.h) */

#endif
