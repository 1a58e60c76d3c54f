/* lint.c - the lint engine: one pass over the statements of a migration,
 * dispatching each statement to the rules that look at its kind. */
#include "lint_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../catalog/catalog.h"
#include "../sql/pgversion.h"
#include "../core/strbuf.h"
#include "../core/strset.h"
#include "kindmemo.h"
#include "ruledoc.h"

linter *linter_new(diag_list *out)
{
    linter *l = calloc(1, sizeof *l);
    if (!l)
        abort();
    l->out = out;
    l->pg_version = PG_TARGET_DEFAULT;
    l->pg_version_why = "default";
    size_t n = ruledoc_count();
    l->levels = calloc(n ? n : 1, sizeof *l->levels);
    if (!l->levels)
        abort();
    for (size_t i = 0; i < n; i++) {
        const rule_doc *d = ruledoc_at(i);
        l->levels[i] = d->opt_in ? LEVEL_NONE : d->level;
    }
    l->skip_in_down = calloc(n ? n : 1, sizeof *l->skip_in_down);
    if (!l->skip_in_down)
        abort();
    for (size_t i = 0; i < n; i++) {
        const char *cat = ruledoc_at(i)->category;
        const char *id = ruledoc_at(i)->id;
        /* A down step may drop and lock what its up step built; but a
         * statement that makes the rollback itself fail is still reported. */
        bool fails = !strcmp(id, "concurrent-in-transaction") ||
                     !strcmp(id, "uncommitted-transaction") || !strcmp(id, "transaction-nesting");
        l->skip_in_down[i] = !fails && (!strcmp(cat, "destructive") || !strcmp(cat, "locking") ||
                                        !strcmp(cat, "style"));
    }
    /* Which document each registered rule has, looked up once. */
    l->registry_doc = calloc(rule_registry_count, sizeof *l->registry_doc);
    if (!l->registry_doc)
        abort();
    for (size_t r = 0; r < rule_registry_count; r++)
        l->registry_doc[r] = ruledoc_index(rule_registry[r]->id);
    l->ignores = ignore_matcher_new();
    l->rule_kinds = calloc(rule_registry_count ? rule_registry_count : 1, sizeof *l->rule_kinds);
    if (!l->rule_kinds)
        abort();
    for (size_t r = 0; r < rule_registry_count; r++)
        l->rule_kinds[r] = rule_registry[r]->kinds;
    l->kinds = kind_memo_new(l->rule_kinds, rule_registry_count);
    for (int k = 0; k < 3; k++) {
        l->runs[k] = calloc(rule_registry_count ? rule_registry_count : 1, sizeof *l->runs[k]);
        if (!l->runs[k])
            abort();
    }
    l->migration_rules =
        calloc(rule_registry_count ? rule_registry_count : 1, sizeof *l->migration_rules);
    if (!l->migration_rules)
        abort();
    return l;
}

void linter_free(linter *l)
{
    if (!l)
        return;
    ignore_matcher_free(l->ignores);
    kind_memo_free(l->kinds);
    free(l->rule_kinds);
    for (int k = 0; k < 3; k++)
        free(l->runs[k]);
    free(l->migration_rules);
    free(l->skip_in_down);
    free(l->registry_doc);
    free(l->seen);
    free(l->levels);
    free(l);
}

bool linter_set_level(linter *l, const char *rule_id, diag_level level)
{
    int i = ruledoc_index(rule_id);
    if (i < 0)
        return false;
    l->levels[i] = level;
    l->runs_known = false;
    return true;
}

diag_level linter_level(const linter *l, const char *rule_id)
{
    int i = ruledoc_index(rule_id);
    return i < 0 ? LEVEL_NONE : l->levels[i];
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

/* "schema.name", cut at size - 1 bytes as snprintf would: asked once per
 * relation a rule looks at, where snprintf cost 900 instructions. */
static char *relation_key(const char *schema, const char *name, char *buf, size_t size)
{
    str_join3(buf, size, schema ? schema : "public", ".", name);
    return buf;
}

bool lint_relation_is_new(const lint_ctx *ctx, const char *schema, const char *name)
{
    char key[300];
    relation_key(schema, name, key, sizeof key);
    if (strset_has(&ctx->created_set, key))
        return true;
    const lint_migration *mig = ctx->linter->mig;
    return mig && mig->new_relations && strset_has(mig->new_relations, key);
}

bool lint_rangevar_is_new(const lint_ctx *ctx, const cJSON *rv)
{
    const char *name = sql_get_str(rv, "relname");
    return name && lint_relation_is_new(ctx, sql_get_str(rv, "schemaname"), name);
}

/* A later statement of this step creates schema.name as a temporary table. */
static bool created_later_as_temp(const lint_ctx *ctx, const char *schema, const char *name)
{
    if (schema && strcmp(schema, "pg_temp") != 0)
        return false;
    return lint_created_later_as_temp(ctx, name);
}

bool lint_object_known_absent(const lint_ctx *ctx, const char *schema, const char *name)
{
    const lint_migration *mig = ctx->linter->mig;
    if (!name || !mig || mig->partial || !mig->cat || !ctx->stmt)
        return false;
    if (created_later_as_temp(ctx, schema, name))
        return true;
    if (catalog_find_rel(mig->cat, schema, name) || catalog_find_type(mig->cat, schema, name))
        return false;
    char key[300];
    if (schema && strcmp(schema, "public") != 0)
        snprintf(key, sizeof key, "%s.%s", schema, name);
    else
        snprintf(key, sizeof key, "%s", name);
    return mig->built && strset_has(mig->built, key);
}

bool lint_column_known_absent(const lint_ctx *ctx, const cJSON *rv, const char *col)
{
    const char *schema = sql_get_str(rv, "schemaname"), *name = sql_get_str(rv, "relname");
    const lint_migration *mig = ctx->linter->mig;
    if (!name || !col || !mig || mig->partial || !mig->cat)
        return false;
    const cat_table *t = catalog_find_table(mig->cat, schema, name);
    if (!t)
        return lint_object_known_absent(ctx, schema, name);
    return !cat_rel_is_platform(&t->rel) && !cat_table_find_column(t, col);
}

void linter_set_pg_version(linter *l, int version, const char *why)
{
    l->pg_version = version;
    l->pg_version_why = why ? why : "--pg-version";
}

const catalog *lint_catalog(const lint_ctx *ctx)
{
    return ctx->linter->mig ? ctx->linter->mig->cat : NULL;
}

const char *lint_format_type(const lint_ctx *ctx, const cJSON *type_name)
{
    lint_migration *mig = ctx->linter->mig;
    /* Formatting interns strings in the catalog's arena; the schema itself
     * is not changed, so rules still see it as it was before the statement. */
    return mig && mig->cat ? catalog_format_type(mig->cat, ctx->file, ctx->stmt, type_name) : NULL;
}

int lint_pg_version(const lint_ctx *ctx)
{
    return ctx->linter->pg_version;
}

void linter_set_dialect(linter *l, sql_dialect d)
{
    l->dialect = d;
    l->runs_known = false;
}

sql_dialect linter_dialect(const linter *l)
{
    return l->dialect;
}

sql_dialect lint_dialect(const lint_ctx *ctx)
{
    return ctx->linter->dialect;
}

const char *lint_pg_version_why(const lint_ctx *ctx)
{
    return ctx->linter->pg_version_why;
}

bool lint_in_transaction(const lint_ctx *ctx)
{
    return ctx->in_transaction || ctx->framework_tx;
}

bool lint_in_down(const lint_ctx *ctx)
{
    return ctx->down;
}

/* How each framework's wrapping can be turned off, for the messages. */
static const char *framework_tx_reason(framework fw)
{
    switch (fw) {
    case FW_GOOSE:
        return "goose runs this migration in a transaction (add `-- +goose NO TRANSACTION`)";
    case FW_DBMATE:
        return "dbmate runs this migration in a transaction (add `transaction:false` to the "
               "`-- migrate:up` line)";
    case FW_FLYWAY:
        return "Flyway runs this migration in a transaction (set executeInTransaction=false in "
               "a script configuration file)";
    case FW_DIESEL:
        return "diesel runs this migration in a transaction (set run_in_transaction = false in "
               "its metadata.toml)";
    case FW_DRIZZLE:
        return "drizzle-kit's migrator runs all pending migrations in one transaction";
    case FW_SUPABASE:
        return "the Supabase CLI runs each migration file as one transaction";
    case FW_TYPEORM:
        return "TypeORM runs this migration in a transaction (set `transaction = false` on the "
               "migration class)";
    case FW_KNEX:
        return "Knex runs this migration in a transaction (export `config = { transaction: "
               "false }`)";
    case FW_NODE_PG_MIGRATE:
        return "node-pg-migrate runs this migration in a transaction (call "
               "`pgm.noTransaction()`)";
    case FW_ALEMBIC:
        return "Alembic runs this migration in a transaction (run the statement inside `with "
               "op.get_context().autocommit_block():`)";
    case FW_DJANGO:
        return "Django runs this migration in a transaction (set `atomic = False` on the "
               "Migration class)";
    default:
        return "the migration framework runs this step in a transaction";
    }
}

const char *lint_transaction_reason(const lint_ctx *ctx)
{
    if (ctx->in_transaction)
        return arena_printf(lint_arena(ctx), "inside the BEGIN on line %d",
                            source_position(ctx->file->src, ctx->begin_offset).line);
    framework fw = ctx->linter->mig ? ctx->linter->mig->fw : FW_PLAIN;
    if (ctx->framework_tx)
        return framework_tx_reason(fw);
    if (ctx->implicit_tx && ctx->statements > 1)
        return arena_printf(lint_arena(ctx),
                            "%s sends the whole step as one query string, which PostgreSQL runs "
                            "as one implicit transaction (give this statement a migration of its "
                            "own)",
                            framework_name(fw));
    return NULL;
}

/* Findings' messages and helps are printed by the thousand (3,158 on the
 * bench corpus), and vsnprintf spent some 1,700 instructions on each. The
 * formats made of %s, %d, %zu and %% only are put by hand, as printf
 * would put them; any other goes to arena_vprintf. */
static bool format_is_plain(const char *fmt)
{
    for (const char *p = fmt; (p = strchr(p, '%'));) {
        if (p[1] == 's' || p[1] == 'd' || p[1] == '%')
            p += 2;
        else if (p[1] == 'z' && p[2] == 'u')
            p += 3;
        else
            return false;
    }
    return true;
}

/* Appends text to buf[*len..size); false when it does not fit. */
static bool put_text(char *buf, size_t size, size_t *len, const char *text, size_t n)
{
    if (n >= size - *len)
        return false;
    memcpy(buf + *len, text, n);
    *len += n;
    return true;
}

static bool put_number(char *buf, size_t size, size_t *len, unsigned long long v, bool minus)
{
    char digits[24], *p = digits + sizeof digits;
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    if (minus)
        *--p = '-';
    return put_text(buf, size, len, p, (size_t)(digits + sizeof digits - p));
}

static char *lint_vprintf(arena *a, const char *fmt, va_list ap)
{
    if (!format_is_plain(fmt))
        return arena_vprintf(a, fmt, ap);
    va_list again; /* untouched, for arena_vprintf when the text is long */
    va_copy(again, ap);
    char buf[1024];
    size_t len = 0;
    bool fits = true;
    for (const char *p = fmt; *p && fits;) {
        const char *pct = strchr(p, '%');
        size_t n = pct ? (size_t)(pct - p) : strlen(p);
        fits = put_text(buf, sizeof buf, &len, p, n);
        if (!pct || !fits)
            break;
        if (pct[1] == 's') {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)"; /* glibc's %s of NULL */
            fits = put_text(buf, sizeof buf, &len, s, strlen(s));
            p = pct + 2;
        } else if (pct[1] == 'd') {
            int v = va_arg(ap, int);
            fits = put_number(buf, sizeof buf, &len,
                              v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0);
            p = pct + 2;
        } else if (pct[1] == 'z') {
            fits = put_number(buf, sizeof buf, &len, va_arg(ap, size_t), false);
            p = pct + 3;
        } else {
            fits = put_text(buf, sizeof buf, &len, "%", 1);
            p = pct + 2;
        }
    }
    char *out = fits ? arena_strndup(a, buf, len) : arena_vprintf(a, fmt, again);
    va_end(again);
    return out;
}

diag *lint_report_at(lint_ctx *ctx, const char *rule_id, const source *src, size_t start,
                     size_t end, const char *fmt, ...)
{
    int i = ruledoc_index(rule_id);
    if (i < 0 || ctx->linter->levels[i] == LEVEL_NONE)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    char *msg = lint_vprintf(lint_arena(ctx), fmt, ap);
    va_end(ap);
    diag *d = diag_list_add(ctx->linter->out, ruledoc_at((size_t)i)->id, ctx->linter->levels[i],
                            src, start, end);
    d->message = msg;
    return d;
}

diag *lint_report(lint_ctx *ctx, const char *rule_id, size_t start, size_t end, const char *fmt,
                  ...)
{
    int i = ruledoc_index(rule_id);
    if (i < 0 || ctx->linter->levels[i] == LEVEL_NONE)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    char *msg = lint_vprintf(lint_arena(ctx), fmt, ap);
    va_end(ap);
    return linter_emit_doc(ctx->linter, i, ctx->file, ctx->stmt, ctx->stmt_index, start, end, msg);
}

void lint_help(lint_ctx *ctx, diag *d, const char *fmt, ...)
{
    if (!d)
        return;
    va_list ap;
    va_start(ap, fmt);
    d->help = lint_vprintf(lint_arena(ctx), fmt, ap);
    va_end(ap);
}

const char *lint_column_list(lint_ctx *ctx, const char *table, const char *const *cols, size_t n)
{
    arena *a = lint_arena(ctx);
    const char *out = "";
    for (size_t i = 0; i < n; i++)
        out = arena_printf(a, "%s%s%s.%s", out,
                           i == 0       ? ""
                           : i + 1 == n ? " and "
                                        : ", ",
                           table, cols[i]);
    return out;
}

void lint_related(lint_ctx *ctx, diag *d, const source *src, size_t start, size_t end,
                  const char *fmt, ...)
{
    if (!d || !(src || ctx->file))
        return;
    va_list ap;
    va_start(ap, fmt);
    const char *message = lint_vprintf(ctx->linter->out->arena, fmt, ap);
    va_end(ap);
    diag_add_related(ctx->linter->out, d, src ? src : ctx->file->src, start, end, message);
}

static const char *dependent_phrase(lint_ctx *ctx, const cat_dependent *dep)
{
    arena *a = lint_arena(ctx);
    switch (dep->kind) {
    case CAT_DEP_VIEW:
        return arena_printf(a, "view %s reads it", dep->name);
    case CAT_DEP_INDEX:
        return arena_printf(a, "index %s uses it", dep->name);
    case CAT_DEP_CONSTRAINT:
        return arena_printf(a, "constraint %s uses it", dep->name);
    case CAT_DEP_FOREIGN_KEY:
        return arena_printf(a, "foreign key %s of %s points at it", dep->name,
                            dep->table ? dep->table : "?");
    case CAT_DEP_SEQUENCE:
        return arena_printf(a, "a default of %s uses it", dep->table ? dep->table : "?");
    default:
        return arena_printf(a, "column %s.%s has this type", dep->table ? dep->table : "?",
                            dep->name);
    }
}

void lint_add_dependents(lint_ctx *ctx, diag *d, const char *schema, const char *object,
                         const char *column, bool type, int how)
{
    const catalog *cat = lint_catalog(ctx);
    if (!d || !cat)
        return;
    cat_dependent deps[8];
    size_t n = type ? catalog_type_dependents(cat, schema, object, deps, 8)
                    : catalog_dependents(cat, schema, object, column, deps, 8);
    if (n == 0)
        return;
    strbuf b = STRBUF_INIT;
    bool blocks = false;
    size_t shown = 0;
    for (size_t i = 0; i < n && i < 8; i++) {
        /* A rename or type change carries the table's own indexes and
         * constraints along; only what reads it from elsewhere is news. */
        if (how == LINT_DEP_CHANGE &&
            (deps[i].kind == CAT_DEP_INDEX || deps[i].kind == CAT_DEP_CONSTRAINT))
            continue;
        const char *phrase = dependent_phrase(ctx, &deps[i]);
        shown++;
        strbuf_printf(&b, "%s%s", shown > 1 ? ", " : "", phrase);
        blocks = blocks || deps[i].blocks_drop;
        if (deps[i].origin.path && *deps[i].origin.path)
            diag_add_related_at(ctx->linter->out, d, deps[i].origin.path, deps[i].origin.pos,
                                deps[i].origin.end_pos, phrase);
    }
    if (n > 8)
        strbuf_printf(&b, " and %zu more", n - 8);
    if (shown == 0) {
        strbuf_free(&b);
        return;
    }
    d->message = arena_printf(lint_arena(ctx), "%s; %s%s", d->message, b.data,
                              !blocks                ? ""
                              : how == LINT_DEP_DROP ? ", so PostgreSQL refuses it without CASCADE"
                              : how == LINT_DEP_DROP_CASCADE ? ", and CASCADE drops them too"
                                                             : "");
    strbuf_free(&b);
}

/* ---- per-file state the rules read ---- */

static void state_add_relation(lint_ctx *ctx, const char *schema, const char *name)
{
    if (!name || lint_relation_is_new(ctx, schema, name))
        return;
    char key[300];
    relation_key(schema, name, key, sizeof key);
    if (ctx->ncreated == ctx->capcreated) {
        ctx->capcreated = ctx->capcreated ? ctx->capcreated * 2 : 16;
        char **c = realloc(ctx->created, ctx->capcreated * sizeof *c);
        if (!c)
            abort();
        ctx->created = c;
    }
    char *copy = strdup(key);
    if (!copy)
        abort();
    ctx->created[ctx->ncreated++] = copy;
    strset_add(&ctx->created_set, copy);
}

static void state_add_rangevar(lint_ctx *ctx, const cJSON *rv)
{
    state_add_relation(ctx, sql_get_str(rv, "schemaname"), sql_get_str(rv, "relname"));
}

/* Types share the namespace of tables: record "schema.name" from a name list. */
static void state_add_dotted(lint_ctx *ctx, const cJSON *names)
{
    const char *schema = NULL, *name = NULL;
    const cJSON *item;
    cJSON_ArrayForEach(item, names)
    {
        schema = name;
        name = sql_string_value(item);
    }
    state_add_relation(ctx, schema, name);
}

static void state_transaction(lint_ctx *ctx, const cJSON *node)
{
    const char *kind = sql_get_str(node, "kind");
    if (!kind)
        return;
    if (!strcmp(kind, "TRANS_STMT_BEGIN") || !strcmp(kind, "TRANS_STMT_START")) {
        if (!ctx->in_transaction)
            ctx->begin_offset = ctx->stmt->start;
        ctx->in_transaction = true;
    } else if (!strcmp(kind, "TRANS_STMT_COMMIT") || !strcmp(kind, "TRANS_STMT_ROLLBACK") ||
               !strcmp(kind, "TRANS_STMT_PREPARE") || !strcmp(kind, "TRANS_STMT_COMMIT_PREPARED")) {
        /* An explicit COMMIT ends whatever transaction is open, the
         * framework's own included: what follows runs outside one (until
         * the next BEGIN). */
        ctx->in_transaction = false;
        ctx->framework_tx = false;
    }
}

/* What the loop does with a statement of a kind beyond its rules, worked
 * out once per kind (the memo keeps it) instead of by strcmp chains per
 * statement. */
typedef enum stmt_class {
    SC_OTHER,
    SC_CREATE,
    SC_CREATE_TABLE_AS,
    SC_VIEW,
    SC_INDEX,
    SC_RENAME,
    SC_TRANSACTION, /* also neutral */
    SC_CREATE_SCHEMA,
    SC_ENUM,
    SC_DOMAIN,
    SC_COMPOSITE,
    SC_ALTER_SEQUENCE, /* a data change when it only restarts */
    SC_DATA,           /* changes rows and nothing else */
    SC_NEUTRAL,        /* about the session or the planner */
} stmt_class;

static stmt_class stmt_class_of(const char *kind)
{
    static const struct {
        const char *kind;
        stmt_class c;
    } classes[] = {
        {"CreateStmt", SC_CREATE},
        {"CreateTableAsStmt", SC_CREATE_TABLE_AS},
        {"ViewStmt", SC_VIEW},
        {"IndexStmt", SC_INDEX},
        {"RenameStmt", SC_RENAME},
        {"TransactionStmt", SC_TRANSACTION},
        {"CreateSchemaStmt", SC_CREATE_SCHEMA},
        {"CreateEnumStmt", SC_ENUM},
        {"CreateDomainStmt", SC_DOMAIN},
        {"CompositeTypeStmt", SC_COMPOSITE},
        {"AlterSeqStmt", SC_ALTER_SEQUENCE},
        /* A backfill often calls a function or setval(): SELECT counts. */
        {"InsertStmt", SC_DATA},
        {"UpdateStmt", SC_DATA},
        {"DeleteStmt", SC_DATA},
        {"MergeStmt", SC_DATA},
        {"CopyStmt", SC_DATA},
        {"SelectStmt", SC_DATA},
        {"VariableSetStmt", SC_NEUTRAL},
        {"LockStmt", SC_NEUTRAL},
        {"VacuumStmt", SC_NEUTRAL},
        {"NotifyStmt", SC_NEUTRAL},
        {"VariableShowStmt", SC_NEUTRAL},
    };
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if (!strcmp(kind, classes[i].kind))
            return classes[i].c;
    return SC_OTHER;
}

/* Records what a statement creates, after the rules have seen it, and the
 * facts later statements' rules ask about it (stepfacts.c). */
static void state_update(lint_ctx *ctx, const sql_stmt *s, stmt_class c)
{
    if (s->parse_error)
        return;
    const cJSON *n = s->node;
    switch (c) {
    case SC_CREATE:
        state_add_rangevar(ctx, sql_get(n, "relation"));
        break;
    case SC_CREATE_TABLE_AS:
        state_add_rangevar(ctx, sql_get(sql_get(n, "into"), "rel"));
        break;
    case SC_VIEW:
        state_add_rangevar(ctx, sql_get(n, "view"));
        break;
    case SC_INDEX:
        state_add_relation(ctx, sql_get_str(sql_get(n, "relation"), "schemaname"),
                           sql_get_str(n, "idxname"));
        break;
    case SC_RENAME:
        if (lint_rangevar_is_new(ctx, sql_get(n, "relation")))
            state_add_relation(ctx, sql_get_str(sql_get(n, "relation"), "schemaname"),
                               sql_get_str(n, "newname"));
        break;
    case SC_TRANSACTION:
        state_transaction(ctx, n), stepfacts_transaction(ctx, n);
        break;
    case SC_CREATE_SCHEMA:
        state_add_relation(ctx, sql_get_str(n, "schemaname"), "");
        break;
    case SC_ENUM:
        state_add_dotted(ctx, sql_get(n, "typeName"));
        break;
    case SC_DOMAIN:
        state_add_dotted(ctx, sql_get(n, "domainname")), stepfacts_domain(ctx, n);
        break;
    case SC_COMPOSITE:
        state_add_rangevar(ctx, sql_get(n, "typevar"));
        break;
    default:
        break;
    }
}

static bool is_transaction_control(const sql_stmt *s)
{
    return !s->parse_error && s->kind[0] == 'T' && strcmp(s->kind, "TransactionStmt") == 0;
}

/* ALTER SEQUENCE ... RESTART [WITH n] and nothing else: the sequence's
 * value, as setval() sets it, not its definition. */
static bool is_sequence_restart(const sql_stmt *s)
{
    const cJSON *item, *options = sql_get(s->node, "options");
    if (cJSON_GetArraySize(options) == 0)
        return false;
    cJSON_ArrayForEach(item, options)
    {
        const char *name = sql_get_str(sql_get(item, "DefElem"), "defname");
        if (!name || strcmp(name, "restart") != 0)
            return false;
    }
    return true;
}

/* Counted as the loop passes each up-step statement (its tree is alive
 * then); read by migration-level rules only, after the steps. */
static void count_kind(lint_migration *mig, const sql_stmt *s, stmt_class c)
{
    bool data = c == SC_DATA || (c == SC_ALTER_SEQUENCE && is_sequence_restart(s));
    bool neutral = c == SC_TRANSACTION || c == SC_NEUTRAL;
    if (s->parse_error || (!data && !neutral))
        mig->up_schema_statements++;
    else if (data)
        mig->up_data_statements++;
}

bool lint_up_only_changes_data(const lint_migration *mig)
{
    return mig->up_linted && !mig->up_parse_error && mig->up_data_statements > 0 &&
           mig->up_schema_statements == 0;
}

bool lint_up_changes_nothing(const lint_migration *mig)
{
    return mig->up_linted && !mig->up_parse_error && mig->up_statements > 0 &&
           mig->up_data_statements == 0 && mig->up_schema_statements == 0;
}

bool lint_up_leaves_schema_as_is(const lint_migration *mig)
{
    const migration *m = mig->m;
    return m && mig->up_linted && !mig->up_parse_error && !m->up_partial && !mig->up_do_block &&
           mig->not_reversed && mig->nnot_reversed == 0 && mig->nreapply == 0 &&
           mig->nup_conflicts == 0 && !mig->up_conflicts_overflow && !mig->partial;
}

unsigned long long lint_conflict_hash(size_t start, const char *message)
{
    unsigned long long h = 1469598103934665603ULL ^ start; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)message; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

static void note_up_conflict(lint_migration *mig, size_t start, const char *message)
{
    size_t max = sizeof mig->up_conflicts / sizeof mig->up_conflicts[0];
    if (mig->nup_conflicts == max)
        mig->up_conflicts_overflow = true;
    else
        mig->up_conflicts[mig->nup_conflicts++] = lint_conflict_hash(start, message);
}

static size_t count_statements(const sql_file *f)
{
    size_t n = 0;
    for (size_t i = 0; i < f->nstmts; i++)
        n += !is_transaction_control(&f->stmts[i]);
    return n;
}

static bool rule_runs(const linter *l, size_t r, bool down)
{
    unsigned dialects = rule_registry[r]->dialects ? rule_registry[r]->dialects : RULE_POSTGRESQL;
    if (!(dialects & RULE_DIALECT(l->dialect)))
        return false;
    int i = l->registry_doc[r];
    return i >= 0 && l->levels[i] != LEVEL_NONE && !(down && l->skip_in_down[i]);
}

enum { RUNS_UP, RUNS_DOWN, RUNS_MIGRATION };

/* The rules that run in a step (down or up) or after a migration, by
 * registry index. */
static const bool *runs_of(linter *l, int which)
{
    if (!l->runs_known) {
        l->nmigration_rules = 0;
        for (size_t r = 0; r < rule_registry_count; r++) {
            const rule *rule = rule_registry[r];
            l->runs[RUNS_UP][r] = rule->check && rule_runs(l, r, false);
            l->runs[RUNS_DOWN][r] = rule->check && rule_runs(l, r, true);
            l->runs[RUNS_MIGRATION][r] = rule->check_migration && rule_runs(l, r, false);
            if (l->runs[RUNS_MIGRATION][r])
                l->migration_rules[l->nmigration_rules++] = r;
        }
        l->runs_known = true;
    }
    return l->runs[which];
}

void linter_begin_migration(linter *l, lint_migration *mig)
{
    l->mig = mig;
    l->nseen = 0;
}

/* Migration-level findings have no statement: any valid ignore of the rule
 * in the file they point at covers them. */
static void suppress_migration_findings(linter *l, size_t first)
{
    for (size_t i = first; i < l->out->count; i++) {
        diag *d = l->out->items[i];
        for (size_t k = 0; k < l->nseen; k++)
            if (l->seen[k].src == d->src && strcmp(l->seen[k].rule, d->rule_id) == 0)
                d->suppressed = true;
    }
}

void linter_end_migration(linter *l)
{
    size_t first = l->out->count;
    lint_ctx ctx = {.linter = l, .stmt_index = -1};
    runs_of(l, RUNS_MIGRATION);
    for (size_t k = 0; k < l->nmigration_rules && l->mig; k++)
        rule_registry[l->migration_rules[k]]->check_migration(&ctx, l->mig);
    suppress_migration_findings(l, first);
    l->mig = NULL;
}

static void step_setup(lint_ctx *ctx, linter *l, const sql_file *file, bool down)
{
    const migration *m = l->mig ? l->mig->m : NULL;
    ctx->linter = l;
    ctx->file = file;
    ctx->down = down;
    ctx->framework_tx = m && (down ? m->down_transactional : m->transactional);
    ctx->implicit_tx = m && m->implicit_tx;
    ctx->statements = count_statements(file);
    stepfacts_forward(ctx, file);
    if (l->mig) {
        if (down) {
            l->mig->down_linted = true;
            l->mig->down_statements += ctx->statements;
            for (size_t i = 0; i < file->nstmts; i++)
                l->mig->down_parse_error |= file->stmts[i].parse_error;
        } else {
            l->mig->up_linted = true;
            for (size_t i = 0; i < file->nstmts; i++)
                l->mig->up_parse_error |= file->stmts[i].parse_error;
            l->mig->up_statements += ctx->statements;
        }
    }
}

/* A statement the replay cannot apply says what the migration assumes. In a
 * partial run (one file, no history) the catalog misses what earlier
 * migrations built, so "does not exist" would be a false alarm: stay quiet. */
/* "table orders does not exist" about an object this replay never built:
 * the schema may come from outside the migrations (a baseline dump, an
 * extension), so the replay assumes it exists rather than cry wolf. */
static bool missing_unbuilt(const lint_migration *mig, const char *message)
{
    static const char *const kinds[] = {"table ", "index ",    "sequence ",          "type ",
                                        "view ",  "relation ", "materialized view ", "schema "};
    const char *tail = strstr(message, " does not exist");
    if (!tail || tail[15] != '\0' || !mig->built)
        return false;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t n = strlen(kinds[k]);
        const char *name = message + n;
        if (strncmp(message, kinds[k], n) != 0 || memchr(name, ' ', (size_t)(tail - name)))
            continue;
        char key[300];
        snprintf(key, sizeof key, "%.*s", (int)(tail - name), name);
        return !strset_has(mig->built, strncmp(key, "public.", 7) == 0 ? key + 7 : key);
    }
    return false;
}

/* Does the message name an object of a platform schema ("auth.users")?
 * What the platform provides is described, not known: open world. */
static bool names_platform_object(const catalog *cat, const char *message)
{
    for (const char *p = message; *p; p++) {
        if (*p != '.' || p == message)
            continue;
        const char *w = p;
        while (w > message &&
               (w[-1] == '_' || (w[-1] >= 'a' && w[-1] <= 'z') || (w[-1] >= '0' && w[-1] <= '9')))
            w--;
        char schema[64];
        size_t n = (size_t)(p - w);
        if (n == 0 || n >= sizeof schema)
            continue;
        memcpy(schema, w, n);
        schema[n] = '\0';
        if (catalog_is_platform_schema(cat, schema))
            return true;
    }
    return false;
}

/* A conflict among objects the migrations built themselves (closed world)
 * is certain: PostgreSQL will refuse the statement, and the deploy fails,
 * so the rule's level is error. Where the platform's objects are involved,
 * the framework's migrations are code read only in part, or an earlier step
 * had a statement that did not parse (a newer PostgreSQL's syntax), the
 * replay may be missing something (open world): a warning. */
static void open_world_level(lint_ctx *ctx, diag *d, const char *message)
{
    const lint_migration *mig = ctx->linter->mig;
    if (!d || !mig || d->level != LEVEL_ERROR)
        return;
    if (ctx->linter->replay_unsure || (mig->fw >= FW_TYPEORM && mig->fw < FW_COUNT) ||
        (mig->cat && names_platform_object(mig->cat, message)))
        d->level = LEVEL_WARNING;
}

static void replay_conflict(void *ud, size_t start, size_t end, const char *message)
{
    lint_ctx *ctx = ud;
    const lint_migration *mig = ctx->linter->mig;
    if (mig && !ctx->down)
        note_up_conflict(ctx->linter->mig, start, message);
    if (mig && (mig->partial || missing_unbuilt(mig, message)))
        return;
    /* Code migrations branch on the dialect and on data, and their helpers
     * (foreign keys, constraints) are only partly read: the replay cannot
     * tell what "does not exist" really means there. */
    if (mig && mig->fw >= FW_TYPEORM && mig->fw < FW_COUNT && strstr(message, " does not exist"))
        return;
    /* After a statement that did not parse, the replay has lost track of
     * what this step (or, in its down step, the up step) did: what follows
     * would only repeat that. Triggers are dropped with the functions they
     * call, which the catalog does not follow, so it cannot vouch for them. */
    if (ctx->saw_parse_error || (ctx->down && mig && mig->up_parse_error) ||
        strncmp(message, "trigger ", 8) == 0)
        return;
    diag *d = lint_report(ctx, "replay-conflict", start, end, "%s", message);
    open_world_level(ctx, d, message);
    lint_help(ctx, d,
              "the migrations before this one do not build what this statement expects; check "
              "the migration order, or a schema created outside the migrations");
}

static void replay(lint_ctx *ctx, const sql_stmt *s)
{
    catalog *cat = ctx->linter->mig ? ctx->linter->mig->cat : NULL;
    if (cat && !s->parse_error)
        catalog_apply(cat, ctx->file, s, replay_conflict, ctx);
}

void linter_check(linter *l, const sql_file *file, bool down)
{
    size_t first = l->out->count;
    lint_ctx ctx = {0};
    step_setup(&ctx, l, file, down);
    const bool *runs = runs_of(l, down ? RUNS_DOWN : RUNS_UP);
    for (size_t i = 0; i < file->nstmts; i++) {
        sql_file_hold(file, i); /* a large file's trees live a window at a time */
        const sql_stmt *s = &file->stmts[i];
        ctx.stmt = s;
        ctx.stmt_index = (int)i;
        /* A statement that did not parse (or has no kind) goes to the rules
         * that look at every kind: those the empty kind matches. */
        kind_rules *kr = kind_memo_rules(l->kinds, s->parse_error || !s->kind ? "" : s->kind);
        if (kr->tag < 0)
            kr->tag = (int)(s->parse_error || !s->kind ? SC_OTHER : stmt_class_of(s->kind));
        stmt_class c = (stmt_class)kr->tag;
        for (size_t k = 0; k < kr->n; k++)
            if (runs[kr->rules[k]])
                rule_registry[kr->rules[k]]->check(&ctx, s);
        state_update(&ctx, s, c);
        if (l->mig && !down)
            count_kind(l->mig, s, c);
        replay(&ctx, s);
        ctx.saw_parse_error = ctx.saw_parse_error || s->parse_error;
    }
    l->replay_unsure = l->replay_unsure || ctx.saw_parse_error;
    sql_file_release(file);
    stepfacts_free(&ctx);
    strset_free(&ctx.created_set);
    for (size_t i = 0; i < ctx.ncreated; i++)
        free(ctx.created[i]);
    free(ctx.created);
    ignore_apply(l, file, first);
}
