/* mysql-algorithm-copy: ALTER TABLE (or CREATE/DROP INDEX) ... ALGORITHM=COPY
 * on an existing table. The clause forces the table copy even where MySQL
 * could work instantly or in place, and the copy allows at most reads
 * (LOCK=SHARED): every write of the table waits until it ends. */
#include <string.h>
#include <strings.h>

#include "mysql_rules.h"

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const char *algorithm = sql_get_str(s->node, "mysqlAlgorithm");
    const cJSON *rel = mysql_stmt_table(s);
    if (!algorithm || strcasecmp(algorithm, "COPY") != 0 || mysql_is_part(s) || !rel ||
        lint_rangevar_is_new(ctx, rel))
        return;
    const char *table = sql_rangevar_name(lint_arena(ctx), rel);
    const char *lock = sql_get_str(s->node, "mysqlLock");
    bool exclusive = lock && strcasecmp(lock, "EXCLUSIVE") == 0;
    lint_span at = mysql_find_word(ctx, s, s->start, "ALGORITHM");
    lint_span value = mysql_find_word(ctx, s, at.end, "COPY");
    if (value.start > at.start)
        at.end = value.end;
    diag *d = lint_report(ctx, "mysql-algorithm-copy", at.start, at.end,
                          "ALGORITHM=COPY makes MySQL copy %s row by row with LOCK=%s: every "
                          "%s of %s waits until the copy ends",
                          table, exclusive ? "EXCLUSIVE" : "SHARED",
                          exclusive ? "read and write" : "INSERT, UPDATE and DELETE", table);
    lint_help(ctx, d,
              "leave ALGORITHM out (MySQL picks INSTANT or INPLACE when the change allows it), "
              "or write ALGORITHM=INPLACE, LOCK=NONE so that MySQL refuses the change instead of "
              "blocking writes; run a change that needs a copy with gh-ost or "
              "pt-online-schema-change");
}

const rule rule_mysql_algorithm_copy = {.id = "mysql-algorithm-copy",
                                        .kinds = "AlterTableStmt IndexStmt DropStmt RenameStmt",
                                        .check = check,
                                        .dialects = RULE_MYSQL};
