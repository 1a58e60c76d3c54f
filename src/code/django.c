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
#include "dj_state.h"

static TSNode field(TSNode n, const char *name)
{
    return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

/* RunSQL.noop, migrations.RunPython.noop */
static bool is_noop(const code_ctx *c, TSNode n)
{
    return code_node_is(n, "attribute") && code_text_is(c, field(n, "attribute"), "noop");
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

typedef struct dj_emitter {
    code_ctx *c;
    step_reader *r;
    TSNode call;
} dj_emitter;

static void emit_sql(void *ud, const char *sql)
{
    dj_emitter *e = ud;
    step_synth(e->c, e->r, e->call, sql);
}

static const char *model_key(code_ctx *c, TSNode name)
{
    char *s = py_str(c, name);
    return s ? dj_lower(c->a, arena_printf(c->a, "%s.%s", c->app ? c->app : "app", s)) : NULL;
}

static void apply_list(code_ctx *c, step_reader *r, TSNode list, bool db);

/* One schema operation on the state; its DDL is emitted when db. False
 * when it is not read (the step is then partial). */
static bool apply(code_ctx *c, step_reader *r, TSNode call, bool db)
{
    dj_emitter e = {c, r, call};
    dj_out o = {db ? emit_sql : NULL, &e};
    const char *op = op_name(c, call);
    py_args a;
    if (!op)
        return false;
    py_args_read(c, call, &a);
    dj_state *st = c->dj;
    TSNode m = py_arg(&a, 0, "model_name");
    const char *key = model_key(c, m);
    char *n1 = py_str(c, py_arg(&a, 1, "name"));
    if (!strcmp(op, "RunSQL")) {
        if (db)
            add_sql(c, r, py_arg(&a, 0, "sql"), call);
        apply_list(c, r, py_arg(&a, 99, "state_operations"), false);
        return true;
    }
    if (!strcmp(op, "RunPython") || !strcmp(op, "AlterModelOptions") ||
        !strcmp(op, "AlterModelManagers"))
        return true;
    if (!strcmp(op, "SeparateDatabaseAndState")) {
        apply_list(c, r, py_arg(&a, 0, "database_operations"), db);
        apply_list(c, r, py_arg(&a, 1, "state_operations"), false);
        return true;
    }
    if (!strcmp(op, "CreateModel"))
        return dj_create_model(c, st, &a, &o);
    if (!strcmp(op, "AddField") && n1)
        return dj_add_field(c, st, key, n1, py_arg(&a, 2, "field"), &o);
    if (!strcmp(op, "AlterField") && n1)
        return dj_alter_field(c, st, key, n1, py_arg(&a, 2, "field"), &o);
    if (!strcmp(op, "RemoveField") && n1)
        return dj_remove_field(st, key, n1, &o);
    if (!strcmp(op, "RenameField")) {
        char *from = py_str(c, py_arg(&a, 1, "old_name")),
             *to = py_str(c, py_arg(&a, 2, "new_name"));
        return from && to && dj_rename_field(st, key, from, to, &o);
    }
    const char *mkey = model_key(c, py_arg(&a, 0, "name"));
    if (!strcmp(op, "DeleteModel"))
        return dj_delete_model(st, mkey, &o);
    if (!strcmp(op, "RenameModel")) {
        TSNode from = py_arg(&a, 0, "old_name");
        char *to = py_str(c, py_arg(&a, 1, "new_name"));
        return to && dj_rename_model(st, model_key(c, from),
                                     model_key(c, py_arg(&a, 1, "new_name")), to, &o);
    }
    if (!strcmp(op, "AlterModelTable"))
        return dj_alter_table(st, mkey, py_str(c, py_arg(&a, 1, "table")), &o);
    if (!strcmp(op, "AlterUniqueTogether") || !strcmp(op, "AlterIndexTogether"))
        return dj_alter_together(c, st, mkey,
                                 py_arg(&a, 1, op[5] == 'U' ? "unique_together" : "index_together"),
                                 op[5] == 'U', &o);
    if (!strcmp(op, "AddIndex") || !strcmp(op, "AddIndexConcurrently"))
        return dj_add_index(c, st, key, py_arg(&a, 1, "index"), op[8] == 'C', &o);
    if (!strcmp(op, "AddConstraint"))
        return dj_add_constraint(c, st, key, py_arg(&a, 1, "constraint"), &o);
    if (!strcmp(op, "AlterOrderWithRespectTo")) {
        dj_model *dm = dj_state_get(st, mkey);
        bool on = dm && !code_node_is(py_arg(&a, 1, "order_with_respect_to"), "none");
        const char *t = dm ? code_ident(c->a, dm->table) : NULL;
        if (dm && dm->has_table && on) { /* an IntegerField(default=0), as AddField adds it */
            dj_emit(&o, arena_printf(
                            c->a, "ALTER TABLE %s ADD COLUMN \"_order\" integer DEFAULT 0 NOT NULL",
                            t));
            dj_emit(&o,
                    arena_printf(c->a, "ALTER TABLE %s ALTER COLUMN \"_order\" DROP DEFAULT", t));
        } else if (dm && dm->has_table) {
            dj_emit(&o, arena_printf(c->a, "ALTER TABLE %s DROP COLUMN \"_order\"", t));
        }
        return dm != NULL;
    }
    dj_model *dm = dj_state_get(st, key);
    if (!dm)
        return false;
    if (!strcmp(op, "RemoveIndex") || !strcmp(op, "RemoveIndexConcurrently")) {
        if (n1 && dm->has_table)
            dj_emit(&o, arena_printf(c->a, "DROP INDEX %s%s",
                                     strstr(op, "Concurrently") ? "CONCURRENTLY " : "",
                                     code_ident(c->a, n1)));
        return n1 != NULL;
    }
    if (!strcmp(op, "RemoveConstraint")) {
        if (n1 && dm->has_table) {
            dj_emit(&o, arena_printf(c->a, "ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s",
                                     code_ident(c->a, dm->table), code_ident(c->a, n1)));
            dj_emit(&o, arena_printf(c->a, "DROP INDEX IF EXISTS %s", code_ident(c->a, n1)));
        }
        return n1 != NULL;
    }
    if (!strcmp(op, "RenameIndex")) {
        char *from = py_str(c, py_arg(&a, 99, "old_name")),
             *to = py_str(c, py_arg(&a, 1, "new_name"));
        if (from && to && dm->has_table)
            dj_emit(&o, arena_printf(c->a, "ALTER INDEX %s RENAME TO %s", code_ident(c->a, from),
                                     code_ident(c->a, to)));
        return from && to;
    }
    return false;
}

static void apply_list(code_ctx *c, step_reader *r, TSNode list, bool db)
{
    for (uint32_t i = 0; (code_node_is(list, "list") || code_node_is(list, "tuple")) &&
                         i < ts_node_named_child_count(list);
         i++) {
        TSNode op = ts_node_named_child(list, i);
        if (!code_node_is(op, "comment") && !apply(c, r, op, db))
            r->step->partial = true;
    }
}

static void up_operation(code_ctx *c, step_reader *r, TSNode call)
{
    if (!apply(c, r, call, true))
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
        TSNode t = ts_node_named_child(list, i), obj;
        const char *fn = code_node_is(t, "call") ? py_method(c, t, &obj) : NULL;
        if (fn && !strcmp(fn, "swappable_dependency")) {
            /* (the user model's app, "__first__"), as Django resolves it */
            const char *user = code_django_auth_user_model(), *dot = strchr(user, '.');
            m->deps[m->ndeps++] =
                arena_printf(c->a, "%.*s/__first__", (int)(dot ? dot - user : 0), user);
            continue;
        }
        if (!code_node_is(t, "tuple") || ts_node_named_child_count(t) != 2)
            continue;
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
