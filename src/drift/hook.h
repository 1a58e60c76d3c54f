/* hook.h - drift inside an engine run: `migralint drift`, and drift inside
 * `migralint check`, which compares each migrations folder's schema with
 * its declaration once the folder is replayed (an engine_hook: the engine
 * below knows nothing of drift). */
#ifndef MIGRALINT_DRIFT_HOOK_H
#define MIGRALINT_DRIFT_HOOK_H

#include "../engine/engine.h"
#include "run.h"

typedef struct drift_hook {
    drift_run run;
    drift_decl decl;       /* given on the command line (files among PATHS); kind NULL: discover */
    bool compared;         /* at least one comparison ran */
    const char *first_dir; /* drift: the migrations folder the declaration goes with */
} drift_hook;

/* The configured declaration ("drift" in .migralint.json), if it goes with
 * the folder fs_dir (NULL: any); false after saying why when its schema
 * files match nothing. */
bool drift_configured(arena *a, const config *cfg, const char *root, const char *fs_dir,
                      drift_decl *decl);
/* The hook for a run in mode (ENGINE_CHECK or ENGINE_DRIFT) of the folders
 * starting with first_dir; d->decl is kept (fill it first). */
engine_hook drift_hook_for(drift_hook *d, engine_mode mode, const char *first_dir);
/* `migralint drift`, after the run: compares the schema of all the folders
 * with the declaration (unless the run failed); r->input_error follows. */
void drift_hook_compare(drift_hook *d, engine_result *r);
/* The files to list in reports: the linted ones and the drift sources. */
const source **drift_hook_files(const drift_hook *d, const engine_result *r, size_t *n);
void drift_hook_free(drift_hook *d);

#endif
