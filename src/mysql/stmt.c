/* stmt.c - the MySQL statements besides CREATE/ALTER TABLE and CREATE
 * INDEX: DROP, RENAME TABLE, TRUNCATE, SET, transactions, data changes,
 * table maintenance, and the statements the catalog does not model
 * (MysqlOtherStmt, so they are neither parse errors nor replayed). */
#include "internal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static cJSON *wrap(const char *kind, cJSON *inner)
{
    cJSON *w = cJSON_CreateObject();
    cJSON_AddItemToObject(w, kind, inner);
    return w;
}

static char *lower(arena *a, const char *s)
{
    char *out = arena_strdup(a, s);
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return out;
}

static cJSON *name_list(const char *schema, const char *name)
{
    cJSON *items = cJSON_CreateArray();
    if (schema)
        cJSON_AddItemToArray(items, nd_str(schema));
    cJSON_AddItemToArray(items, nd_str(name));
    cJSON *list = cJSON_CreateObject();
    cJSON_AddItemToObject(list, "items", items);
    return wrap("List", list);
}

/* DROP [TEMPORARY] TABLE|VIEW [IF EXISTS] a, b [RESTRICT|CASCADE] */
static bool drop_relations(rd *r, const char *type)
{
    cJSON *d = cJSON_CreateObject();
    if (rd_accept2(r, "IF", "EXISTS"))
        cJSON_AddBoolToObject(d, "missing_ok", 1);
    cJSON *objects = cJSON_AddArrayToObject(d, "objects");
    do {
        const char *schema, *name;
        size_t loc;
        if (!rd_qualified(r, &schema, &name, &loc)) {
            cJSON_Delete(d);
            return false;
        }
        cJSON_AddItemToArray(objects, name_list(schema, name));
    } while (rd_accept_punct(r, ','));
    cJSON_AddStringToObject(d, "removeType", type);
    bool cascade = rd_accept(r, "CASCADE");
    if (!cascade)
        rd_accept(r, "RESTRICT");
    cJSON_AddStringToObject(d, "behavior", "DROP_RESTRICT"); /* MySQL ignores CASCADE */
    if (!rd_done(r)) {
        cJSON_Delete(d);
        return rd_fail(r, "unexpected %s in DROP", rd_text(r, r->i, r->i + 1));
    }
    nd_emit(r, "DropStmt", d);
    return true;
}

/* DROP INDEX name ON table [ALGORITHM=x] [LOCK=y] */
static bool drop_index(rd *r)
{
    bool missing_ok = rd_accept2(r, "IF", "EXISTS"); /* MariaDB */
    const char *name = rd_name(r, "an index name");
    const char *schema, *table;
    size_t loc;
    if (!name || !rd_accept(r, "ON") || !rd_qualified(r, &schema, &table, &loc))
        return rd_fail(r, "expected DROP INDEX name ON table");
    cJSON *d = cJSON_CreateObject();
    cJSON *objects = cJSON_AddArrayToObject(d, "objects");
    cJSON_AddItemToArray(objects, name_list(schema, name));
    cJSON_AddStringToObject(d, "removeType", "OBJECT_INDEX");
    cJSON_AddStringToObject(d, "behavior", "DROP_RESTRICT");
    if (missing_ok)
        cJSON_AddBoolToObject(d, "missing_ok", 1);
    cJSON_AddItemToObject(d, "mysqlTable", nd_rangevar(schema, table, loc));
    while (!rd_done(r)) {
        const char *key = rd_accept(r, "ALGORITHM") ? "mysqlAlgorithm"
                          : rd_accept(r, "LOCK")    ? "mysqlLock"
                                                    : NULL;
        rd_accept_punct(r, '=');
        const char *v = key ? rd_name(r, "a value") : NULL;
        if (!v) {
            cJSON_Delete(d);
            return rd_fail(r, "unexpected %s after DROP INDEX", rd_text(r, r->i, r->i + 1));
        }
        char *up = arena_strdup(r->a, v);
        for (char *p = up; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        cJSON_AddStringToObject(d, key, up);
    }
    nd_emit(r, "DropStmt", d);
    return true;
}

/* RENAME TABLE a TO b [, c TO d]: one RenameStmt each. */
static bool rename_tables(rd *r)
{
    do {
        const char *s1, *n1, *s2, *n2;
        size_t l1, l2;
        if (!rd_qualified(r, &s1, &n1, &l1) || !rd_accept(r, "TO") ||
            !rd_qualified(r, &s2, &n2, &l2))
            return rd_fail(r, "expected RENAME TABLE a TO b");
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "renameType", "OBJECT_TABLE");
        cJSON_AddStringToObject(s, "relationType", "OBJECT_ACCESS_METHOD");
        cJSON_AddItemToObject(s, "relation", nd_rangevar(s1, n1, l1));
        cJSON_AddStringToObject(s, "newname", n2);
        cJSON_AddStringToObject(s, "behavior", "DROP_RESTRICT");
        nd_emit(r, "RenameStmt", s);
    } while (rd_accept_punct(r, ','));
    return rd_done(r) || rd_fail(r, "unexpected %s in RENAME TABLE", rd_text(r, r->i, r->i + 1));
}

static bool truncate_table(rd *r)
{
    rd_accept(r, "TABLE");
    const char *schema, *name;
    size_t loc;
    if (!rd_qualified(r, &schema, &name, &loc))
        return false;
    cJSON *t = cJSON_CreateObject();
    cJSON *rels = cJSON_AddArrayToObject(t, "relations");
    cJSON_AddItemToArray(rels, wrap("RangeVar", nd_rangevar(schema, name, loc)));
    cJSON_AddStringToObject(t, "behavior", "DROP_RESTRICT");
    nd_emit(r, "TruncateStmt", t);
    return rd_done(r) || rd_fail(r, "unexpected %s in TRUNCATE", rd_text(r, r->i, r->i + 1));
}

/* SET [GLOBAL|SESSION|LOCAL|PERSIST] name = value [, ...], SET @@x = v,
 * SET NAMES x: one VariableSetStmt per assignment, with "mysqlSetVar". */
static bool set_vars(rd *r)
{
    if (rd_accept(r, "NAMES") || rd_accept2(r, "CHARACTER", "SET") || rd_accept(r, "TRANSACTION") ||
        rd_accept(r, "PASSWORD") || rd_accept(r, "ROLE") || rd_accept(r, "DEFAULT")) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "mysqlCommand", "SET");
        nd_emit(r, "MysqlOtherStmt", o);
        r->i = r->n;
        return true;
    }
    do {
        const char *scope = "SESSION";
        static const char *const scopes[] = {"GLOBAL",  "SESSION",      "LOCAL",
                                             "PERSIST", "PERSIST_ONLY", NULL};
        for (const char *const *s = scopes; *s; s++)
            if (rd_accept(r, *s))
                scope = *s;
        if (rd_done(r))
            return rd_fail(r, "expected a variable name after SET");
        const char *raw = rd_text(r, r->i, r->i + 1);
        r->i++;
        const char *name = raw;
        if (name[0] == '@' && name[1] == '@') {
            name += 2;
            const char *dot = strchr(name, '.');
            if (dot) {
                static const char *const prefixes[] = {"global.", "session.", "local.", "persist.",
                                                       NULL};
                for (const char *const *p = prefixes; *p; p++)
                    if (!strncasecmp(name, *p, strlen(*p)))
                        scope = arena_strndup(r->a, name, (size_t)(dot - name));
                name = dot + 1;
            }
        } else if (name[0] == '`') {
            r->i--;
            name = rd_name(r, "a variable name");
        }
        if (!rd_accept_punct(r, '=') && !rd_is(r, r->i, ":=") && !rd_accept(r, "TO"))
            return rd_fail(r, "expected = after the variable name");
        if (rd_is(r, r->i, ":="))
            r->i++;
        size_t at = rd_start(r, r->i);
        bool is_null;
        const char *v = rd_expr(r, &is_null);
        if (!v)
            return false;
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "kind", "VAR_SET_VALUE");
        cJSON_AddStringToObject(s, "name", lower(r->a, name));
        cJSON *args = cJSON_AddArrayToObject(s, "args");
        cJSON_AddItemToArray(args, nd_expr(v, at));
        cJSON *m = cJSON_CreateObject();
        cJSON_AddStringToObject(m, "name", lower(r->a, name));
        cJSON_AddStringToObject(m, "value", v);
        cJSON_AddStringToObject(m, "scope", lower(r->a, scope));
        cJSON_AddBoolToObject(m, "user", raw[0] == '@' && raw[1] != '@');
        cJSON_AddItemToObject(s, "mysqlSetVar", m);
        nd_emit(r, "VariableSetStmt", s);
    } while (rd_accept_punct(r, ','));
    return rd_done(r) || rd_fail(r, "unexpected %s in SET", rd_text(r, r->i, r->i + 1));
}

static void transaction(rd *r, const char *kind)
{
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "kind", kind);
    nd_emit(r, "TransactionStmt", t);
    r->i = r->n;
}

/* Is there a WHERE at depth 0 after the cursor? */
static bool has_where(const rd *r)
{
    int depth = 0;
    for (size_t i = r->i; i < r->n; i++) {
        if (rd_is_punct(r, i, '('))
            depth++;
        else if (rd_is_punct(r, i, ')'))
            depth--;
        else if (depth == 0 && rd_is(r, i, "WHERE"))
            return true;
    }
    return false;
}

/* INSERT/REPLACE/UPDATE/DELETE: the table they change, and for UPDATE and
 * DELETE whether a WHERE limits them. */
static bool data_change(rd *r, const char *kind)
{
    static const char *const mods[] = {"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY",
                                       "QUICK",        "IGNORE",  NULL};
    for (const char *const *m = mods; *m; m++)
        rd_accept(r, *m);
    if (!strcmp(kind, "DeleteStmt") && !rd_accept(r, "FROM")) {
        /* DELETE t1 FROM t1 JOIN ...: the first name is the table */
    }
    rd_accept(r, "INTO");
    const char *schema, *name;
    size_t loc;
    bool where = has_where(r);
    if (!rd_qualified(r, &schema, &name, &loc))
        return false;
    cJSON *s = cJSON_CreateObject();
    cJSON_AddItemToObject(s, "relation", nd_rangevar(schema, name, loc));
    if (where)
        cJSON_AddItemToObject(s, "whereClause", nd_expr("WHERE", loc));
    nd_emit(r, kind, s);
    r->i = r->n;
    return true;
}

/* OPTIMIZE/ANALYZE/CHECK/REPAIR TABLE a, b */
static bool maintenance(rd *r, const char *command)
{
    if (!rd_accept(r, "NO_WRITE_TO_BINLOG"))
        rd_accept(r, "LOCAL");
    if (!rd_accept(r, "TABLE") && !rd_accept(r, "TABLES"))
        return rd_fail(r, "expected TABLE after %s", command);
    cJSON *v = cJSON_CreateObject();
    cJSON *rels = cJSON_AddArrayToObject(v, "rels");
    do {
        const char *schema, *name;
        size_t loc;
        if (!rd_qualified(r, &schema, &name, &loc)) {
            cJSON_Delete(v);
            return false;
        }
        cJSON *vr = cJSON_CreateObject();
        cJSON_AddItemToObject(vr, "relation", nd_rangevar(schema, name, loc));
        cJSON_AddItemToArray(rels, wrap("VacuumRelation", vr));
    } while (rd_accept_punct(r, ','));
    cJSON_AddBoolToObject(v, "is_vacuumcmd", strcmp(command, "ANALYZE") != 0);
    cJSON_AddStringToObject(v, "mysqlCommand", command);
    nd_emit(r, "VacuumStmt", v);
    r->i = r->n;
    return true;
}

/* Statements read as a whole and not modelled. */
static const char *const other_heads[] = {
    "USE",        "GRANT",   "REVOKE",    "FLUSH",     "CALL",    "DO",       "PREPARE",  "EXECUTE",
    "DEALLOCATE", "XA",      "SAVEPOINT", "RELEASE",   "SHOW",    "DESCRIBE", "DESC",     "EXPLAIN",
    "LOAD",       "HANDLER", "INSTALL",   "UNINSTALL", "UNLOCK",  "LOCK",     "CHECKSUM", "KILL",
    "RESET",      "PURGE",   "CHANGE",    "START",     "STOP",    "SIGNAL",   "RESIGNAL", "TABLE",
    "VALUES",     "IMPORT",  "CLONE",     "SHUTDOWN",  "RESTART", "HELP",     "CACHE",    NULL};

static bool other(rd *r, const char *command)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "mysqlCommand", command);
    nd_emit(r, "MysqlOtherStmt", o);
    r->i = r->n;
    return true;
}

/* CREATE [OR REPLACE] [ALGORITHM=..] [DEFINER=..] [SQL SECURITY ..] VIEW ...,
 * CREATE DATABASE, TRIGGER, PROCEDURE...: not modelled. */
static bool create_other(rd *r)
{
    rd_accept2(r, "OR", "REPLACE");
    /* ALGORITHM=x, DEFINER=`u`@`h`, SQL SECURITY x come before the kind */
    size_t at = r->i;
    if (rd_is(r, r->i, "ALGORITHM") || rd_is(r, r->i, "DEFINER") || rd_is(r, r->i, "SQL"))
        for (size_t k = r->i; k < r->n && k < r->i + 16; k++)
            if (rd_is(r, k, "VIEW") || rd_is(r, k, "TRIGGER") || rd_is(r, k, "PROCEDURE") ||
                rd_is(r, k, "FUNCTION") || rd_is(r, k, "EVENT")) {
                at = k;
                break;
            }
    r->i = at;
    static const char *const kinds[] = {"VIEW",     "DATABASE", "SCHEMA",  "TRIGGER",  "PROCEDURE",
                                        "FUNCTION", "EVENT",    "USER",    "ROLE",     "TABLESPACE",
                                        "SERVER",   "SPATIAL",  "LOGFILE", "RESOURCE", "AGGREGATE",
                                        "SEQUENCE", NULL};
    for (const char *const *k = kinds; *k; k++)
        if (rd_is(r, r->i, *k))
            return other(r, arena_printf(r->a, "CREATE %s", *k));
    return rd_fail(r, "not a MySQL statement: CREATE %s", rd_text(r, r->i, r->i + 1));
}

static bool drop(rd *r)
{
    rd_accept(r, "TEMPORARY");
    if (rd_accept(r, "TABLE") || rd_accept(r, "TABLES"))
        return drop_relations(r, "OBJECT_TABLE");
    if (rd_accept(r, "VIEW"))
        return drop_relations(r, "OBJECT_VIEW");
    if (rd_accept(r, "INDEX"))
        return drop_index(r);
    if (rd_accept(r, "DATABASE") || rd_accept(r, "SCHEMA")) {
        bool missing_ok = rd_accept2(r, "IF", "EXISTS");
        const char *name = rd_name(r, "a database name");
        if (!name)
            return false;
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "dbname", name);
        if (missing_ok)
            cJSON_AddBoolToObject(d, "missing_ok", 1);
        nd_emit(r, "DropdbStmt", d);
        return rd_done(r) || rd_fail(r, "unexpected %s", rd_text(r, r->i, r->i + 1));
    }
    return other(r, arena_printf(r->a, "DROP %s", rd_text(r, r->i, r->i + 1)));
}

bool my_other(rd *r)
{
    if (rd_accept(r, "DROP"))
        return drop(r);
    if (rd_accept(r, "RENAME")) {
        if (!rd_accept(r, "TABLE") && !rd_accept(r, "TABLES"))
            return other(r, "RENAME");
        return rename_tables(r);
    }
    if (rd_accept(r, "TRUNCATE"))
        return truncate_table(r);
    if (rd_accept(r, "SET"))
        return set_vars(r);
    if (rd_accept2(r, "START", "TRANSACTION")) {
        transaction(r, "TRANS_STMT_START");
        return true;
    }
    if (rd_accept(r, "BEGIN")) {
        transaction(r, "TRANS_STMT_BEGIN");
        return true;
    }
    if (rd_accept(r, "COMMIT")) {
        transaction(r, "TRANS_STMT_COMMIT");
        return true;
    }
    if (rd_accept(r, "ROLLBACK")) {
        transaction(r, "TRANS_STMT_ROLLBACK");
        return true;
    }
    if (rd_accept(r, "INSERT") || rd_accept(r, "REPLACE"))
        return data_change(r, "InsertStmt");
    if (rd_accept(r, "UPDATE"))
        return data_change(r, "UpdateStmt");
    if (rd_accept(r, "DELETE"))
        return data_change(r, "DeleteStmt");
    if (rd_is(r, r->i, "SELECT") || rd_is(r, r->i, "WITH") || rd_is_punct(r, r->i, '(')) {
        nd_emit(r, "SelectStmt", cJSON_CreateObject());
        r->i = r->n;
        return true;
    }
    static const char *const maint[] = {"OPTIMIZE", "ANALYZE", "CHECK", "REPAIR", NULL};
    for (const char *const *m = maint; *m; m++)
        if (rd_accept(r, *m))
            return maintenance(r, *m);
    if (rd_accept(r, "CREATE"))
        return create_other(r);
    if (rd_is(r, r->i, "ALTER"))
        return other(r, arena_printf(r->a, "ALTER %s", rd_text(r, r->i + 1, r->i + 2)));
    for (const char *const *h = other_heads; *h; h++)
        if (rd_is(r, r->i, *h))
            return other(r, *h);
    return rd_fail(r, "not a MySQL statement: %s", rd_text(r, r->i, r->i + 1));
}
