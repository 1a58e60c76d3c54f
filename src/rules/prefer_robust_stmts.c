/* prefer-robust-stmts (opt-in): statements that fail when run a second time
 * (CREATE without IF NOT EXISTS, DROP without IF EXISTS, ADD/DROP COLUMN,
 * DROP CONSTRAINT and named ADD CONSTRAINT without a guard), in a migration
 * that does not run inside a transaction. Such a migration that fails
 * halfway leaves its first statements applied, and the retry then stops at
 * the first of them. Inside a transaction (an explicit BEGIN, the
 * framework's, or one multi-statement query) a failure rolls everything back,
 * so the rule is quiet there. */
#include <string.h>

#include "rule.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static void report(lint_ctx *ctx, lint_span at, const char *what, const char *fix)
{
    diag *d = lint_report(ctx, "prefer-robust-stmts", at.start, at.end,
                          "%s fails when the migration is run again: outside a transaction, a "
                          "migration that fails halfway leaves it applied, and the retry stops "
                          "here",
                          what);
    lint_help(ctx, d, "%s", fix);
}

/* Does one of the first n subcommands (n < 0: all) drop constraint `name` IF EXISTS? */
static bool drops_if_exists(const cJSON *node, const char *name, int n)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(node, "cmds"))
    {
        if (n-- == 0)
            break;
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        if (is(sql_get_str(cmd, "subtype"), "AT_DropConstraint") &&
            is(sql_get_str(cmd, "name"), name) && sql_get_bool(cmd, "missing_ok"))
            return true;
    }
    return false;
}

/* ADD CONSTRAINT name is re-runnable after DROP CONSTRAINT IF EXISTS name. */
static bool guarded_add(lint_ctx *ctx, const sql_stmt *s, const char *name, int i)
{
    const cJSON *rel = sql_get(s->node, "relation");
    if (drops_if_exists(s->node, name, i))
        return true;
    return lint_dropped_if_exists_before(ctx, rel, name);
}

static void check_cmd(lint_ctx *ctx, const sql_stmt *s, lint_span part, const cJSON *cmd, int i)
{
    arena *a = lint_arena(ctx);
    const char *sub = sql_get_str(cmd, "subtype");
    const char *name = sql_get_str(cmd, "name");
    const cJSON *def = sql_get(cmd, "def");
    if (sql_get_bool(cmd, "missing_ok"))
        return;
    if (is(sub, "AT_AddColumn")) {
        name = sql_get_str(sql_get(def, "ColumnDef"), "colname");
        report(ctx, part, arena_printf(a, "ADD COLUMN %s", name),
               arena_printf(a, "ADD COLUMN IF NOT EXISTS %s ...", name));
    } else if (is(sub, "AT_DropColumn")) {
        report(ctx, part, arena_printf(a, "DROP COLUMN %s", name),
               arena_printf(a, "DROP COLUMN IF EXISTS %s", name));
    } else if (is(sub, "AT_DropConstraint")) {
        report(ctx, part, arena_printf(a, "DROP CONSTRAINT %s", name),
               arena_printf(a, "DROP CONSTRAINT IF EXISTS %s", name));
    } else if (is(sub, "AT_AddConstraint") &&
               (name = sql_get_str(sql_get(def, "Constraint"), "conname")) &&
               !guarded_add(ctx, s, name, i)) {
        report(
            ctx, part, arena_printf(a, "ADD CONSTRAINT %s", name),
            arena_printf(a, "precede it with ALTER TABLE ... DROP CONSTRAINT IF EXISTS %s", name));
    }
}

static void check_alter(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    lint_span relname = lint_name_at(ctx, s, (size_t)sql_location(rel));
    int i = 0;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        check_cmd(ctx, s, lint_subcommand(ctx, s, relname.end, i), sql_get(item, "AlterTableCmd"),
                  i);
        i++;
    }
}

/* "DROP TABLE", "DROP MATERIALIZED VIEW"... from the DropStmt's removeType. */
static const char *drop_what(lint_ctx *ctx, const cJSON *n)
{
    const char *type = sql_get_str(n, "removeType");
    if (!type || strncmp(type, "OBJECT_", 7) != 0)
        return "DROP";
    if (!strcmp(type, "OBJECT_MATVIEW"))
        return "DROP MATERIALIZED VIEW";
    char *what = arena_printf(lint_arena(ctx), "DROP %s", type + 7);
    for (char *p = what; *p; p++)
        if (*p == '_')
            *p = ' ';
    return what;
}

/* The first object a DROP names: functions and operators come with their
 * arguments (ObjectWithArgs). */
static const char *dropped_name(lint_ctx *ctx, const cJSON *obj)
{
    const cJSON *owa = sql_get(obj, "ObjectWithArgs");
    if (owa)
        return sql_name_list(lint_arena(ctx), sql_get(owa, "objname"));
    return lint_object_name(ctx, obj);
}

/* The name a CREATE statement gives its object. */
static const char *created_name(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *n = s->node;
    arena *a = lint_arena(ctx);
    if (!strcmp(s->kind, "CreateStmt"))
        return sql_rangevar_name(a, sql_get(n, "relation"));
    if (!strcmp(s->kind, "CreateSeqStmt"))
        return sql_rangevar_name(a, sql_get(n, "sequence"));
    if (!strcmp(s->kind, "ViewStmt"))
        return sql_rangevar_name(a, sql_get(n, "view"));
    const char *field = !strcmp(s->kind, "IndexStmt")          ? "idxname"
                        : !strcmp(s->kind, "CreateSchemaStmt") ? "schemaname"
                                                               : "extname";
    const char *name = sql_get_str(n, field);
    return name ? name : "(unnamed)";
}

static const char *create_word(const char *kind)
{
    return !strcmp(kind, "CreateStmt")         ? "CREATE TABLE"
           : !strcmp(kind, "IndexStmt")        ? "CREATE INDEX"
           : !strcmp(kind, "CreateSeqStmt")    ? "CREATE SEQUENCE"
           : !strcmp(kind, "CreateSchemaStmt") ? "CREATE SCHEMA"
                                               : "CREATE EXTENSION";
}

/* CREATE ... IF NOT EXISTS, CREATE OR REPLACE VIEW, DROP ... IF EXISTS. */
static void check_create_drop(lint_ctx *ctx, const sql_stmt *s)
{
    arena *a = lint_arena(ctx);
    const cJSON *n = s->node;
    lint_span at = lint_stmt_head(ctx, s);
    if (!strcmp(s->kind, "DropStmt")) {
        if (sql_get_bool(n, "missing_ok"))
            return;
        const char *what = drop_what(ctx, n);
        const char *name = dropped_name(ctx, cJSON_GetArrayItem(sql_get(n, "objects"), 0));
        report(ctx, at, arena_printf(a, "%s %s", what, name),
               arena_printf(a, "%s IF EXISTS %s", what, name));
    } else if (!strcmp(s->kind, "ViewStmt")) {
        if (sql_get_bool(n, "replace"))
            return;
        const char *name = created_name(ctx, s);
        report(ctx, at, arena_printf(a, "CREATE VIEW %s", name),
               arena_printf(a, "CREATE OR REPLACE VIEW %s ...", name));
    } else if (!sql_get_bool(n, "if_not_exists")) {
        const char *what = create_word(s->kind), *name = created_name(ctx, s);
        report(ctx, at, arena_printf(a, "%s %s", what, name),
               !strcmp(s->kind, "IndexStmt")
                   ? arena_printf(a,
                                  "CREATE INDEX CONCURRENTLY IF NOT EXISTS %s ... (and drop an "
                                  "INVALID index left by a failed build before retrying)",
                                  name)
                   : arena_printf(a, "%s IF NOT EXISTS %s ...", what, name));
    }
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    bool alter = !strcmp(s->kind, "AlterTableStmt");
    if (!lint_transaction_reason(ctx)) {
        if (alter)
            check_alter(ctx, s);
        else
            check_create_drop(ctx, s);
    }
    /* After its own ADDs were checked (a DROP IF EXISTS later in the same
     * statement guards none of them), and in a transaction too: a later
     * statement's ADD may run outside it. */
    if (alter)
        lint_note_robust_drops(ctx, s);
}

const rule rule_prefer_robust_stmts = {
    .id = "prefer-robust-stmts",
    .kinds = "CreateStmt IndexStmt DropStmt ViewStmt CreateSeqStmt CreateSchemaStmt "
             "CreateExtensionStmt AlterTableStmt",
    .check = check};
