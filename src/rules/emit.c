/* emit.c - what the linter records as it goes: a finding at the level
 * configured for its rule, and the ignore directives seen in a migration's
 * files. Below the pass (lint.c) and the ignore reader (ignore.c), which
 * both record through it, so neither calls the other back. */
#include <stdlib.h>

#include "lint_internal.h"
#include "ruledoc.h"

diag *linter_emit(linter *l, const char *rule_id, const sql_file *file, const sql_stmt *stmt,
                  int stmt_index, size_t start, size_t end, const char *message)
{
    return linter_emit_doc(l, ruledoc_index(rule_id), file, stmt, stmt_index, start, end, message);
}

diag *linter_emit_doc(linter *l, int i, const sql_file *file, const sql_stmt *stmt, int stmt_index,
                      size_t start, size_t end, const char *message)
{
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

void linter_note_ignore(linter *l, const source *src, const char *rule)
{
    if (l->nseen == l->capseen) {
        l->capseen = l->capseen ? l->capseen * 2 : 8;
        l->seen = realloc(l->seen, l->capseen * sizeof *l->seen);
        if (!l->seen)
            abort();
    }
    l->seen[l->nseen++] = (struct seen_ignore){src, rule};
}
