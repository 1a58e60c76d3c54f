/* test_kindmemo.c - the memo of which rules look at a statement kind gives
 * the word search's answers, for kinds met once or again, and its answers
 * stay put while it grows. */
#include "../../src/rules/kindmemo.h"
#include "unit.h"

static const char *const lists[] = {"DropStmt",    "AlterTableStmt CreateStmt",
                                    NULL,          "CreateStmtX AlterTableStmtY",
                                    "ReindexStmt", "IndexStmt ReindexStmt"};
enum { NLISTS = sizeof lists / sizeof *lists };

static int answers(const bool *got)
{
    int bits = 0;
    for (int r = 0; r < NLISTS; r++)
        bits |= got[r] << r;
    return bits;
}

void unit_suite_kindmemo(void)
{
    TEST("kind memo: whole words of each rule's list, NULL for every kind")
    {
        kind_memo *m = kind_memo_new(lists, NLISTS);
        CHECK_INT(0x06, answers(kind_memo_get(m, "CreateStmt")));
        CHECK_INT(0x06, answers(kind_memo_get(m, "AlterTableStmt")));
        CHECK_INT(0x04, answers(kind_memo_get(m, "AlterSeqStmt")));
        CHECK_INT(0x04, answers(kind_memo_get(m, "Stmt")));
        CHECK_INT(0x24, answers(kind_memo_get(m, "IndexStmt")));
        CHECK_INT(0x34, answers(kind_memo_get(m, "ReindexStmt")));
        CHECK_INT(0x05, answers(kind_memo_get(m, "DropStmt")));
        CHECK_INT(0x04, answers(kind_memo_get(m, "")));
        const bool *first = kind_memo_get(m, "CreateStmt");
        CHECK(first == kind_memo_get(m, "CreateStmt"));
        /* Many more kinds: earlier answers neither move nor change. */
        char name[32];
        for (int i = 0; i < 100; i++) {
            snprintf(name, sizeof name, "Kind%dStmt", i);
            const bool *got = kind_memo_get(m, name);
            for (int r = 0; r < NLISTS; r++)
                CHECK(got[r] == kind_listed(lists[r], name));
        }
        CHECK(first == kind_memo_get(m, "CreateStmt"));
        CHECK_INT(0x06, answers(first));
        CHECK_INT(0x34, answers(kind_memo_get(m, "ReindexStmt")));
        kind_memo_free(m);
    }
    TEST("kind memo: kind_listed finds whole words only")
    {
        CHECK(kind_listed("IndexStmt ReindexStmt", "ReindexStmt"));
        CHECK(!kind_listed("ReindexStmt", "IndexStmt"));
        CHECK(!kind_listed("CreateStmtX", "CreateStmt"));
        CHECK(kind_listed(NULL, "AnyStmt"));
        CHECK(kind_listed(NULL, NULL));
        CHECK(!kind_listed("DropStmt", NULL));
        CHECK(!kind_listed("DropStmt ", ""));
    }
}
