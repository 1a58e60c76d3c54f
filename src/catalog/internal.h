/* internal.h - what the catalog's files share and nobody else sees: the
 * catalog struct, its hash map and growable arrays, the replay context and
 * the helpers each statement handler uses. */
#ifndef MIGRALINT_CATALOG_INTERNAL_H
#define MIGRALINT_CATALOG_INTERNAL_H

#include <stdint.h>

#include "../core/ptrmap.h"
#include "../core/strbuf.h"
#include "catalog.h"

/* ---- growable arrays in an arena ----
 * Capacity is implicit: the next power of two at or above max(n, 4), so a
 * public struct needs only a pointer and a count. */
void *cat_grow(arena *a, void *items, size_t n, size_t size);
/* Whether an array of n under that rule is full: tested inline, as the
 * call to cat_grow cost more than the push (a snapshot pushes every
 * column's fact). */
static inline bool cat_full(size_t n)
{
    return n == 0 || (n >= 4 && (n & (n - 1)) == 0);
}
#define CAT_PUSH(a, arr, n, item)                                                                  \
    ((arr) = cat_full(n) ? cat_grow((a), (arr), (n), sizeof *(arr)) : (arr), (arr)[(n)++] = (item))
/* Removes arr[i], keeping the order. */
#define CAT_REMOVE_AT(arr, n, i)                                                                   \
    (memmove(&(arr)[i], &(arr)[(i) + 1], ((n) - (i)-1) * sizeof *(arr)), (n)--)
/* Removes the first element equal to item; returns whether it was there. */
bool cat_remove_ptr(void **arr, size_t *n, const void *item);
#define CAT_REMOVE(arr, n, item) cat_remove_ptr((void **)(arr), &(n), (item))
/* Allocates an array able to hold n elements under the growth rule above. */
void *cat_alloc_array(arena *a, size_t n, size_t size);

/* ---- hash map keyed by (schema, name) ----
 * Keys are borrowed from the objects they index: rename = remove, change,
 * insert. */
typedef struct cat_map_slot {
    const char *schema, *name; /* NULL schema: empty; schema == CAT_TOMBSTONE: deleted */
    uint32_t hash;
    void *value;
} cat_map_slot;

typedef struct cat_map {
    cat_map_slot *slots;
    size_t cap, len, used;
} cat_map;

void cat_map_free(cat_map *m);
void *cat_map_get(const cat_map *m, const char *schema, const char *name);
void cat_map_put(cat_map *m, const char *schema, const char *name, void *value);
void cat_map_remove(cat_map *m, const char *schema, const char *name);
/* Grows m once so n more puts do not rehash. */
void cat_map_reserve(cat_map *m, size_t n);

/* ---- the catalog ----
 * catalog_save() stores it: a change here bumps CAT_STORE_VERSION (store.h). */

struct catalog {
    arena *a;
    const char **schemas;
    size_t nschemas;
    const char **extensions;
    size_t nextensions;
    const char **platform_schemas; /* created by catalog_add_platform() (also in schemas) */
    size_t nplatform_schemas;
    cat_table **tables; /* tables, partitioned tables, views, matviews */
    size_t ntables;
    cat_index **indexes;
    size_t nindexes;
    cat_sequence **sequences;
    size_t nsequences;
    cat_type **types;
    size_t ntypes;
    cat_function **functions;
    size_t nfunctions;
    cat_map rels;     /* every relation: one namespace, as in pg_class */
    cat_map typemap;  /* user types (tables' row types are checked through rels) */
    cat_map connames; /* constraint name -> how many tables of the schema use it */
    cat_map paths;    /* interned source paths */
    cat_map texts;    /* interned type names (cat_intern): 9,000 columns share a few */
    cat_map keywords; /* identifier -> needs quoting (cached scanner answer) */
    bool temp_used;   /* pg_temp holds something: looked up first, dropped at session end */
    /* Where unqualified names are looked up, before public: the deployment's
     * (catalog_set_search_path) and the session's (SET search_path, back to
     * the deployment's at session end). Not stored: set on every run. */
    const char **base_path, **search_path;
    size_t nbase_path, nsearch_path;
    size_t do_partial; /* DO blocks replayed only in part (catalog_partial_do_blocks) */
    /* Who may point at a relation (refs.c): derived, never stored; rebuilt
     * by cat_register_all(). */
    ptrmap refs;
    /* The two paths cat_intern_path gave last: every statement asks, a
     * file's statements one after the other, and the up step is applied
     * again after its down step. */
    const char *last_path[2];
    /* types.c: built-in type names already resolved. */
    struct cat_type_memo *type_memo;
};

/* Temporary tables, views and sequences live here until catalog_end_session(). */
#define CAT_TEMP_SCHEMA "pg_temp"
/* The start of a platform's source path: "<platform: supabase>" (platform.c). */
#define CAT_PLATFORM_PREFIX "<platform: "

const char *cat_intern_path(catalog *c, const char *path);
/* s, copied into the catalog's arena once for all its users: the type names
 * of columns ("bigint", "character varying(255)"), written thousands of times
 * by a schema and never changed in place. */
const char *cat_intern(catalog *c, const char *s);
const char *cat_schema_or_public(const char *schema);
bool cat_is_public(const char *schema);

/* ---- object management (model.c) ---- */

cat_table *cat_table_new(catalog *c, cat_relkind kind, const char *schema, const char *name);
void cat_rel_register(catalog *c, cat_rel *r);
void cat_rel_unregister(catalog *c, cat_rel *r);
/* Registers every object of c in its maps, as replay would have (for a
 * catalog built by clone or by the cache's loader). */
void cat_register_all(catalog *c);
cat_column *cat_column_add(catalog *c, cat_table *t, const char *name);
cat_column *cat_column_find(const cat_table *t, const char *name);
cat_constraint *cat_constraint_find(const cat_table *t, const char *name);
void cat_constraint_attach(catalog *c, cat_table *t, cat_constraint *con);
void cat_constraint_detach(catalog *c, cat_table *t, cat_constraint *con);
bool cat_conname_used(const catalog *c, const char *schema, const char *name);
cat_index *cat_index_new(catalog *c, cat_table *t, const char *name);
cat_sequence *cat_sequence_new(catalog *c, const char *schema, const char *name);
cat_type *cat_type_new(catalog *c, cat_typekind kind, const char *schema, const char *name);
cat_rel *cat_rel_get(const catalog *c, const char *schema, const char *name);
cat_table *cat_table_get(const catalog *c, const char *schema, const char *name);
cat_type *cat_type_get(const catalog *c, const char *schema, const char *name);
void cat_schema_add(catalog *c, const char *schema);
bool cat_column_reads(const cat_column *const *cols, size_t n, const cat_column *col);
/* "table", "view", "materialized view", "index" or "sequence". */
const char *cat_relkind_word(cat_relkind k);
/* Quoted as PostgreSQL's quote_identifier() would. */
const char *cat_quote_ident(catalog *c, const char *ident);

/* ---- reverse references (refs.c) ----
 * Which relations may point at a table, index or sequence: a foreign key's
 * table, a partition or child table, a child index, a table with a column
 * whose default is the sequence's nextval(), a view reading it, a sequence
 * owned by the table. A superset, kept for DROP's dependents. */

/* Notes that from (a table, view, index or sequence) now points at target
 * (NULL: nothing to note). */
void cat_ref_note(catalog *c, const void *target, cat_rel *from);
/* Does the relation from point at target in the way the caller asks? */
typedef bool (*cat_ref_match)(const cat_rel *from, const void *target);
/* The only relation in the catalog that matches, or NULL when none does.
 * *several is set when two match: then the caller scans the whole
 * catalog, in its order, as it would without the index. */
const cat_rel *cat_ref_find(const catalog *c, const void *target, cat_ref_match match,
                            bool *several);
/* Matches: a table whose parent is target; a table with a foreign key to
 * target (a table or index); a table with a column whose default is
 * nextval() of target; a view or materialized view that reads target. */
bool cat_ref_child_of(const cat_rel *from, const void *t);
bool cat_ref_fk_to(const cat_rel *from, const void *target);
bool cat_ref_serial_of(const cat_rel *from, const void *seq);
bool cat_ref_reads(const cat_rel *from, const void *t);
/* What to loop over to find the relations that match: none (*n 0), the
 * only one (stored in *one), or every table / sequence / index of the
 * catalog in its order; the loop still tests each. */
cat_table **cat_ref_tables(const catalog *c, const void *target, cat_ref_match match,
                           cat_table **one, size_t *n);
/* Sequences owned by t (owner_table; a column's sequence is its table's too). */
cat_sequence **cat_ref_sequences(const catalog *c, const cat_table *t, cat_sequence **one,
                                 size_t *n);
/* Indexes attached to the partitioned index ix. */
cat_index **cat_ref_indexes(const catalog *c, const cat_index *ix, cat_index **one, size_t *n);
/* Notes every pointer of a catalog built by clone or the cache's loader. */
void cat_ref_note_all(catalog *c);

/* The sanitizer build (make test) checks every answer of the index
 * against a scan of the whole catalog and aborts on a difference. */
#if defined(__SANITIZE_ADDRESS__)
#define CAT_REFS_CHECK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CAT_REFS_CHECK 1
#endif
#endif

/* ---- replay context; conflicts (conflict.c) ---- */

typedef struct replay {
    catalog *c;
    const sql_file *f;
    const sql_stmt *s;
    catalog_conflict_fn conflict;
    void *ud;
    bool failed;       /* a conflict was reported for this statement */
    cat_origin origin; /* of the statement being applied */
} replay;

void rp_conflict(replay *r, size_t start, size_t end, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Conflict pointing at the (dotted) name that starts at offset. */
void rp_conflict_at(replay *r, long offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Conflict pointing at the first occurrence of name in the statement at or after from. */
void rp_conflict_name(replay *r, size_t from, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "users" or "billing.users". */
const char *rp_qname(replay *r, const char *schema, const char *name);
const char *rp_relname(replay *r, const cat_rel *rel);

/* ---- node helpers (nodes.c) ---- */

/* Schema (NULL when unqualified) and name of a RangeVar. */
const char *rv_schema(const cJSON *rv);
const char *rv_name(const cJSON *rv);
/* The schema a CREATE puts the relation in: pg_temp for TEMPORARY. */
const char *rv_create_schema(replay *r, const cJSON *rv);
/* Splits a List of String nodes (["s", "t"] or ["t"]) into schema and name. */
bool name_list_split(const cJSON *list, const char **schema, const char **name);
/* The integer of an A_Const, reading the source when libpg_query dropped it
 * (its JSON writer omits negative integers). */
long const_int(const sql_file *f, const cJSON *a_const);

/* ---- types (types.c) ---- */

typedef struct cat_typeinfo {
    const char *text;  /* normalized, arrays included */
    const char *base;  /* without the array suffix */
    const char *label; /* with typmod -1, as a constant's cast prints it: "bpchar" */
    const cat_type *user_type;
    bool array;
    int serial; /* 2, 4 or 8 for smallserial/serial/bigserial */
} cat_typeinfo;

/* Normalizes a TypeName node the way format_type() prints it. A user type
 * the catalog lacks in a schema the migrations created is reported, and
 * printed as written all the same (open world: an extension may have put
 * it there); returns false only when no type can be made of the node. */
bool cat_type_resolve(replay *r, const cJSON *type_name, cat_typeinfo *out);
/* Recomputes column types and defaults after a user type was renamed or
 * moved; old_display is how it printed before. */
void cat_type_renamed(catalog *c, const cat_type *t, const char *old_display);
const char *cat_type_display(catalog *c, const cat_type *t);
/* Does a printed expression (a default) cast to the type printed display? */
bool cat_text_casts_to(const char *text, const char *display);

/* ---- expressions (expr.c) ---- */

/* Renders an expression as pg_get_expr() does (not pretty: operators in
 * parentheses). Literals carry no casts except where PostgreSQL shows them
 * regardless of context. */
char *cat_deparse(replay *r, const cJSON *node);
/* A column default as information_schema.columns.column_default shows it,
 * knowing the column's type (the literal is coerced to it). */
char *cat_deparse_default(replay *r, const cJSON *node, const cat_typeinfo *type);
bool cat_expr_volatile(replay *r, const cJSON *node);
/* Calls fn for every ColumnRef field list in node (subqueries included). */
void cat_expr_columns(const cJSON *node, void (*fn)(void *ud, const cJSON *fields), void *ud);
/* FigureColname(): "lower" for lower(x), "?column?" when PostgreSQL has no name. */
const char *cat_figure_colname(const cJSON *node);
/* text with the column reference old renamed to name (literals, function
 * names and casts left alone): keeps stored expressions in step with
 * RENAME COLUMN, as PostgreSQL's, which refer to columns by number. */
char *cat_rename_in_expr(catalog *c, const char *text, const char *old, const char *name);
/* The nextval('seq') argument of a default, or NULL. */
const char *cat_nextval_arg(const cJSON *node);

/* ---- names PostgreSQL chooses (names.c) ---- */

char *cat_make_object_name(arena *a, const char *name1, const char *name2, const char *label);
/* ChooseRelationName(): first free name in the schema's relation namespace. */
char *cat_choose_relation_name(catalog *c, const char *schema, const char *name1, const char *name2,
                               const char *label, bool isconstraint);
/* ChooseConstraintName(): free among the schema's constraint names. */
char *cat_choose_constraint_name(catalog *c, const char *schema, const char *name1,
                                 const char *name2, const char *label);
/* Column names joined with '_' as ChooseIndexNameAddition() does. */
char *cat_name_addition(arena *a, const char *const *names, size_t n);

/* ---- statement handlers ---- */

void rp_create_table(replay *r);
void rp_create_table_as(replay *r);
void rp_alter_table(replay *r);
void rp_drop(replay *r);
void rp_rename(replay *r);
void rp_alter_schema(replay *r);
void rp_create_index(replay *r);
void rp_create_view(replay *r);
void rp_create_enum(replay *r);
void rp_alter_enum(replay *r);
void rp_create_domain(replay *r);
void rp_create_composite(replay *r);
void rp_create_sequence(replay *r);
void rp_alter_sequence(replay *r);
void rp_create_schema(replay *r);
void rp_create_extension(replay *r);
void rp_create_function(replay *r);
void rp_create_trigger(replay *r);
void rp_do(replay *r);           /* do_block.c */
void rp_lock(replay *r);         /* table.c */
void rp_create_range(replay *r); /* objects.c */
/* The definition of the functions CREATE TYPE ... AS RANGE adds for that
 * range type (range types themselves are not modelled). */
const char *cat_range_constructor(catalog *c, const char *schema, const char *name);
/* A date, timestamp or interval literal's text as PostgreSQL prints the
 * folded constant, or NULL to keep it as written (datetime.c). */
const char *cat_datetime_literal(arena *a, const char *label, const char *text);

/* Shared by CREATE TABLE and ALTER TABLE ADD COLUMN / ADD CONSTRAINT. */
typedef struct column_spec {
    const cJSON *def; /* ColumnDef */
    cat_typeinfo type;
} column_spec;

/* Builds a column of t from a ColumnDef; its inline constraints are queued
 * in *pending (Constraint nodes with the column name filled in by the
 * caller). Returns NULL after a conflict. */
cat_column *table_add_column(replay *r, cat_table *t, const cJSON *coldef, bool creating);
void column_set_type(cat_column *col, const cat_typeinfo *type);
cat_typeinfo column_typeinfo(replay *r, const cat_column *col);
/* expr NULL drops the default. The caller notes a nextval() default's
 * sequence against the column's table (cat_ref_note). */
void column_set_default(replay *r, cat_column *col, const cJSON *expr, const cat_typeinfo *type);
/* Re-renders nextval() defaults after a sequence was renamed or moved. */
void sequence_renamed(catalog *c, const cat_sequence *seq);
void column_add_identity(replay *r, cat_table *t, cat_column *col, char when);
/* Adds a table-level Constraint node to t; colname is set for a column
 * constraint. */
bool table_add_constraint(replay *r, cat_table *t, const cJSON *con, const char *colname,
                          bool creating);
/* Copies a CHECK or FOREIGN KEY onto a partition (and its partitions). */
void table_clone_constraint(replay *r, cat_table *part, const cat_constraint *src);
/* Registers a new table, view or matview (create.c, like the two below). */
void table_register(catalog *c, cat_table *t);
/* Undoes a CREATE that failed halfway. */
void table_discard(catalog *c, cat_table *t);
/* Is the relation name free? Reports "relation x already exists" if not (and
 * if_not_exists is false). */
bool rel_name_free(replay *r, const char *schema, const char *name, long location,
                   bool if_not_exists);
/* Reports "schema x does not exist" for a schema the catalog lacks, which
 * it then assumes (open world); always true. */
bool schema_exists(replay *r, const char *schema, long location);
/* One key of an index to build: a column name or an expression. */
typedef struct key_spec {
    const char *column;
    const cJSON *expr;
    const char *expr_text; /* an expression already rendered (copies for partitions) */
} key_spec;

typedef struct index_spec {
    const char *name; /* NULL: PostgreSQL chooses one */
    key_spec *keys;
    size_t nkeys;
    const char **include;
    size_t ninclude;
    const cJSON *where;
    const char *method;
    bool unique, primary, concurrently;
    bool innodb_fk;    /* MySQL: the index InnoDB adds for a foreign key */
    const char *label; /* "pkey", "key", "excl" or "idx": for the chosen name */
} index_spec;

/* Key specs from a list of IndexElem nodes. */
key_spec *index_elems(replay *r, const cJSON *elems, size_t *n);
/* Creates and registers an index of t (the one behind a PRIMARY KEY, UNIQUE
 * or EXCLUDE constraint when con is set). NULL after a conflict. */
cat_index *index_build(replay *r, cat_table *t, const index_spec *spec, cat_constraint *con);
/* Gives a partition its copy of a partitioned index, or adopts an equal one it has. */
void index_clone_to_partition(replay *r, cat_table *part, cat_index *parent);
/* Gives every partition of t its own copy of a new partitioned index. */
void index_recurse(replay *r, cat_table *t, cat_index *ix);
/* Gives a new or attached partition the parent's indexes, CHECK and foreign keys. */
void partition_clone(replay *r, cat_table *part, cat_table *parent);

/* Output columns and reads of a view's query (view.c); false when the
 * view cannot be built (a relation it reads from outside the migrations is
 * reported but does not stop it). */
bool view_analyze(replay *r, cat_table *view, const cJSON *query, const cJSON *aliases);

/* A hash of a CREATE FUNCTION or CREATE VIEW node without positions, OR
 * REPLACE and the keys in skip (NULL-terminated), function bodies read as
 * tokens (definition.c). */
const char *cat_definition_hash(catalog *c, const cJSON *node, const char *const *skip);

/* Input argument types of a signature, as oidvectortypes() prints them (types.c). */
const char *function_args(replay *r, const cJSON *types);

/* ---- dropping (drop.c) ---- */

typedef enum victim_kind {
    V_REL,
    V_COLUMN,
    V_CONSTRAINT,
    V_DEFAULT,
    V_TYPE,
    V_SCHEMA,
    V_FUNCTION,
    V_TRIGGER,
} victim_kind;

typedef struct victim {
    victim_kind kind;
    void *obj;        /* cat_rel*, cat_column*, cat_constraint*, cat_type*, char*, ... */
    cat_table *table; /* the table of a column, constraint, default or trigger */
} victim;

typedef struct dropset {
    catalog *c;
    bool cascade;
    victim *v; /* what goes */
    size_t n;
    victim *deps; /* RESTRICT: dependents that block unless they go too */
    char **dep_names;
    size_t ndeps;
    const char *blocker; /* after drop_check(): the first blocking dependent, "view v" */
    /* Optional: a dependent that is already gone (ALTER TABLE's dry pass). */
    bool (*gone)(void *ud, const victim *v);
    void *gone_ud;
} dropset;

void drop_init(dropset *d, catalog *c, bool cascade);
void drop_add(dropset *d, victim_kind kind, void *obj, cat_table *table);
/* RESTRICT: finds the first dependent that does not go with the victims;
 * returns true when there is none. */
bool drop_check(dropset *d);
/* Removes every victim. */
void drop_execute(dropset *d);
void drop_done(dropset *d);

/* ---- dependents (depend.c) ---- */

bool view_reads_rel(const cat_table *view, const cat_table *t);
bool view_reads_column(const cat_table *view, const cat_table *t, const cat_column *col);
bool index_reads_column(const cat_index *ix, const cat_column *col);

/* ---- facts (facts.c): the flat form diff and tests compare ---- */

typedef struct cat_fact {
    char *key, *value;
} cat_fact;
/* Every object and property as a sorted array of key/value lines. */
cat_fact *catalog_facts(const catalog *c, arena *a, size_t *n);
/* Facts of the named objects only (snapshot.c), in the order built: not
 * sorted, and a type or function named twice is there twice. */
cat_fact *catalog_facts_of(const catalog *c, arena *a, const char *const *names, size_t nnames,
                           size_t *n);
/* Sorts facts by key and drops repeated keys in place; returns the count left. */
size_t cat_facts_settle(cat_fact *items, size_t n);
/* Merges two sorted fact arrays, calling fn with a sentence per difference. */
size_t cat_facts_diff(arena *a, const cat_fact *b, size_t nb, const cat_fact *f, size_t na,
                      void (*fn)(void *ud, const char *what), void *ud);

#endif
