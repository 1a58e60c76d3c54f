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

#include "../core/strbuf.h"
#include "lint_internal.h"

/* The findings' arena, as lint_arena gives it (lint.c calls this file:
 * not the other way round). */
static arena *facts_arena(const lint_ctx *ctx)
{
    return ctx->linter->out->arena;
}

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* s1, a separator no name holds, and s2, in the step's arena. Joined
 * without printf: ALTER TABLE is the commonest statement of a step. */
static const char *key_join(const lint_ctx *ctx, const char *s1, const char *s2)
{
    size_t n = strlen(s1) + strlen(s2) + 2;
    char *k = arena_alloc(facts_arena(ctx), n);
    str_join3(k, n, s1, "\x1f", s2);
    return k;
}

/* "schema\x1fname" of a RangeVar, schema "public" when not written. */
static const char *rel_key(const lint_ctx *ctx, const cJSON *rv)
{
    const char *name = sql_get_str(rv, "relname"), *schema = sql_get_str(rv, "schemaname");
    return name ? key_join(ctx, schema ? schema : "public", name) : NULL;
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
void stepfacts_forward(lint_ctx *ctx, const sql_file *f)
{
    ctx->last_tx_end = -1;
    for (size_t i = 0; i < f->nstmts; i++) {
        const sql_stmt *s = &f->stmts[i];
        if (s->parse_error || s->ends_transaction) /* one that does not parse may be the COMMIT */
            ctx->last_tx_end = (long)i;
        else if (s->temp_table)
            note_temp(ctx, i, s->temp_table);
    }
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

/* ---- backward: noted as the loop goes, by state_update (lint.c) after
 * each statement's rules, or by the rule that asks, which sees every
 * statement it asks about (its own kinds) ---- */

/* "schema\x1fname" of a name list as domain-constraint compares them: the
 * last two names, schema "public" when there is one name. */
static const char *dotted_key(const lint_ctx *ctx, const cJSON *names)
{
    int n = cJSON_GetArraySize(names);
    if (n < 1)
        return NULL;
    const char *schema = n > 1 ? sql_string_value(cJSON_GetArrayItem(names, n - 2)) : "public";
    const char *name = sql_string_value(cJSON_GetArrayItem(names, n - 1));
    return schema && name ? key_join(ctx, schema, name) : NULL;
}

static void note_not_valid(lint_ctx *ctx, size_t i, const char *table, const cJSON *c)
{
    if (ctx->nnot_valid == ctx->capnot_valid) {
        ctx->capnot_valid = ctx->capnot_valid ? ctx->capnot_valid * 2 : 8;
        ctx->not_valid = realloc(ctx->not_valid, ctx->capnot_valid * sizeof *ctx->not_valid);
        if (!ctx->not_valid)
            abort();
    }
    arena *a = facts_arena(ctx);
    bool fk = is(sql_get_str(c, "contype"), "CONSTR_FOREIGN");
    ctx->not_valid[ctx->nnot_valid++] =
        (lint_not_valid){i, table, arena_strdup(a, sql_get_str(c, "conname")), fk,
                         fk ? sql_rangevar_name(a, sql_get(c, "pktable")) : NULL};
}

void lint_note_not_valid(lint_ctx *ctx, const sql_stmt *s, const cJSON *rel, const cJSON *c)
{
    const char *table;
    if (sql_get_str(c, "conname") && sql_get_bool(c, "skip_validation") &&
        (table = rel_key(ctx, rel)))
        note_not_valid(ctx, (size_t)(s - ctx->file->stmts), table, c);
}

void lint_note_robust_drops(lint_ctx *ctx, const sql_stmt *s)
{
    const char *table = NULL;
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *name;
        if (!is(sql_get_str(cmd, "subtype"), "AT_DropConstraint") ||
            !(name = sql_get_str(cmd, "name")) || !sql_get_bool(cmd, "missing_ok"))
            continue;
        if (!table && !(table = rel_key(ctx, sql_get(s->node, "relation"))))
            return;
        strset_add(&ctx->robust_drops, key_join(ctx, table, name));
    }
}

void stepfacts_transaction(lint_ctx *ctx, const cJSON *node)
{
    const char *k = sql_get_str(node, "kind");
    if (!is(k, "TRANS_STMT_SAVEPOINT") && !is(k, "TRANS_STMT_RELEASE"))
        ctx->nnot_valid = 0; /* validate-in-same-transaction looks no further back */
}

void stepfacts_domain(lint_ctx *ctx, const cJSON *node)
{
    const char *key = dotted_key(ctx, sql_get(node, "domainname"));
    if (key)
        strset_add(&ctx->new_domains, key);
}

bool lint_domain_created_before(const lint_ctx *ctx, const cJSON *names)
{
    const char *key = dotted_key(ctx, names);
    return key && strset_has(&ctx->new_domains, key);
}

bool lint_dropped_if_exists_before(const lint_ctx *ctx, const cJSON *rel, const char *name)
{
    const char *table = rel_key(ctx, rel);
    return table && name && strset_has(&ctx->robust_drops, key_join(ctx, table, name));
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
    if (ctx->new_domains.cap) /* most steps have none: no calls for them */
        strset_free(&ctx->new_domains);
    if (ctx->robust_drops.cap)
        strset_free(&ctx->robust_drops);
}
