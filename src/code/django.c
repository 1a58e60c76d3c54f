/* django.c - Django migrations: `class Migration(migrations.Migration)`
 * with dependencies, operations and atomic.
 *
 * Up: RunSQL's sql, and a synthesized statement for the schema operations
 * that drop, rename or index (RemoveField, DeleteModel, RenameField,
 * RenameModel, AddIndex, AddIndexConcurrently, RemoveIndex...), on the
 * table Django names <app>_<model>. Other operations (CreateModel,
 * AddField...) make the step partial. Down: Django reverses the operations
 * itself; a RunPython without reverse_code or a RunSQL without reverse_sql
 * cannot be reversed (missing-down, at that operation); when every
 * operation is a RunSQL, the down step is their reverse_sql in reverse
 * order, and down-does-not-reverse compares the two. */
#include <ctype.h>

#include "../orm/tsq.h"
#include "py.h"

static TSNode field(TSNode n, const char *name)
{
    return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

static const char *table_of(code_ctx *c, const char *model)
{
    char *t = arena_printf(c->a, "%s_%s", c->app ? c->app : "app", model);
    for (char *p = t; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return code_ident(c->a, t);
}

/* RunSQL.noop, migrations.RunPython.noop */
static bool is_noop(const code_ctx *c, TSNode n)
{
    return code_node_is(n, "attribute") && code_text_is(c, field(n, "attribute"), "noop");
}

static const char *index_sql(code_ctx *c, const char *t, TSNode index, bool conc)
{
    if (!code_node_is(index, "call"))
        return NULL;
    py_args a;
    py_args_read(c, index, &a);
    char *name = py_str(c, py_arg(&a, 99, "name"));
    char *cols = py_columns(c, py_arg(&a, 99, "fields"), true);
    if (!name || !cols)
        return NULL;
    return arena_printf(c->a, "CREATE INDEX %s%s ON %s (%s)", conc ? "CONCURRENTLY " : "",
                        code_ident(c->a, name), t, cols);
}

/* The DDL of a schema operation, NULL for one migralint does not read. */
static const char *operation_sql(code_ctx *c, const char *op, const py_args *a)
{
    arena *ar = c->a;
    char *model = py_str(c, py_arg(a, 0, "model_name"));
    const char *t = model ? table_of(c, model) : NULL;
    if (!strcmp(op, "DeleteModel")) {
        char *name = py_str(c, py_arg(a, 0, "name"));
        return name ? arena_printf(ar, "DROP TABLE %s", table_of(c, name)) : NULL;
    }
    if (!strcmp(op, "RenameModel")) {
        char *from = py_str(c, py_arg(a, 0, "old_name")), *to = py_str(c, py_arg(a, 1, "new_name"));
        return from && to ? arena_printf(ar, "ALTER TABLE %s RENAME TO %s", table_of(c, from),
                                         table_of(c, to))
                          : NULL;
    }
    if (!t)
        return NULL;
    if (!strcmp(op, "RemoveField")) {
        char *col = py_str(c, py_arg(a, 1, "name"));
        return col ? arena_printf(ar, "ALTER TABLE %s DROP COLUMN %s", t, code_ident(ar, col))
                   : NULL;
    }
    if (!strcmp(op, "RenameField")) {
        char *from = py_str(c, py_arg(a, 1, "old_name")), *to = py_str(c, py_arg(a, 2, "new_name"));
        return from && to ? arena_printf(ar, "ALTER TABLE %s RENAME COLUMN %s TO %s", t,
                                         code_ident(ar, from), code_ident(ar, to))
                          : NULL;
    }
    if (!strcmp(op, "AddIndex") || !strcmp(op, "AddIndexConcurrently"))
        return index_sql(c, t, py_arg(a, 1, "index"), !strcmp(op, "AddIndexConcurrently"));
    if (!strcmp(op, "RemoveIndex") || !strcmp(op, "RemoveIndexConcurrently")) {
        char *name = py_str(c, py_arg(a, 1, "name"));
        return name ? arena_printf(ar, "DROP INDEX %s%s",
                                   strstr(op, "Concurrently") ? "CONCURRENTLY " : "",
                                   code_ident(ar, name))
                    : NULL;
    }
    return NULL;
}

/* RunSQL's sql or reverse_sql: a string, or a list of strings and
 * (sql, params) tuples. */
static void add_sql(code_ctx *c, step_reader *r, TSNode arg, TSNode call)
{
    if (!code_node_is(arg, "list") && !code_node_is(arg, "tuple")) {
        step_sql(c, r, arg, call);
        return;
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(arg); i++) {
        TSNode item = ts_node_named_child(arg, i);
        if (code_node_is(item, "comment"))
            continue;
        if (code_node_is(item, "tuple") && ts_node_named_child_count(item))
            item = ts_node_named_child(item, 0);
        step_sql(c, r, item, call);
    }
}

typedef struct dj_ops {
    TSNode items[256];
    size_t n;
} dj_ops;

static const char *op_name(code_ctx *c, TSNode call)
{
    TSNode obj;
    return code_node_is(call, "call") ? py_method(c, call, &obj) : NULL;
}

/* The first operation Django cannot reverse, or a null node. */
static TSNode first_irreversible(code_ctx *c, const dj_ops *ops, bool *all_sql)
{
    *all_sql = ops->n > 0;
    for (size_t i = 0; i < ops->n; i++) {
        const char *op = op_name(c, ops->items[i]);
        py_args a;
        py_args_read(c, ops->items[i], &a);
        bool sql = op && !strcmp(op, "RunSQL"), py = op && !strcmp(op, "RunPython");
        *all_sql = *all_sql && sql;
        if ((sql && !py_has(&a, 1, "reverse_sql")) || (py && !py_has(&a, 1, "reverse_code")))
            return ops->items[i];
    }
    return (TSNode){0};
}

/* CreateModel(name=..., fields=[("id", models.BigAutoField(...)), ...]):
 * each column points at its tuple. */
static bool create_model(code_ctx *c, step_reader *r, TSNode call, const py_args *a)
{
    char *model = py_str(c, py_arg(a, 0, "name"));
    TSNode fields = py_arg(a, 1, "fields");
    if (!model || !code_node_is(fields, "list"))
        return false;
    step_synth_piece(r, call, arena_printf(c->a, "CREATE TABLE %s (", table_of(c, model)));
    const char *pk = NULL, *sep = "";
    for (uint32_t i = 0; i < ts_node_named_child_count(fields); i++) {
        TSNode t = ts_node_named_child(fields, i);
        if (!code_node_is(t, "tuple") || ts_node_named_child_count(t) < 2)
            continue;
        char *name = py_str(c, ts_node_named_child(t, 0));
        bool is_pk, m2m;
        const char *col =
            name ? dj_field_sql(c, name, ts_node_named_child(t, 1), &is_pk, &m2m) : NULL;
        if (!col)
            continue;
        step_synth_piece(r, t, arena_printf(c->a, "%s\n  %s", sep, col));
        sep = ",";
        if (is_pk)
            pk = code_ident(c->a, name);
    }
    if (pk)
        step_synth_piece(r, call, arena_printf(c->a, "%s\n  PRIMARY KEY (%s)", sep, pk));
    step_synth_piece(r, call, "\n)");
    step_synth_end(r, call);
    return true;
}

/* AddField(model_name=..., name=..., field=...) */
static const char *add_field(code_ctx *c, const py_args *a)
{
    char *model = py_str(c, py_arg(a, 0, "model_name")), *name = py_str(c, py_arg(a, 1, "name"));
    bool pk, m2m;
    const char *col =
        model && name ? dj_field_sql(c, name, py_arg(a, 2, "field"), &pk, &m2m) : NULL;
    return col ? arena_printf(c->a, "ALTER TABLE %s ADD COLUMN %s", table_of(c, model), col) : NULL;
}

static void up_operation(code_ctx *c, step_reader *r, TSNode call)
{
    const char *op = op_name(c, call);
    py_args a;
    py_args_read(c, call, &a);
    if (!op) {
        r->step->partial = true;
        return;
    }
    if (!strcmp(op, "RunSQL")) {
        add_sql(c, r, py_arg(&a, 0, "sql"), call);
        return;
    }
    if (!strcmp(op, "CreateModel")) {
        r->step->partial = true; /* constraints, options: not all of it is read */
        if (!create_model(c, r, call, &a))
            return;
        return;
    }
    const char *sql = !strcmp(op, "AddField") ? add_field(c, &a) : operation_sql(c, op, &a);
    if (sql)
        step_synth(c, r, call, sql);
    else
        r->step->partial = true;
}

static void read_steps(code_ctx *c, const dj_ops *ops, TSNode cls)
{
    code_migration *m = c->out;
    bool all_sql;
    TSNode bad = first_irreversible(c, ops, &all_sql);
    step_reader r;
    step_begin(c, &r, &m->up, ts_node_start_byte(ts_node_is_null(bad) ? field(cls, "name") : bad));
    for (size_t i = 0; i < ops->n; i++)
        up_operation(c, &r, ops->items[i]);
    step_end(c, &r);
    m->has_down = ts_node_is_null(bad);
    if (!m->has_down)
        return;
    if (!all_sql) {
        m->down_derived = true;
        return;
    }
    step_begin(c, &r, &m->down, ts_node_start_byte(field(cls, "name")));
    for (size_t i = ops->n; i-- > 0;) {
        py_args a;
        py_args_read(c, ops->items[i], &a);
        TSNode rev = py_arg(&a, 1, "reverse_sql");
        if (is_noop(c, rev))
            m->down.partial = true; /* deliberately nothing: not empty-down */
        else
            add_sql(c, &r, rev, ops->items[i]);
    }
    step_end(c, &r);
}

static void read_deps(code_ctx *c, TSNode list)
{
    code_migration *m = c->out;
    size_t n = ts_node_named_child_count(list);
    m->deps = arena_calloc(c->a, n ? n : 1, sizeof *m->deps);
    for (uint32_t i = 0; i < n; i++) {
        TSNode t = ts_node_named_child(list, i);
        if (!code_node_is(t, "tuple") || ts_node_named_child_count(t) != 2)
            continue; /* swappable_dependency(settings.AUTH_USER_MODEL) */
        char *app = py_str(c, ts_node_named_child(t, 0)),
             *name = py_str(c, ts_node_named_child(t, 1));
        if (app && name)
            m->deps[m->ndeps++] = arena_printf(c->a, "%s/%s", app, name);
    }
}

static TSNode find_migration_class(code_ctx *c, TSNode root)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
        TSNode n = ts_node_named_child(root, i);
        if (code_node_is(n, "class_definition") && code_text_is(c, field(n, "name"), "Migration"))
            return n;
    }
    return (TSNode){0};
}

bool code_read_django(code_ctx *c)
{
    TSTree *tree = tsq_parse("python", c->host->text, (uint32_t)c->host->len);
    if (!tree)
        return false;
    code_collect_constants(c, ts_tree_root_node(tree));
    TSNode cls = find_migration_class(c, ts_tree_root_node(tree));
    bool ok = !ts_node_is_null(cls);
    dj_ops ops = {.n = 0};
    TSNode body = ok ? field(cls, "body") : (TSNode){0};
    for (uint32_t i = 0; ok && i < ts_node_named_child_count(body); i++) {
        TSNode as = ts_node_named_child(ts_node_named_child(body, i), 0);
        if (!code_node_is(as, "assignment"))
            continue;
        TSNode left = field(as, "left"), right = field(as, "right");
        if (code_text_is(c, left, "atomic") && py_is_false(c, right))
            c->out->no_transaction = true;
        else if (code_text_is(c, left, "dependencies") && code_node_is(right, "list"))
            read_deps(c, right);
        else if (code_text_is(c, left, "operations") &&
                 (code_node_is(right, "list") || code_node_is(right, "tuple"))) {
            for (uint32_t k = 0; k < ts_node_named_child_count(right); k++) {
                TSNode op = ts_node_named_child(right, k);
                if (code_node_is(op, "comment"))
                    continue;
                if (ops.n == sizeof ops.items / sizeof *ops.items) {
                    code_note(c, op, "operations past the first %zu are not linted", ops.n);
                    c->out->up.partial = true;
                    break;
                }
                ops.items[ops.n++] = op;
            }
        }
    }
    if (ok)
        read_steps(c, &ops, cls);
    ts_tree_delete(tree);
    return ok;
}
