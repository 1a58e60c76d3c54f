/* layout.h - migration frameworks: which files are migrations, in what
 * order, where each one's up and down steps are, and whether the framework
 * runs it inside a transaction.
 *
 * The layout module works on an in-memory file set (path -> text) so the
 * same code reads the working tree, the git index or a commit's tree.
 * docs/layouts.md describes what is read for each framework. */
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
    /* code migrations (src/code reads the SQL out of them) */
    FW_TYPEORM,
    FW_KNEX,
    FW_NODE_PG_MIGRATE,
    FW_ALEMBIC,
    FW_DJANGO,
    FW_COUNT
} framework;

const char *framework_name(framework fw); /* "golang-migrate", "goose", ... */
/* Case-insensitive; also takes "migrate" and "golang_migrate". */
bool framework_parse(const char *name, framework *out);
/* Does the framework have down steps at all? (Prisma, Drizzle, Supabase and
 * plain folders do not.) */
bool framework_has_down(framework fw);
/* Orders two versions of fw the way the framework does: <0, 0, >0. Flyway
 * compares dotted parts numerically ("1.10" > "1.9", "1_1" == "1.1" ==
 * "1.1.0"); the others compare their leading number numerically. */
int layout_version_cmp(framework fw, const char *a, const char *b);

/* A range of one file: goose and dbmate keep up and down in one file.
 * src is NULL when the file could not be read; rules skip such a part. */
typedef struct mig_part {
    const source *src;
    size_t start, end;
} mig_part;

/* A file of a migration that its framework (or PostgreSQL, for the text the
 * framework sends as is) refuses as a whole: a dbmate file whose
 * "-- migrate:down" line is indented, a golang-migrate file starting with a
 * byte-order mark. The migration keeps its place with its parts read as
 * the author meant them, so the rest of the folder is linted and replayed;
 * the invalid-migration-file rule reports each refusal. */
typedef struct mig_refusal {
    const source *src;
    int line, col;   /* 1-based */
    const char *why; /* a full sentence naming the framework, without the path */
    const char *fix; /* what to do about it */
} mig_refusal;

typedef struct migration {
    const char *version; /* as the framework orders it ("20240101120000", "1.2", "0003");
                            "" for Flyway repeatables and unnumbered plain files */
    const char *name;    /* human part of the name */
    const char *path;    /* what identifies it: its (up) file, or its folder for diesel
                            and Prisma; repo-relative */
    mig_part up[4];      /* usually one; a Drizzle file may be split by breakpoints later */
    size_t nup;          /* always 1 today */
    bool has_down;       /* a down step exists (possibly empty) */
    mig_part down;
    bool transactional;      /* the framework wraps the up step in a transaction */
    bool down_transactional; /* the same for the down step (dbmate sets them apart) */
    /* The framework sends each step to the server as one multi-statement
     * query string, which PostgreSQL runs as one implicit transaction: in a
     * step that is not transactional, a CONCURRENTLY statement still fails
     * unless it is the step's only statement. Set for golang-migrate,
     * dbmate, diesel and Prisma; goose, Flyway and sqitch (psql) send the
     * statements one by one. */
    bool implicit_tx;
    bool repeatable; /* Flyway R__ */
    /* Code migrations: a step that also does what migralint cannot read
     * (createTable helpers, SQL built at run time). A partial step is not
     * compared for down-does-not-reverse, and a partial down step is not
     * empty-down. */
    bool up_partial, down_partial;
    /* Code migrations: sentences for the user about what was skipped
     * ("line 12: SQL built at run time is not linted"). */
    const char **notes;
    size_t nnotes;
    mig_refusal *refusals; /* see mig_refusal; at most 4 */
    size_t nrefusals;
    /* Flyway: a versioned migration at or below the newest baseline
     * migration (B<version>__): Flyway does not apply it to an empty
     * database, so the replay skips it. It is still linted. */
    bool below_baseline;
    bool baseline; /* Flyway B<version>__ */
} migration;

typedef struct layout_file {
    const char *path;  /* repo-relative, '/' separators */
    const source *src; /* NULL for files not read (binary or too large) */
} layout_file;

typedef struct migration_set {
    framework fw;
    int dialect;      /* an sql_dialect: the engine sets it after layout_build (0: PostgreSQL) */
    const char *dir;  /* the migrations folder, repo-relative ("" for the root) */
    migration *items; /* in the order the framework applies them */
    size_t count;
    /* .sql files in the folder that are not part of any migration, with why
     * (stray_why[i] is a sentence such as "not listed in meta/_journal.json:
     * drizzle-kit never applies it"). Other files (READMEs, snapshots,
     * hidden files) are neither migrations nor stray. */
    const layout_file **stray;
    const char **stray_why;
    size_t nstray;
} migration_set;

typedef struct layout_error {
    const char *path;    /* the file at fault, or the folder for mixed frameworks */
    int line;            /* 1-based, 0 when none */
    const char *message; /* a full sentence, without the path */
} layout_error;

/* Builds the migration set of dir from the files under it (paths relative to
 * the repository root; files outside dir are ignored, so passing more is
 * harmless). fw = FW_COUNT means detect. A sqitch project may be named by
 * its deploy/, revert/ or verify/ folder when the file set also holds the
 * parent's sqitch.plan: the set's dir is then the parent. Returns false and
 * fills *err for an unusable folder (two frameworks mixed, a dbmate file
 * without -- migrate:down, a Drizzle journal naming a missing file...).
 * Everything is allocated in a; the sources must outlive the set. */
/* Whether layout_build reads the text of the file at path (any prefix):
 * .sql files, sqitch.plan, meta/_journal.json, metadata.toml and Flyway's
 * .sql.conf. Other files (snapshots, Go migrations) may be passed with a
 * NULL source, without reading them. */
bool layout_needs_text(const char *path);

bool layout_build(arena *a, const char *dir, const layout_file *files, size_t nfiles, framework fw,
                  migration_set *out, layout_error *err);

#endif
