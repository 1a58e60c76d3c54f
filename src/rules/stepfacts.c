/* stepfacts.c - what the rules need to know about a step's other
 * statements, gathered while those statements' trees are alive.
 *
 * A file over 64 KiB keeps its trees one window of statements at a time
 * (sql.h, sql_file_hold), so no rule may read another statement's tree:
 * a rule that looks forward (is there a COMMIT later? a temporary table
 * of that name?) asks the facts step_setup's pass over the step gathered,
 * and one that looks back asks those noted after each earlier statement
 * was linted. Every file takes this path, small ones too. */
#include <stdlib.h>
#include <string.h>

#include "lint_internal.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* "schema\x1fname" of a RangeVar (a separator no name holds), schema "public" when not written. */
static const char *rel_key(const lint_ctx *ctx, const cJSON *rv)
{
    const char *name = sql_get_str(rv, "relname"), *schema = sql_get_str(rv, "schemaname");
    return name ? arena_printf(lint_arena(ctx), "%s\x1f%s", schema ? schema : "public", name)
                : NULL;
}

/* ---- forward: gathered before the step's first statement is linted ---- */

static void note_temp(lint_ctx *ctx, size_t i, const char *name)
{
    if (ctx->ntemps == ctx->captemps) {
        ctx->captemps = ctx->captemps ? ctx->captemps * 2 : 8;
        ctx->temps = realloc(ctx->temps, ctx->captemps * sizeof *ctx->temps);
        if (!ctx->temps)
            abort();
    }
    ctx->temps[ctx->ntemps++] = (struct lint_temp){i, name};
}

/* From the facts the parser noted on each statement (sql.h), not the
 * trees, which a large file does not hold all at once. */
void stepfacts_forward(lint_ctx *ctx, size_t i, const sql_stmt *s)
{
    if (s->parse_error ||
        s->ends_transaction) /* a statement that does not parse may be the COMMIT */
        ctx->last_tx_end = (long)i;
    else if (s->temp_table)
        note_temp(ctx, i, s->temp_table);
}

bool lint_transaction_ends_after(const lint_ctx *ctx, const sql_stmt *s)
{
    return ctx->last_tx_end > (long)(s - ctx->file->stmts);
}

bool lint_created_later_as_temp(const lint_ctx *ctx, const char *name)
{
    size_t at = (size_t)(ctx->stmt - ctx->file->stmts);
    for (size_t k = ctx->ntemps; k-- > 0 && ctx->temps[k].index > at;)
        if (!strcmp(ctx->temps[k].name, name))
            return true;
    return false;
}

/* ---- backward: noted after each statement is linted ---- */

/* "schema\x1fname" of a name list as domain-constraint compares them: the
 * last two names, schema "public" when there is one name. */
static const char *dotted_key(const lint_ctx *ctx, const cJSON *names)
{
    int n = cJSON_GetArraySize(names);
    if (n < 1)
        return NULL;
    const char *schema = n > 1 ? sql_string_value(cJSON_GetArrayItem(names, n - 2)) : "public";
    const char *name = sql_string_value(cJSON_GetArrayItem(names, n - 1));
    return schema && name ? arena_printf(lint_arena(ctx), "%s\x1f%s", schema, name) : NULL;
}

static void note_not_valid(lint_ctx *ctx, size_t i, const char *table, const cJSON *c)
{
    if (ctx->nnot_valid == ctx->capnot_valid) {
        ctx->capnot_valid = ctx->capnot_valid ? ctx->capnot_valid * 2 : 8;
        ctx->not_valid = realloc(ctx->not_valid, ctx->capnot_valid * sizeof *ctx->not_valid);
        if (!ctx->not_valid)
            abort();
    }
    arena *a = lint_arena(ctx);
    bool fk = is(sql_get_str(c, "contype"), "CONSTR_FOREIGN");
    ctx->not_valid[ctx->nnot_valid++] =
        (lint_not_valid){i, table, arena_strdup(a, sql_get_str(c, "conname")), fk,
                         fk ? sql_rangevar_name(a, sql_get(c, "pktable")) : NULL};
}

static void note_alter_table(lint_ctx *ctx, size_t i, const sql_stmt *s)
{
    const char *table = rel_key(ctx, sql_get(s->node, "relation"));
    const cJSON *item;
    if (!table)
        return;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype"), *name = sql_get_str(cmd, "name");
        const cJSON *c = sql_get(sql_get(cmd, "def"), "Constraint");
        if (is(sub, "AT_DropConstraint") && name && sql_get_bool(cmd, "missing_ok"))
            strset_add(&ctx->robust_drops, arena_printf(lint_arena(ctx), "%s\x1f%s", table, name));
        else if (is(sub, "AT_AddConstraint") && sql_get_str(c, "conname") &&
                 sql_get_bool(c, "skip_validation"))
            note_not_valid(ctx, i, table, c);
    }
}

void stepfacts_backward(lint_ctx *ctx, const sql_stmt *s)
{
    if (s->parse_error || !s->kind)
        return;
    size_t i = (size_t)(s - ctx->file->stmts);
    if (!strcmp(s->kind, "TransactionStmt")) {
        const char *k = sql_get_str(s->node, "kind");
        if (!is(k, "TRANS_STMT_SAVEPOINT") && !is(k, "TRANS_STMT_RELEASE"))
            ctx->nnot_valid = 0; /* validate-in-same-transaction looks no further back */
    } else if (!strcmp(s->kind, "AlterTableStmt")) {
        note_alter_table(ctx, i, s);
    } else if (!strcmp(s->kind, "CreateDomainStmt")) {
        const char *key = dotted_key(ctx, sql_get(s->node, "domainname"));
        if (key)
            strset_add(&ctx->new_domains, key);
    }
}

bool lint_domain_created_before(const lint_ctx *ctx, const cJSON *names)
{
    const char *key = dotted_key(ctx, names);
    return key && strset_has(&ctx->new_domains, key);
}

bool lint_dropped_if_exists_before(const lint_ctx *ctx, const cJSON *rel, const char *name)
{
    const char *table = rel_key(ctx, rel);
    return table && name &&
           strset_has(&ctx->robust_drops, arena_printf(lint_arena(ctx), "%s\x1f%s", table, name));
}

const lint_not_valid *lint_not_valid_before(const lint_ctx *ctx, const cJSON *rel, const char *name)
{
    const char *table = rel_key(ctx, rel);
    const lint_not_valid *found = NULL;
    if (!table || !name)
        return NULL;
    /* The latest statement that adds it, and in that statement its first
     * subcommand that does, as the walk back over the trees found. */
    for (size_t k = ctx->nnot_valid; k-- > 0;) {
        const lint_not_valid *v = &ctx->not_valid[k];
        if (found && v->index != found->index)
            break;
        if (!strcmp(v->table, table) && !strcmp(v->name, name))
            found = v;
    }
    return found;
}

void stepfacts_free(lint_ctx *ctx)
{
    free(ctx->temps);
    free(ctx->not_valid);
    strset_free(&ctx->new_domains);
    strset_free(&ctx->robust_drops);
}
