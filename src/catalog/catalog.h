/* catalog.h - the schema the migrations build, replayed statement by statement.
 *
 * The catalog models what PostgreSQL keeps in pg_class, pg_attribute,
 * pg_constraint, pg_index, pg_type and friends, closely enough that rules can
 * ask "does this table exist yet, what type does this column have, what
 * depends on it" without a database. Replay follows PostgreSQL's own
 * behaviour: generated names (users_pkey, orders_user_id_fkey), serial and
 * identity columns, CASCADE and RESTRICT, IF [NOT] EXISTS, and a failing
 * statement leaves the catalog untouched.
 *
 * Objects reference each other by pointer (as PostgreSQL does by OID), so a
 * renamed table or column is seen under its new name by every view, index
 * and foreign key. All objects belong to the catalog and stay valid until
 * the statement that drops them; read them, never write them.
 *
 * search_path is fixed to public: a NULL or absent schema means "public".
 *
 * Changing a struct below? catalog_save() stores them: bump
 * CAT_STORE_VERSION in store.h (and teach store_write.c and
 * store_objects.c the new field). */
#ifndef MIGRALINT_CATALOG_H
#define MIGRALINT_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "../sql/sql.h"

typedef struct catalog catalog;

/* Where an object was created: the statement's byte range and positions. */
typedef struct cat_origin {
    const char *path; /* the source's display path; "" when unknown */
    size_t start, end;
    source_pos pos, end_pos;
} cat_origin;

typedef enum cat_relkind {
    CAT_TABLE,
    CAT_PARTITIONED_TABLE,
    CAT_VIEW,
    CAT_MATVIEW,
    CAT_INDEX,
    CAT_SEQUENCE,
} cat_relkind;

/* What every relation (pg_class row) starts with. */
typedef struct cat_rel {
    cat_relkind kind;
    const char *schema, *name;
    cat_origin origin;
} cat_rel;

typedef enum cat_typekind { CAT_ENUM, CAT_DOMAIN, CAT_COMPOSITE } cat_typekind;

typedef struct cat_type {
    cat_typekind kind;
    const char *schema, *name;
    const char **values; /* enum labels in sort order */
    size_t nvalues;
    const char *base; /* domain: the underlying type, normalized */
    cat_origin origin;
} cat_type;

typedef struct cat_sequence cat_sequence;

/* The small members sit together after attnum: a schema of 9,000 columns
 * paid 24 bytes of padding each when they were spread out. */
typedef struct cat_column {
    const char *name;
    int attnum; /* PostgreSQL's attnum: dropped columns leave gaps */
    bool array;
    bool not_null;
    bool default_volatile; /* random(), gen_random_uuid(), nextval(): rewrites on ADD */
    char identity;         /* 0, 'a' (ALWAYS) or 'd' (BY DEFAULT) */
    /* As format_type() prints it: "integer", "character varying(20)[]"; NULL
     * for a view column whose type the replay cannot tell. */
    const char *type;
    const char *type_label;     /* without typmod, as a constant's ::cast names it */
    const cat_type *user_type;  /* the enum/domain it uses, if any */
    const char *default_expr;   /* as pg_get_expr() prints it; NULL when none */
    const cat_sequence *serial; /* default is nextval() of this sequence */
    const char *generated;      /* GENERATED ALWAYS AS (expr) STORED, else NULL */
    const char *collation;      /* COLLATE "x", else NULL */
    const char *on_update;      /* MySQL: ON UPDATE current_timestamp(), else NULL */
    cat_origin origin;
    struct cat_column_fact *fact; /* diff.c's memo of the column's fact line, or NULL */
} cat_column;

typedef enum cat_contype {
    CAT_CON_PRIMARY = 'p',
    CAT_CON_UNIQUE = 'u',
    CAT_CON_CHECK = 'c',
    CAT_CON_FOREIGN = 'f',
    CAT_CON_EXCLUSION = 'x',
} cat_contype;

typedef struct cat_table cat_table;
typedef struct cat_index cat_index;

typedef struct cat_constraint {
    const char *name;
    cat_contype type;
    cat_column **columns; /* key columns; for CHECK the columns the expression reads */
    size_t ncolumns;
    const char *expr; /* CHECK expression as pg_get_constraintdef() prints it */
    bool validated;   /* false after NOT VALID until VALIDATE CONSTRAINT */
    bool no_inherit;
    cat_index *index;     /* PRIMARY KEY / UNIQUE / EXCLUDE: the index behind it */
    cat_table *ref_table; /* FOREIGN KEY target */
    cat_index *ref_index; /* the unique index on ref_table it relies on */
    cat_column **ref_columns;
    size_t nref_columns;
    char on_delete,
        on_update; /* 'a' no action, 'r' restrict, 'c' cascade, 'n' set null, 'd' set default */
    cat_origin origin;
    struct cat_fact_memo *fact; /* diff.c's memo of the constraint's fact line, or NULL */
} cat_constraint;

typedef struct cat_index_key {
    cat_column *column; /* a plain column key, or NULL for an expression */
    const char *expr;   /* the expression's text when column is NULL */
} cat_index_key;

struct cat_index {
    cat_rel rel; /* kind CAT_INDEX; schema is the table's */
    cat_table *table;
    cat_index_key *keys;
    size_t nkeys;
    cat_column **include; /* INCLUDE (...) */
    size_t ninclude;
    cat_column **reads; /* every column keys, expressions and WHERE read */
    size_t nreads;
    const char *method; /* btree, gin, gist, hash, brin... */
    const char *where;  /* partial index predicate, NULL when none */
    bool unique, primary;
    bool concurrently; /* built with CREATE INDEX CONCURRENTLY */
    bool innodb_fk;    /* MySQL: the index InnoDB added for a foreign key that no index served */
    cat_constraint *constraint; /* the constraint that owns it, if any */
    cat_index *parent;          /* partitioned index this one is attached to */
    struct cat_fact_memo *fact; /* diff.c's memo of the index's fact line, or NULL */
};

/* One thing a view reads: a relation, and a column of it (NULL: the relation). */
typedef struct cat_read {
    cat_table *rel;
    cat_column *column;
} cat_read;

typedef struct cat_trigger {
    const char *name;
    /* The function it executes, "schema.name", when the migrations created
     * it (NULL otherwise): the trigger cannot outlive it (DROP FUNCTION ...
     * CASCADE drops it). */
    const char *function;
    cat_origin origin;
} cat_trigger;

/* Tables, partitioned tables, views and materialized views. */
struct cat_table {
    cat_rel rel;
    cat_column **columns; /* in attnum order, dropped ones removed */
    size_t ncolumns;
    int next_attnum;
    cat_constraint **constraints;
    size_t nconstraints;
    cat_index **indexes;
    size_t nindexes;
    cat_trigger **triggers;
    size_t ntriggers;
    cat_table *parent;        /* partition of (or INHERITS) this table */
    const char *partition_by; /* "range (created_at)" on a partitioned table */
    cat_read *reads;          /* views: what the query reads */
    size_t nreads;
    /* Views: a hash of the query as parsed (definition.c), so a down step
     * that puts another query back is seen; NULL otherwise. */
    const char *definition;
};

struct cat_sequence {
    cat_rel rel;
    cat_table *owner_table; /* OWNED BY (serial and identity columns own theirs) */
    cat_column *owner_column;
    bool identity; /* belongs to an identity column */
};

typedef struct cat_function {
    const char *schema, *name;
    const char *args; /* input argument types, as oidvectortypes() prints them */
    char volatility;  /* 'i', 's' or 'v' as declared (PostgreSQL's default is 'v') */
    bool procedure;
    /* A hash of the whole definition but the name: return type, language,
     * options and the body's tokens (definition.c). */
    const char *definition;
    cat_origin origin;
} cat_function;

catalog *catalog_new(void);
/* Adds what a hosting platform creates before the first migration
 * ("supabase": the auth, storage, extensions... schemas, auth.users,
 * storage.buckets and storage.objects, auth.uid()). Such objects are
 * platform-owned: their origin says so (cat_origin_is_platform) and
 * catalog_to_json() leaves them out. False for a platform it does not know. */
bool catalog_add_platform(catalog *c, const char *platform);
bool cat_origin_is_platform(const cat_origin *o);
bool cat_rel_is_platform(const cat_rel *r);
bool catalog_is_platform_schema(const catalog *c, const char *schema);
/* A deep copy, e.g. to compare the schema before and after a migration. */
catalog *catalog_clone(const catalog *c);
void catalog_free(catalog *c);

/* The catalog as a self-contained byte string (for the on-disk cache):
 * every object, the pointers between them and each object's origin
 * (paths included). The caller frees *out with free(). */
void catalog_save(const catalog *c, char **out, size_t *len);
/* The catalog catalog_save() wrote, or NULL when data is not such a string
 * (truncated, corrupted, written by another format version): never crashes,
 * never reads outside data[0..len). */
catalog *catalog_load(const void *data, size_t len);
/* catalog_load() of bytes a sum of the caller's own already covers (the
 * replay cache's entry): the payload is not summed a second time. Every
 * other check is made, so damage the caller's sum missed still reads as
 * NULL or a sound catalog, never a crash. */
catalog *catalog_load_summed(const void *data, size_t len);

/* Called for a statement the replay cannot apply, with the range to point
 * at and a message saying what the migration assumes ("table orders does
 * not exist"). The catalog is left as PostgreSQL would leave it: a failing
 * statement changes nothing. */
typedef void (*catalog_conflict_fn)(void *ud, size_t start, size_t end, const char *message);

/* Applies one statement of f. Statements that do not change the schema
 * (SELECT, INSERT, GRANT, COMMENT...) and statements that failed to parse
 * are ignored. conflict may be NULL. */
void catalog_apply(catalog *c, const sql_file *f, const sql_stmt *s, catalog_conflict_fn conflict,
                   void *ud);
/* Applies every statement of f in order, then ends the session. */
void catalog_apply_file(catalog *c, const sql_file *f, catalog_conflict_fn conflict, void *ud);
/* Drops temporary tables: a migration's session is over. */
void catalog_end_session(catalog *c);
/* The search_path the deployment sets (a connection URL's
 * ?search_path=a,b, the config's "searchPath"): unqualified names are
 * looked up in those schemas first, then in public. SET search_path in a
 * migration changes it until the end of its session. */
void catalog_set_search_path(catalog *c, const char *const *schemas, size_t n);
/* How many DO blocks the replay followed only in part (a loop, EXECUTE, an
 * IF it cannot decide): what they changed in the schema is not known. */
size_t catalog_partial_do_blocks(const catalog *c);

/* ---- lookups (schema NULL = public) ---- */

const cat_rel *catalog_find_rel(const catalog *c, const char *schema, const char *name);
/* A table, partitioned table, view or materialized view. */
const cat_table *catalog_find_table(const catalog *c, const char *schema, const char *name);
const cat_index *catalog_find_index(const catalog *c, const char *schema, const char *name);
const cat_sequence *catalog_find_sequence(const catalog *c, const char *schema, const char *name);
const cat_type *catalog_find_type(const catalog *c, const char *schema, const char *name);
bool catalog_has_schema(const catalog *c, const char *schema);
bool catalog_has_extension(const catalog *c, const char *name);
const cat_column *cat_table_find_column(const cat_table *t, const char *name);
const cat_constraint *cat_table_find_constraint(const cat_table *t, const char *name);
/* "users" for public.users, "billing.invoices" elsewhere: how messages name things. */
const char *cat_display_name(const cat_rel *r, char *buf, size_t size);

/* ---- dependents ---- */

typedef enum cat_dep_kind {
    CAT_DEP_VIEW,        /* a view or materialized view reads it */
    CAT_DEP_INDEX,       /* an index on it (constraint indexes are listed as constraints) */
    CAT_DEP_CONSTRAINT,  /* a constraint of the table itself on it */
    CAT_DEP_FOREIGN_KEY, /* another table's foreign key points at it */
    CAT_DEP_SEQUENCE,    /* a column default uses the sequence */
    CAT_DEP_COLUMN,      /* a column has this type */
} cat_dep_kind;

typedef struct cat_dependent {
    cat_dep_kind kind;
    const char *schema; /* schema of name/table */
    const char *name;   /* the view, index or constraint */
    const char *table;  /* index, constraint, foreign key, column: the table it belongs to */
    /* PostgreSQL refuses DROP (without CASCADE) because of it: views and foreign
     * keys from other tables; indexes and the table's own constraints go silently. */
    bool blocks_drop;
    cat_origin origin; /* the statement that created it */
} cat_dependent;

/* Fills out[0..max) with what depends on table (column NULL) or on one of its
 * columns, in a stable order, and returns how many there are in all (which
 * may exceed max). */
size_t catalog_dependents(const catalog *c, const char *schema, const char *table,
                          const char *column, cat_dependent *out, size_t max);
/* The same for a user-defined type (columns using it). */
size_t catalog_type_dependents(const catalog *c, const char *schema, const char *type,
                               cat_dependent *out, size_t max);

/* A TypeName node (from statement s of f) as format_type() would print it
 * once applied: "character varying(20)", "integer[]". NULL when unknown.
 * The string lives as long as the catalog. */
const char *catalog_format_type(catalog *c, const sql_file *f, const sql_stmt *s,
                                const cJSON *type_name);

/* ---- output ---- */

/* The whole catalog as JSON, keys sorted: what `migralint schema` prints.
 * docs/catalog.md documents the shape. The caller frees it (cJSON_Delete). */
cJSON *catalog_to_json(const catalog *c);

/* Calls fn once per difference between two catalogs, with a sentence such
 * as "column users.email: type is text, was character varying(255)" or
 * "table orders exists, was absent". Used to check that a down migration
 * restores what its up migration changed. Returns the number of differences. */
size_t catalog_diff(const catalog *before, const catalog *after,
                    void (*fn)(void *ud, const char *what), void *ud);

/* A snapshot of a few named objects (relations and types, "schema.name" or
 * "name"): cheap where a clone of the whole catalog is not, so every
 * migration's down step can be checked against the state before its up.
 * It shares the lines the catalog keeps for its columns, constraints and
 * indexes (diff.c): free it before the catalog. */
typedef struct catalog_snapshot catalog_snapshot;
catalog_snapshot *catalog_snapshot_take(const catalog *c, const char *const *names, size_t n);
/* catalog_diff() for two snapshots of the same names. */
size_t catalog_snapshot_diff(const catalog_snapshot *before, const catalog_snapshot *after,
                             void (*fn)(void *ud, const char *what), void *ud);
void catalog_snapshot_free(catalog_snapshot *s);
/* Adds to *names (n so far, as an earlier call left it) the relations and types that
 * f's statements mention; returns the new count. */
size_t catalog_touched_names(const sql_file *f, arena *a, const char ***names, size_t n);
/* The window observer (sql_set_window_observer) that keeps a large file's
 * touched names from its first parse, for catalog_touched_names. */
void catalog_touched_observe(sql_file *f, const sql_stmt *s);

#endif
