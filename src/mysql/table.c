/* table.c - CREATE TABLE, ALTER TABLE and CREATE INDEX, translated.
 *
 * MySQL keys are indexes in a per-table namespace: an inline UNIQUE, a
 * UNIQUE KEY or KEY clause, ADD INDEX become IndexStmts after the statement
 * (unique ones named as MySQL names them: the constraint or key name, else
 * the first column). A PRIMARY KEY is a constraint; FOREIGN KEY and CHECK
 * too. ALTER TABLE's RENAME clauses and DROP INDEX become RenameStmt and
 * DropStmt, in the written order, each carrying the statement's ALGORITHM
 * and LOCK. */
#include "internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct table_ref {
    const char *schema, *name;
    size_t loc;
} table_ref;

/* The statements one MySQL statement becomes, emitted at its end. */
typedef struct pending {
    const char *kind[64];
    cJSON *node[64];
    size_t n;
    const char *unique_names[64]; /* index names taken, for MySQL's name_2 */
    size_t nnames;
    const char *create; /* CREATE TABLE: the table, whose unnamed foreign keys
                           MySQL names table_ibfk_1, _2... */
    int nfk;
} pending;

static void pend(pending *p, const char *kind, cJSON *node)
{
    if (p->n == sizeof p->kind / sizeof p->kind[0]) {
        cJSON_Delete(node);
        return;
    }
    p->kind[p->n] = kind;
    p->node[p->n++] = node;
}

static void pend_flush(rd *r, pending *p, const char *algorithm, const char *lock)
{
    for (size_t i = 0; i < p->n; i++) {
        if (algorithm)
            cJSON_AddStringToObject(p->node[i], "mysqlAlgorithm", algorithm);
        if (lock)
            cJSON_AddStringToObject(p->node[i], "mysqlLock", lock);
        if (i > 0)
            cJSON_AddBoolToObject(p->node[i], "mysqlPart", 1);
        nd_emit(r, p->kind[i], p->node[i]);
    }
    p->n = 0;
}

static void pend_discard(pending *p)
{
    for (size_t i = 0; i < p->n; i++)
        cJSON_Delete(p->node[i]);
    p->n = 0;
}

/* MySQL names an unnamed key after its first column, then col_2, col_3. */
static const char *key_name(rd *r, pending *p, const char *given, const cJSON *cols)
{
    const char *base = given;
    if (!base) {
        const cJSON *first = cols ? cols->child : NULL;
        base = arena_strdup(r->a, first ? sql_string_value(first) : "key");
    }
    const char *name = base;
    for (int k = 2;; k++) {
        bool taken = false;
        for (size_t i = 0; i < p->nnames; i++)
            if (!strcasecmp(p->unique_names[i], name))
                taken = true;
        if (!taken || given)
            break;
        name = arena_printf(r->a, "%s_%d", base, k);
    }
    if (p->nnames < sizeof p->unique_names / sizeof p->unique_names[0])
        p->unique_names[p->nnames++] = name;
    return name;
}

static cJSON *index_stmt(const table_ref *t, const char *name, const cJSON *cols, bool unique,
                         const char *type)
{
    cJSON *ix = cJSON_CreateObject();
    cJSON_AddStringToObject(ix, "idxname", name);
    cJSON_AddItemToObject(ix, "relation", nd_rangevar(t->schema, t->name, t->loc));
    cJSON_AddStringToObject(ix, "accessMethod", "btree");
    cJSON *params = cJSON_AddArrayToObject(ix, "indexParams");
    const cJSON *c;
    cJSON_ArrayForEach(c, cols)
    {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "name", sql_string_value(c));
        cJSON_AddStringToObject(e, "ordering", "SORTBY_DEFAULT");
        cJSON_AddStringToObject(e, "nulls_ordering", "SORTBY_NULLS_DEFAULT");
        cJSON *w = cJSON_CreateObject();
        cJSON_AddItemToObject(w, "IndexElem", e);
        cJSON_AddItemToArray(params, w);
    }
    if (unique)
        cJSON_AddBoolToObject(ix, "unique", 1);
    if (type)
        cJSON_AddStringToObject(ix, "mysqlIndexType", type);
    cJSON_AddBoolToObject(ix, "mysqlIndex", 1); /* its name is per table */
    return ix;
}

/* Index options after a key's columns: USING, COMMENT, VISIBLE... */
static void skip_index_options(rd *r)
{
    for (;;) {
        size_t from = r->i;
        if (rd_accept(r, "USING") || rd_accept(r, "KEY_BLOCK_SIZE") || rd_accept(r, "COMMENT") ||
            rd_accept2(r, "WITH", "PARSER")) {
            rd_accept_punct(r, '=');
            r->i++;
        } else if (!rd_accept(r, "VISIBLE") && !rd_accept(r, "INVISIBLE")) {
            return;
        }
        rd_mask(r, from, r->i);
    }
}

static char fk_action(rd *r)
{
    if (rd_accept(r, "CASCADE"))
        return 'c';
    if (rd_accept(r, "RESTRICT"))
        return 'r';
    if (rd_accept2(r, "SET", "NULL"))
        return 'n';
    if (rd_accept2(r, "SET", "DEFAULT"))
        return 'd';
    if (rd_accept2(r, "NO", "ACTION"))
        return 'a';
    rd_fail(r, "expected CASCADE, RESTRICT, SET NULL, SET DEFAULT or NO ACTION");
    return 0;
}

/* FOREIGN KEY [name] (cols) REFERENCES t (cols) [ON DELETE x] [ON UPDATE y] */
static cJSON *foreign_key(rd *r, const char *sym, size_t loc)
{
    if (rd_is_ident(r, r->i) && !rd_is_punct(r, r->i, '('))
        r->i++; /* the index name: ignored when the constraint has one */
    cJSON *cols = rd_column_list(r);
    if (!cols)
        return NULL;
    table_ref ref;
    if (!rd_accept(r, "REFERENCES") || !rd_qualified(r, &ref.schema, &ref.name, &ref.loc)) {
        cJSON_Delete(cols);
        rd_fail(r, "expected REFERENCES table (columns)");
        return NULL;
    }
    cJSON *pk = rd_is_punct(r, r->i, '(') ? rd_column_list(r) : cJSON_CreateArray();
    if (!pk) {
        cJSON_Delete(cols);
        return NULL;
    }
    char del = 'a', upd = 'a';
    size_t actions = r->i;
    while (rd_accept(r, "ON")) {
        if (rd_accept(r, "DELETE"))
            del = fk_action(r);
        else if (rd_accept(r, "UPDATE"))
            upd = fk_action(r);
        else
            rd_fail(r, "expected DELETE or UPDATE after ON");
    }
    rd_mask(r, actions, r->i); /* read here: the grammar lacks some of them */
    if (rd_accept(r, "MATCH"))
        r->i++;
    cJSON *c = nd_constraint("CONSTR_FOREIGN", loc);
    if (sym)
        cJSON_AddStringToObject(c, "conname", sym);
    cJSON_AddBoolToObject(c, "initially_valid", 1);
    cJSON_AddItemToObject(c, "pktable", nd_rangevar(ref.schema, ref.name, ref.loc));
    cJSON_AddItemToObject(c, "fk_attrs", cols);
    cJSON_AddItemToObject(c, "pk_attrs", pk);
    cJSON_AddStringToObject(c, "fk_matchtype", "s");
    char a[2] = {upd, 0}, d[2] = {del, 0};
    cJSON_AddStringToObject(c, "fk_upd_action", a);
    cJSON_AddStringToObject(c, "fk_del_action", d);
    cJSON_AddBoolToObject(c, "mysqlForeignKey", 1);
    if (r->error) {
        cJSON_Delete(c);
        return NULL;
    }
    return c;
}

static cJSON *wrap(const char *kind, cJSON *inner)
{
    cJSON *w = cJSON_CreateObject();
    cJSON_AddItemToObject(w, kind, inner);
    return w;
}

/* A key or constraint clause (without its leading ADD); *constraint gets a
 * Constraint for PRIMARY KEY, FOREIGN KEY and CHECK, or the clause is
 * pended as an IndexStmt. False when the clause is not one. */
static bool key_clause(rd *r, const table_ref *t, pending *p, cJSON **constraint)
{
    *constraint = NULL;
    size_t from = r->i, loc = rd_start(r, r->i);
    const char *sym = NULL;
    if (rd_is(r, r->i, "CONSTRAINT")) {
        r->i++;
        if (!rd_is(r, r->i, "PRIMARY") && !rd_is(r, r->i, "UNIQUE") && !rd_is(r, r->i, "FOREIGN") &&
            !rd_is(r, r->i, "CHECK"))
            sym = rd_name(r, "a constraint name");
        rd_mask(r, from, r->i); /* the grammar lacks CONSTRAINT name UNIQUE/FOREIGN KEY */
    }
    if (rd_accept2(r, "PRIMARY", "KEY")) {
        if (rd_accept(r, "USING"))
            r->i++;
        cJSON *cols = rd_column_list(r);
        if (!cols)
            return true;
        skip_index_options(r);
        *constraint = nd_constraint("CONSTR_PRIMARY", loc);
        cJSON_AddItemToObject(*constraint, "keys", cols);
        return true;
    }
    if (rd_accept2(r, "FOREIGN", "KEY")) {
        if (!sym && p->create)
            sym = arena_printf(r->a, "%s_ibfk_%d", p->create, ++p->nfk);
        *constraint = foreign_key(r, sym, loc);
        return true;
    }
    if (rd_accept(r, "CHECK")) {
        if (!rd_is_punct(r, r->i, '(')) {
            rd_fail(r, "expected ( after CHECK");
            return true;
        }
        size_t e = rd_group_end(r, r->i);
        *constraint = nd_constraint("CONSTR_CHECK", loc);
        if (sym)
            cJSON_AddStringToObject(*constraint, "conname", sym);
        cJSON_AddItemToObject(*constraint, "raw_expr", nd_expr(rd_text(r, r->i + 1, e - 1), loc));
        cJSON_AddBoolToObject(*constraint, "initially_valid", 1);
        r->i = e;
        if (!rd_accept2(r, "NOT", "ENFORCED"))
            rd_accept(r, "ENFORCED");
        return true;
    }
    bool unique = false;
    const char *type = NULL;
    size_t head = r->i;
    if (rd_accept(r, "UNIQUE"))
        unique = true;
    else if (rd_accept(r, "FULLTEXT"))
        type = "FULLTEXT";
    else if (rd_accept(r, "SPATIAL"))
        type = "SPATIAL";
    bool keyword = rd_accept(r, "INDEX") || rd_accept(r, "KEY");
    if (!unique && !type && !keyword) {
        r->i = from;
        return false;
    }
    if (type)
        rd_mask(r, head, r->i); /* FULLTEXT/SPATIAL: the grammar lacks them */
    const char *name = NULL;
    if (rd_is_ident(r, r->i) && !rd_is(r, r->i, "USING"))
        name = rd_name(r, "an index name");
    if (rd_accept(r, "USING"))
        r->i++;
    cJSON *cols = rd_column_list(r);
    if (!cols)
        return true;
    skip_index_options(r);
    name = key_name(r, p, name ? name : sym, cols);
    pend(p, "IndexStmt", index_stmt(t, name, cols, unique, type));
    cJSON_Delete(cols);
    return true;
}

/* The CreateStmt's inline UNIQUE columns become unique indexes. */
static void inline_unique(rd *r, const table_ref *t, pending *p, const cJSON *def)
{
    if (!sql_get_bool(def, "mysqlUniqueKey"))
        return;
    cJSON *cols = cJSON_CreateArray();
    cJSON_AddItemToArray(cols, nd_str(sql_get_str(def, "colname")));
    pend(p, "IndexStmt", index_stmt(t, key_name(r, p, NULL, cols), cols, true, NULL));
    cJSON_Delete(cols);
}

/* Table options: ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=... */
static bool table_option(rd *r, cJSON *node)
{
    size_t from = r->i;
    rd_accept(r, "DEFAULT");
    const char *key = NULL;
    if (rd_accept2(r, "CHARACTER", "SET") || rd_accept(r, "CHARSET"))
        key = "mysqlCharset";
    else if (rd_accept(r, "COLLATE"))
        key = "mysqlCollation";
    else if (rd_accept(r, "ENGINE"))
        key = "mysqlEngine";
    else if (rd_accept(r, "COMMENT"))
        key = "mysqlComment";
    else if (rd_is_ident(r, r->i) &&
             (rd_is_punct(r, r->i + 1, '=') || rd_is(r, r->i, "ROW_FORMAT") ||
              rd_is(r, r->i, "AUTO_INCREMENT")))
        r->i++;
    else {
        r->i = from;
        return false;
    }
    rd_accept_punct(r, '=');
    if (rd_done(r))
        return rd_fail(r, "expected a value for the table option");
    const char *v = rd_is_string(r, r->i) ? rd_string_value(r, r->i) : rd_text(r, r->i, r->i + 1);
    r->i++;
    if (key && !cJSON_GetObjectItemCaseSensitive(node, key))
        cJSON_AddStringToObject(node, key, v);
    rd_accept_punct(r, ',');
    return true;
}

static bool table_options(rd *r, cJSON *node)
{
    size_t from = r->i;
    while (!rd_done(r) && table_option(r, node))
        ;
    rd_mask(r, from, r->i);
    return !r->error;
}

/* The foreign keys of a CREATE TABLE, added after its keys (an ALTER TABLE
 * part): InnoDB counts the statement's own keys as their indexes. */
static void pend_foreign_keys(const table_ref *t, pending *p, cJSON *fks)
{
    if (!fks->child) {
        cJSON_Delete(fks);
        return;
    }
    cJSON *alter = cJSON_CreateObject();
    cJSON_AddItemToObject(alter, "relation", nd_rangevar(t->schema, t->name, t->loc));
    cJSON *cmds = cJSON_AddArrayToObject(alter, "cmds");
    cJSON_AddStringToObject(alter, "objtype", "OBJECT_TABLE");
    for (cJSON *fk = fks->child; fk; fk = fk->next) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "subtype", "AT_AddConstraint");
        cJSON_AddItemToObject(c, "def", cJSON_Duplicate(fk, 1));
        cJSON_AddStringToObject(c, "behavior", "DROP_RESTRICT");
        cJSON_AddItemToArray(cmds, wrap("AlterTableCmd", c));
    }
    cJSON_Delete(fks);
    pend(p, "AlterTableStmt", alter);
}

static bool create_elements(rd *r, const table_ref *t, cJSON *stmt, pending *p)
{
    cJSON *elts = cJSON_AddArrayToObject(stmt, "tableElts");
    if (!rd_accept_punct(r, '('))
        return rd_fail(r, "expected ( after the table name");
    cJSON *fks = cJSON_CreateArray();
    bool ok = false;
    for (;;) {
        cJSON *con;
        if (key_clause(r, t, p, &con)) {
            const char *ct = sql_get_str(con, "contype");
            if (ct && !strcmp(ct, "CONSTR_FOREIGN"))
                cJSON_AddItemToArray(fks, wrap("Constraint", con));
            else if (con)
                cJSON_AddItemToArray(elts, wrap("Constraint", con));
        } else {
            cJSON *def = my_column_def(r, t->name);
            if (!def)
                break;
            inline_unique(r, t, p, def);
            cJSON_AddItemToArray(elts, wrap("ColumnDef", def));
        }
        if (r->error)
            break;
        if (rd_accept_punct(r, ','))
            continue;
        if (rd_accept_punct(r, ')'))
            ok = true;
        else
            rd_fail(r, "expected , or ) after a column definition, found %s",
                    rd_text(r, r->i, r->i + 1));
        break;
    }
    if (!ok) {
        cJSON_Delete(fks);
        return false;
    }
    pend_foreign_keys(t, p, fks);
    return true;
}

bool my_create_table(rd *r)
{
    cJSON *stmt = cJSON_CreateObject();
    pending p = {0};
    bool temp = rd_accept(r, "TEMPORARY");
    rd_accept(r, "TABLE");
    if (rd_accept(r, "IF") && !(rd_accept(r, "NOT") && rd_accept(r, "EXISTS")))
        return cJSON_Delete(stmt), rd_fail(r, "expected IF NOT EXISTS");
    if (rd_is(r, r->i - 1, "EXISTS"))
        cJSON_AddBoolToObject(stmt, "if_not_exists", 1);
    table_ref t;
    if (!rd_qualified(r, &t.schema, &t.name, &t.loc))
        return cJSON_Delete(stmt), false;
    cJSON *rv = nd_rangevar(t.schema, t.name, t.loc);
    if (temp)
        cJSON_ReplaceItemInObject(rv, "relpersistence", cJSON_CreateString("t"));
    cJSON_AddItemToObject(stmt, "relation", rv);
    cJSON_AddStringToObject(stmt, "oncommit", "ONCOMMIT_NOOP");
    p.create = t.name;
    pend(&p, "CreateStmt", stmt);
    if (rd_accept(r, "LIKE") || (rd_is_punct(r, r->i, '(') && rd_is(r, r->i + 1, "LIKE"))) {
        bool paren = rd_accept_punct(r, '(');
        if (paren)
            r->i++;
        table_ref src;
        if (!rd_qualified(r, &src.schema, &src.name, &src.loc))
            return pend_discard(&p), false;
        if (paren)
            rd_accept_punct(r, ')');
        cJSON *like = cJSON_CreateObject();
        cJSON_AddItemToObject(like, "relation", nd_rangevar(src.schema, src.name, src.loc));
        cJSON_AddNumberToObject(like, "options", 2147483647.0);
        cJSON *elts = cJSON_AddArrayToObject(stmt, "tableElts");
        cJSON_AddItemToArray(elts, wrap("TableLikeClause", like));
        r->grammar_skip = true; /* the grammar lacks CREATE TABLE ... LIKE */
    } else if (rd_is_punct(r, r->i, '(') &&
               !(rd_is(r, r->i + 1, "SELECT") || rd_is(r, r->i + 1, "WITH"))) {
        if (!create_elements(r, &t, stmt, &p) || !table_options(r, stmt))
            return pend_discard(&p), false;
    } else if (!table_options(r, stmt)) {
        return pend_discard(&p), false;
    }
    if (!rd_done(r)) {
        /* CREATE TABLE ... [AS] SELECT: rows the model does not type */
        if (!rd_accept(r, "IGNORE"))
            rd_accept(r, "REPLACE");
        rd_accept(r, "AS");
        if (!rd_is(r, r->i, "SELECT") && !rd_is(r, r->i, "WITH") && !rd_is_punct(r, r->i, '(') &&
            !rd_is(r, r->i, "PARTITION"))
            return pend_discard(&p), rd_fail(r, "unexpected %s after the table definition",
                                             rd_text(r, r->i, r->i + 1));
        cJSON_AddBoolToObject(stmt, "mysqlAsSelect", 1);
        r->i = r->n;
    }
    pend_flush(r, &p, NULL, NULL);
    return true;
}

/* ---- ALTER TABLE ---- */

typedef struct alter_ctx {
    rd *r;
    table_ref t;
    pending p;
    cJSON *cur; /* the AlterTableStmt being filled, or NULL */
    const char *algorithm, *lock;
    cJSON *options; /* table options (ENGINE, CHARSET) */
} alter_ctx;

static cJSON *alter_cmds(alter_ctx *x)
{
    if (!x->cur) {
        x->cur = cJSON_CreateObject();
        cJSON_AddItemToObject(x->cur, "relation", nd_rangevar(x->t.schema, x->t.name, x->t.loc));
        cJSON_AddArrayToObject(x->cur, "cmds");
        cJSON_AddStringToObject(x->cur, "objtype", "OBJECT_TABLE");
        pend(&x->p, "AlterTableStmt", x->cur);
    }
    return cJSON_GetObjectItemCaseSensitive(x->cur, "cmds");
}

static cJSON *add_cmd(alter_ctx *x, const char *subtype, const char *name, cJSON *def)
{
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "subtype", subtype);
    if (name)
        cJSON_AddStringToObject(c, "name", name);
    if (def)
        cJSON_AddItemToObject(c, "def", def);
    cJSON_AddStringToObject(c, "behavior", "DROP_RESTRICT");
    cJSON_AddItemToArray(alter_cmds(x), wrap("AlterTableCmd", c));
    return c;
}

/* Another statement kind in the middle of an ALTER TABLE: the commands
 * after it go into a new AlterTableStmt, so the order is kept. */
static void pend_other(alter_ctx *x, const char *kind, cJSON *node)
{
    x->cur = NULL;
    pend(&x->p, kind, node);
}

static cJSON *rename_stmt(const table_ref *t, const char *type, const char *sub, const char *to)
{
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "renameType", type);
    cJSON_AddStringToObject(s, "relationType", "OBJECT_TABLE");
    cJSON_AddItemToObject(s, "relation", nd_rangevar(t->schema, t->name, t->loc));
    if (sub)
        cJSON_AddStringToObject(s, "subname", sub);
    cJSON_AddStringToObject(s, "newname", to);
    cJSON_AddStringToObject(s, "behavior", "DROP_RESTRICT");
    return s;
}

static void position(alter_ctx *x, cJSON *def)
{
    rd *r = x->r;
    if (rd_accept(r, "FIRST")) {
        cJSON_AddBoolToObject(def, "mysqlFirst", 1);
    } else if (rd_accept(r, "AFTER")) {
        const char *c = rd_name(r, "a column name after AFTER");
        if (c)
            cJSON_AddStringToObject(def, "mysqlAfter", c);
    }
}

static const cJSON *find_constraint(const cJSON *def, const char *contype)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, sql_get(def, "constraints"))
    {
        const char *ct = sql_get_str(sql_get(c, "Constraint"), "contype");
        if (ct && !strcmp(ct, contype))
            return sql_get(c, "Constraint");
    }
    return NULL;
}

/* MODIFY/CHANGE: the column is defined anew. The type change, the
 * nullability and the default it now has (none when not written), each
 * marked mysqlModify. */
static void modify(alter_ctx *x, cJSON *def, const char *old_name)
{
    const char *name = sql_get_str(def, "colname");
    if (old_name && strcmp(old_name, name))
        pend_other(x, "RenameStmt", rename_stmt(&x->t, "OBJECT_COLUMN", old_name, name));
    position(x, def);
    cJSON *typedef_ = cJSON_Duplicate(def, 1);
    cJSON_DeleteItemFromObject(typedef_, "colname");
    cJSON_DeleteItemFromObject(typedef_, "constraints");
    cJSON_AddBoolToObject(typedef_, "mysqlModify", 1);
    cJSON *t = add_cmd(x, "AT_AlterColumnType", name, wrap("ColumnDef", typedef_));
    cJSON_AddBoolToObject(t, "mysqlModify", 1);
    /* AUTO_INCREMENT is kept only when written again */
    if (!find_constraint(def, "CONSTR_IDENTITY")) {
        cJSON *di = add_cmd(x, "AT_DropIdentity", name, NULL);
        cJSON_AddBoolToObject(di, "missing_ok", 1);
        cJSON_AddBoolToObject(di, "mysqlModify", 1);
    }
    bool not_null = find_constraint(def, "CONSTR_NOTNULL") ||
                    find_constraint(def, "CONSTR_PRIMARY") ||
                    find_constraint(def, "CONSTR_IDENTITY");
    cJSON *n = add_cmd(x, not_null ? "AT_SetNotNull" : "AT_DropNotNull", name, NULL);
    cJSON_AddBoolToObject(n, "mysqlModify", 1);
    const cJSON *d = find_constraint(def, "CONSTR_DEFAULT");
    const cJSON *v = d ? sql_get(d, "raw_expr") : NULL;
    cJSON *dc = add_cmd(x, "AT_ColumnDefault", name,
                        v && !sql_get(v, "A_Const") ? cJSON_Duplicate(v, 1) : NULL);
    cJSON_AddBoolToObject(dc, "mysqlModify", 1);
    const cJSON *ai = find_constraint(def, "CONSTR_IDENTITY");
    if (ai) {
        cJSON *id = add_cmd(x, "AT_AddIdentity", name, wrap("Constraint", cJSON_Duplicate(ai, 1)));
        cJSON_AddBoolToObject(id, "mysqlModify", 1);
    }
    if (find_constraint(def, "CONSTR_PRIMARY")) {
        cJSON *cols = cJSON_CreateArray();
        cJSON_AddItemToArray(cols, nd_str(name));
        cJSON *pk = nd_constraint("CONSTR_PRIMARY", (size_t)sql_location(def));
        cJSON_AddItemToObject(pk, "keys", cols);
        add_cmd(x, "AT_AddConstraint", NULL, wrap("Constraint", pk));
    }
    if (sql_get_bool(def, "mysqlUniqueKey")) {
        cJSON *cols = cJSON_CreateArray();
        cJSON_AddItemToArray(cols, nd_str(name));
        pend_other(x, "IndexStmt",
                   index_stmt(&x->t, key_name(x->r, &x->p, NULL, cols), cols, true, NULL));
        cJSON_Delete(cols);
    }
    cJSON_Delete(def);
}

static bool alter_add(alter_ctx *x)
{
    rd *r = x->r;
    cJSON *con;
    if (key_clause(r, &x->t, &x->p, &con)) {
        x->cur = NULL; /* an index was pended, or a constraint follows */
        if (con)
            add_cmd(x, "AT_AddConstraint", NULL, wrap("Constraint", con));
        return !r->error;
    }
    rd_accept(r, "COLUMN");
    bool if_not_exists = rd_is(r, r->i, "IF") && rd_is(r, r->i + 1, "NOT") &&
                         rd_is(r, r->i + 2, "EXISTS"); /* MariaDB */
    if (if_not_exists)
        r->i += 3;
    bool paren = rd_accept_punct(r, '(');
    do {
        cJSON *def = my_column_def(r, x->t.name);
        if (!def)
            return false;
        position(x, def);
        bool unique = sql_get_bool(def, "mysqlUniqueKey");
        const char *name = arena_strdup(r->a, sql_get_str(def, "colname"));
        cJSON *cmd = add_cmd(x, "AT_AddColumn", NULL, wrap("ColumnDef", def));
        if (if_not_exists)
            cJSON_AddBoolToObject(cmd, "missing_ok", 1);
        if (unique) {
            cJSON *cols = cJSON_CreateArray();
            cJSON_AddItemToArray(cols, nd_str(name));
            pend_other(x, "IndexStmt",
                       index_stmt(&x->t, key_name(r, &x->p, NULL, cols), cols, true, NULL));
            cJSON_Delete(cols);
        }
    } while (paren && rd_accept_punct(r, ','));
    if (paren && !rd_accept_punct(r, ')'))
        return rd_fail(r, "expected ) after the column definitions");
    return true;
}

static cJSON *drop_index_stmt(const table_ref *t, const char *name)
{
    cJSON *d = cJSON_CreateObject();
    cJSON *objects = cJSON_AddArrayToObject(d, "objects");
    cJSON *items = cJSON_CreateArray();
    if (t->schema)
        cJSON_AddItemToArray(items, nd_str(t->schema));
    cJSON_AddItemToArray(items, nd_str(name));
    cJSON *list = cJSON_CreateObject();
    cJSON_AddItemToObject(list, "items", items);
    cJSON_AddItemToArray(objects, wrap("List", list));
    cJSON_AddStringToObject(d, "removeType", "OBJECT_INDEX");
    cJSON_AddStringToObject(d, "behavior", "DROP_RESTRICT");
    cJSON_AddItemToObject(d, "mysqlTable", nd_rangevar(t->schema, t->name, t->loc));
    return d;
}

static bool alter_drop(alter_ctx *x)
{
    rd *r = x->r;
    if (rd_accept2(r, "PRIMARY", "KEY")) {
        cJSON *c = add_cmd(x, "AT_DropConstraint", arena_printf(r->a, "%s_pkey", x->t.name), NULL);
        cJSON_AddBoolToObject(c, "mysqlPrimaryKey", 1);
        return true;
    }
    if (rd_accept(r, "INDEX") || rd_accept(r, "KEY")) {
        const char *name = rd_name(r, "an index name");
        if (!name)
            return false;
        pend_other(x, "DropStmt", drop_index_stmt(&x->t, name));
        return true;
    }
    bool fk = rd_accept2(r, "FOREIGN", "KEY");
    if (fk || rd_accept(r, "CONSTRAINT") || rd_accept(r, "CHECK")) {
        const char *name = rd_name(r, "a constraint name");
        if (!name)
            return false;
        cJSON *c = add_cmd(x, "AT_DropConstraint", name, NULL);
        if (fk)
            cJSON_AddBoolToObject(c, "mysqlForeignKey", 1);
        return true;
    }
    rd_accept(r, "COLUMN");
    bool if_exists = rd_accept2(r, "IF", "EXISTS");
    const char *name = rd_name(r, "a column name");
    if (!name)
        return false;
    cJSON *c = add_cmd(x, "AT_DropColumn", name, NULL);
    if (if_exists)
        cJSON_AddBoolToObject(c, "missing_ok", 1);
    return true;
}

static bool alter_rename(alter_ctx *x)
{
    rd *r = x->r;
    if (rd_accept(r, "COLUMN")) {
        const char *from = rd_name(r, "a column name");
        if (!from || !rd_accept(r, "TO"))
            return rd_fail(r, "expected RENAME COLUMN a TO b");
        const char *to = rd_name(r, "the new column name");
        if (to)
            pend_other(x, "RenameStmt", rename_stmt(&x->t, "OBJECT_COLUMN", from, to));
        return to != NULL;
    }
    if (rd_accept(r, "INDEX") || rd_accept(r, "KEY")) {
        const char *from = rd_name(r, "an index name");
        if (!from || !rd_accept(r, "TO"))
            return rd_fail(r, "expected RENAME INDEX a TO b");
        const char *to = rd_name(r, "the new index name");
        if (!to)
            return false;
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "renameType", "OBJECT_INDEX");
        cJSON_AddStringToObject(s, "relationType", "OBJECT_ACCESS_METHOD");
        cJSON_AddItemToObject(s, "relation", nd_rangevar(x->t.schema, from, x->t.loc));
        cJSON_AddStringToObject(s, "newname", to);
        cJSON_AddItemToObject(s, "mysqlTable", nd_rangevar(x->t.schema, x->t.name, x->t.loc));
        pend_other(x, "RenameStmt", s);
        return true;
    }
    if (!rd_accept(r, "TO"))
        rd_accept(r, "AS");
    table_ref to;
    if (!rd_qualified(r, &to.schema, &to.name, &to.loc))
        return false;
    pend_other(x, "RenameStmt", rename_stmt(&x->t, "OBJECT_TABLE", NULL, to.name));
    return true;
}

static bool alter_column(alter_ctx *x)
{
    rd *r = x->r;
    rd_accept(r, "COLUMN");
    const char *name = rd_name(r, "a column name");
    if (!name)
        return false;
    if (rd_accept2(r, "DROP", "DEFAULT")) {
        add_cmd(x, "AT_ColumnDefault", name, NULL);
        return true;
    }
    if (rd_accept2(r, "SET", "DEFAULT")) {
        size_t at = rd_start(r, r->i);
        bool is_null;
        const char *v = rd_expr(r, &is_null);
        if (!v)
            return false;
        add_cmd(x, "AT_ColumnDefault", name, is_null ? NULL : nd_expr(v, at));
        return true;
    }
    if (rd_accept(r, "SET") && (rd_accept(r, "VISIBLE") || rd_accept(r, "INVISIBLE")))
        return true;
    return rd_fail(r, "expected SET DEFAULT, DROP DEFAULT or SET [IN]VISIBLE");
}

/* ALGORITHM=x, LOCK=x and table options: read here, out of tree-sitter's view. */
static bool alter_option(alter_ctx *x)
{
    rd *r = x->r;
    const char **slot = rd_is(r, r->i, "ALGORITHM") ? &x->algorithm
                        : rd_is(r, r->i, "LOCK")    ? &x->lock
                                                    : NULL;
    if (slot) {
        r->i++;
        rd_accept_punct(r, '=');
        const char *v = rd_name(r, "a value");
        if (!v)
            return false;
        char *up = arena_strdup(r->a, v);
        for (char *p = up; *p; p++)
            *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        *slot = up;
        return true;
    }
    if (rd_accept(r, "CONVERT")) {
        if (!rd_accept(r, "TO") || !(rd_accept2(r, "CHARACTER", "SET") || rd_accept(r, "CHARSET")))
            return rd_fail(r, "expected CONVERT TO CHARACTER SET");
        const char *cs = rd_name(r, "a character set");
        if (!cs)
            return false;
        cJSON_AddStringToObject(x->options, "mysqlConvertCharset", cs);
        if (rd_accept(r, "COLLATE")) {
            const char *co = rd_name(r, "a collation");
            if (co)
                cJSON_AddStringToObject(x->options, "mysqlCollation", co);
        }
        return true;
    }
    if (rd_accept(r, "FORCE")) {
        cJSON_AddBoolToObject(x->options, "mysqlForce", 1);
        return true;
    }
    size_t before = r->i;
    if (table_option(r, x->options)) {
        if (r->i > before && rd_is_punct(r, r->i - 1, ','))
            r->i--; /* the comma separates the next clause */
        return true;
    }
    return false;
}

/* The ALTER TABLE clauses tree-sitter's grammar lacks: the reader reads
 * them, the grammar sees the statement without them. */
static bool grammar_lacks(const rd *r, size_t i)
{
    if (rd_is(r, i, "DROP"))
        return rd_is(r, i + 1, "INDEX") || rd_is(r, i + 1, "KEY") || rd_is(r, i + 1, "PRIMARY") ||
               rd_is(r, i + 1, "FOREIGN") || rd_is(r, i + 1, "CHECK");
    if (rd_is(r, i, "ADD"))
        return rd_is(r, i + 1, "INDEX") || rd_is(r, i + 1, "KEY") || rd_is(r, i + 1, "UNIQUE") ||
               rd_is(r, i + 1, "FULLTEXT") || rd_is(r, i + 1, "SPATIAL") ||
               rd_is(r, i + 1, "PRIMARY") || rd_is(r, i + 1, "FOREIGN") || rd_is(r, i + 1, "CHECK");
    return rd_is(r, i, "RENAME") && (rd_is(r, i + 1, "INDEX") || rd_is(r, i + 1, "KEY"));
}

static bool alter_spec(alter_ctx *x)
{
    rd *r = x->r;
    size_t from = r->i;
    bool ok;
    if (grammar_lacks(r, r->i)) {
        ok = rd_accept(r, "ADD")    ? alter_add(x)
             : rd_accept(r, "DROP") ? alter_drop(x)
                                    : (r->i++, alter_rename(x));
        rd_mask(r, from, r->i);
    } else if (rd_accept(r, "ADD")) {
        ok = alter_add(x);
    } else if (rd_accept(r, "DROP")) {
        ok = alter_drop(x);
    } else if (rd_accept(r, "MODIFY")) {
        rd_accept(r, "COLUMN");
        cJSON *def = my_column_def(r, x->t.name);
        ok = def != NULL;
        if (def)
            modify(x, def, NULL);
    } else if (rd_accept(r, "CHANGE")) {
        rd_accept(r, "COLUMN");
        const char *old = rd_name(r, "a column name");
        cJSON *def = old ? my_column_def(r, x->t.name) : NULL;
        ok = def != NULL;
        if (def)
            modify(x, def, old);
    } else if (rd_accept(r, "RENAME")) {
        ok = alter_rename(x);
    } else if (rd_accept(r, "ALTER")) {
        ok = alter_column(x);
    } else if (alter_option(x)) {
        ok = true;
        rd_mask(r, from, r->i);
    } else {
        return rd_fail(r, "unexpected %s in ALTER TABLE", rd_text(r, r->i, r->i + 1));
    }
    return ok && !r->error;
}

bool my_alter_table(rd *r)
{
    alter_ctx x = {.r = r};
    if (!rd_accept(r, "ONLINE"))
        rd_accept(r, "IGNORE");
    rd_accept(r, "TABLE");
    if (!rd_qualified(r, &x.t.schema, &x.t.name, &x.t.loc))
        return false;
    x.options = cJSON_CreateObject();
    size_t unmasked = 0;
    while (!rd_done(r)) {
        size_t spec = r->i, masks = r->nmasks;
        bool whole = false;
        if (!alter_spec(&x)) {
            pend_discard(&x.p);
            cJSON_Delete(x.options);
            return false;
        }
        /* a clause masked whole takes a comma with it */
        whole = r->nmasks == masks + 1 && r->masks[masks].start == rd_start(r, spec) &&
                r->masks[masks].end == rd_end(r, r->i - 1);
        if (whole && unmasked > 0 && rd_is_punct(r, spec - 1, ','))
            r->masks[masks].start = rd_start(r, spec - 1);
        else if (whole && rd_is_punct(r, r->i, ','))
            r->masks[masks].end = rd_end(r, r->i);
        if (!whole)
            unmasked++;
        if (rd_accept_punct(r, ','))
            continue;
        if (!rd_done(r)) {
            pend_discard(&x.p);
            cJSON_Delete(x.options);
            return rd_fail(r, "expected , between ALTER TABLE clauses, found %s",
                           rd_text(r, r->i, r->i + 1));
        }
    }
    r->grammar_skip = unmasked == 0;
    if (x.options->child || x.p.n == 0)
        alter_cmds(&x);
    cJSON *first = x.p.node[0];
    for (cJSON *o = x.options->child; o; o = o->next)
        cJSON_AddItemToObject(first, o->string, cJSON_Duplicate(o, 1));
    cJSON_Delete(x.options);
    pend_flush(r, &x.p, x.algorithm, x.lock);
    return true;
}

/* CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX name [USING x] ON t (cols) [options] */
bool my_create_index(rd *r)
{
    bool unique = rd_accept(r, "UNIQUE");
    const char *type = rd_accept(r, "FULLTEXT")  ? "FULLTEXT"
                       : rd_accept(r, "SPATIAL") ? "SPATIAL"
                                                 : NULL;
    rd_accept(r, "INDEX");
    bool if_not_exists = rd_is(r, r->i, "IF") && rd_is(r, r->i + 1, "NOT") &&
                         rd_is(r, r->i + 2, "EXISTS"); /* MariaDB */
    if (if_not_exists)
        r->i += 3;
    const char *name = rd_name(r, "an index name");
    if (!name)
        return false;
    if (rd_accept(r, "USING"))
        r->i++;
    table_ref t;
    if (!rd_accept(r, "ON") || !rd_qualified(r, &t.schema, &t.name, &t.loc))
        return rd_fail(r, "expected ON table");
    cJSON *cols = rd_column_list(r);
    if (!cols)
        return false;
    skip_index_options(r);
    const char *algorithm = NULL, *lock = NULL;
    while (!rd_done(r)) {
        size_t from = r->i;
        const char **slot = rd_accept(r, "ALGORITHM") ? &algorithm
                            : rd_accept(r, "LOCK")    ? &lock
                                                      : NULL;
        if (!slot) {
            cJSON_Delete(cols);
            return rd_fail(r, "unexpected %s after the index columns", rd_text(r, r->i, r->i + 1));
        }
        rd_accept_punct(r, '=');
        const char *v = rd_name(r, "a value");
        if (!v) {
            cJSON_Delete(cols);
            return false;
        }
        char *up = arena_strdup(r->a, v);
        for (char *p = up; *p; p++)
            *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        *slot = up;
        rd_mask(r, from, r->i);
    }
    pending p = {0};
    cJSON *ix = index_stmt(&t, name, cols, unique, type);
    if (if_not_exists)
        cJSON_AddBoolToObject(ix, "if_not_exists", 1);
    pend(&p, "IndexStmt", ix);
    cJSON_Delete(cols);
    pend_flush(r, &p, algorithm, lock);
    return true;
}
