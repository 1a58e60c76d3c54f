/* layout.h - migration frameworks: which files are migrations, in what
 * order, where each one's up and down steps are, and whether the framework
 * runs it inside a transaction.
 *
 * The layout module works on an in-memory file set (path -> text) so the
 * same code reads the working tree, the git index or a commit's tree. */
#ifndef MIGRALINT_LAYOUT_H
#define MIGRALINT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/arena.h"
#include "../core/source.h"

typedef enum framework {
    FW_PLAIN = 0, /* SQL files in name order, nothing else known */
    FW_GOLANG_MIGRATE,
    FW_GOOSE,
    FW_DBMATE,
    FW_FLYWAY,
    FW_SQITCH,
    FW_DIESEL,
    FW_PRISMA,
    FW_DRIZZLE,
    FW_SUPABASE,
    FW_COUNT
} framework;

const char *framework_name(framework fw); /* "golang-migrate", "goose", ... */
bool framework_parse(const char *name, framework *out);
/* Does the framework have down steps at all? (Prisma and Drizzle do not.) */
bool framework_has_down(framework fw);

/* A range of one file: goose and dbmate keep up and down in one file. */
typedef struct mig_part {
    const source *src;
    size_t start, end;
} mig_part;

typedef struct migration {
    const char *version;  /* as the framework orders it ("20240101120000", "1.2", "0003") */
    const char *name;     /* human part of the name */
    mig_part up[4];       /* usually one; a Drizzle file may be split by breakpoints later */
    size_t nup;
    bool has_down;        /* a down step exists (possibly empty) */
    mig_part down;
    bool transactional;   /* the framework wraps the up step in a transaction */
    bool repeatable;      /* Flyway R__ */
} migration;

typedef struct layout_file {
    const char *path;     /* repo-relative, '/' separators */
    const source *src;    /* NULL for files not read (binary or too large) */
} layout_file;

typedef struct migration_set {
    framework fw;
    const char *dir;      /* the migrations folder, repo-relative */
    migration *items;     /* in the order the framework applies them */
    size_t count;
    const layout_file **stray; /* files in the folder that are not part of any migration */
    size_t nstray;
} migration_set;

typedef struct layout_error {
    const char *path;     /* the file at fault (may be NULL) */
    int line;             /* 1-based, 0 when none */
    const char *message;
} layout_error;

/* Builds the migration set of dir from the files under it (paths relative to
 * the repository root, all beginning with dir + '/'). fw = FW_COUNT means
 * detect. Returns false and fills *err for an unusable folder (two
 * frameworks mixed, a dbmate file without -- migrate:up, a Drizzle journal
 * naming a missing file...). Everything is allocated in a. */
bool layout_build(arena *a, const char *dir, const layout_file *files, size_t nfiles,
                  framework fw, migration_set *out, layout_error *err);

#endif
