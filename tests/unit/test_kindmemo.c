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
    TEST("kind memo: the rule lists hold the rules answered true, in order, and stay put")
    {
        kind_memo *m = kind_memo_new(lists, NLISTS);
        kind_rules *create = kind_memo_rules(m, "CreateStmt");
        CHECK_INT(2, create->n);
        CHECK_INT(1, create->rules[0]);
        CHECK_INT(2, create->rules[1]);
        CHECK_INT(-1, create->tag);
        create->tag = 7;
        kind_rules *reindex = kind_memo_rules(m, "ReindexStmt");
        CHECK_INT(3, reindex->n);
        CHECK_INT(2, reindex->rules[0]);
        CHECK_INT(4, reindex->rules[1]);
        CHECK_INT(5, reindex->rules[2]);
        CHECK_INT(1, kind_memo_rules(m, "")->n);
        /* Past a hundred more kinds, each list is the bool answers' list,
         * and the first entry (with its tag) is where it was. */
        char name[32];
        int bad = 0;
        for (int i = 0; i < 100; i++) {
            snprintf(name, sizeof name, "Kind%dStmt", i);
            const bool *got = kind_memo_get(m, name);
            const kind_rules *list = kind_memo_rules(m, name);
            size_t k = 0;
            for (size_t r = 0; r < NLISTS; r++)
                if (got[r])
                    bad += k >= list->n || list->rules[k++] != r;
            bad += k != list->n;
        }
        CHECK_INT(0, bad);
        CHECK(create == kind_memo_rules(m, "CreateStmt"));
        CHECK_INT(7, create->tag);
        CHECK_INT(2, create->n);
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
