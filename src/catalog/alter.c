/* alter.c - ALTER TABLE and its subcommands.
 *
 * PostgreSQL applies an ALTER TABLE whole or not at all, its subcommands in
 * passes (see run_cmds). With several
 * subcommands, a first dry pass checks each one against the table as the
 * earlier subcommands would leave it (an overlay of added and dropped
 * column and constraint names); only when all pass are they applied. Most
 * subcommands recurse into partitions, as they do in PostgreSQL unless the
 * statement says ONLY. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct overlay {
    const char *name;
    bool present;
} overlay;

typedef struct alter_ctx {
    replay *r;
    cat_table *t;
    bool dry;
    bool recurse; /* no ONLY */
    size_t from;  /* where subcommand names are searched for conflict locations */
    overlay *cols, *cons;
    size_t ncols, ncons;
    const cJSON **added; /* ADD COLUMN subcommands that added their column */
    size_t nadded;
} alter_ctx;

static bool col_present(const alter_ctx *x, const char *name)
{
    for (size_t i = x->ncols; i-- > 0;)
        if (!strcmp(x->cols[i].name, name))
            return x->cols[i].present;
    return cat_column_find(x->t, name) != NULL;
}

static bool con_present(const alter_ctx *x, const char *name)
{
    for (size_t i = x->ncons; i-- > 0;)
        if (!strcmp(x->cons[i].name, name))
            return x->cons[i].present;
    return cat_constraint_find(x->t, name) != NULL;
}

static void note_col(alter_ctx *x, const char *name, bool present)
{
    overlay o = {name, present};
    CAT_PUSH(x->r->c->a, x->cols, x->ncols, o);
}

static void note_con(alter_ctx *x, const char *name, bool present)
{
    overlay o = {name, present};
    CAT_PUSH(x->r->c->a, x->cons, x->ncons, o);
}

static const char *tname(alter_ctx *x)
{
    return rp_relname(x->r, &x->t->rel);
}

static bool no_column(alter_ctx *x, const char *name)
{
    rp_conflict_name(x->r, x->from, name, "column %s of table %s does not exist", name, tname(x));
    return false;
}

/* The column a subcommand names; NULL (with a conflict) when missing. In
 * the dry pass a column added by an earlier subcommand has no object yet:
 * *ok says whether to go on. */
static cat_column *target_column(alter_ctx *x, const cJSON *cmd, bool *ok)
{
    const char *name = sql_get_str(cmd, "name");
    *ok = name && col_present(x, name);
    if (!*ok) {
        no_column(x, name ? name : "?");
        return NULL;
    }
    return cat_column_find(x->t, name);
}

/* Runs fn on every partition of t, recursively, unless ONLY was given. */
static void each_partition(alter_ctx *x, cat_table *t,
                           void (*fn)(alter_ctx *x, cat_table *p, void *arg), void *arg)
{
    if (!x->recurse)
        return;
    cat_table *one, **ps;
    size_t n;
    ps = cat_ref_tables(x->r->c, t, cat_ref_child_of, &one, &n);
    for (size_t i = 0; i < n; i++) {
        cat_table *p = ps[i];
        if (p->parent == t) {
            fn(x, p, arg);
            each_partition(x, p, fn, arg);
        }
    }
}

/* ---- columns ---- */

static void copy_to_partition(alter_ctx *x, cat_table *p, void *arg)
{
    const cat_column *src = arg;
    if (cat_column_find(p, src->name))
        return;
    cat_column *col = cat_column_add(x->r->c, p, src->name);
    int attnum = col->attnum;
    *col = *src;
    col->attnum = attnum;
    col->fact = NULL;
    col->identity = 0;
    cat_ref_note(x->r->c, col->serial, &p->rel);
}

static bool at_add_column(alter_ctx *x, const cJSON *cmd)
{
    const cJSON *def = sql_get(cmd, "def");
    const cJSON *cd = sql_get(def, "ColumnDef");
    const char *name = sql_get_str(cd, "colname");
    if (name && col_present(x, name)) {
        if (sql_get_bool(cmd, "missing_ok"))
            return true;
        rp_conflict_name(x->r, x->from, name, "column %s of table %s already exists", name,
                         tname(x));
        return false;
    }
    if (x->dry) {
        cat_typeinfo t;
        if (!cat_type_resolve(x->r, sql_get(cd, "typeName"), &t))
            return false;
        note_col(x, name, true);
        return true;
    }
    cat_column *col = table_add_column(x->r, x->t, cd, false);
    if (!col)
        return false;
    each_partition(x, x->t, copy_to_partition, col);
    CAT_PUSH(x->r->c->a, x->added, x->nadded, cmd);
    return true;
}

/* Dry pass: a constraint dropped by an earlier subcommand blocks nothing. */
static bool dropped_earlier(void *ud, const victim *v)
{
    alter_ctx *x = ud;
    return v->kind == V_CONSTRAINT && v->table == x->t &&
           !con_present(x, ((const cat_constraint *)v->obj)->name);
}

static void init_drop(alter_ctx *x, dropset *d, const cJSON *cmd)
{
    const char *behavior = sql_get_str(cmd, "behavior");
    drop_init(d, x->r->c, behavior && !strcmp(behavior, "DROP_CASCADE"));
    if (x->dry) {
        d->gone = dropped_earlier;
        d->gone_ud = x;
    }
}

static bool at_drop_column(alter_ctx *x, const cJSON *cmd)
{
    const char *name = sql_get_str(cmd, "name");
    if (!name || !col_present(x, name))
        return sql_get_bool(cmd, "missing_ok") || no_column(x, name ? name : "?");
    cat_column *col = cat_column_find(x->t, name);
    if (x->t->parent && cat_column_find(x->t->parent, name)) {
        rp_conflict_name(x->r, x->from, name, "cannot drop inherited column %s", name);
        return false;
    }
    if (x->dry)
        note_col(x, name, false);
    if (!col)
        return true;
    dropset d;
    init_drop(x, &d, cmd);
    drop_add(&d, V_COLUMN, col, x->t);
    bool ok = d.cascade || drop_check(&d);
    if (!ok)
        rp_conflict_name(x->r, x->from, name, "cannot drop column %s.%s: %s depends on it",
                         tname(x), name, d.blocker);
    else if (!x->dry)
        drop_execute(&d);
    drop_done(&d);
    return ok;
}

static void retype_partition(alter_ctx *x, cat_table *p, void *arg)
{
    const cat_column *src = arg;
    cat_column *col = cat_column_find(p, src->name);
    if (col) {
        col->type = src->type;
        col->type_label = src->type_label;
        col->user_type = src->user_type;
        col->array = src->array;
        col->collation = src->collation;
    }
    (void)x;
}

/* PostgreSQL rebuilds an index on a retyped column from its definition's
 * text, parsed again with the new type: a cast of the column to that type,
 * `(x)::date` or the function-style `date(x)`, is then a no-op and the key
 * is the plain column (cratesio's `date(date)` became `(date)` when the
 * column became a date, and stays so when the down step changes it back). */
static void rederive_index_keys(catalog *c, cat_table *t, cat_column *col, const cat_typeinfo *type)
{
    const char *q = cat_quote_ident(c, col->name);
    const char *cast = arena_printf(c->a, "(%s)::%s", q, type->text);
    const char *call = arena_printf(c->a, "%s(%s)", type->text, q);
    for (size_t i = 0; i < c->nindexes; i++) {
        cat_index *ix = c->indexes[i];
        for (size_t k = 0; ix->table == t && k < ix->nkeys; k++) {
            cat_index_key *key = &ix->keys[k];
            if (!key->column && key->expr &&
                (!strcmp(key->expr, cast) || !strcmp(key->expr, call))) {
                key->column = col;
                key->expr = NULL;
            }
        }
    }
}

static bool at_alter_type(alter_ctx *x, const cJSON *cmd)
{
    bool ok;
    cat_column *col = target_column(x, cmd, &ok);
    if (!ok)
        return false;
    const cJSON *cd = sql_get(sql_get(cmd, "def"), "ColumnDef");
    cat_typeinfo type;
    if (!cat_type_resolve(x->r, sql_get(cd, "typeName"), &type))
        return false;
    if (!col)
        return true;
    catalog *c = x->r->c;
    cat_table *one, **vs;
    size_t n;
    vs = cat_ref_tables(c, x->t, cat_ref_reads, &one, &n);
    for (size_t i = 0; i < n; i++) {
        cat_table *v = vs[i];
        if (view_reads_column(v, x->t, col)) {
            rp_conflict_name(x->r, x->from, col->name,
                             "cannot alter type of column %s.%s: %s %s depends on it", tname(x),
                             col->name, v->rel.kind == CAT_VIEW ? "view" : "materialized view",
                             rp_relname(x->r, &v->rel));
            return false;
        }
    }
    if (x->dry)
        return true;
    column_set_type(col, &type);
    rederive_index_keys(c, x->t, col, &type);
    if (sql_get_bool(cd, "mysqlModify")) { /* MySQL's MODIFY: ON UPDATE only if written again */
        const char *on_update = sql_get_str(cd, "mysqlOnUpdate");
        col->on_update = on_update ? arena_strdup(c->a, on_update) : NULL;
    }
    const cJSON *coll = sql_get(sql_get(cd, "collClause"), "collname");
    /* MySQL's MODIFY ... CHARACTER SET / COLLATE (without them the column
     * keeps what the catalog knows: see mysql_collation in column.c). */
    const char *mysql_coll = sql_get_str(cd, "mysqlCollation");
    if (!mysql_coll)
        mysql_coll = sql_get_str(cd, "mysqlCharset");
    if (coll)
        col->collation = sql_name_list(c->a, coll);
    else if (mysql_coll)
        col->collation = arena_strdup(c->a, mysql_coll);
    each_partition(x, x->t, retype_partition, col);
    return true;
}

typedef struct default_arg {
    const cJSON *expr;
} default_arg;

static void default_partition(alter_ctx *x, cat_table *p, void *arg)
{
    const cat_column *src = arg;
    cat_column *col = cat_column_find(p, src->name);
    if (col) {
        col->default_expr = src->default_expr;
        col->default_volatile = src->default_volatile;
        col->serial = src->serial;
        cat_ref_note(x->r->c, col->serial, &p->rel);
    }
}

static bool at_column_default(alter_ctx *x, const cJSON *cmd)
{
    bool ok;
    cat_column *col = target_column(x, cmd, &ok);
    if (!ok)
        return false;
    const cJSON *expr = sql_get(cmd, "def");
    if (col && expr && (col->identity || col->generated)) {
        rp_conflict_name(x->r, x->from, col->name, "column %s of table %s is %s column", col->name,
                         tname(x), col->identity ? "an identity" : "a generated");
        return false;
    }
    if (x->dry || !col)
        return true;
    cat_typeinfo type = column_typeinfo(x->r, col);
    column_set_default(x->r, col, expr, &type);
    cat_ref_note(x->r->c, col->serial, &x->t->rel);
    each_partition(x, x->t, default_partition, col);
    return true;
}

static void not_null_partition(alter_ctx *x, cat_table *p, void *arg)
{
    const cat_column *src = arg;
    cat_column *col = cat_column_find(p, src->name);
    if (col)
        col->not_null = src->not_null;
    (void)x;
}

static bool in_primary_key(const cat_table *t, const cat_column *col)
{
    for (size_t i = 0; i < t->nconstraints; i++)
        if (t->constraints[i]->type == CAT_CON_PRIMARY &&
            cat_column_reads((const cat_column *const *)t->constraints[i]->columns,
                             t->constraints[i]->ncolumns, col))
            return true;
    return false;
}

static bool at_not_null(alter_ctx *x, const cJSON *cmd, bool set)
{
    bool ok;
    cat_column *col = target_column(x, cmd, &ok);
    if (!ok)
        return false;
    if (!col)
        return true;
    /* MySQL's MODIFY without NOT NULL leaves a primary key column NOT NULL. */
    if (!set && sql_get_bool(cmd, "mysqlModify") && in_primary_key(x->t, col))
        return true;
    if (!set && (in_primary_key(x->t, col) || col->identity)) {
        rp_conflict_name(x->r, x->from, col->name, "column %s of table %s is %s", col->name,
                         tname(x), col->identity ? "an identity column" : "in a primary key");
        return false;
    }
    if (x->dry)
        return true;
    col->not_null = set;
    each_partition(x, x->t, not_null_partition, col);
    return true;
}

static bool at_add_identity(alter_ctx *x, const cJSON *cmd)
{
    bool ok;
    cat_column *col = target_column(x, cmd, &ok);
    if (!ok || !col)
        return ok;
    /* MySQL's MODIFY ... AUTO_INCREMENT: the column is defined anew (its
     * NOT NULL and default come in the same statement's other commands). */
    if (sql_get_bool(cmd, "mysqlModify")) {
        if (!x->dry && !col->identity)
            column_add_identity(x->r, x->t, col, 'd');
        return true;
    }
    const char *why = col->identity       ? "is already an identity column"
                      : !col->not_null    ? "must be declared NOT NULL before identity can be added"
                      : col->default_expr ? "already has a default value"
                                          : NULL;
    if (why) {
        rp_conflict_name(x->r, x->from, col->name, "column %s of table %s %s", col->name, tname(x),
                         why);
        return false;
    }
    if (x->dry)
        return true;
    const char *when = sql_get_str(sql_get(sql_get(cmd, "def"), "Constraint"), "generated_when");
    column_add_identity(x->r, x->t, col, when && when[0] == 'a' ? 'a' : 'd');
    return true;
}

static bool at_set_identity(alter_ctx *x, const cJSON *cmd)
{
    bool ok;
    cat_column *col = target_column(x, cmd, &ok);
    if (!ok || !col)
        return ok;
    if (!col->identity) {
        rp_conflict_name(x->r, x->from, col->name,
                         "column %s of table %s is not an identity column", col->name, tname(x));
        return false;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(sql_get(sql_get(cmd, "def"), "List"), "items"))
    {
        const cJSON *de = sql_get(item, "DefElem");
        const char *opt = sql_get_str(de, "defname");
        if (!x->dry && opt && !strcmp(opt, "generated"))
            col->identity =
                sql_get_int(sql_get(sql_get(de, "arg"), "Integer"), "ival", 'd') == 'a' ? 'a' : 'd';
    }
    return true;
}

static bool at_drop_identity(alter_ctx *x, const cJSON *cmd)
{
    bool ok;
    cat_column *col = target_column(x, cmd, &ok);
    if (!ok || !col)
        return ok;
    if (!col->identity) {
        if (sql_get_bool(cmd, "missing_ok"))
            return true;
        rp_conflict_name(x->r, x->from, col->name,
                         "column %s of table %s is not an identity column", col->name, tname(x));
        return false;
    }
    if (x->dry)
        return true;
    col->identity = 0;
    catalog *c = x->r->c;
    for (size_t i = 0; i < c->nsequences; i++) {
        cat_sequence *seq = c->sequences[i];
        if (seq->owner_column == col && seq->identity) {
            dropset d;
            drop_init(&d, c, true);
            drop_add(&d, V_REL, seq, NULL);
            drop_execute(&d);
            drop_done(&d);
            break;
        }
    }
    return true;
}

static bool at_drop_expression(alter_ctx *x, const cJSON *cmd)
{
    bool ok;
    cat_column *col = target_column(x, cmd, &ok);
    if (ok && col && !x->dry)
        col->generated = NULL;
    return ok;
}

/* ---- constraints ---- */

typedef struct names_check {
    alter_ctx *x;
    const char *missing;
} names_check;

static void check_ref(void *ud, const cJSON *fields)
{
    names_check *nc = ud;
    const char *name = sql_string_value(cJSON_GetArrayItem(fields, cJSON_GetArraySize(fields) - 1));
    if (name && !nc->missing && !col_present(nc->x, name))
        nc->missing = name;
}

/* Dry pass: the constraint's columns exist once earlier subcommands ran. */
static bool dry_constraint(alter_ctx *x, const cJSON *con)
{
    names_check nc = {x, NULL};
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(con, "keys"))
    {
        const char *name = sql_string_value(item);
        if (name && !nc.missing && !col_present(x, name))
            nc.missing = name;
    }
    cJSON_ArrayForEach(item, sql_get(con, "fk_attrs"))
    {
        const char *name = sql_string_value(item);
        if (name && !nc.missing && !col_present(x, name))
            nc.missing = name;
    }
    cat_expr_columns(sql_get(con, "raw_expr"), check_ref, &nc);
    if (nc.missing)
        return no_column(x, nc.missing);
    /* A foreign key to a table the catalog lacks is reported when applied:
     * the rest of the statement still applies (open world, constraint.c). */
    const char *name = sql_get_str(con, "conname");
    if (name && con_present(x, name)) {
        rp_conflict_name(x->r, x->from, name, "constraint %s for table %s already exists", name,
                         tname(x));
        return false;
    }
    if (name)
        note_con(x, name, true);
    return true;
}

static bool at_add_constraint(alter_ctx *x, const cJSON *cmd)
{
    const cJSON *con = sql_get(sql_get(cmd, "def"), "Constraint");
    if (x->dry)
        return dry_constraint(x, con);
    return table_add_constraint(x->r, x->t, con, NULL, false);
}

static cat_constraint *target_constraint(alter_ctx *x, const cJSON *cmd, bool *ok)
{
    const char *name = sql_get_str(cmd, "name");
    *ok = name && con_present(x, name);
    if (!*ok && !sql_get_bool(cmd, "missing_ok"))
        rp_conflict_name(x->r, x->from, name ? name : "",
                         "constraint %s of table %s does not exist", name ? name : "?", tname(x));
    return name ? cat_constraint_find(x->t, name) : NULL;
}

static void validate_partition(alter_ctx *x, cat_table *p, void *arg)
{
    cat_constraint *con = cat_constraint_find(p, arg);
    if (con)
        con->validated = true;
    (void)x;
}

static bool at_validate(alter_ctx *x, const cJSON *cmd)
{
    bool ok;
    cat_constraint *con = target_constraint(x, cmd, &ok);
    if (!ok)
        return false;
    if (con && con->type != CAT_CON_FOREIGN && con->type != CAT_CON_CHECK) {
        rp_conflict_name(x->r, x->from, con->name,
                         "constraint %s of table %s is not a foreign key or check constraint",
                         con->name, tname(x));
        return false;
    }
    if (!x->dry && con) {
        con->validated = true;
        each_partition(x, x->t, validate_partition, (void *)con->name);
    }
    return true;
}

static bool at_drop_constraint(alter_ctx *x, const cJSON *cmd)
{
    bool ok;
    cat_constraint *con = target_constraint(x, cmd, &ok);
    if (!ok)
        return sql_get_bool(cmd, "missing_ok");
    if (x->dry)
        note_con(x, sql_get_str(cmd, "name"), false);
    if (!con)
        return true;
    dropset d;
    init_drop(x, &d, cmd);
    drop_add(&d, V_CONSTRAINT, con, x->t);
    bool fine = d.cascade || drop_check(&d);
    if (!fine)
        rp_conflict_name(x->r, x->from, con->name,
                         "cannot drop constraint %s on table %s: %s depends on it", con->name,
                         tname(x), d.blocker);
    else if (!x->dry)
        drop_execute(&d);
    drop_done(&d);
    return fine;
}

/* ---- partitions ---- */

static bool at_attach(alter_ctx *x, const cJSON *cmd)
{
    const cJSON *rv = sql_get(sql_get(sql_get(cmd, "def"), "PartitionCmd"), "name");
    cat_table *p = cat_table_get(x->r->c, rv_schema(rv), rv_name(rv));
    if (!p || p->rel.kind == CAT_VIEW || p->rel.kind == CAT_MATVIEW) {
        rp_conflict_at(x->r, sql_location(rv), "table %s does not exist",
                       rp_qname(x->r, rv_schema(rv), rv_name(rv)));
        return false;
    }
    if (x->t->rel.kind != CAT_PARTITIONED_TABLE || p->parent) {
        rp_conflict_at(x->r, sql_location(rv),
                       p->parent ? "table %s is already a partition"
                                 : "table %s is not partitioned",
                       rp_relname(x->r, p->parent ? &p->rel : &x->t->rel));
        return false;
    }
    /* PostgreSQL refuses a table as its own partition or its ancestor's:
     * a cycle would send every walk down the partition tree round forever. */
    for (const cat_table *a = x->t; a; a = a->parent) {
        if (a == p) {
            rp_conflict_at(x->r, sql_location(rv), "circular inheritance: %s is %s",
                           rp_relname(x->r, &p->rel),
                           p == x->t ? "the table itself" : "an ancestor of the table");
            return false;
        }
    }
    if (x->dry)
        return true;
    p->parent = x->t;
    cat_ref_note(x->r->c, x->t, &p->rel);
    partition_clone(x->r, p, x->t);
    return true;
}

static bool at_detach(alter_ctx *x, const cJSON *cmd)
{
    const cJSON *rv = sql_get(sql_get(sql_get(cmd, "def"), "PartitionCmd"), "name");
    cat_table *p = cat_table_get(x->r->c, rv_schema(rv), rv_name(rv));
    if (!p || p->parent != x->t) {
        rp_conflict_at(x->r, sql_location(rv), "table %s is not a partition of %s",
                       rp_qname(x->r, rv_schema(rv), rv_name(rv)), tname(x));
        return false;
    }
    if (x->dry)
        return true;
    p->parent = NULL;
    for (size_t i = 0; i < p->nindexes; i++)
        p->indexes[i]->parent = NULL;
    return true;
}

typedef struct subcommand {
    const char *subtype;
    bool (*fn)(alter_ctx *x, const cJSON *cmd);
} subcommand;

static bool at_set_not_null(alter_ctx *x, const cJSON *cmd)
{
    return at_not_null(x, cmd, true);
}

static bool at_drop_not_null(alter_ctx *x, const cJSON *cmd)
{
    return at_not_null(x, cmd, false);
}

/* Subcommands not listed (owner, storage, statistics, triggers, RLS...)
 * change nothing the catalog models. */
static const subcommand subcommands[] = {
    {"AT_AddColumn", at_add_column},           {"AT_AddConstraint", at_add_constraint},
    {"AT_AddIdentity", at_add_identity},       {"AT_AlterColumnType", at_alter_type},
    {"AT_AttachPartition", at_attach},         {"AT_ColumnDefault", at_column_default},
    {"AT_DetachPartition", at_detach},         {"AT_DropColumn", at_drop_column},
    {"AT_DropConstraint", at_drop_constraint}, {"AT_DropExpression", at_drop_expression},
    {"AT_DropIdentity", at_drop_identity},     {"AT_DropNotNull", at_drop_not_null},
    {"AT_SetIdentity", at_set_identity},       {"AT_SetNotNull", at_set_not_null},
    {"AT_ValidateConstraint", at_validate},
};

/* PostgreSQL runs the subcommands of one ALTER TABLE in passes, not in the
 * order written (AT_PASS_* in tablecmds.c): drops first, then type
 * changes, added columns, column attributes, index-backed constraints, and
 * last CHECK and FOREIGN KEY constraints, defaults and identities. So
 * `ADD CONSTRAINT ... (x), ADD COLUMN x` works, and so does a constraint on
 * a column the same statement adds. Within a pass, the written order. */
typedef enum at_pass {
    PASS_DROP,
    PASS_ALTER_TYPE,
    PASS_ADD_COL,
    PASS_COL_ATTRS,
    PASS_ADD_INDEXCONSTR,
    PASS_ADD_OTHERCONSTR,
    PASS_MISC,
    PASS_COUNT
} at_pass;

static at_pass constraint_pass(const cJSON *con)
{
    const char *ct = sql_get_str(con, "contype");
    bool indexed = ct && (!strcmp(ct, "CONSTR_PRIMARY") || !strcmp(ct, "CONSTR_UNIQUE") ||
                          !strcmp(ct, "CONSTR_EXCLUSION"));
    return indexed ? PASS_ADD_INDEXCONSTR : PASS_ADD_OTHERCONSTR;
}

/* strcmp after the fourth byte: every subtype starts "AT_", and each
 * command is matched against both tables below once per pass. known is
 * longer than four bytes, so a shorter subtype fails before its end. */
static bool subtype_is(const char *known, const char *subtype)
{
    return known[3] == subtype[3] && known[0] == subtype[0] && known[1] == subtype[1] &&
           known[2] == subtype[2] && !strcmp(known + 4, subtype + 4);
}

static at_pass pass_of(const char *subtype, const cJSON *cmd)
{
    static const struct {
        const char *subtype;
        at_pass pass;
    } fixed[] = {
        {"AT_DropColumn", PASS_DROP},       {"AT_DropConstraint", PASS_DROP},
        {"AT_DropNotNull", PASS_DROP},      {"AT_DropIdentity", PASS_DROP},
        {"AT_DropExpression", PASS_DROP},   {"AT_AlterColumnType", PASS_ALTER_TYPE},
        {"AT_AddColumn", PASS_ADD_COL},     {"AT_SetNotNull", PASS_COL_ATTRS},
        {"AT_SetIdentity", PASS_COL_ATTRS}, {"AT_AddIdentity", PASS_ADD_OTHERCONSTR},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        if (subtype_is(fixed[i].subtype, subtype))
            return fixed[i].pass;
    if (subtype_is("AT_ColumnDefault", subtype))
        return sql_get(cmd, "def") ? PASS_ADD_OTHERCONSTR : PASS_DROP;
    if (subtype_is("AT_AddConstraint", subtype))
        return constraint_pass(sql_get(sql_get(cmd, "def"), "Constraint"));
    return PASS_MISC;
}

/* The constraints declared inline by the ADD COLUMNs that added their
 * column, those of this pass. */
static bool column_constraints(alter_ctx *x, at_pass pass)
{
    for (size_t k = 0; k < x->nadded; k++) {
        const cJSON *cd = sql_get(sql_get(x->added[k], "def"), "ColumnDef");
        const char *name = sql_get_str(cd, "colname");
        const cJSON *item;
        cJSON_ArrayForEach(item, sql_get(cd, "constraints"))
        {
            const cJSON *con = sql_get(item, "Constraint");
            const char *ct = sql_get_str(con, "contype");
            if (!ct || !strcmp(ct, "CONSTR_NOTNULL") || !strcmp(ct, "CONSTR_NULL") ||
                !strcmp(ct, "CONSTR_DEFAULT") || constraint_pass(con) != pass)
                continue;
            if (!table_add_constraint(x->r, x->t, con, name, true))
                return false;
        }
    }
    return true;
}

/* A subcommand with its pass and handler, found once per statement rather
 * than once per pass. */
typedef struct at_cmd {
    const cJSON *cmd;
    const subcommand *sub; /* NULL: changes nothing the catalog models */
    at_pass pass;
} at_cmd;

static bool run_pass(alter_ctx *x, const at_cmd *cmds, size_t n, at_pass pass)
{
    for (size_t i = 0; i < n; i++)
        if (cmds[i].pass == pass && cmds[i].sub && !cmds[i].sub->fn(x, cmds[i].cmd))
            return false;
    if (!x->dry && (pass == PASS_ADD_INDEXCONSTR || pass == PASS_ADD_OTHERCONSTR))
        return column_constraints(x, pass);
    return true;
}

static bool run_cmds(alter_ctx *x, const cJSON *cmds)
{
    at_cmd local[16], *list = local;
    size_t n = 0, count = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, cmds)
    {
        count++;
    }
    if (count > sizeof local / sizeof *local && !(list = malloc(count * sizeof *list)))
        abort();
    cJSON_ArrayForEach(item, cmds)
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *subtype = sql_get_str(cmd, "subtype");
        if (!subtype)
            continue;
        at_cmd c = {cmd, NULL, pass_of(subtype, cmd)};
        for (size_t i = 0; i < sizeof subcommands / sizeof *subcommands && !c.sub; i++)
            if (subtype_is(subcommands[i].subtype, subtype))
                c.sub = &subcommands[i];
        list[n++] = c;
    }
    bool ok = true;
    for (int pass = 0; pass < PASS_COUNT && ok; pass++)
        ok = run_pass(x, list, n, (at_pass)pass);
    if (list != local)
        free(list);
    return ok;
}

/* ALTER INDEX parent ATTACH PARTITION child. */
static void alter_index(replay *r, cat_index *ix, const cJSON *cmds)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, cmds)
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *subtype = sql_get_str(cmd, "subtype");
        if (!subtype || strcmp(subtype, "AT_AttachPartition") != 0)
            continue;
        const cJSON *rv = sql_get(sql_get(sql_get(cmd, "def"), "PartitionCmd"), "name");
        const cat_index *child = catalog_find_index(r->c, rv_schema(rv), rv_name(rv));
        if (!child) {
            rp_conflict_at(r, sql_location(rv), "index %s does not exist",
                           rp_qname(r, rv_schema(rv), rv_name(rv)));
            return;
        }
        ((cat_index *)child)->parent = ix;
        cat_ref_note(r->c, ix, (cat_rel *)&child->rel);
    }
}

void rp_alter_table(replay *r)
{
    const cJSON *n = r->s->node, *rv = sql_get(n, "relation");
    const char *objtype = sql_get_str(n, "objtype");
    cat_rel *rel = cat_rel_get(r->c, rv_schema(rv), rv_name(rv));
    if (!rel) {
        if (!sql_get_bool(n, "missing_ok"))
            rp_conflict_at(r, sql_location(rv), "%s %s does not exist",
                           objtype && !strcmp(objtype, "OBJECT_INDEX") ? "index" : "table",
                           rp_qname(r, rv_schema(rv), rv_name(rv)));
        return;
    }
    const cJSON *cmds = sql_get(n, "cmds");
    if (rel->kind == CAT_INDEX) {
        alter_index(r, (cat_index *)rel, cmds);
        return;
    }
    if (rel->kind == CAT_SEQUENCE || rel->kind == CAT_VIEW || rel->kind == CAT_MATVIEW ||
        (objtype && strcmp(objtype, "OBJECT_TABLE") != 0 &&
         strcmp(objtype, "OBJECT_FOREIGN_TABLE") != 0))
        return;
    alter_ctx x = {.r = r, .t = (cat_table *)rel, .recurse = sql_get_bool(rv, "inh")};
    x.from = (size_t)(sql_location(rv) + 1);
    if (cJSON_GetArraySize(cmds) > 1) {
        x.dry = true;
        if (!run_cmds(&x, cmds))
            return;
        x.dry = false;
        x.ncols = x.ncons = x.nadded = 0;
    }
    run_cmds(&x, cmds);
}
