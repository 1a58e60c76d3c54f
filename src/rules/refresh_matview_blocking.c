/* refresh-matview-blocking: REFRESH MATERIALIZED VIEW without CONCURRENTLY
 * takes an ACCESS EXCLUSIVE lock on the view for the whole refresh, so
 * every query reading the view waits until the query behind it has run
 * again. CONCURRENTLY takes only an EXCLUSIVE lock, which reads do not wait
 * for (it needs a unique index on the view). */
#include "rule.h"

static void check(lint_ctx *ctx, const sql_stmt *s)
{
    const cJSON *rel = sql_get(s->node, "relation");
    if (sql_get_bool(s->node, "concurrent") || !rel || lint_rangevar_is_new(ctx, rel))
        return;
    const char *view = sql_rangevar_name(lint_arena(ctx), rel);
    lint_span at = lint_name_at(ctx, s, (size_t)sql_location(rel));
    diag *d = lint_report(ctx, "refresh-matview-blocking", at.start, at.end,
                          "refreshing materialized view %s without CONCURRENTLY takes an ACCESS "
                          "EXCLUSIVE lock on %s: every read of the view waits until the refresh "
                          "ends",
                          view, view);
    lint_help(ctx, d,
              "REFRESH MATERIALIZED VIEW CONCURRENTLY %s (it needs a unique index on the view: "
              "CREATE UNIQUE INDEX CONCURRENTLY ... ON %s (...))",
              view, view);
}

const rule rule_refresh_matview_blocking = {
    .id = "refresh-matview-blocking", .kinds = "RefreshMatViewStmt", .check = check};
