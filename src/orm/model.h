/* model.h - what an ORM extractor produces: the tables, columns, indexes,
 * foreign keys and enums an ORM's schema files declare, each with the place
 * in the ORM file that declares it.
 *
 * Extractors do not normalize types or names beyond the ORM's own rules:
 * they write the PostgreSQL DDL spelling the ORM would generate
 * ("varchar(255)", "timestamp(3) with time zone", "serial", an enum's name),
 * and drift turns the model into DDL and replays it into a catalog
 * (src/catalog), so both sides of the comparison share one normalization.
 * Everything is allocated in the model's arena. */
#ifndef MIGRALINT_ORM_MODEL_H
#define MIGRALINT_ORM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"

/* A place in an ORM file: repo-relative path, 1-based line and column
 * (columns count code points, as everywhere in migralint). */
typedef struct orm_loc {
    const char *path;
    uint32_t line, col;
    uint32_t end_line, end_col;
} orm_loc;

/* Skipped parts. What an extractor cannot read without running the code (a
 * type from a custom builder, a default computed in code, an expression
 * index key, enum labels from a variable, columns spread in from a helper)
 * is marked here AND reported with orm_add_note() at its line. Drift then
 * leaves exactly that part out of the comparison, on both sides:
 *   column:  c->skip |= ORM_SKIP_TYPE / ORM_SKIP_DEFAULT / ORM_SKIP_NOT_NULL
 *            (ORM_SKIP_COLUMN: all three; the column must exist, nothing
 *            else is compared). A NULL sql_type means ORM_SKIP_COLUMN too.
 *   index:   orm_add_index() as usual with the name (when known) and the
 *            key columns it could read, then ix->skipped = true: it is not
 *            written to the declared schema, and one migrations index it
 *            could be (same name, or same uniqueness and containing the
 *            known columns) is not reported.
 *   enum:    e->skipped = true (labels unknown): the type exists, its
 *            labels are not compared.
 *   table:   t->skip |= ORM_SKIP_EXTRA_COLUMNS / _INDEXES / _FKS: the
 *            declaration is incomplete there, so columns / indexes /
 *            foreign keys only the migrations have are not reported.
 *            A table that is not read at all but whose name is known:
 *            orm_skip_table(s, schema, name): the migrations' table of
 *            that name is not reported.
 * Drift reports nothing about a skipped part beyond the note. */
enum {
    ORM_SKIP_TYPE = 1u << 0,
    ORM_SKIP_DEFAULT = 1u << 1,
    ORM_SKIP_NOT_NULL = 1u << 2,
    ORM_SKIP_COLUMN = ORM_SKIP_TYPE | ORM_SKIP_DEFAULT | ORM_SKIP_NOT_NULL,
};
enum {
    ORM_SKIP_EXTRA_COLUMNS = 1u << 0,
    ORM_SKIP_EXTRA_INDEXES = 1u << 1,
    ORM_SKIP_EXTRA_FKS = 1u << 2,
};

typedef struct orm_column {
    const char *name;     /* the database column name, after the ORM's naming rules */
    const char *sql_type; /* DDL spelling, e.g. "varchar(255)", "bigserial", "mood" */
    bool not_null;
    bool primary_key;        /* a single-column primary key declared on the column */
    bool unique;             /* a single-column unique constraint declared on the column */
    const char *default_sql; /* the default as an SQL expression, NULL when none */
    /* An inline foreign key (ref_table NULL when none). */
    const char *ref_schema, *ref_table, *ref_column;
    const char *on_delete, *on_update; /* "cascade", "set null"...; NULL = no action */
    orm_loc loc;
    unsigned skip; /* ORM_SKIP_* bits: parts not compared */
    /* MySQL only: AUTO_INCREMENT, and ON UPDATE <expr> (NULL when none). */
    bool auto_increment;
    const char *on_update_sql;
    /* The default is "a random uuid": uuid_generate_v4() and
     * gen_random_uuid() are one (TypeORM reads both back as its uuid
     * generation, and its own diff sees no change between them). */
    bool any_uuid_default;
} orm_column;

typedef struct orm_index {
    const char *name; /* NULL: the ORM's default name is not known */
    const char **columns;
    size_t ncolumns;
    bool unique;
    orm_loc loc;
    bool skipped; /* some keys unreadable: not compared, excuses one migrations index */
} orm_index;

typedef struct orm_foreign_key {
    const char *name; /* NULL: PostgreSQL's default name */
    const char **columns;
    size_t ncolumns;
    const char *ref_schema, *ref_table;
    const char **ref_columns;
    size_t nref_columns;
    const char *on_delete, *on_update;
    orm_loc loc;
} orm_foreign_key;

typedef struct orm_table {
    const char *schema; /* NULL = public */
    const char *name;
    orm_column *columns;
    size_t ncolumns, capcolumns;
    const char **primary_key; /* a composite primary key, else NULL */
    size_t nprimary_key;
    orm_index *indexes; /* unique constraints declared apart from columns count here too */
    size_t nindexes, capindexes;
    orm_foreign_key *fks;
    size_t nfks, capfks;
    orm_loc loc;
    unsigned skip; /* ORM_SKIP_EXTRA_* bits: what only the migrations have is not reported */
} orm_table;

typedef struct orm_enum {
    const char *schema, *name;
    const char **values;
    size_t nvalues;
    orm_loc loc;
    bool skipped; /* labels unknown: not compared */
} orm_enum;

/* A construct the extractor saw and skipped instead of guessing (a table
 * name computed at run time, a column built by a helper function). */
typedef struct orm_note {
    orm_loc loc;
    const char *message;
} orm_note;

typedef struct orm_schema {
    arena *a;
    const char *orm; /* "drizzle", "prisma", "sqlalchemy", ... */
    orm_table *tables;
    size_t ntables, captables;
    orm_enum *enums;
    size_t nenums, capenums;
    orm_note *notes;
    size_t nnotes, capnotes;
    /* The ORM keeps relations in the application, not as foreign keys
     * (Prisma relationMode = "prisma"): none is declared. */
    bool no_foreign_keys;
    /* The model is MySQL's (Drizzle mysql-core, Prisma provider "mysql"):
     * types are MySQL's spelling ("int unsigned", "enum('a','b')", "serial")
     * and drift writes it as MySQL DDL (ddl_mysql.c). */
    bool mysql;
    /* Tables the declaration has but the extractor could not read (built
     * by a helper function called with this name): not compared. */
    const char **skipped_tables;
    size_t nskipped_tables;
    /* Unique for the process's life: the extractors that carry state from
     * one file to the next (django.c, gorm.c, typeorm_links.c) key it by
     * this, not by the schema's address, which a later schema may reuse
     * once this one is freed (the language server extracts many). */
    unsigned long serial;
} orm_schema;

/* Builders: each returns the new element, zeroed apart from what it is
 * given, owned by the schema (pointers stay valid until the next add of the
 * same kind). Strings are copied into the arena. */
void orm_schema_init(orm_schema *s, arena *a, const char *orm);
/* Frees the arrays (the strings live in the arena, which the caller owns). */
void orm_schema_free(orm_schema *s);
orm_table *orm_add_table(orm_schema *s, const char *schema, const char *name, orm_loc loc);
orm_column *orm_add_column(orm_schema *s, orm_table *t, const char *name, const char *sql_type,
                           orm_loc loc);
orm_index *orm_add_index(orm_schema *s, orm_table *t, const char *name, bool unique, orm_loc loc);
void orm_index_add_column(orm_schema *s, orm_index *ix, const char *column);
orm_foreign_key *orm_add_foreign_key(orm_schema *s, orm_table *t, orm_loc loc);
orm_enum *orm_add_enum(orm_schema *s, const char *schema, const char *name, orm_loc loc);
void orm_enum_add_value(orm_schema *s, orm_enum *e, const char *value);
void orm_add_note(orm_schema *s, orm_loc loc, const char *fmt, ...);

orm_table *orm_find_table(const orm_schema *s, const char *schema, const char *name);
void orm_skip_table(orm_schema *s, const char *schema, const char *name);
bool orm_table_skipped(const orm_schema *s, const char *schema, const char *name);
orm_enum *orm_find_enum(const orm_schema *s, const char *schema, const char *name);
/* The column's ORM_SKIP_* bits (a NULL sql_type counts as ORM_SKIP_COLUMN). */
unsigned orm_column_skip(const orm_column *c);
orm_column *orm_find_column(const orm_table *t, const char *name);

/* An extractor reads one file of its ORM into s. `path` is repo-relative
 * (for locations); text is the whole file. Returns false only when the file
 * cannot be parsed at all (after adding a note saying where). */
typedef bool (*orm_extract_fn)(orm_schema *s, const char *path, const char *text, size_t len);

#endif
