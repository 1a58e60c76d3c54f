/* non-concurrent-detach-partition: ALTER TABLE ... DETACH PARTITION without
 * CONCURRENTLY on an existing partitioned table. It takes an ACCESS
 * EXCLUSIVE lock on the parent (and on the partition and the default
 * partition), so every read and write of the whole partitioned table waits,
 * and the statement itself first waits for every query using the table.
 * PostgreSQL 14 added DETACH PARTITION ... CONCURRENTLY, which holds only
 * SHARE UPDATE EXCLUSIVE on the parent (ALTER TABLE, DETACH PARTITION); on a
 * PostgreSQL 13 target the help cannot offer it. */
#include <string.h>

#include "rule.h"

static void report(lint_ctx *ctx, lint_span at, const char *parent, const char *part)
{
    diag *d = lint_report(ctx, "non-concurrent-detach-partition", at.start, at.end,
                          "detaching partition %s from %s without CONCURRENTLY takes an ACCESS "
                          "EXCLUSIVE lock on %s and %s: every read and write of the partitioned "
                          "table waits",
                          part, parent, parent, part);
    if (lint_pg_version(ctx) < 14)
        lint_help(ctx, d,
                  "the target, PostgreSQL %d (%s), has no DETACH PARTITION ... CONCURRENTLY "
                  "(it came in 14): detach when the table is quiet, with a short lock_timeout, "
                  "and retry",
                  lint_pg_version(ctx), lint_pg_version_why(ctx));
    else
        lint_help(ctx, d,
                  "ALTER TABLE %s DETACH PARTITION %s CONCURRENTLY (PostgreSQL 14+), in a "
                  "migration that runs without a transaction; it is refused while %s has a "
                  "default partition",
                  parent, part, parent);
}

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation"), *item;
    /* Whether the table is new and its name are worked out at the first
     * DETACH: most ALTER TABLEs do something else. */
    bool known = false;
    lint_span relname = {0, 0};
    int i = 0;
    cJSON_ArrayForEach(item, sql_get(s->node, "cmds"))
    {
        const cJSON *cmd = sql_get(item, "AlterTableCmd");
        const char *sub = sql_get_str(cmd, "subtype");
        const cJSON *pc = sql_get(sql_get(cmd, "def"), "PartitionCmd");
        if (sub && !strcmp(sub, "AT_DetachPartition") && !known) {
            if (lint_rangevar_is_new(ctx, rel))
                return;
            relname = lint_name_at(ctx, s, (size_t)sql_location(rel));
            known = true;
        }
        if (sub && !strcmp(sub, "AT_DetachPartition") && !sql_get_bool(pc, "concurrent"))
            report(ctx, lint_subcommand(ctx, s, relname.end, i),
                   sql_rangevar_name(lint_arena(ctx), rel),
                   sql_rangevar_name(lint_arena(ctx), sql_get(pc, "name")));
        i++;
    }
}

const rule rule_non_concurrent_detach_partition = {
    .id = "non-concurrent-detach-partition", .kinds = "AlterTableStmt", .check = check};
