/* test_mysql.c - the MySQL translation (src/mysql): the nodes each
 * statement becomes, and the grammar's verdict on drizzle-kit's output. */
#include <stdlib.h>

#include "../../src/mysql/mysql.h"
#include "unit.h"

/* "Kind Kind ..." of the statements text becomes; "!message" for an error. */
static void kinds(const char *text, char *out, size_t size)
{
    source *src = source_new("t.sql", text, strlen(text));
    sql_file *f = mysql_file_parse(src, 0, src->len);
    out[0] = '\0';
    for (size_t i = 0; i < f->nstmts; i++) {
        size_t n = strlen(out);
        if (f->stmts[i].parse_error)
            snprintf(out + n, size - n, "%s!%s", n ? " " : "", f->stmts[i].error_message);
        else
            snprintf(out + n, size - n, "%s%s", n ? " " : "", f->stmts[i].kind);
    }
    sql_file_free(f);
    source_free(src);
}

static const char *first_str(const char *text, const char *field)
{
    static char buf[256];
    source *src = source_new("t.sql", text, strlen(text));
    sql_file *f = mysql_file_parse(src, 0, src->len);
    const char *v = f->nstmts ? sql_get_str(f->stmts[0].node, field) : NULL;
    snprintf(buf, sizeof buf, "%s", v ? v : "(none)");
    sql_file_free(f);
    source_free(src);
    return buf;
}

/* Statements the grammar rejects even with the reader's clauses masked. */
static int grammar_gaps(const char *text)
{
    source *src = source_new("t.sql", text, strlen(text));
    sql_file *f = mysql_file_parse(src, 0, src->len);
    int gaps = 0;
    for (size_t i = 0; i < f->nstmts; i++)
        gaps += f->stmts[i].node && sql_get(f->stmts[i].node, "mysqlGrammarGap") != NULL;
    sql_file_free(f);
    source_free(src);
    return gaps;
}

void unit_suite_mysql(void)
{
    char out[1024];
    TEST("mysql: statements and their kinds")
    {
        kinds("CREATE TABLE `t` (`id` int, UNIQUE KEY `u` (`id`), KEY `k` (`id`));"
              "ALTER TABLE t ADD x int, RENAME COLUMN a TO b, ADD INDEX i (x), ALGORITHM=INPLACE;"
              "DROP INDEX i ON t; RENAME TABLE t TO u, v TO w; TRUNCATE u;"
              "SET lock_wait_timeout = 5; START TRANSACTION; COMMIT;",
              out, sizeof out);
        CHECK_STR("CreateStmt IndexStmt IndexStmt AlterTableStmt RenameStmt IndexStmt DropStmt "
                  "RenameStmt RenameStmt TruncateStmt VariableSetStmt TransactionStmt "
                  "TransactionStmt",
                  out);
    }
    TEST("mysql: ALGORITHM and LOCK on every node of the statement")
    {
        CHECK_STR("INPLACE", first_str("ALTER TABLE t ADD INDEX i (x), LOCK = none, "
                                       "algorithm=inplace;",
                                       "mysqlAlgorithm"));
        CHECK_STR("NONE",
                  first_str("ALTER TABLE t ALGORITHM=INPLACE, LOCK=NONE, ADD x int;", "mysqlLock"));
        CHECK_STR("NONE", first_str("CREATE INDEX i ON t (x) LOCK=NONE;", "mysqlLock"));
    }
    TEST("mysql: routines, DELIMITER and drizzle-kit's breakpoints split right")
    {
        kinds("CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END IF; SELECT 2; END;\n"
              "DELIMITER $$\nCREATE TRIGGER g BEFORE INSERT ON t FOR EACH ROW BEGIN SET "
              "NEW.a = 1; END$$\nDELIMITER ;\n"
              "CREATE TABLE `a` (`id` int);--> statement-breakpoint\nDROP TABLE `a`;",
              out, sizeof out);
        CHECK_STR("MysqlOtherStmt MysqlOtherStmt CreateStmt DropStmt", out);
    }
    TEST("mysql: what is not MySQL is an error naming the word")
    {
        kinds("ALTER TABLE t FROB x; SELEC 1;", out, sizeof out);
        CHECK_STR("!unexpected FROB in ALTER TABLE !not a MySQL statement: SELEC", out);
    }
    TEST("mysql: drizzle-kit's statements need no reading beyond the grammar's")
    {
        CHECK_INT(0,
                  grammar_gaps("CREATE TABLE `users` (\n\t`id` serial AUTO_INCREMENT NOT NULL,\n"
                               "\t`email` varchar(255) NOT NULL,\n\t`age` int unsigned,\n"
                               "\t`role` enum('admin','user') NOT NULL DEFAULT 'user',\n"
                               "\t`active` boolean NOT NULL DEFAULT true,\n"
                               "\t`created_at` timestamp NOT NULL DEFAULT (now()),\n"
                               "\t`updated_at` timestamp ON UPDATE CURRENT_TIMESTAMP,\n"
                               "\t`seen` datetime(3),\n"
                               "\tCONSTRAINT `users_id` PRIMARY KEY(`id`),\n"
                               "\tCONSTRAINT `users_email_unique` UNIQUE(`email`)\n);\n"
                               "ALTER TABLE `posts` ADD CONSTRAINT `fk` FOREIGN KEY (`user_id`) "
                               "REFERENCES `users`(`id`) ON DELETE cascade ON UPDATE no action;\n"
                               "CREATE INDEX `title_idx` ON `posts` (`title`);\n"
                               "ALTER TABLE `posts` MODIFY COLUMN `title` varchar(300);\n"
                               "ALTER TABLE `posts` ADD `views` int DEFAULT 0 NOT NULL;\n"
                               "ALTER TABLE `users` DROP COLUMN `ratio`;"));
    }
}
