/* lint.c - the lint engine: one pass over the statements of a migration,
 * dispatching each statement to the rules that look at its kind. */
#include "lint_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ruledoc.h"

linter *linter_new(diag_list *out)
{
    linter *l = calloc(1, sizeof *l);
    if (!l)
        abort();
    l->out = out;
    size_t n = ruledoc_count();
    l->levels = calloc(n ? n : 1, sizeof *l->levels);
    if (!l->levels)
        abort();
    for (size_t i = 0; i < n; i++) {
        const rule_doc *d = ruledoc_at(i);
        l->levels[i] = d->opt_in ? LEVEL_NONE : d->level;
    }
    l->ignores = ignore_matcher_new();
    return l;
}

void linter_free(linter *l)
{
    if (!l)
        return;
    ignore_matcher_free(l->ignores);
    free(l->levels);
    free(l);
}

bool linter_set_level(linter *l, const char *rule_id, diag_level level)
{
    int i = ruledoc_index(rule_id);
    if (i < 0)
        return false;
    l->levels[i] = level;
    return true;
}

diag_level linter_level(const linter *l, const char *rule_id)
{
    int i = ruledoc_index(rule_id);
    return i < 0 ? LEVEL_NONE : l->levels[i];
}

diag *linter_emit(linter *l, const char *rule_id, const sql_file *file, const sql_stmt *stmt,
                  int stmt_index, size_t start, size_t end, const char *message)
{
    int i = ruledoc_index(rule_id);
    if (i < 0 || l->levels[i] == LEVEL_NONE)
        return NULL;
    /* The registry's id string lives as long as the program; the doc's too. */
    diag *d = diag_list_add(l->out, ruledoc_at((size_t)i)->id, l->levels[i], file->src, start, end);
    if (stmt) {
        d->stmt_start = stmt->start;
        d->stmt_end = stmt->end;
    }
    d->stmt_index = stmt_index;
    d->message = message;
    return d;
}

/* ---- the API rule files use (rule.h) ---- */

const sql_file *lint_file(const lint_ctx *ctx)
{
    return ctx->file;
}

arena *lint_arena(const lint_ctx *ctx)
{
    return ctx->linter->out->arena;
}

static char *relation_key(const char *schema, const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s.%s", schema ? schema : "public", name);
    return buf;
}

bool lint_relation_is_new(const lint_ctx *ctx, const char *schema, const char *name)
{
    char key[300];
    relation_key(schema, name, key, sizeof key);
    for (size_t i = 0; i < ctx->ncreated; i++)
        if (strcmp(ctx->created[i], key) == 0)
            return true;
    return false;
}

bool lint_rangevar_is_new(const lint_ctx *ctx, const cJSON *rv)
{
    const char *name = sql_get_str(rv, "relname");
    return name && lint_relation_is_new(ctx, sql_get_str(rv, "schemaname"), name);
}

bool lint_in_transaction(const lint_ctx *ctx)
{
    return ctx->in_transaction;
}

diag *lint_report(lint_ctx *ctx, const char *rule_id, size_t start, size_t end, const char *fmt,
                  ...)
{
    int i = ruledoc_index(rule_id);
    if (i < 0 || ctx->linter->levels[i] == LEVEL_NONE)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    char *msg = arena_vprintf(lint_arena(ctx), fmt, ap);
    va_end(ap);
    return linter_emit(ctx->linter, rule_id, ctx->file, ctx->stmt, ctx->stmt_index, start, end,
                       msg);
}

void lint_help(lint_ctx *ctx, diag *d, const char *fmt, ...)
{
    if (!d)
        return;
    va_list ap;
    va_start(ap, fmt);
    d->help = arena_vprintf(lint_arena(ctx), fmt, ap);
    va_end(ap);
}

/* ---- per-file state the rules read ---- */

static void state_add_relation(lint_ctx *ctx, const char *schema, const char *name)
{
    if (!name || lint_relation_is_new(ctx, schema, name))
        return;
    char key[300];
    relation_key(schema, name, key, sizeof key);
    char **c = realloc(ctx->created, (ctx->ncreated + 1) * sizeof *c);
    if (!c)
        abort();
    ctx->created = c;
    ctx->created[ctx->ncreated++] = strdup(key);
}

static void state_add_rangevar(lint_ctx *ctx, const cJSON *rv)
{
    state_add_relation(ctx, sql_get_str(rv, "schemaname"), sql_get_str(rv, "relname"));
}

static void state_transaction(lint_ctx *ctx, const cJSON *node)
{
    const char *kind = sql_get_str(node, "kind");
    if (!kind)
        return;
    if (!strcmp(kind, "TRANS_STMT_BEGIN") || !strcmp(kind, "TRANS_STMT_START"))
        ctx->in_transaction = true;
    else if (!strcmp(kind, "TRANS_STMT_COMMIT") || !strcmp(kind, "TRANS_STMT_ROLLBACK") ||
             !strcmp(kind, "TRANS_STMT_PREPARE") || !strcmp(kind, "TRANS_STMT_COMMIT_PREPARED"))
        ctx->in_transaction = false;
}

/* Records what a statement creates, after the rules have seen it. */
static void state_update(lint_ctx *ctx, const sql_stmt *s)
{
    if (s->parse_error)
        return;
    const cJSON *n = s->node;
    if (!strcmp(s->kind, "CreateStmt"))
        state_add_rangevar(ctx, sql_get(n, "relation"));
    else if (!strcmp(s->kind, "CreateTableAsStmt"))
        state_add_rangevar(ctx, sql_get(sql_get(n, "into"), "rel"));
    else if (!strcmp(s->kind, "ViewStmt"))
        state_add_rangevar(ctx, sql_get(n, "view"));
    else if (!strcmp(s->kind, "IndexStmt"))
        state_add_relation(ctx, sql_get_str(sql_get(n, "relation"), "schemaname"),
                           sql_get_str(n, "idxname"));
    else if (!strcmp(s->kind, "RenameStmt") && lint_rangevar_is_new(ctx, sql_get(n, "relation")))
        state_add_relation(ctx, sql_get_str(sql_get(n, "relation"), "schemaname"),
                           sql_get_str(n, "newname"));
    else if (!strcmp(s->kind, "TransactionStmt"))
        state_transaction(ctx, n);
}

/* True when kind appears as a whole word in the space-separated list. */
static bool kind_matches(const char *kinds, const char *kind)
{
    if (!kinds)
        return true;
    if (!kind)
        return false;
    size_t n = strlen(kind);
    for (const char *p = strstr(kinds, kind); p; p = strstr(p + 1, kind))
        if ((p == kinds || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

void linter_check(linter *l, const sql_file *file)
{
    size_t first = l->out->count;
    lint_ctx ctx = {.linter = l, .file = file};
    for (size_t i = 0; i < file->nstmts; i++) {
        const sql_stmt *s = &file->stmts[i];
        ctx.stmt = s;
        ctx.stmt_index = (int)i;
        for (size_t r = 0; r < rule_registry_count; r++) {
            const rule *rule = rule_registry[r];
            if (linter_level(l, rule->id) == LEVEL_NONE)
                continue;
            if (s->parse_error ? rule->kinds == NULL : kind_matches(rule->kinds, s->kind))
                rule->check(&ctx, s);
        }
        state_update(&ctx, s);
    }
    for (size_t i = 0; i < ctx.ncreated; i++)
        free(ctx.created[i]);
    free(ctx.created);
    ignore_apply(l, file, first);
}
