/* js.c - TypeORM, Knex and node-pg-migrate migrations (JavaScript and
 * TypeScript).
 *
 * The up and down steps are functions named up and down however the file
 * defines them: class methods (TypeORM), `exports.up = ...`, `export async
 * function up`, `export const up = ...`, or members of `module.exports`.
 * Inside them, queryRunner.query / knex.raw / knex.schema.raw / pgm.sql
 * calls carry SQL; the helpers that map 1:1 to DDL (dropTable, dropColumn,
 * renameTable, renameColumn, pgm.createIndex...) become synthesized
 * statements; any other call on the step's parameter makes the step partial. */
#include <stdio.h>

#include "../orm/tsq.h"
#include "internal.h"

typedef struct js_steps {
    TSNode up, down;       /* the function nodes */
    TSNode up_at, down_at; /* where each is named */
    bool down_false;       /* node-pg-migrate: exports.down = false */
    bool down_elsewhere;   /* down = someOther.up: defined outside this file */
    bool no_tx;            /* transaction = false, config = { transaction: false } */
} js_steps;

static bool is_function(TSNode n)
{
    return code_node_is(n, "function_expression") || code_node_is(n, "function") ||
           code_node_is(n, "arrow_function") || code_node_is(n, "function_declaration") ||
           code_node_is(n, "method_definition");
}

static TSNode field(TSNode n, const char *name)
{
    return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

/* The name of a definition: up, down, or anything else. */
static void js_define(code_ctx *c, js_steps *s, TSNode name, TSNode value)
{
    if (ts_node_is_null(name) || ts_node_is_null(value))
        return;
    bool up = code_text_is(c, name, "up") || code_text_is(c, name, "'up'") ||
              code_text_is(c, name, "\"up\"");
    bool down = code_text_is(c, name, "down") || code_text_is(c, name, "'down'") ||
                code_text_is(c, name, "\"down\"");
    if (down && code_node_is(value, "false")) {
        s->down_false = true;
        s->down_at = name;
        return;
    }
    if (!is_function(value)) {
        /* `up = other.down`, `up = require(...)`: a step defined elsewhere */
        if (up && ts_node_is_null(s->up) && !ts_node_is_null(s->up_at))
            return;
        if (up && ts_node_is_null(s->up_at))
            s->up_at = name;
        if (down && ts_node_is_null(s->down_at))
            s->down_at = name, s->down_elsewhere = true;
        return;
    }
    if (up && ts_node_is_null(s->up))
        s->up = value, s->up_at = name;
    if (down && ts_node_is_null(s->down))
        s->down = value, s->down_at = name;
}

/* `transaction = false` (TypeORM class field) and `config = { transaction:
 * false }` (Knex). */
static void js_transaction_flag(code_ctx *c, js_steps *s, TSNode name, TSNode value)
{
    if (code_text_is(c, name, "transaction") && code_node_is(value, "false"))
        s->no_tx = true;
}

static void js_find_steps(code_ctx *c, TSNode n, js_steps *s)
{
    const char *t = ts_node_type(n);
    if (!strcmp(t, "method_definition") || !strcmp(t, "function_declaration"))
        js_define(c, s, field(n, "name"), n);
    else if (!strcmp(t, "variable_declarator"))
        js_define(c, s, field(n, "name"), field(n, "value"));
    else if (!strcmp(t, "pair")) {
        js_define(c, s, field(n, "key"), field(n, "value"));
        js_transaction_flag(c, s, field(n, "key"), field(n, "value"));
    } else if (!strcmp(t, "public_field_definition") || !strcmp(t, "field_definition")) {
        TSNode name = field(n, "name");
        if (ts_node_is_null(name))
            name = field(n, "property");
        js_transaction_flag(c, s, name, field(n, "value"));
    } else if (!strcmp(t, "assignment_expression")) {
        TSNode left = field(n, "left");
        if (code_node_is(left, "member_expression"))
            js_define(c, s, field(left, "property"), field(n, "right"));
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        js_find_steps(c, ts_node_named_child(n, i), s);
}

/* The first parameter's name: (queryRunner: QueryRunner), knex => ..., */
static const char *js_param(code_ctx *c, TSNode fn)
{
    TSNode p = field(fn, "parameter");
    if (ts_node_is_null(p)) {
        TSNode params = field(fn, "parameters");
        if (ts_node_is_null(params) || !ts_node_named_child_count(params))
            return NULL;
        p = ts_node_named_child(params, 0);
        if (!code_node_is(p, "identifier")) {
            TSNode pat = field(p, "pattern");
            p = ts_node_is_null(pat) ? ts_node_named_child(p, 0) : pat;
        }
    }
    return code_node_is(p, "identifier") ? code_node_text(c, p) : NULL;
}

/* The n-th argument of a call (NULL node when absent). */
static TSNode js_arg(TSNode call, uint32_t n)
{
    TSNode args = field(call, "arguments");
    if (ts_node_is_null(args) || ts_node_named_child_count(args) <= n)
        return (TSNode){0};
    return ts_node_named_child(args, n);
}

static char *js_str(code_ctx *c, TSNode n)
{
    return ts_node_is_null(n) ? NULL : code_string(c, n);
}

/* The leftmost identifier of a.b.c(...) chains: knex in knex.schema.raw. */
static TSNode js_root(TSNode n)
{
    while (code_node_is(n, "member_expression") || code_node_is(n, "call_expression")) {
        TSNode next = ts_node_child_by_field_name(
            n, code_node_is(n, "member_expression") ? "object" : "function",
            code_node_is(n, "member_expression") ? 6 : 8);
        if (ts_node_is_null(next))
            break;
        n = next;
    }
    return n;
}

/* A column name is quoted; anything else ("lower(email)", "meta #- '{a}'")
 * is an expression node-pg-migrate passes through. */
static char *js_column(code_ctx *c, TSNode n)
{
    char *col = js_str(c, n);
    if (!col)
        return NULL;
    bool name = *col && !(*col >= '0' && *col <= '9');
    for (const char *p = col; *p && name; p++)
        name = *p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
               (*p >= '0' && *p <= '9');
    return name ? (char *)code_ident(c->a, col) : arena_printf(c->a, "(%s)", col);
}

/* A column list: 'a' or ['a', 'b'], as "a, b"; NULL when not constant. */
static char *js_columns(code_ctx *c, TSNode n)
{
    if (!code_node_is(n, "array"))
        return js_column(c, n);
    char *out = NULL;
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
        char *col = js_column(c, ts_node_named_child(n, i));
        if (!col)
            return NULL;
        out = out ? arena_printf(c->a, "%s, %s", out, col) : col;
    }
    return out;
}

/* The node of `key: value` in object literal obj, or a null node. */
static TSNode js_option(code_ctx *c, TSNode obj, const char *key)
{
    for (uint32_t i = 0; code_node_is(obj, "object") && i < ts_node_named_child_count(obj); i++) {
        TSNode p = ts_node_named_child(obj, i);
        if (code_node_is(p, "pair") && code_text_is(c, field(p, "key"), key))
            return field(p, "value");
    }
    return (TSNode){0};
}

/* node-pg-migrate's index name: the name option, else
 * <table>_<columns joined by _>[_unique]_index. */
static const char *pgm_index_name(code_ctx *c, const char *table, TSNode cols_node, TSNode opts,
                                  bool unique)
{
    char *name = js_str(c, js_option(c, opts, "name"));
    if (name)
        return code_ident(c->a, name);
    char *cols = NULL;
    if (code_node_is(cols_node, "array")) {
        for (uint32_t i = 0; i < ts_node_named_child_count(cols_node); i++) {
            char *col = js_str(c, ts_node_named_child(cols_node, i));
            cols = cols ? arena_printf(c->a, "%s_%s", cols, col ? col : "") : col;
        }
    } else {
        cols = js_str(c, cols_node);
    }
    return code_ident(c->a, arena_printf(c->a, "%s_%s%s_index", table, cols ? cols : "",
                                         unique ? "_unique" : ""));
}

/* Is `key: true` among the properties of object literal obj? */
static bool js_option_true(code_ctx *c, TSNode obj, const char *key)
{
    if (!code_node_is(obj, "object"))
        return false;
    for (uint32_t i = 0; i < ts_node_named_child_count(obj); i++) {
        TSNode p = ts_node_named_child(obj, i);
        if (code_node_is(p, "pair") && code_text_is(c, field(p, "key"), key) &&
            code_node_is(field(p, "value"), "true"))
            return true;
    }
    return false;
}

/* The table an enclosing knex.schema.alterTable('t', (table) => ...) names;
 * "" inside one whose name is not a constant, NULL outside any. */
static char *knex_alter_table(code_ctx *c, TSNode n)
{
    for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); p = ts_node_parent(p)) {
        if (!code_node_is(p, "call_expression"))
            continue;
        TSNode fn = field(p, "function");
        if (!code_node_is(fn, "member_expression"))
            continue;
        TSNode prop = field(fn, "property");
        if (code_text_is(c, prop, "alterTable") || code_text_is(c, prop, "table")) {
            char *name = js_str(c, js_arg(p, 0));
            return name ? name : "";
        }
    }
    return NULL;
}

/* The DDL a helper call stands for, NULL when it has none migralint knows. */
static const char *js_helper_sql(code_ctx *c, const char *m, TSNode call, bool *known)
{
    arena *a = c->a;
    char *a0 = js_str(c, js_arg(call, 0)), *a1 = js_str(c, js_arg(call, 1)),
         *a2 = js_str(c, js_arg(call, 2));
    *known = true;
    if (!strcmp(m, "dropTable") && a0)
        return arena_printf(a, "DROP TABLE %s", code_ident(a, a0));
    if (!strcmp(m, "dropTableIfExists") && a0)
        return arena_printf(a, "DROP TABLE IF EXISTS %s", code_ident(a, a0));
    if (!strcmp(m, "renameTable") && a0 && a1)
        return arena_printf(a, "ALTER TABLE %s RENAME TO %s", code_ident(a, a0), code_ident(a, a1));
    if (c->fw == FW_KNEX) {
        char *table = knex_alter_table(c, call);
        table = table && *table ? table : NULL;
        if (table && (!strcmp(m, "dropColumn") || !strcmp(m, "dropColumns")) && a0)
            return arena_printf(a, "ALTER TABLE %s DROP COLUMN %s", code_ident(a, table),
                                code_ident(a, a0));
        if (table && !strcmp(m, "renameColumn") && a0 && a1)
            return arena_printf(a, "ALTER TABLE %s RENAME COLUMN %s TO %s", code_ident(a, table),
                                code_ident(a, a0), code_ident(a, a1));
    } else {
        char *cols =
            (!strcmp(m, "dropColumn") || !strcmp(m, "dropColumns") || !strcmp(m, "createIndex"))
                ? js_columns(c, js_arg(call, 1))
                : NULL;
        if ((!strcmp(m, "dropColumn") || !strcmp(m, "dropColumns")) && a0 && cols)
            return arena_printf(a, "ALTER TABLE %s DROP COLUMN %s", code_ident(a, a0),
                                strchr(cols, ',') ? cols : cols);
        if (!strcmp(m, "renameColumn") && a0 && a1 && a2)
            return arena_printf(a, "ALTER TABLE %s RENAME COLUMN %s TO %s", code_ident(a, a0),
                                code_ident(a, a1), code_ident(a, a2));
        if (c->fw == FW_NODE_PG_MIGRATE && !strcmp(m, "createIndex") && a0 && cols) {
            TSNode opts = js_arg(call, 2);
            bool unique = js_option_true(c, opts, "unique");
            return arena_printf(a, "CREATE %sINDEX %s%s ON %s (%s)", unique ? "UNIQUE " : "",
                                js_option_true(c, opts, "concurrently") ? "CONCURRENTLY " : "",
                                pgm_index_name(c, a0, js_arg(call, 1), opts, unique),
                                code_ident(a, a0), cols);
        }
        if (c->fw == FW_NODE_PG_MIGRATE && !strcmp(m, "dropIndex") && a0) {
            TSNode opts = js_arg(call, 2);
            return arena_printf(
                a, "DROP INDEX %s%s",
                js_option_true(c, opts, "concurrently") ? "CONCURRENTLY " : "",
                pgm_index_name(c, a0, js_arg(call, 1), opts, js_option_true(c, opts, "unique")));
        }
    }
    *known = false;
    return NULL;
}

/* new Table({...}) / new TableIndex({...}) / a plain object: the object. */
static TSNode typeorm_object(TSNode n)
{
    if (code_node_is(n, "new_expression")) {
        TSNode args = field(n, "arguments");
        n = ts_node_is_null(args) || !ts_node_named_child_count(args)
                ? (TSNode){0}
                : ts_node_named_child(args, 0);
    }
    return code_node_is(n, "object") ? n : (TSNode){0};
}

/* A TypeORM column object {name, type, length, isNullable, isPrimary,
 * default} as a column definition; NULL when name or type is not constant. */
static const char *typeorm_column(code_ctx *c, TSNode obj, bool *pk)
{
    char *name = js_str(c, js_option(c, obj, "name")), *type = js_str(c, js_option(c, obj, "type"));
    if (!name || !type)
        return NULL;
    char *len = js_str(c, js_option(c, obj, "length"));
    TSNode lenn = js_option(c, obj, "length");
    if (!len && code_node_is(lenn, "number"))
        len = code_node_text(c, lenn);
    *pk = code_node_is(js_option(c, obj, "isPrimary"), "true");
    bool nullable = code_node_is(js_option(c, obj, "isNullable"), "true");
    char *dflt = js_str(c, js_option(c, obj, "default")); /* TypeORM writes it as SQL */
    TSNode dn = js_option(c, obj, "default");
    if (!dflt &&
        (code_node_is(dn, "number") || code_node_is(dn, "true") || code_node_is(dn, "false")))
        dflt = code_node_text(c, dn);
    return arena_printf(c->a, "%s %s%s%s%s%s%s", code_ident(c->a, name), type, len ? "(" : "",
                        len ? len : "", len ? ")" : "", nullable || *pk ? "" : " NOT NULL",
                        dflt ? arena_printf(c->a, " DEFAULT %s", dflt) : "");
}

/* queryRunner.createTable(new Table({name, columns: [...]})): each column
 * points at its object. */
static bool typeorm_create_table(code_ctx *c, step_reader *r, TSNode call)
{
    TSNode obj = typeorm_object(js_arg(call, 0));
    char *table = js_str(c, js_option(c, obj, "name"));
    TSNode cols = js_option(c, obj, "columns");
    if (!table || !code_node_is(cols, "array"))
        return false;
    step_synth_piece(r, call, arena_printf(c->a, "CREATE TABLE %s (", code_ident(c->a, table)));
    const char *sep = "", *pk = NULL;
    for (uint32_t i = 0; i < ts_node_named_child_count(cols); i++) {
        TSNode col = ts_node_named_child(cols, i);
        bool is_pk = false;
        const char *def = code_node_is(col, "object") ? typeorm_column(c, col, &is_pk) : NULL;
        if (!def) {
            r->step->partial = true;
            continue;
        }
        step_synth_piece(r, col, arena_printf(c->a, "%s\n  %s", sep, def));
        sep = ",";
        if (is_pk) {
            const char *n = code_ident(c->a, js_str(c, js_option(c, col, "name")));
            pk = pk ? arena_printf(c->a, "%s, %s", pk, n) : n;
        }
    }
    if (pk)
        step_synth_piece(r, call, arena_printf(c->a, "%s\n  PRIMARY KEY (%s)", sep, pk));
    step_synth_piece(r, call, "\n)");
    step_synth_end(r, call);
    if (!ts_node_is_null(js_option(c, obj, "foreignKeys")) ||
        !ts_node_is_null(js_option(c, obj, "indices")))
        r->step->partial = true;
    return true;
}

/* queryRunner.createIndex("t", new TableIndex({name, columnNames, isUnique})) */
static const char *typeorm_create_index(code_ctx *c, TSNode call)
{
    char *table = js_str(c, js_arg(call, 0));
    TSNode obj = typeorm_object(js_arg(call, 1));
    char *name = js_str(c, js_option(c, obj, "name"));
    char *cols = js_columns(c, js_option(c, obj, "columnNames"));
    if (!table || !cols)
        return NULL;
    return arena_printf(
        c->a, "CREATE %sINDEX %s%s ON %s (%s)", js_option_true(c, obj, "isUnique") ? "UNIQUE " : "",
        name ? code_ident(c->a, name) : "", name ? "" : "", code_ident(c->a, table), cols);
}

static void js_call(code_ctx *c, step_reader *r, TSNode call)
{
    TSNode fn = field(call, "function");
    if (code_node_is(fn, "identifier")) {
        /* await addColumns(knex): a helper of the file does the work */
        if (!code_node_is(ts_node_parent(call), "arguments"))
            r->step->partial = true;
        return;
    }
    if (!code_node_is(fn, "member_expression"))
        return;
    /* create.up(pgm): the step's object handed to other code */
    TSNode args = field(call, "arguments");
    for (uint32_t i = 0; r->param && i < ts_node_named_child_count(args); i++)
        if (code_text_is(c, ts_node_named_child(args, i), r->param))
            r->step->partial = true;
    char *m = code_node_text(c, field(fn, "property"));
    TSNode root = js_root(fn);
    bool on_param = r->param && code_text_is(c, root, r->param);
    if (!strcmp(m, "query") || !strcmp(m, "raw") || !strcmp(m, "sql")) {
        /* knex.raw('uuid_generate_v4()') given to defaultTo() or used as a
         * value in update({...}) is a fragment, not a statement */
        TSNode parent = ts_node_parent(call);
        if (code_node_is(parent, "arguments") || code_node_is(parent, "pair") ||
            code_node_is(parent, "array") || code_node_is(parent, "binary_expression") ||
            code_node_is(parent, "template_substitution"))
            return;
        /* knex replaces ? and ?? with its bindings at run time */
        if (!strcmp(m, "raw") && !ts_node_is_null(js_arg(call, 1))) {
            char *sql = js_str(c, js_arg(call, 0));
            if (sql && strchr(sql, '?')) {
                code_note(c, call, "SQL with knex bindings (?) is not linted");
                r->step->partial = true;
                return;
            }
        }
        if (on_param || code_text_is(c, root, "knex") || code_text_is(c, root, "queryRunner"))
            step_sql(c, r, js_arg(call, 0), call);
        return;
    }
    if (c->fw == FW_NODE_PG_MIGRATE && on_param && !strcmp(m, "noTransaction")) {
        c->out->no_transaction = true;
        return;
    }
    if (c->fw == FW_TYPEORM && on_param && !strcmp(m, "createTable") &&
        typeorm_create_table(c, r, call))
        return;
    if (c->fw == FW_TYPEORM && on_param && !strcmp(m, "createIndex")) {
        const char *ix = typeorm_create_index(c, call);
        if (ix) {
            step_synth(c, r, call, ix);
            return;
        }
    }
    if (c->fw == FW_TYPEORM && on_param && !strcmp(m, "dropIndex")) {
        char *name = js_str(c, js_arg(call, 1));
        if (name) {
            step_synth(c, r, call, arena_printf(c->a, "DROP INDEX %s", code_ident(c->a, name)));
            return;
        }
    }
    bool known;
    const char *sql = js_helper_sql(c, m, call, &known);
    if (sql && (on_param || c->fw == FW_KNEX)) {
        step_synth(c, r, call, sql);
        return;
    }
    if (c->fw == FW_KNEX && (!strcmp(m, "alterTable") || !strcmp(m, "table")))
        return; /* its callback's calls say what it does */
    if (c->fw == FW_KNEX && knex_alter_table(c, call) &&
        !code_node_is(ts_node_parent(call), "member_expression")) {
        r->step->partial = true; /* table.string('x') and friends */
        return;
    }
    /* Knex builders chain on knex.schema; table callbacks chain on their
     * own parameter, so only the outermost call on the step's object counts. */
    if (on_param && !code_node_is(ts_node_parent(call), "member_expression"))
        r->step->partial = true;
}

static void js_walk(code_ctx *c, step_reader *r, TSNode n)
{
    if (code_node_is(n, "call_expression"))
        js_call(c, r, n);
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        js_walk(c, r, ts_node_named_child(n, i));
}

/* fn is a null node for a step defined elsewhere (`up = policy.down`):
 * an empty, partial step. */
static void js_step(code_ctx *c, TSNode fn, TSNode at, code_step *step)
{
    step_reader r;
    step_begin(c, &r, step, ts_node_start_byte(at));
    if (ts_node_is_null(fn)) {
        step->partial = true;
        code_note(c, at, "the %s step is defined elsewhere and is not linted",
                  code_text_is(c, at, "up") ? "up" : "down");
    } else {
        r.param = js_param(c, fn);
        TSNode body = field(fn, "body");
        if (!ts_node_is_null(body))
            js_walk(c, &r, body);
    }
    step_end(c, &r);
}

bool code_read_js(code_ctx *c)
{
    const char *grammar = "typescript";
    if (strlen(c->host->path) > 3 && !strcmp(c->host->path + strlen(c->host->path) - 3, ".js"))
        grammar = "javascript";
    TSTree *tree = tsq_parse(grammar, c->host->text, (uint32_t)c->host->len);
    if (!tree)
        return false;
    js_steps s = {0};
    code_collect_constants(c, ts_tree_root_node(tree));
    js_find_steps(c, ts_tree_root_node(tree), &s);
    bool ok = !ts_node_is_null(s.up_at);
    if (ok) {
        c->out->no_transaction = s.no_tx;
        js_step(c, s.up, s.up_at, &c->out->up);
        if (!ts_node_is_null(s.down) || s.down_elsewhere) {
            js_step(c, s.down, s.down_at, &c->out->down);
            c->out->has_down = true;
        } else if (c->fw == FW_NODE_PG_MIGRATE && !s.down_false) {
            c->out->has_down = c->out->down_derived = true; /* inferred from up */
        }
    }
    ts_tree_delete(tree);
    return ok;
}
