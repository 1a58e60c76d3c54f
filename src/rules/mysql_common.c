/* mysql_common.c - helpers the MySQL rules share (see mysql_rules.h):
 * session variables set by the migration, names among MySQL's tokens,
 * character set widths, and which statements are DDL on existing tables. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "mysql_rules.h"

bool mysql_linting(const lint_ctx *ctx)
{
    return lint_dialect(ctx) == SQL_DIALECT_MYSQL;
}

bool mysql_is_part(const sql_stmt *s)
{
    return sql_get_bool(s->node, "mysqlPart");
}

const cJSON *mysql_stmt_table(const sql_stmt *s)
{
    const cJSON *t = sql_get(s->node, "mysqlTable");
    return t ? t : sql_get(s->node, "relation");
}

/* ---- session variables ---- */

bool mysql_sets_session(const sql_stmt *s, const char *name, const char **value)
{
    if (s->parse_error || !s->kind || strcmp(s->kind, "VariableSetStmt") != 0)
        return false;
    const cJSON *v = sql_get(s->node, "mysqlSetVar");
    const char *var = sql_get_str(v, "name"), *scope = sql_get_str(v, "scope");
    if (!var || strcasecmp(var, name) != 0 || sql_get_bool(v, "user"))
        return false;
    if (scope && strcasecmp(scope, "session") != 0 && strcasecmp(scope, "local") != 0)
        return false;
    const char *val = sql_get_str(v, "value");
    *value = val && strcasecmp(val, "DEFAULT") != 0 ? val : NULL;
    return true;
}

/* Where the last lookup of a variable stopped in a file, so that a file of
 * 20,000 ALTER TABLE ... ADD FOREIGN KEY statements is read once, not once
 * per statement (each lookup scans on from there). One per thread; a file
 * is recognised by its statements, its text and its range, and a lookup
 * before the remembered point starts again from the top. */
typedef struct session_memo {
    const sql_stmt *stmts;
    const char *text;
    size_t start, nstmts;
    const char *name;
    size_t next;       /* statements [0, next) are scanned */
    const char *value; /* the variable's value after them */
} session_memo;

static _Thread_local session_memo memo;

const char *mysql_session_value(const lint_ctx *ctx, const sql_stmt *s, const char *name)
{
    const sql_file *f = lint_file(ctx);
    size_t index = (size_t)(s - f->stmts);
    session_memo *m = &memo;
    if (m->stmts != f->stmts || m->text != f->src->text || m->start != f->start ||
        m->nstmts != f->nstmts || !m->name || strcmp(m->name, name) != 0 || m->next > index) {
        session_memo fresh = {f->stmts, f->src->text, f->start, f->nstmts, name, 0, NULL};
        *m = fresh;
    }
    for (; m->next < index; m->next++) {
        const char *value;
        if (mysql_sets_session(&f->stmts[m->next], name, &value))
            m->value = value;
    }
    return m->value;
}

bool mysql_value_is_off(const char *value)
{
    if (!value)
        return false;
    size_t n = strlen(value);
    if (n >= 2 && (value[0] == '\'' || value[0] == '"') && value[n - 1] == value[0]) {
        value++;
        n -= 2;
    }
    return (n == 1 && value[0] == '0') || (n == 3 && !strncasecmp(value, "off", 3)) ||
           (n == 5 && !strncasecmp(value, "false", 5));
}

/* ---- tokens ---- */

static lint_span span_of(const sql_token *t)
{
    lint_span sp = {t->start, t->end};
    return sp;
}

/* Does the token spell word, `backquoted` or not, in any case? */
static bool token_is_word(const sql_file *f, const sql_token *t, const char *word)
{
    const char *text = f->src->text + t->start;
    size_t n = t->end - t->start, w = strlen(word);
    if (t->kind != SQL_TOK_IDENT && t->kind != SQL_TOK_KEYWORD)
        return false;
    if (n >= 2 && text[0] == '`' && text[n - 1] == '`') {
        text++;
        n -= 2;
    }
    return n == w && strncasecmp(text, word, n) == 0;
}

lint_span mysql_find_word(const lint_ctx *ctx, const sql_stmt *s, size_t from, const char *word)
{
    const sql_file *f = lint_file(ctx);
    for (size_t i = s->first_token; i < s->first_token + s->ntokens; i++)
        if (f->tokens[i].start >= from && token_is_word(f, &f->tokens[i], word))
            return span_of(&f->tokens[i]);
    return lint_stmt_head(ctx, s);
}

lint_span mysql_token_at(const lint_ctx *ctx, const sql_stmt *s, size_t offset)
{
    const sql_file *f = lint_file(ctx);
    for (size_t i = s->first_token; i < s->first_token + s->ntokens; i++)
        if (f->tokens[i].start >= offset && f->tokens[i].kind != SQL_TOK_COMMENT &&
            f->tokens[i].kind != SQL_TOK_BLOCK_COMMENT)
            return span_of(&f->tokens[i]);
    return lint_stmt_head(ctx, s);
}

/* ---- character sets ---- */

const char *mysql_charset_of(const lint_ctx *ctx, const char *collation)
{
    if (!collation)
        return NULL;
    const char *us = strchr(collation, '_');
    const char *cs =
        us ? arena_strndup(lint_arena(ctx), collation, (size_t)(us - collation)) : collation;
    return strcasecmp(cs, "utf8") == 0 ? "utf8mb3" : cs;
}

int mysql_charset_width(const char *charset)
{
    /* SHOW CHARACTER SET's Maxlen column (MySQL 8.0). */
    static const struct {
        const char *name;
        int width;
    } widths[] = {
        {"utf8mb4", 4},  {"utf8mb3", 3}, {"utf8", 3},    {"utf16", 4},   {"utf16le", 4},
        {"utf32", 4},    {"ucs2", 2},    {"latin1", 1},  {"latin2", 1},  {"latin5", 1},
        {"latin7", 1},   {"ascii", 1},   {"binary", 1},  {"cp1250", 1},  {"cp1251", 1},
        {"cp1256", 1},   {"cp1257", 1},  {"cp850", 1},   {"cp852", 1},   {"cp866", 1},
        {"greek", 1},    {"hebrew", 1},  {"koi8r", 1},   {"koi8u", 1},   {"swe7", 1},
        {"armscii8", 1}, {"dec8", 1},    {"hp8", 1},     {"keybcs2", 1}, {"macce", 1},
        {"macroman", 1}, {"tis620", 1},  {"geostd8", 1}, {"big5", 2},    {"gbk", 2},
        {"sjis", 2},     {"cp932", 2},   {"euckr", 2},   {"gb2312", 2},  {"ujis", 3},
        {"eucjpms", 3},  {"gb18030", 4},
    };
    char cs[32];
    size_t n = 0;
    for (; charset && charset[n] && charset[n] != '_' && n + 1 < sizeof cs; n++)
        cs[n] = (char)tolower((unsigned char)charset[n]);
    cs[n] = '\0';
    for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++)
        if (!strcmp(cs, widths[i].name))
            return widths[i].width;
    return 4;
}

/* ---- DDL ---- */

bool mysql_is_ddl(const sql_stmt *s)
{
    static const char *const kinds[] = {"CreateStmt",   "AlterTableStmt", "IndexStmt",
                                        "DropStmt",     "RenameStmt",     "TruncateStmt",
                                        "ViewStmt",     "CreateTrigStmt", "CreateFunctionStmt",
                                        "CreatedbStmt", "DropdbStmt"};
    if (s->parse_error || !s->kind)
        return false;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(s->kind, kinds[i]))
            return true;
    return false;
}

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* The first existing table of a DROP TABLE or the table of a DROP INDEX. */
static bool drop_target(lint_ctx *ctx, const sql_stmt *s, const char **dotted)
{
    const char *type = sql_get_str(s->node, "removeType");
    const cJSON *table = sql_get(s->node, "mysqlTable");
    if (is(type, "OBJECT_INDEX") && table) {
        if (lint_rangevar_is_new(ctx, table))
            return false;
        *dotted = sql_rangevar_name(lint_arena(ctx), table);
        return true;
    }
    if (!is(type, "OBJECT_TABLE") && !is(type, "OBJECT_VIEW"))
        return false;
    const cJSON *obj;
    cJSON_ArrayForEach(obj, sql_get(s->node, "objects"))
    {
        const char *name = lint_object_name(ctx, obj), *schema;
        const char *rel = lint_split_name(ctx, name, &schema);
        if (!lint_relation_is_new(ctx, schema, rel) &&
            !lint_object_known_absent(ctx, schema, rel)) {
            *dotted = name;
            return true;
        }
    }
    return false;
}

bool mysql_needs_exclusive_mdl(lint_ctx *ctx, const sql_stmt *s, const char **dotted)
{
    if (s->parse_error || !s->kind || !s->node)
        return false;
    const char *kind = s->kind;
    const cJSON *rv = NULL;
    if (!strcmp(kind, "DropStmt"))
        return drop_target(ctx, s, dotted);
    if (!strcmp(kind, "AlterTableStmt") || !strcmp(kind, "IndexStmt") ||
        !strcmp(kind, "RenameStmt")) {
        rv = mysql_stmt_table(s);
    } else if (!strcmp(kind, "TruncateStmt")) {
        rv = sql_get(cJSON_GetArrayItem(sql_get(s->node, "relations"), 0), "RangeVar");
    } else if (!strcmp(kind, "VacuumStmt") &&
               is(sql_get_str(s->node, "mysqlCommand"), "OPTIMIZE")) {
        const cJSON *item;
        cJSON_ArrayForEach(item, sql_get(s->node, "rels"))
        {
            const cJSON *r = sql_get(sql_get(item, "VacuumRelation"), "relation");
            if (r && !lint_rangevar_is_new(ctx, r)) {
                rv = r;
                break;
            }
        }
    }
    if (!rv || lint_rangevar_is_new(ctx, rv))
        return false;
    *dotted = sql_rangevar_name(lint_arena(ctx), rv);
    return true;
}
