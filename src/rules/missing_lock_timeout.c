/* missing-lock-timeout: a statement that needs an ACCESS EXCLUSIVE or SHARE
 * ROW EXCLUSIVE lock on an existing table, with no `SET lock_timeout` earlier
 * in the migration. The statement queues behind any transaction that touches
 * the table (a long report, an idle-in-transaction session); while it waits,
 * every later query that conflicts with the lock it wants queues behind it,
 * so a one-millisecond ALTER becomes minutes of downtime. One finding per
 * file, at the first such statement.
 *
 * This file also holds the lock classifier that missing-statement-timeout
 * uses (rulelock_* below); it belongs in a shared helper once the engine
 * has one. Lock modes follow the PostgreSQL 15 documentation (13.3 Explicit
 * Locking; ALTER TABLE's per-subcommand notes) and were checked against
 * pg_locks on PostgreSQL 15. */
#include <stdlib.h>
#include <string.h>

#include "mysql_rules.h"
#include "rule.h"

/* Lock modes, numbered as PostgreSQL's lockdefs.h does. */
enum {
    LK_NONE = 0,
    LK_ROW_EXCLUSIVE = 3,
    LK_SHARE_UPDATE_EXCLUSIVE = 4,
    LK_SHARE = 5,
    LK_SHARE_ROW_EXCLUSIVE = 6,
    LK_EXCLUSIVE = 7,
    LK_ACCESS_EXCLUSIVE = 8,
};

/* The strongest lock a statement takes on a relation that existed before the
 * migration: the relation is a RangeVar, or a DROP object's name list. */
typedef struct lock_take {
    int mode;
    const cJSON *rv;
    const cJSON *names;
    const char *what; /* how to name it: "%s", "index %s and its table"... */
} lock_take;

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* The statement's kind, its first letter compared before strcmp: the
 * classifier asks a dozen kinds of every statement until a file's finding. */
static bool kind_is(const sql_stmt *s, const char *kind)
{
    return s->kind[0] == kind[0] && strcmp(s->kind, kind) == 0;
}

static void take_rv(lint_ctx *ctx, lock_take *t, int mode, const cJSON *rv)
{
    if (rv && mode > t->mode && !lint_rangevar_is_new(ctx, rv)) {
        t->mode = mode;
        t->rv = rv;
        t->names = NULL;
        t->what = "%s";
    }
}

/* A DROP object: a List of String nodes (["schema", "name"] or ["name"]). */
static void take_names(lint_ctx *ctx, lock_take *t, int mode, const cJSON *obj)
{
    const cJSON *items = sql_get(sql_get(obj, "List"), "items");
    int n = cJSON_GetArraySize(items);
    if (n < 1 || n > 2 || mode <= t->mode)
        return;
    const char *name = sql_string_value(cJSON_GetArrayItem(items, n - 1));
    const char *schema = n == 2 ? sql_string_value(cJSON_GetArrayItem(items, 0)) : NULL;
    if (!name || lint_relation_is_new(ctx, schema, name))
        return;
    t->mode = mode;
    t->rv = NULL;
    t->names = items;
    t->what = "%s";
}

/* ADD FOREIGN KEY, inline REFERENCES included, takes SHARE ROW EXCLUSIVE on
 * the referenced table. */
static void take_fk_target(lint_ctx *ctx, lock_take *t, const cJSON *constraint)
{
    if (is(sql_get_str(constraint, "contype"), "CONSTR_FOREIGN"))
        take_rv(ctx, t, LK_SHARE_ROW_EXCLUSIVE, sql_get(constraint, "pktable"));
}

static void take_column_fks(lint_ctx *ctx, lock_take *t, const cJSON *coldef)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, sql_get(coldef, "constraints"))
        take_fk_target(ctx, t, sql_get(c, "Constraint"));
}

static bool in_list(const char *word, const char *const *list)
{
    for (; *list; list++)
        if (is(word, *list))
            return true;
    return false;
}

/* The lock one ALTER TABLE subcommand takes on the altered table. */
static int alter_cmd_mode(const cJSON *cmd)
{
    static const char *const sue[] = {"AT_SetStatistics",
                                      "AT_SetOptions",
                                      "AT_ResetOptions",
                                      "AT_ClusterOn",
                                      "AT_DropCluster",
                                      "AT_SetRelOptions",
                                      "AT_ResetRelOptions",
                                      "AT_ValidateConstraint",
                                      "AT_AttachPartition",
                                      "AT_DetachPartitionFinalize",
                                      NULL};
    static const char *const sre[] = {
        "AT_EnableTrig",     "AT_EnableAlwaysTrig", "AT_EnableReplicaTrig",
        "AT_EnableTrigAll",  "AT_EnableTrigUser",   "AT_DisableTrig",
        "AT_DisableTrigAll", "AT_DisableTrigUser",  NULL};
    const char *sub = sql_get_str(cmd, "subtype");
    const cJSON *def = sql_get(cmd, "def");
    if (in_list(sub, sue))
        return LK_SHARE_UPDATE_EXCLUSIVE;
    if (in_list(sub, sre))
        return LK_SHARE_ROW_EXCLUSIVE;
    if (is(sub, "AT_AddConstraint") &&
        is(sql_get_str(sql_get(def, "Constraint"), "contype"), "CONSTR_FOREIGN"))
        return LK_SHARE_ROW_EXCLUSIVE;
    if (is(sub, "AT_DetachPartition") && sql_get_bool(sql_get(def, "PartitionCmd"), "concurrent"))
        return LK_SHARE_UPDATE_EXCLUSIVE;
    return LK_ACCESS_EXCLUSIVE; /* "unless explicitly noted" (ALTER TABLE) */
}

static void classify_alter(lint_ctx *ctx, const sql_stmt *s, lock_take *t)
{
    const char *objtype = sql_get_str(s->node, "objtype");
    if (!is(objtype, "OBJECT_TABLE") && !is(objtype, "OBJECT_MATVIEW") &&
        !is(objtype, "OBJECT_FOREIGN_TABLE"))
        return;
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        /* Nothing takes more than ACCESS EXCLUSIVE, and only a stronger
         * lock replaces the one found: the first such subcommand decides. */
        if (t->mode == LK_ACCESS_EXCLUSIVE)
            break;
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const cJSON *def = sql_get(cmd, "def");
        take_rv(ctx, t, alter_cmd_mode(cmd), rel);
        take_fk_target(ctx, t, sql_get(def, "Constraint"));
        take_column_fks(ctx, t, sql_get(def, "ColumnDef"));
        /* ATTACH PARTITION: ACCESS EXCLUSIVE on the table being attached. */
        if (is(sql_get_str(cmd, "subtype"), "AT_AttachPartition"))
            take_rv(ctx, t, LK_ACCESS_EXCLUSIVE, sql_get(sql_get(def, "PartitionCmd"), "name"));
    }
}

/* CREATE TABLE ... PARTITION OF locks the parent ACCESS EXCLUSIVE; its
 * foreign keys lock the referenced tables SHARE ROW EXCLUSIVE. */
static void classify_create(lint_ctx *ctx, const sql_stmt *s, lock_take *t)
{
    const cJSON *item;
    if (sql_get(s->node, "partbound"))
        cJSON_ArrayForEach(item, sql_get(s->node, "inhRelations"))
            take_rv(ctx, t, LK_ACCESS_EXCLUSIVE, sql_get(item, "RangeVar"));
    cJSON_ArrayForEach(item, sql_get(s->node, "tableElts"))
    {
        /* Foreign keys take SHARE ROW EXCLUSIVE, and only a stronger lock
         * replaces the one found. */
        if (t->mode >= LK_SHARE_ROW_EXCLUSIVE)
            break;
        take_fk_target(ctx, t, sql_get(item, "Constraint"));
        take_column_fks(ctx, t, sql_get(item, "ColumnDef"));
    }
}

static void classify_drop(lint_ctx *ctx, const sql_stmt *s, lock_take *t)
{
    static const char *const kinds[] = {"OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW",
                                        "OBJECT_FOREIGN_TABLE", NULL};
    const char *type = sql_get_str(s->node, "removeType");
    bool index = is(type, "OBJECT_INDEX") && !sql_get_bool(s->node, "concurrent");
    if (!index && !in_list(type, kinds))
        return;
    const cJSON *obj;
    cJSON_ArrayForEach(obj, sql_get(s->node, "objects"))
        take_names(ctx, t, LK_ACCESS_EXCLUSIVE, obj);
    if (index && t->names)
        t->what = "index %s and its table";
}

static bool has_defelem(const cJSON *list, const char *name)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, list)
    {
        const cJSON *d = sql_get(p, "DefElem");
        const char *arg = sql_string_value(sql_get(d, "arg"));
        if (is(sql_get_str(d, "defname"), name) && !is(arg, "false") && !is(arg, "off") &&
            !is(arg, "0"))
            return true;
    }
    return false;
}

/* VACUUM FULL and CLUSTER without a table work on every table: the lock is
 * reported with no relation ("every table"). */
static void classify_rewrite(lint_ctx *ctx, const sql_stmt *s, lock_take *t)
{
    const cJSON *item;
    if (kind_is(s, "VacuumStmt")) {
        if (!has_defelem(sql_get(s->node, "options"), "full"))
            return;
        if (!sql_get(s->node, "rels"))
            t->mode = LK_ACCESS_EXCLUSIVE;
        cJSON_ArrayForEach(item, sql_get(s->node, "rels")) take_rv(
            ctx, t, LK_ACCESS_EXCLUSIVE, sql_get(sql_get(item, "VacuumRelation"), "relation"));
        return;
    }
    const cJSON *rel = sql_get(s->node, "relation");
    if (!rel)
        t->mode = LK_ACCESS_EXCLUSIVE;
    take_rv(ctx, t, LK_ACCESS_EXCLUSIVE, rel);
}

static void classify_relations(lint_ctx *ctx, const sql_stmt *s, lock_take *t, int mode)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, sql_get(s->node, "relations"))
        take_rv(ctx, t, mode, sql_get(item, "RangeVar"));
}

/* The remaining statements that lock one relation named by "relation". */
static int relation_mode(const sql_stmt *s)
{
    const cJSON *n = s->node;
    if (kind_is(s, "IndexStmt"))
        return sql_get_bool(n, "concurrent") ? LK_SHARE_UPDATE_EXCLUSIVE : LK_SHARE;
    if (kind_is(s, "ReindexStmt")) /* SHARE on the table, ACCESS EXCLUSIVE on its indexes */
        return has_defelem(sql_get(n, "params"), "concurrently") ? LK_SHARE_UPDATE_EXCLUSIVE
                                                                 : LK_ACCESS_EXCLUSIVE;
    /* CONCURRENTLY takes EXCLUSIVE, which only other refreshes and DDL wait for. */
    if (kind_is(s, "RefreshMatViewStmt"))
        return sql_get_bool(n, "concurrent") ? LK_NONE : LK_ACCESS_EXCLUSIVE;
    if (kind_is(s, "CreateTrigStmt"))
        return LK_SHARE_ROW_EXCLUSIVE;
    if (kind_is(s, "RenameStmt")) /* ALTER INDEX RENAME: SHARE UPDATE EXCLUSIVE */
        return is(sql_get_str(n, "renameType"), "OBJECT_INDEX") ? LK_SHARE_UPDATE_EXCLUSIVE
                                                                : LK_ACCESS_EXCLUSIVE;
    if (kind_is(s, "AlterObjectSchemaStmt"))
        return LK_ACCESS_EXCLUSIVE;
    return LK_NONE;
}

static lock_take classify(lint_ctx *ctx, const sql_stmt *s)
{
    lock_take t = {LK_NONE, NULL, NULL, "%s"};
    if (s->parse_error || !s->node)
        return t;
    if (kind_is(s, "AlterTableStmt"))
        classify_alter(ctx, s, &t);
    else if (kind_is(s, "CreateStmt"))
        classify_create(ctx, s, &t);
    else if (kind_is(s, "DropStmt"))
        classify_drop(ctx, s, &t);
    else if (kind_is(s, "VacuumStmt") || kind_is(s, "ClusterStmt"))
        classify_rewrite(ctx, s, &t);
    else if (kind_is(s, "TruncateStmt"))
        classify_relations(ctx, s, &t, LK_ACCESS_EXCLUSIVE);
    else if (kind_is(s, "LockStmt"))
        classify_relations(ctx, s, &t, sql_get_int(s->node, "mode", LK_ACCESS_EXCLUSIVE));
    else
        take_rv(ctx, &t, relation_mode(s), sql_get(s->node, "relation"));
    /* REINDEX TABLE: ACCESS EXCLUSIVE on each index, which every query
     * planned on the table needs to open. */
    if (t.rv && kind_is(s, "ReindexStmt") &&
        is(sql_get_str(s->node, "kind"), "REINDEX_OBJECT_TABLE"))
        t.what = "the indexes of %s";
    return t;
}

/* ---- is a setting in effect? ---- */

/* SET name = 0 (or '0s', '0ms') turns a timeout off. */
static bool value_is_zero(const cJSON *args)
{
    const cJSON *c = sql_get(cJSON_GetArrayItem(args, 0), "A_Const");
    if (!c)
        return false;
    const cJSON *ival = sql_get(c, "ival");
    if (ival)
        return sql_get_int(ival, "ival", 0) == 0;
    const char *sval = sql_get_str(sql_get(c, "sval"), "sval");
    if (!sval)
        return false;
    char *end;
    long v = strtol(sval, &end, 10);
    return end != sval && v == 0 && *end != '.';
}

typedef struct guard {
    bool session; /* SET name = ... */
    bool local;   /* SET LOCAL name = ..., until the transaction ends */
} guard;

static void guard_update(guard *g, const sql_stmt *p, const char *setting)
{
    if (p->parse_error || !p->node)
        return;
    const cJSON *n = p->node;
    if (kind_is(p, "TransactionStmt")) {
        const char *k = sql_get_str(n, "kind");
        if (is(k, "TRANS_STMT_COMMIT") || is(k, "TRANS_STMT_ROLLBACK") ||
            is(k, "TRANS_STMT_PREPARE"))
            g->local = false;
        return;
    }
    if (!kind_is(p, "VariableSetStmt"))
        return;
    const char *kind = sql_get_str(n, "kind");
    if (is(kind, "VAR_RESET_ALL")) {
        g->session = g->local = false;
        return;
    }
    if (!is(sql_get_str(n, "name"), setting))
        return;
    bool on = is(kind, "VAR_SET_VALUE") && !value_is_zero(sql_get(n, "args"));
    if (!on)
        g->session = g->local = false;
    else if (sql_get_bool(n, "is_local"))
        g->local = true;
    else
        g->session = true;
}

/* ---- shared with missing-statement-timeout ---- */

const char *rulelock_mode_name(int mode);
const char *rulelock_blocks(int mode);
int rulelock_unguarded(lint_ctx *ctx, const sql_stmt *s, const char *setting, int min_mode,
                       const char **table);

const char *rulelock_mode_name(int mode)
{
    switch (mode) {
    case LK_ACCESS_EXCLUSIVE:
        return "ACCESS EXCLUSIVE";
    case LK_EXCLUSIVE:
        return "EXCLUSIVE";
    case LK_SHARE_ROW_EXCLUSIVE:
        return "SHARE ROW EXCLUSIVE";
    case LK_SHARE:
        return "SHARE";
    default:
        return "SHARE UPDATE EXCLUSIVE";
    }
}

/* What the lock keeps waiting, as "every later X of the table". */
const char *rulelock_blocks(int mode)
{
    return mode == LK_ACCESS_EXCLUSIVE ? "read and write" : "INSERT, UPDATE and DELETE";
}

static const char *take_name(lint_ctx *ctx, const lock_take *t)
{
    arena *a = lint_arena(ctx);
    if (t->rv)
        return arena_printf(a, t->what, sql_rangevar_name(a, t->rv));
    if (t->names)
        return arena_printf(a, t->what, sql_name_list(a, t->names));
    return "every table";
}

/* Per-file progress of one setting, advanced one statement at a time.
 *
 * Both timeout rules are called on every statement (kinds NULL), in file
 * order, and reset at the file's first statement, so this is exactly what a
 * scan of the earlier statements would find, in O(1) per statement instead
 * of O(n): a 250,000-statement file starting with SET lock_timeout stays
 * linear. It is the one piece of state a rule keeps between statements here;
 * it goes away when the engine tracks settings itself (see the report on
 * issue 3: lint_setting_in_effect, or per-file rule state). */
typedef struct timeout_memo {
    const sql_file *file;
    size_t next; /* index of the statement expected next */
    guard g;
    bool reported;
} timeout_memo;

static timeout_memo memos[2]; /* lock_timeout, statement_timeout */

/* When s takes a lock of at least min_mode on an existing relation, `setting`
 * is not in effect, and no earlier statement of the file was in the same
 * case, returns the mode and sets *table; otherwise returns 0. Must be called
 * for every statement of the file, in order. */
int rulelock_unguarded(lint_ctx *ctx, const sql_stmt *s, const char *setting, int min_mode,
                       const char **table)
{
    const sql_file *f = lint_file(ctx);
    size_t index = (size_t)(s - f->stmts);
    timeout_memo *m = &memos[strcmp(setting, "lock_timeout") == 0 ? 0 : 1];
    if (index == 0 || m->file != f || m->next != index) {
        /* A new file (or an out-of-order call): replay the earlier statements. */
        timeout_memo fresh = {f, 0, {false, false}, false};
        *m = fresh;
        for (const sql_stmt *p = f->stmts; p < s && !m->reported; p++) {
            if (!m->g.session && !m->g.local && classify(ctx, p).mode >= min_mode)
                m->reported = true;
            guard_update(&m->g, p, setting);
        }
    }
    m->next = index + 1;
    int mode = LK_NONE;
    if (!m->reported && !m->g.session && !m->g.local) {
        lock_take t = classify(ctx, s);
        if (t.mode >= min_mode) {
            m->reported = true;
            *table = take_name(ctx, &t);
            mode = t.mode;
        }
    }
    guard_update(&m->g, s, setting);
    return mode;
}

/* "an ACCESS EXCLUSIVE lock", "a SHARE lock" */
static const char *article(const char *mode)
{
    return mode[0] == 'A' || mode[0] == 'E' ? "an" : "a";
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    if (mysql_linting(ctx)) {
        mysql_check_missing_lock_timeout(ctx, s);
        return;
    }
    const char *table = NULL;
    int mode = rulelock_unguarded(ctx, s, "lock_timeout", LK_SHARE_ROW_EXCLUSIVE, &table);
    if (mode == LK_NONE)
        return;
    lint_span at = lint_stmt_head(ctx, s);
    diag *d = lint_report(ctx, "missing-lock-timeout", at.start, at.end,
                          "this statement waits for %s %s lock on %s with no lock_timeout set: "
                          "while it waits behind any open transaction, every later %s of %s "
                          "queues behind it",
                          article(rulelock_mode_name(mode)), rulelock_mode_name(mode), table,
                          rulelock_blocks(mode), table);
    lint_help(ctx, d,
              "start the migration with SET lock_timeout = '5s' (SET LOCAL inside a "
              "transaction) so the statement gives up instead of stalling traffic, and retry "
              "the migration");
}

/* Every statement: SET and transaction statements move the guard. */
const rule rule_missing_lock_timeout = {
    .id = "missing-lock-timeout", .kinds = NULL, .check = check, .dialects = RULE_ALL_DIALECTS};
