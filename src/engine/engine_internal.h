/* engine_internal.h - the engine object, between engine.c (opening and
 * running) and engine_paths.c (which folders to run). */
#ifndef MIGRALINT_ENGINE_INTERNAL_H
#define MIGRALINT_ENGINE_INTERNAL_H

#include <limits.h>

#include "engine.h"
#include "pipeline.h"
#include "workspace.h"

struct engine {
    arena *a; /* what lives as long as the engine: config, paths */
    char root[PATH_MAX];
    cli_options o; /* the caller's, with the config merged in */
    config cfg;
    bool has_cfg, has_ws;
    workspace ws;
    struct session *keep; /* the language server's kept state, or NULL */
    bool editor;          /* opened for an editor's buffer */
    bool settled;         /* o.pg_version is settled (settle_version) */
    /* The current run, freed by the next one or engine_close. */
    arena *run_a;
    diag_list diags;
    pipeline p;
    void *filename_re; /* pcre2_code * */
};

#endif
