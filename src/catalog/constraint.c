/* constraint.c - PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY and EXCLUDE
 * constraints, from CREATE TABLE and ALTER TABLE ADD CONSTRAINT, named the
 * way PostgreSQL names them when the migration does not. */
#include "internal.h"

#include <string.h>

static bool name_free(replay *r, cat_table *t, const char *name)
{
    if (!cat_constraint_find(t, name))
        return true;
    rp_conflict_name(r, r->s->start, name, "constraint %s for table %s already exists", name,
                     rp_relname(r, &t->rel));
    return false;
}

static cat_constraint *constraint_new(replay *r, cat_contype type)
{
    cat_constraint *con = arena_calloc(r->c->a, 1, sizeof *con);
    con->type = type;
    con->validated = true;
    con->on_delete = con->on_update = 'a';
    con->origin = r->origin;
    return con;
}

/* Columns named by a key list (String nodes), or the one column of a column
 * constraint. */
static bool key_columns(replay *r, cat_table *t, const cJSON *keys, const char *colname,
                        cat_column ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (colname) {
        cat_column *col = cat_column_find(t, colname);
        if (col)
            CAT_PUSH(r->c->a, *out, *n, col);
        return col != NULL;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, keys)
    {
        const char *name = sql_string_value(item);
        cat_column *col = name ? cat_column_find(t, name) : NULL;
        if (!col) {
            rp_conflict_name(r, r->s->start, name ? name : "",
                             "column %s of table %s does not exist", name ? name : "?",
                             rp_relname(r, &t->rel));
            return false;
        }
        CAT_PUSH(r->c->a, *out, *n, col);
    }
    return true;
}

static const char **column_names(replay *r, cat_column **cols, size_t n)
{
    const char **names = arena_calloc(r->c->a, n ? n : 1, sizeof *names);
    for (size_t i = 0; i < n; i++)
        names[i] = cols[i]->name;
    return names;
}

typedef struct check_reads {
    replay *r;
    cat_table *t;
    cat_column **cols;
    size_t n;
    const char *missing;
} check_reads;

static void check_read(void *ud, const cJSON *fields)
{
    check_reads *x = ud;
    const char *name = sql_string_value(cJSON_GetArrayItem(fields, cJSON_GetArraySize(fields) - 1));
    cat_column *col = name ? cat_column_find(x->t, name) : NULL;
    if (!col) {
        if (!x->missing && name)
            x->missing = name;
        return;
    }
    if (!cat_column_reads((const cat_column *const *)x->cols, x->n, col))
        CAT_PUSH(x->r->c->a, x->cols, x->n, col);
}

static bool add_check(replay *r, cat_table *t, const cJSON *n, bool creating)
{
    const cJSON *expr = sql_get(n, "raw_expr");
    check_reads reads = {.r = r, .t = t};
    cat_expr_columns(expr, check_read, &reads);
    if (reads.missing) {
        rp_conflict_name(r, r->s->start, reads.missing, "column %s of table %s does not exist",
                         reads.missing, rp_relname(r, &t->rel));
        return false;
    }
    const char *name = sql_get_str(n, "conname");
    if (name && !name_free(r, t, name))
        return false;
    cat_constraint *con = constraint_new(r, CAT_CON_CHECK);
    /* AddRelationNewConstraints(): the column goes into the name only when
     * the expression reads exactly one. */
    con->name =
        name ? arena_strdup(r->c->a, name)
             : cat_choose_constraint_name(r->c, t->rel.schema, t->rel.name,
                                          reads.n == 1 ? reads.cols[0]->name : NULL, "check");
    con->columns = reads.cols;
    con->ncolumns = reads.n;
    con->expr = cat_deparse(r, expr);
    con->validated = creating || !sql_get_bool(n, "skip_validation");
    con->no_inherit = sql_get_bool(n, "is_no_inherit");
    cat_constraint_attach(r->c, t, con);
    return true;
}

static cat_constraint *find_primary(const cat_table *t)
{
    for (size_t i = 0; i < t->nconstraints; i++)
        if (t->constraints[i]->type == CAT_CON_PRIMARY)
            return t->constraints[i];
    return NULL;
}

/* ADD CONSTRAINT ... UNIQUE / PRIMARY KEY USING INDEX: the index becomes the
 * constraint's and takes its name. */
static bool add_using_index(replay *r, cat_table *t, const cJSON *n, cat_contype type)
{
    const char *ixname = sql_get_str(n, "indexname");
    cat_rel *rel = cat_rel_get(r->c, t->rel.schema, ixname);
    cat_index *ix = rel && rel->kind == CAT_INDEX ? (cat_index *)rel : NULL;
    if (!ix || ix->table != t) {
        rp_conflict_name(r, r->s->start, ixname, "index %s of table %s does not exist", ixname,
                         rp_relname(r, &t->rel));
        return false;
    }
    if (ix->constraint || !ix->unique || ix->where) {
        rp_conflict_name(r, r->s->start, ixname, "index %s cannot back a %s constraint", ixname,
                         type == CAT_CON_PRIMARY ? "primary key" : "unique");
        return false;
    }
    if (type == CAT_CON_PRIMARY && find_primary(t)) {
        rp_conflict_name(r, r->s->start, ixname, "table %s already has a primary key",
                         rp_relname(r, &t->rel));
        return false;
    }
    const char *name = sql_get_str(n, "conname");
    if (name && !name_free(r, t, name))
        return false;
    cat_constraint *con = constraint_new(r, type);
    con->index = ix;
    for (size_t i = 0; i < ix->nkeys; i++) {
        if (!ix->keys[i].column)
            continue;
        CAT_PUSH(r->c->a, con->columns, con->ncolumns, ix->keys[i].column);
        if (type == CAT_CON_PRIMARY)
            ix->keys[i].column->not_null = true;
    }
    if (name && strcmp(name, ix->rel.name) != 0) {
        cat_rel_unregister(r->c, &ix->rel);
        ix->rel.name = arena_strdup(r->c->a, name);
        cat_rel_register(r->c, &ix->rel);
    }
    con->name = ix->rel.name;
    ix->constraint = con;
    ix->primary = type == CAT_CON_PRIMARY;
    cat_constraint_attach(r->c, t, con);
    return true;
}

static bool add_unique(replay *r, cat_table *t, const cJSON *n, const char *colname,
                       cat_contype type)
{
    if (sql_get_str(n, "indexname"))
        return add_using_index(r, t, n, type);
    cat_column **cols;
    size_t ncols;
    if (!key_columns(r, t, sql_get(n, "keys"), colname, &cols, &ncols))
        return false;
    if (type == CAT_CON_PRIMARY && find_primary(t)) {
        rp_conflict_at(r, sql_location(n), "multiple primary keys for table %s are not allowed",
                       rp_relname(r, &t->rel));
        return false;
    }
    const char *name = sql_get_str(n, "conname");
    if (name && (!name_free(r, t, name))) {
        return false;
    }
    if (name && cat_rel_get(r->c, t->rel.schema, name)) {
        rp_conflict_name(r, r->s->start, name, "relation %s already exists",
                         rp_qname(r, t->rel.schema, name));
        return false;
    }
    cat_constraint *con = constraint_new(r, type);
    index_spec spec = {0};
    spec.name = name;
    spec.keys = arena_calloc(r->c->a, ncols ? ncols : 1, sizeof *spec.keys);
    for (size_t i = 0; i < ncols; i++)
        spec.keys[i].column = cols[i]->name;
    spec.nkeys = ncols;
    size_t ninc;
    spec.include = NULL;
    const cJSON *item;
    ninc = (size_t)cJSON_GetArraySize(sql_get(n, "including"));
    spec.include = arena_calloc(r->c->a, ninc ? ninc : 1, sizeof *spec.include);
    cJSON_ArrayForEach(item, sql_get(n, "including"))
    {
        spec.include[spec.ninclude++] = sql_string_value(item);
    }
    spec.method = sql_get_str(n, "access_method");
    spec.unique = true;
    spec.primary = type == CAT_CON_PRIMARY;
    spec.label = spec.primary ? "pkey" : "key";
    cat_index *ix = index_build(r, t, &spec, con);
    if (!ix)
        return false;
    con->name = ix->rel.name;
    con->index = ix;
    con->columns = cols;
    con->ncolumns = ncols;
    if (spec.primary)
        for (size_t i = 0; i < ncols; i++)
            cols[i]->not_null = true;
    cat_constraint_attach(r->c, t, con);
    index_recurse(r, t, ix);
    return true;
}

static bool add_exclusion(replay *r, cat_table *t, const cJSON *n)
{
    const char *name = sql_get_str(n, "conname");
    if (name && !name_free(r, t, name))
        return false;
    index_spec spec = {0};
    spec.name = name;
    int count = cJSON_GetArraySize(sql_get(n, "exclusions"));
    spec.keys = arena_calloc(r->c->a, count ? (size_t)count : 1, sizeof *spec.keys);
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(n, "exclusions"))
    {
        const cJSON *pair = sql_get(sql_get(item, "List"), "items");
        const cJSON *el = sql_get(cJSON_GetArrayItem(pair, 0), "IndexElem");
        spec.keys[spec.nkeys].column = sql_get_str(el, "name");
        spec.keys[spec.nkeys].expr = sql_get(el, "expr");
        spec.nkeys++;
    }
    spec.where = sql_get(n, "where_clause");
    spec.method = sql_get_str(n, "access_method");
    if (!spec.method)
        spec.method = "btree";
    spec.label = "excl";
    cat_constraint *con = constraint_new(r, CAT_CON_EXCLUSION);
    cat_index *ix = index_build(r, t, &spec, con);
    if (!ix)
        return false;
    con->name = ix->rel.name;
    con->index = ix;
    for (size_t i = 0; i < ix->nkeys; i++)
        if (ix->keys[i].column)
            CAT_PUSH(r->c->a, con->columns, con->ncolumns, ix->keys[i].column);
    cat_constraint_attach(r->c, t, con);
    return true;
}

/* The unique index a foreign key relies on: same columns, in any order,
 * without expressions or predicate (transformFkeyCheckAttrs()). */
static cat_index *unique_index_for(const cat_table *ref, cat_column **cols, size_t n)
{
    for (size_t i = 0; i < ref->nindexes; i++) {
        cat_index *ix = ref->indexes[i];
        if (!ix->unique || ix->where || ix->nkeys != n)
            continue;
        bool match = true;
        for (size_t k = 0; k < n && match; k++) {
            bool found = false;
            for (size_t j = 0; j < n && !found; j++)
                found = ix->keys[j].column == cols[k];
            match = found;
        }
        if (match)
            return ix;
    }
    return NULL;
}

/* InnoDB needs an index that starts with a foreign key's columns, and
 * creates one named after the constraint when the table has none. */
static void mysql_fk_index(replay *r, cat_table *t, const cat_constraint *con)
{
    for (size_t i = 0; i < t->nindexes; i++) {
        const cat_index *ix = t->indexes[i];
        size_t k = 0;
        while (k < con->ncolumns && k < ix->nkeys && ix->keys[k].column == con->columns[k])
            k++;
        if (k == con->ncolumns)
            return;
    }
    key_spec *keys = arena_calloc(r->c->a, con->ncolumns ? con->ncolumns : 1, sizeof *keys);
    for (size_t k = 0; k < con->ncolumns; k++)
        keys[k].column = con->columns[k]->name;
    index_spec spec = {.name = con->name,
                       .keys = keys,
                       .nkeys = con->ncolumns,
                       .method = "btree",
                       .label = "idx",
                       .innodb_fk = true};
    if (!cat_rel_get(r->c, t->rel.schema, con->name))
        index_build(r, t, &spec, NULL);
}

static bool add_foreign(replay *r, cat_table *t, const cJSON *n, const char *colname, bool creating)
{
    const cJSON *rv = sql_get(n, "pktable");
    cat_table *ref = cat_table_get(r->c, rv_schema(rv), rv_name(rv));
    if (!ref) {
        /* Open world: the target may exist outside the migrations (Supabase's
         * auth.users, a vendor schema). Say so, and keep the table and its
         * columns; only the foreign key, which the model cannot point
         * anywhere, is left out. */
        rp_conflict_at(r, sql_location(rv), "table %s does not exist",
                       rp_qname(r, rv_schema(rv), rv_name(rv)));
        return true;
    }
    if (ref->rel.kind == CAT_VIEW || ref->rel.kind == CAT_MATVIEW) {
        rp_conflict_at(r, sql_location(rv), "referenced relation %s is not a table",
                       rp_qname(r, rv_schema(rv), rv_name(rv)));
        return false;
    }
    cat_column **cols, **refcols;
    size_t ncols, nref;
    if (!key_columns(r, t, sql_get(n, "fk_attrs"), colname, &cols, &ncols))
        return false;
    if (sql_get(n, "pk_attrs")) {
        if (!key_columns(r, ref, sql_get(n, "pk_attrs"), NULL, &refcols, &nref))
            return false;
    } else {
        cat_constraint *pk = find_primary(ref);
        if (!pk) {
            rp_conflict_at(r, sql_location(rv), "there is no primary key for referenced table %s",
                           rp_relname(r, &ref->rel));
            return false;
        }
        refcols = pk->columns;
        nref = pk->ncolumns;
    }
    if (ncols != nref) {
        rp_conflict_at(r, sql_location(n),
                       "number of referencing and referenced columns for foreign key disagree");
        return false;
    }
    cat_index *ref_index = unique_index_for(ref, refcols, nref);
    /* InnoDB takes any index that starts with the referenced columns. */
    if (!ref_index && !sql_get_bool(n, "mysqlForeignKey")) {
        rp_conflict_at(r, sql_location(rv),
                       "there is no unique constraint matching given keys for referenced table %s",
                       rp_relname(r, &ref->rel));
        return false;
    }
    const char *name = sql_get_str(n, "conname");
    if (name && !name_free(r, t, name))
        return false;
    cat_constraint *con = constraint_new(r, CAT_CON_FOREIGN);
    con->name = name ? arena_strdup(r->c->a, name)
                     : cat_choose_constraint_name(
                           r->c, t->rel.schema, t->rel.name,
                           cat_name_addition(r->c->a, column_names(r, cols, ncols), ncols), "fkey");
    con->columns = cols;
    con->ncolumns = ncols;
    con->ref_table = ref;
    con->ref_index = ref_index;
    con->ref_columns = refcols;
    con->nref_columns = nref;
    const char *del = sql_get_str(n, "fk_del_action"), *upd = sql_get_str(n, "fk_upd_action");
    con->on_delete = del && del[0] ? del[0] : 'a';
    con->on_update = upd && upd[0] ? upd[0] : 'a';
    con->validated = creating || !sql_get_bool(n, "skip_validation");
    cat_constraint_attach(r->c, t, con);
    if (sql_get_bool(n, "mysqlForeignKey"))
        mysql_fk_index(r, t, con);
    /* Partitions get the same foreign key, under the same name when free. */
    for (size_t i = 0; t->rel.kind == CAT_PARTITIONED_TABLE && i < r->c->ntables; i++) {
        cat_table *part = r->c->tables[i];
        if (part->parent != t)
            continue;
        table_clone_constraint(r, part, con);
    }
    return true;
}

void table_clone_constraint(replay *r, cat_table *part, const cat_constraint *src)
{
    cat_constraint *con = arena_calloc(r->c->a, 1, sizeof *con);
    *con = *src;
    con->fact = NULL;
    con->columns = NULL;
    con->ncolumns = 0;
    for (size_t i = 0; i < src->ncolumns; i++) {
        cat_column *col = cat_column_find(part, src->columns[i]->name);
        if (col)
            CAT_PUSH(r->c->a, con->columns, con->ncolumns, col);
    }
    if (cat_constraint_find(part, con->name)) {
        if (src->type != CAT_CON_FOREIGN)
            return; /* an inherited CHECK merges with the partition's own */
        con->name = cat_choose_constraint_name(
            r->c, part->rel.schema, part->rel.name,
            cat_name_addition(r->c->a, column_names(r, con->columns, con->ncolumns), con->ncolumns),
            "fkey");
    }
    cat_constraint_attach(r->c, part, con);
    if (part->rel.kind == CAT_PARTITIONED_TABLE)
        for (size_t i = 0; i < r->c->ntables; i++)
            if (r->c->tables[i]->parent == part)
                table_clone_constraint(r, r->c->tables[i], con);
}

bool table_add_constraint(replay *r, cat_table *t, const cJSON *n, const char *colname,
                          bool creating)
{
    const char *ct = sql_get_str(n, "contype");
    if (!ct)
        return true;
    if (!strcmp(ct, "CONSTR_CHECK")) {
        if (!add_check(r, t, n, creating))
            return false;
        cat_constraint *con = t->constraints[t->nconstraints - 1];
        if (t->rel.kind == CAT_PARTITIONED_TABLE && !con->no_inherit)
            for (size_t i = 0; i < r->c->ntables; i++)
                if (r->c->tables[i]->parent == t)
                    table_clone_constraint(r, r->c->tables[i], con);
        return true;
    }
    if (!strcmp(ct, "CONSTR_PRIMARY"))
        return add_unique(r, t, n, colname, CAT_CON_PRIMARY);
    if (!strcmp(ct, "CONSTR_UNIQUE"))
        return add_unique(r, t, n, colname, CAT_CON_UNIQUE);
    if (!strcmp(ct, "CONSTR_FOREIGN"))
        return add_foreign(r, t, n, colname, creating);
    if (!strcmp(ct, "CONSTR_EXCLUSION"))
        return add_exclusion(r, t, n);
    return true;
}
