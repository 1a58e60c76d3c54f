/* view.c - what a view's query reads and which columns it outputs.
 *
 * PostgreSQL records a dependency from a view on every relation in its
 * range table and every column its query references (a `*` is expanded when
 * the view is created). This walks the SELECT the same way: FROM items
 * (tables, views, subqueries, CTEs, joins) make a scope, column references
 * resolve against it (then the enclosing query's, for correlated
 * subqueries), and each hit on a real relation is recorded as a read. */
#include "internal.h"

#include <string.h>

typedef struct vcol {
    const char *name;
    const char *type; /* NULL when not inferred */
    cat_table *rel;   /* the relation the value comes from, if a plain column */
    cat_column *col;
} vcol;

typedef struct vlist {
    vcol *items;
    size_t n;
} vlist;

typedef struct from_item {
    const char *alias;
    cat_table *rel; /* a base relation (table, view, matview) or NULL */
    vlist cols;
} from_item;

typedef struct cte {
    const char *name;
    vlist cols;
} cte;

typedef struct scope {
    struct scope *parent;
    from_item *items;
    size_t nitems;
    cte *ctes;
    size_t nctes;
} scope;

typedef struct vctx {
    replay *r;
    cat_table *view;
    bool failed;  /* the view cannot be built */
    bool unknown; /* it reads a relation the catalog lacks (reported once) */
} vctx;

static vlist select_columns(vctx *x, const cJSON *s, scope *parent);

/* A wrapped {"SelectStmt": {...}} node. */
static vlist query_columns(vctx *x, const cJSON *select, scope *parent)
{
    return select_columns(x, sql_get(select, "SelectStmt"), parent);
}
static void walk_expr(vctx *x, const cJSON *node, scope *sc);

static void add_read(vctx *x, cat_table *rel, cat_column *col)
{
    cat_table *v = x->view;
    for (size_t i = 0; i < v->nreads; i++)
        if (v->reads[i].rel == rel && v->reads[i].column == col)
            return;
    cat_read rd = {rel, col};
    CAT_PUSH(x->r->c->a, v->reads, v->nreads, rd);
    cat_ref_note(x->r->c, rel, &v->rel);
}

static void vlist_push(vctx *x, vlist *l, vcol c)
{
    CAT_PUSH(x->r->c->a, l->items, l->n, c);
}

static vlist rel_columns(vctx *x, cat_table *rel)
{
    vlist l = {0};
    for (size_t i = 0; i < rel->ncolumns; i++) {
        vcol c = {rel->columns[i]->name, rel->columns[i]->type, rel, rel->columns[i]};
        vlist_push(x, &l, c);
    }
    return l;
}

/* alias (a, b, c) renames the first columns of a FROM item. */
static void apply_alias_columns(const cJSON *alias, vlist *cols)
{
    const cJSON *names = sql_get(alias, "colnames"), *item;
    size_t i = 0;
    cJSON_ArrayForEach(item, names)
    {
        if (i < cols->n && sql_string_value(item))
            cols->items[i].name = sql_string_value(item);
        i++;
    }
}

static const cte *find_cte(const scope *sc, const char *name)
{
    for (; sc; sc = sc->parent)
        for (size_t i = sc->nctes; i-- > 0;)
            if (!strcmp(sc->ctes[i].name, name))
                return &sc->ctes[i];
    return NULL;
}

static void push_item(vctx *x, scope *sc, from_item item)
{
    CAT_PUSH(x->r->c->a, sc->items, sc->nitems, item);
}

static void add_from(vctx *x, scope *sc, const cJSON *node);

static void add_rangevar(vctx *x, scope *sc, const cJSON *rv)
{
    const char *schema = rv_schema(rv), *name = rv_name(rv);
    const cJSON *alias = sql_get(rv, "alias");
    const char *aliasname = alias ? sql_get_str(alias, "aliasname") : name;
    const cte *c = schema ? NULL : find_cte(sc, name);
    from_item item = {aliasname, NULL, {0}};
    if (c) {
        item.cols = c->cols;
    } else {
        cat_table *t = cat_table_get(x->r->c, schema, name);
        if (!t) {
            /* Open world: a relation from outside the migrations (a platform
             * table, a function's result) does not stop the view from being
             * built; its columns are simply not known. */
            if (!x->unknown)
                rp_conflict_at(x->r, sql_location(rv), "table %s does not exist",
                               rp_qname(x->r, schema, name));
            x->unknown = true;
            push_item(x, sc, item);
            return;
        }
        add_read(x, t, NULL);
        item.rel = t;
        item.cols = rel_columns(x, t);
    }
    apply_alias_columns(alias, &item.cols);
    push_item(x, sc, item);
}

static void add_join(vctx *x, scope *sc, const cJSON *j)
{
    add_from(x, sc, sql_get(j, "larg"));
    add_from(x, sc, sql_get(j, "rarg"));
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(j, "usingClause"))
    {
        /* USING (id) reads id on both sides. */
        const char *name = sql_string_value(item);
        for (size_t i = 0; name && i < sc->nitems; i++)
            for (size_t k = 0; k < sc->items[i].cols.n; k++) {
                vcol *c = &sc->items[i].cols.items[k];
                if (c->rel && c->col && !strcmp(c->name, name))
                    add_read(x, c->rel, c->col);
            }
    }
    walk_expr(x, sql_get(j, "quals"), sc);
}

static void add_from(vctx *x, scope *sc, const cJSON *node)
{
    cJSON *e;
    const char *kind = sql_node_kind(node, &e);
    if (!kind || x->failed)
        return;
    if (!strcmp(kind, "RangeVar")) {
        add_rangevar(x, sc, e);
    } else if (!strcmp(kind, "JoinExpr")) {
        add_join(x, sc, e);
    } else if (!strcmp(kind, "RangeSubselect")) {
        const cJSON *alias = sql_get(e, "alias");
        from_item item = {sql_get_str(alias, "aliasname"), NULL, {0}};
        item.cols =
            query_columns(x, sql_get(e, "subquery"), sql_get_bool(e, "lateral") ? sc : sc->parent);
        apply_alias_columns(alias, &item.cols);
        push_item(x, sc, item);
    } else if (!strcmp(kind, "RangeFunction")) {
        const cJSON *alias = sql_get(e, "alias");
        from_item item = {sql_get_str(alias, "aliasname"), NULL, {0}};
        walk_expr(x, sql_get(e, "functions"), sc);
        const cJSON *name;
        cJSON_ArrayForEach(name, sql_get(alias, "colnames"))
        {
            vcol c = {sql_string_value(name), NULL, NULL, NULL};
            vlist_push(x, &item.cols, c);
        }
        if (!item.cols.n && item.alias) {
            vcol c = {item.alias, NULL, NULL, NULL};
            vlist_push(x, &item.cols, c);
        }
        push_item(x, sc, item);
    }
}

static const vcol *find_in_item(const from_item *it, const char *name)
{
    for (size_t k = 0; k < it->cols.n; k++)
        if (it->cols.items[k].name && !strcmp(it->cols.items[k].name, name))
            return &it->cols.items[k];
    return NULL;
}

static bool item_named(const from_item *it, const char *schema, const char *alias)
{
    if (!it->alias || strcmp(it->alias, alias) != 0)
        return false;
    return !schema || (it->rel && !strcmp(it->rel->rel.schema, schema));
}

/* Resolves a column reference; records a read when it hits a relation. */
static const vcol *resolve(vctx *x, const cJSON *fields, scope *sc)
{
    int n = cJSON_GetArraySize(fields);
    const char *last = sql_string_value(cJSON_GetArrayItem(fields, n - 1));
    if (!last)
        return NULL; /* a star: expanded by the target list */
    const char *qual = n >= 2 ? sql_string_value(cJSON_GetArrayItem(fields, n - 2)) : NULL;
    const char *schema = n >= 3 ? sql_string_value(cJSON_GetArrayItem(fields, n - 3)) : NULL;
    for (scope *s = sc; s; s = s->parent) {
        for (size_t i = 0; i < s->nitems; i++) {
            const from_item *it = &s->items[i];
            if (qual && !item_named(it, schema, qual))
                continue;
            const vcol *c = find_in_item(it, last);
            if (c) {
                if (c->rel && c->col)
                    add_read(x, c->rel, c->col);
                return c;
            }
        }
    }
    return NULL;
}

static void expand_star(vctx *x, const cJSON *fields, scope *sc, vlist *out)
{
    int n = cJSON_GetArraySize(fields);
    const char *qual = n >= 2 ? sql_string_value(cJSON_GetArrayItem(fields, n - 2)) : NULL;
    for (size_t i = 0; i < sc->nitems; i++) {
        const from_item *it = &sc->items[i];
        if (qual && !item_named(it, NULL, qual))
            continue;
        for (size_t k = 0; k < it->cols.n; k++) {
            const vcol *c = &it->cols.items[k];
            if (c->rel && c->col)
                add_read(x, c->rel, c->col);
            vlist_push(x, out, *c);
        }
    }
}

static void walk_expr(vctx *x, const cJSON *node, scope *sc)
{
    if (!node || x->failed)
        return;
    if (cJSON_IsObject(node) && node->string) {
        if (!strcmp(node->string, "ColumnRef")) {
            resolve(x, sql_get(node, "fields"), sc);
            return;
        }
        if (!strcmp(node->string, "SubLink")) {
            walk_expr(x, sql_get(node, "testexpr"), sc);
            query_columns(x, sql_get(node, "subselect"), sc);
            return;
        }
    }
    for (const cJSON *c = node->child; c; c = c->next)
        walk_expr(x, c, sc);
}

static const char *infer_type(vctx *x, const cJSON *node, scope *sc)
{
    cJSON *e;
    const char *kind = sql_node_kind(node, &e);
    if (!kind)
        return NULL;
    if (!strcmp(kind, "ColumnRef")) {
        const vcol *c = resolve(x, sql_get(e, "fields"), sc);
        return c ? c->type : NULL;
    }
    if (!strcmp(kind, "TypeCast")) {
        cat_typeinfo t;
        replay quiet = *x->r;
        quiet.conflict = NULL;
        return cat_type_resolve(&quiet, sql_get(e, "typeName"), &t) ? t.text : NULL;
    }
    if (!strcmp(kind, "A_Const")) {
        if (sql_get(e, "ival"))
            return "integer";
        if (sql_get(e, "sval"))
            return "text";
        if (sql_get(e, "boolval"))
            return "boolean";
        return sql_get(e, "fval") ? "numeric" : NULL;
    }
    if (!strcmp(kind, "NullTest") || !strcmp(kind, "BooleanTest") || !strcmp(kind, "BoolExpr"))
        return "boolean";
    if (!strcmp(kind, "FuncCall")) {
        const cJSON *names = sql_get(e, "funcname");
        const char *f = sql_string_value(cJSON_GetArrayItem(names, cJSON_GetArraySize(names) - 1));
        if (f && !strcmp(f, "count"))
            return "bigint";
        if (f && (!strcmp(f, "lower") || !strcmp(f, "upper") || !strcmp(f, "concat")))
            return "text";
        if (f && !strcmp(f, "now"))
            return "timestamp with time zone";
        return NULL;
    }
    if (!strcmp(kind, "CoalesceExpr"))
        return infer_type(x, cJSON_GetArrayItem(sql_get(e, "args"), 0), sc);
    return NULL;
}

static void cte_aliases(const cJSON *c, vlist *cols)
{
    const cJSON *nm;
    size_t i = 0;
    cJSON_ArrayForEach(nm, sql_get(c, "aliascolnames"))
    {
        if (i < cols->n)
            cols->items[i].name = sql_string_value(nm);
        i++;
    }
}

static void add_ctes(vctx *x, const cJSON *with, scope *sc)
{
    const cJSON *item;
    bool recursive = sql_get_bool(with, "recursive");
    cJSON_ArrayForEach(item, sql_get(with, "ctes"))
    {
        const cJSON *c = sql_get(item, "CommonTableExpr");
        cte entry = {sql_get_str(c, "ctename"), {0}};
        if (!entry.name)
            continue;
        const cJSON *query = sql_get(c, "ctequery");
        const cJSON *larg = sql_get(sql_get(query, "SelectStmt"), "larg");
        if (recursive && larg) {
            /* WITH RECURSIVE q AS (base UNION ALL ... FROM q): the
             * recursive arm reads q, whose columns are the base's. */
            entry.cols = select_columns(x, larg, sc);
            cte_aliases(c, &entry.cols);
            CAT_PUSH(x->r->c->a, sc->ctes, sc->nctes, entry);
            sc->ctes[sc->nctes - 1].cols = query_columns(x, query, sc);
            cte_aliases(c, &sc->ctes[sc->nctes - 1].cols);
            continue;
        }
        entry.cols = query_columns(x, query, sc);
        cte_aliases(c, &entry.cols);
        CAT_PUSH(x->r->c->a, sc->ctes, sc->nctes, entry);
    }
}

static vlist target_list(vctx *x, const cJSON *targets, scope *sc)
{
    vlist out = {0};
    const cJSON *item;
    cJSON_ArrayForEach(item, targets)
    {
        const cJSON *rt = sql_get(item, "ResTarget"), *val = sql_get(rt, "val");
        cJSON *cr;
        const char *kind = sql_node_kind(val, &cr);
        const cJSON *fields = kind && !strcmp(kind, "ColumnRef") ? sql_get(cr, "fields") : NULL;
        if (fields &&
            sql_get(cJSON_GetArrayItem(fields, cJSON_GetArraySize(fields) - 1), "A_Star")) {
            expand_star(x, fields, sc, &out);
            continue;
        }
        vcol c = {sql_get_str(rt, "name"), NULL, NULL, NULL};
        if (!c.name)
            c.name = cat_figure_colname(val);
        if (fields) {
            const vcol *src = resolve(x, fields, sc);
            if (src) {
                c.type = src->type;
                c.rel = src->rel;
                c.col = src->col;
            }
        } else {
            c.type = infer_type(x, val, sc);
            walk_expr(x, val, sc);
        }
        vlist_push(x, &out, c);
    }
    return out;
}

static vlist select_columns(vctx *x, const cJSON *s, scope *parent)
{
    vlist none = {0};
    if (!s || x->failed)
        return none;
    scope sc = {.parent = parent};
    add_ctes(x, sql_get(s, "withClause"), &sc);
    const char *op = sql_get_str(s, "op");
    if (op && strcmp(op, "SETOP_NONE") != 0) {
        /* UNION and friends: names and types come from the left arm. */
        vlist left = select_columns(x, sql_get(s, "larg"), &sc);
        select_columns(x, sql_get(s, "rarg"), &sc);
        return left;
    }
    const cJSON *values = sql_get(s, "valuesLists");
    if (values) {
        vlist out = {0};
        int n =
            cJSON_GetArraySize(sql_get(sql_get(cJSON_GetArrayItem(values, 0), "List"), "items"));
        for (int i = 0; i < n; i++) {
            vcol c = {arena_printf(x->r->c->a, "column%d", i + 1), NULL, NULL, NULL};
            vlist_push(x, &out, c);
        }
        walk_expr(x, values, &sc);
        return out;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(s, "fromClause"))
    {
        add_from(x, &sc, item);
    }
    vlist out = target_list(x, sql_get(s, "targetList"), &sc);
    static const char *const clauses[] = {"whereClause", "groupClause",    "havingClause",
                                          "sortClause",  "distinctClause", "windowClause"};
    for (size_t i = 0; i < sizeof clauses / sizeof *clauses; i++)
        walk_expr(x, sql_get(s, clauses[i]), &sc);
    return out;
}

bool view_analyze(replay *r, cat_table *view, const cJSON *query, const cJSON *aliases)
{
    vctx x = {.r = r, .view = view};
    vlist cols = query_columns(&x, query, NULL);
    if (x.failed)
        return false;
    const cJSON *item;
    size_t i = 0;
    cJSON_ArrayForEach(item, aliases)
    {
        if (i < cols.n && sql_string_value(item))
            cols.items[i].name = sql_string_value(item);
        i++;
    }
    /* Like PostgreSQL, a relation whose columns are read needs no entry of its own. */
    size_t kept = 0;
    for (i = 0; i < view->nreads; i++) {
        const cat_read *rd = &view->reads[i];
        bool redundant = false;
        for (size_t k = 0; !rd->column && k < view->nreads && !redundant; k++)
            redundant = view->reads[k].rel == rd->rel && view->reads[k].column;
        if (!redundant)
            view->reads[kept++] = *rd;
    }
    view->nreads = kept;
    for (i = 0; i < cols.n; i++) {
        const char *name = cols.items[i].name ? cols.items[i].name : "?column?";
        if (cat_column_find(view, name)) {
            rp_conflict_at(r, sql_location(query), "column %s specified more than once", name);
            return false;
        }
        cat_column *col = cat_column_add(r->c, view, name);
        col->type = cols.items[i].type;
        col->origin = r->origin;
        if (cols.items[i].col) {
            col->type_label = cols.items[i].col->type_label;
            col->user_type = cols.items[i].col->user_type;
            col->array = cols.items[i].col->array;
        }
    }
    return true;
}

/* CREATE OR REPLACE VIEW keeps the view's identity (other views depend on
 * it) and its existing columns, which PostgreSQL requires to stay in place;
 * new columns may only be appended. */
static void replace_view(replay *r, cat_table *old, cat_table *fresh)
{
    for (size_t i = 0; i < fresh->ncolumns; i++) {
        cat_column *col = cat_column_find(old, fresh->columns[i]->name);
        if (col) {
            col->type = fresh->columns[i]->type;
            continue;
        }
        cat_column *added = cat_column_add(r->c, old, fresh->columns[i]->name);
        *added = *fresh->columns[i];
        added->attnum = old->next_attnum - 1;
        added->fact = NULL; /* diff.c's memo stays with the column it was built for */
        cat_ref_note(r->c, added->serial, &old->rel);
    }
    old->reads = fresh->reads;
    old->nreads = fresh->nreads;
    for (size_t i = 0; i < old->nreads; i++)
        cat_ref_note(r->c, old->reads[i].rel, &old->rel);
    old->definition = fresh->definition;
    old->rel.origin = r->origin;
}

void rp_create_view(replay *r)
{
    const cJSON *n = r->s->node, *rv = sql_get(n, "view");
    const char *schema = rv_create_schema(r, rv), *name = rv_name(rv);
    if (!schema_exists(r, schema, sql_location(rv)))
        return;
    cat_rel *old = cat_rel_get(r->c, schema, name);
    bool replace = sql_get_bool(n, "replace") && old && old->kind == CAT_VIEW;
    if (!replace && !rel_name_free(r, schema, name, sql_location(rv), false))
        return;
    cat_table *v = cat_table_new(r->c, CAT_VIEW, schema, name);
    v->rel.origin = r->origin;
    if (!view_analyze(r, v, sql_get(n, "query"), sql_get(n, "aliases")))
        return;
    static const char *const skip[] = {"view", "replace", NULL};
    v->definition = cat_definition_hash(r->c, n, skip);
    if (replace)
        replace_view(r, (cat_table *)old, v);
    else
        table_register(r->c, v);
}
