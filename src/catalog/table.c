/* table.c - CREATE TABLE (with PARTITION OF, INHERITS and LIKE) and CREATE
 * TABLE AS. Constraints are added in PostgreSQL's order, which decides the
 * generated names: CHECKs, then the primary key, then UNIQUE / EXCLUDE, then
 * foreign keys, each group in the order the statement lists them. */
#include "internal.h"

#include <string.h>

enum {
    LIKE_CONSTRAINTS = 1 << 2,
    LIKE_DEFAULTS = 1 << 3,
    LIKE_GENERATED = 1 << 4,
    LIKE_IDENTITY = 1 << 5,
    LIKE_INDEXES = 1 << 6,
};

void table_discard(catalog *c, cat_table *t)
{
    dropset d;
    drop_init(&d, c, true);
    drop_add(&d, V_REL, t, NULL);
    drop_execute(&d);
    drop_done(&d);
}

static cat_column *copy_column(replay *r, cat_table *t, const cat_column *src, int like_options)
{
    cat_column *col = cat_column_add(r->c, t, src->name);
    col->origin = r->origin;
    col->type = src->type;
    col->type_label = src->type_label;
    col->user_type = src->user_type;
    col->array = src->array;
    col->collation = src->collation;
    col->not_null = src->not_null;
    if (like_options & LIKE_DEFAULTS) {
        col->default_expr = src->default_expr;
        col->default_volatile = src->default_volatile;
        col->serial = src->serial;
        cat_ref_note(r->c, col->serial, &t->rel);
    }
    if (like_options & LIKE_GENERATED)
        col->generated = src->generated;
    if ((like_options & LIKE_IDENTITY) && src->identity)
        column_add_identity(r, t, col, src->identity);
    return col;
}

/* PARTITION OF and INHERITS: the parent's columns, defaults and CHECKs. */
static void inherit(replay *r, cat_table *child, cat_table *parent)
{
    child->parent = parent;
    cat_ref_note(r->c, parent, &child->rel);
    for (size_t i = 0; i < parent->ncolumns; i++)
        copy_column(r, child, parent->columns[i], LIKE_DEFAULTS | LIKE_GENERATED);
    for (size_t i = 0; i < parent->nconstraints; i++) {
        const cat_constraint *con = parent->constraints[i];
        if (con->type == CAT_CON_CHECK && !con->no_inherit)
            table_clone_constraint(r, child, con);
    }
}

static bool same_foreign_key(const cat_constraint *a, const cat_constraint *b)
{
    if (a->type != CAT_CON_FOREIGN || a->ref_table != b->ref_table || a->ncolumns != b->ncolumns)
        return false;
    for (size_t i = 0; i < a->ncolumns; i++)
        if (strcmp(a->columns[i]->name, b->columns[i]->name) != 0)
            return false;
    return true;
}

void partition_clone(replay *r, cat_table *part, cat_table *parent)
{
    for (size_t i = 0; i < parent->nindexes; i++)
        index_clone_to_partition(r, part, parent->indexes[i]);
    for (size_t i = 0; i < parent->nconstraints; i++) {
        const cat_constraint *con = parent->constraints[i];
        if (con->type != CAT_CON_FOREIGN)
            continue;
        bool have = false;
        for (size_t j = 0; j < part->nconstraints && !have; j++)
            have = same_foreign_key(part->constraints[j], con);
        if (!have)
            table_clone_constraint(r, part, con);
    }
}

/* LIKE source INCLUDING ...: CHECKs and indexes come after the table's own. */
static void like_extras(replay *r, cat_table *t, const cat_table *src, int options)
{
    if (options & LIKE_CONSTRAINTS)
        for (size_t i = 0; i < src->nconstraints; i++)
            if (src->constraints[i]->type == CAT_CON_CHECK)
                table_clone_constraint(r, t, src->constraints[i]);
    if (!(options & LIKE_INDEXES))
        return;
    for (size_t i = 0; i < src->nindexes; i++) {
        const cat_index *ix = src->indexes[i];
        index_spec spec = {0};
        spec.keys = arena_calloc(r->c->a, ix->nkeys ? ix->nkeys : 1, sizeof *spec.keys);
        for (size_t k = 0; k < ix->nkeys; k++) {
            spec.keys[k].column = ix->keys[k].column ? ix->keys[k].column->name : NULL;
            spec.keys[k].expr_text = ix->keys[k].expr;
        }
        spec.nkeys = ix->nkeys;
        spec.method = ix->method;
        spec.unique = ix->unique;
        spec.primary = ix->primary;
        spec.label = ix->primary ? "pkey" : ix->constraint ? "key" : "idx";
        cat_constraint *con = NULL;
        if (ix->constraint) {
            con = arena_calloc(r->c->a, 1, sizeof *con);
            *con = *ix->constraint;
            con->origin = r->origin;
            con->columns = NULL;
            con->ncolumns = 0;
        }
        cat_index *nix = index_build(r, t, &spec, con);
        if (!nix)
            continue;
        nix->where = ix->where;
        if (con) {
            con->name = nix->rel.name;
            con->index = nix;
            for (size_t k = 0; k < nix->nkeys; k++)
                if (nix->keys[k].column)
                    CAT_PUSH(r->c->a, con->columns, con->ncolumns, nix->keys[k].column);
            cat_constraint_attach(r->c, t, con);
        }
    }
}

typedef struct pending {
    const cJSON *con; /* Constraint */
    const char *colname;
    const char *contype; /* its contype, read once: the passes below ask five times */
} pending;

static pending pending_of(const cJSON *con, const char *colname)
{
    pending p = {con, colname, sql_get_str(con, "contype")};
    return p;
}

typedef struct create_ctx {
    pending *cons;
    size_t ncons;
    const cat_table **likes;
    int *like_options;
    size_t nlikes;
} create_ctx;

static bool add_like(replay *r, cat_table *t, create_ctx *x, const cJSON *like)
{
    const cJSON *rv = sql_get(like, "relation");
    cat_table *src = cat_table_get(r->c, rv_schema(rv), rv_name(rv));
    if (!src) {
        /* Open world: the table keeps the columns it declares itself. */
        rp_conflict_at(r, sql_location(rv), "table %s does not exist",
                       rp_qname(r, rv_schema(rv), rv_name(rv)));
        return true;
    }
    int options = sql_get_int(like, "options", 0);
    for (size_t i = 0; i < src->ncolumns; i++) {
        if (cat_column_find(t, src->columns[i]->name)) {
            rp_conflict_at(r, sql_location(rv), "column %s specified more than once",
                           src->columns[i]->name);
            return false;
        }
        copy_column(r, t, src->columns[i], options);
    }
    size_t n = x->nlikes;
    CAT_PUSH(r->c->a, x->likes, x->nlikes, src);
    x->like_options = cat_grow(r->c->a, x->like_options, n, sizeof *x->like_options);
    x->like_options[n] = options;
    return true;
}

/* A ColumnDef in PARTITION OF (...) adds defaults and constraints to an
 * inherited column. */
static void partition_column_options(replay *r, cat_table *t, const cJSON *def, create_ctx *x)
{
    cat_column *col = cat_column_find(t, sql_get_str(def, "colname"));
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(def, "constraints"))
    {
        const cJSON *con = sql_get(item, "Constraint");
        const char *ct = sql_get_str(con, "contype");
        if (!col || !ct)
            continue;
        if (!strcmp(ct, "CONSTR_NOTNULL")) {
            col->not_null = true;
        } else if (!strcmp(ct, "CONSTR_DEFAULT")) {
            cat_typeinfo ti = column_typeinfo(r, col);
            column_set_default(r, col, sql_get(con, "raw_expr"), &ti);
            cat_ref_note(r->c, col->serial, &t->rel);
        } else {
            pending p = pending_of(con, col->name);
            CAT_PUSH(r->c->a, x->cons, x->ncons, p);
        }
    }
}

static bool add_elements(replay *r, cat_table *t, create_ctx *x, bool partition)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(r->s->node, "tableElts"))
    {
        cJSON *e;
        const char *kind = sql_node_kind(item, &e);
        if (!kind)
            continue;
        if (!strcmp(kind, "ColumnDef") && partition) {
            partition_column_options(r, t, e, x);
        } else if (!strcmp(kind, "ColumnDef")) {
            cat_column *col = table_add_column(r, t, e, true);
            if (!col)
                return false;
            const cJSON *c;
            cJSON_ArrayForEach(c, sql_get(e, "constraints"))
            {
                pending p = pending_of(sql_get(c, "Constraint"), col->name);
                CAT_PUSH(r->c->a, x->cons, x->ncons, p);
            }
        } else if (!strcmp(kind, "Constraint")) {
            pending p = pending_of(e, NULL);
            CAT_PUSH(r->c->a, x->cons, x->ncons, p);
        } else if (!strcmp(kind, "TableLikeClause")) {
            if (!add_like(r, t, x, e))
                return false;
        }
    }
    return true;
}

static bool is_type(const pending *p, const char *contype)
{
    return p->contype && !strcmp(p->contype, contype);
}

/* UNIQUE constraints on the primary key's columns (or repeated) add no index. */
static bool redundant_unique(const cat_table *t, const pending *p)
{
    const cJSON *keys = sql_get(p->con, "keys");
    size_t n = p->colname ? 1 : (size_t)cJSON_GetArraySize(keys);
    if (sql_get_str(p->con, "conname") || sql_get(p->con, "including"))
        return false;
    for (size_t i = 0; i < t->nindexes; i++) {
        const cat_index *ix = t->indexes[i];
        if (!ix->constraint || ix->nkeys != n || ix->ninclude || ix->where)
            continue;
        bool same = true;
        for (size_t k = 0; k < n && same; k++) {
            const char *name =
                p->colname ? p->colname : sql_string_value(cJSON_GetArrayItem(keys, (int)k));
            same = ix->keys[k].column && name && !strcmp(ix->keys[k].column->name, name);
        }
        if (same)
            return true;
    }
    return false;
}

static bool add_constraints(replay *r, cat_table *t, create_ctx *x)
{
    for (size_t i = 0; i < x->ncons; i++)
        if (is_type(&x->cons[i], "CONSTR_CHECK") &&
            !table_add_constraint(r, t, x->cons[i].con, x->cons[i].colname, true))
            return false;
    for (size_t i = 0; i < x->ncons; i++)
        if (is_type(&x->cons[i], "CONSTR_PRIMARY") &&
            !table_add_constraint(r, t, x->cons[i].con, x->cons[i].colname, true))
            return false;
    for (size_t i = 0; i < x->ncons; i++) {
        bool unique = is_type(&x->cons[i], "CONSTR_UNIQUE");
        if (unique && redundant_unique(t, &x->cons[i]))
            continue;
        if ((unique || is_type(&x->cons[i], "CONSTR_EXCLUSION")) &&
            !table_add_constraint(r, t, x->cons[i].con, x->cons[i].colname, true))
            return false;
    }
    for (size_t i = 0; i < x->nlikes; i++)
        like_extras(r, t, x->likes[i], x->like_options[i]);
    for (size_t i = 0; i < x->ncons; i++)
        if (is_type(&x->cons[i], "CONSTR_FOREIGN") &&
            !table_add_constraint(r, t, x->cons[i].con, x->cons[i].colname, true))
            return false;
    return true;
}

/* The parent of PARTITION OF or INHERITS; NULL after a conflict, with
 * *unknown set when the catalog has no relation of that name at all. */
static cat_table *parent_of(replay *r, const cJSON *n, bool partition, bool *unknown)
{
    const cJSON *rv = cJSON_GetArrayItem(sql_get(n, "inhRelations"), 0);
    *unknown = false;
    if (!rv)
        return NULL;
    const cJSON *inner = sql_get(rv, "RangeVar");
    cat_table *p = cat_table_get(r->c, rv_schema(inner), rv_name(inner));
    *unknown = !p && !cat_rel_get(r->c, rv_schema(inner), rv_name(inner));
    if (!p || p->rel.kind == CAT_VIEW || p->rel.kind == CAT_MATVIEW) {
        rp_conflict_at(r, sql_location(inner), "table %s does not exist",
                       rp_qname(r, rv_schema(inner), rv_name(inner)));
        return NULL;
    }
    if (partition && p->rel.kind != CAT_PARTITIONED_TABLE) {
        rp_conflict_at(r, sql_location(inner), "table %s is not partitioned",
                       rp_relname(r, &p->rel));
        return NULL;
    }
    return p;
}

/* "range", "list" or "hash": libpg_query 17 writes the enum name
 * (PARTITION_STRATEGY_RANGE), 15 wrote the word itself. */
static const char *partition_strategy(const cJSON *spec)
{
    const char *s = sql_get_str(spec, "strategy");
    if (!s)
        return "range";
    if (!strcmp(s, "PARTITION_STRATEGY_LIST"))
        return "list";
    if (!strcmp(s, "PARTITION_STRATEGY_HASH"))
        return "hash";
    if (!strcmp(s, "PARTITION_STRATEGY_RANGE"))
        return "range";
    return s;
}

static const char *partition_key(replay *r, const cJSON *spec)
{
    strbuf b = STRBUF_INIT;
    strbuf_printf(&b, "%s (", partition_strategy(spec));
    size_t n;
    key_spec *keys = index_elems(r, sql_get(spec, "partParams"), &n);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_puts(&b, ", ");
        strbuf_puts(&b, keys[i].column ? cat_quote_ident(r->c, keys[i].column)
                                       : cat_deparse(r, keys[i].expr));
    }
    strbuf_putc(&b, ')');
    const char *out = arena_strdup(r->c->a, b.data);
    strbuf_free(&b);
    return out;
}

void rp_create_table(replay *r)
{
    const cJSON *n = r->s->node, *rv = sql_get(n, "relation");
    const char *schema = rv_create_schema(r, rv), *name = rv_name(rv);
    if (!schema_exists(r, schema, sql_location(rv)) ||
        !rel_name_free(r, schema, name, sql_location(rv), sql_get_bool(n, "if_not_exists")))
        return;
    bool partition = sql_get(n, "partbound") != NULL;
    bool unknown;
    cat_table *parent = parent_of(r, n, partition, &unknown);
    /* INHERITS from a table the migrations never built (open world): the
     * child keeps its own columns. A partition has none of its own. */
    if (sql_get(n, "inhRelations") && !parent && (partition || !unknown))
        return;
    const cJSON *spec = sql_get(n, "partspec");
    cat_table *t = cat_table_new(r->c, spec ? CAT_PARTITIONED_TABLE : CAT_TABLE, schema, name);
    t->rel.origin = r->origin;
    if (spec)
        t->partition_by = partition_key(r, spec);
    table_register(r->c, t);
    if (parent)
        inherit(r, t, parent);
    create_ctx x = {0};
    if (!add_elements(r, t, &x, partition) || !add_constraints(r, t, &x)) {
        table_discard(r->c, t);
        return;
    }
    if (parent && partition)
        partition_clone(r, t, parent);
}

void rp_create_table_as(replay *r)
{
    const cJSON *n = r->s->node, *into = sql_get(n, "into"), *rv = sql_get(into, "rel");
    const char *objtype = sql_get_str(n, "objtype");
    bool matview = objtype && !strcmp(objtype, "OBJECT_MATVIEW");
    const char *schema = rv_create_schema(r, rv), *name = rv_name(rv);
    if (!schema_exists(r, schema, sql_location(rv)) ||
        !rel_name_free(r, schema, name, sql_location(rv), sql_get_bool(n, "if_not_exists")))
        return;
    cat_table *t = cat_table_new(r->c, matview ? CAT_MATVIEW : CAT_TABLE, schema, name);
    t->rel.origin = r->origin;
    if (!view_analyze(r, t, sql_get(n, "query"), sql_get(into, "colNames")))
        return;
    if (!matview) {
        t->nreads = 0; /* a table made from a query keeps no link to it */
        t->reads = NULL;
    }
    table_register(r->c, t);
}

/* LOCK TABLE of a relation that does not exist fails, and with it the
 * migration's transaction (hatchet's LOCK of a table no migration creates:
 * F22). Locking creates nothing, so the conflict is all there is to do. */
void rp_lock(replay *r)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(r->s->node, "relations"))
    {
        const cJSON *rv = sql_get(item, "RangeVar");
        if (rv && !cat_rel_get(r->c, rv_schema(rv), rv_name(rv))) {
            rp_conflict_at(r, sql_location(rv), "table %s does not exist",
                           rp_qname(r, rv_schema(rv), rv_name(rv)));
            return;
        }
    }
}
