/* column.c - columns from ColumnDef nodes: type, NOT NULL, DEFAULT, serial,
 * identity and generated columns, as CREATE TABLE and ALTER TABLE ADD
 * COLUMN store them. */
#include "internal.h"

#include <string.h>

/* serial and identity columns own a sequence named <table>_<column>_seq,
 * chosen before the table exists, like generateSerialExtraStmts(). */
static cat_sequence *owned_sequence(replay *r, cat_table *t, cat_column *col, bool identity)
{
    catalog *c = r->c;
    char *name = cat_choose_relation_name(c, t->rel.schema, t->rel.name, col->name, "seq", false);
    cat_sequence *seq = cat_sequence_new(c, t->rel.schema, name);
    seq->rel.origin = r->origin;
    seq->owner_table = t;
    seq->owner_column = col;
    seq->identity = identity;
    cat_rel_register(c, &seq->rel);
    cat_ref_note(c, t, &seq->rel);
    CAT_PUSH(c->a, c->sequences, c->nsequences, seq);
    return seq;
}

/* nextval() prints its regclass argument under the sequence's current name. */
static const char *nextval_text(catalog *c, const cat_sequence *seq)
{
    const char *qualified = cat_is_public(seq->rel.schema)
                                ? cat_quote_ident(c, seq->rel.name)
                                : arena_printf(c->a, "%s.%s", cat_quote_ident(c, seq->rel.schema),
                                               cat_quote_ident(c, seq->rel.name));
    return arena_printf(c->a, "nextval('%s'::regclass)", qualified);
}

static void set_serial_default(replay *r, cat_column *col, cat_sequence *seq)
{
    col->default_expr = nextval_text(r->c, seq);
    col->default_volatile = true;
    col->serial = seq;
}

void sequence_renamed(catalog *c, const cat_sequence *seq)
{
    for (size_t i = 0; i < c->ntables; i++)
        for (size_t k = 0; k < c->tables[i]->ncolumns; k++)
            if (c->tables[i]->columns[k]->serial == seq)
                c->tables[i]->columns[k]->default_expr = nextval_text(c, seq);
}

/* Finds the sequence a nextval('name') default reads, if the catalog has it. */
static const cat_sequence *nextval_sequence(replay *r, const cJSON *expr)
{
    const char *arg = cat_nextval_arg(expr);
    if (!arg)
        return NULL;
    const char *dot = strchr(arg, '.');
    if (dot) {
        char *schema = arena_strndup(r->c->a, arg, (size_t)(dot - arg));
        return catalog_find_sequence(r->c, schema, dot + 1);
    }
    return catalog_find_sequence(r->c, NULL, arg);
}

void column_set_default(replay *r, cat_column *col, const cJSON *expr, const cat_typeinfo *type)
{
    col->default_expr = expr ? cat_deparse_default(r, expr, type) : NULL;
    col->default_volatile = col->default_expr && cat_expr_volatile(r, expr);
    col->serial = col->default_expr ? nextval_sequence(r, expr) : NULL;
    if (col->serial)
        col->default_expr = nextval_text(r->c, col->serial);
}

void column_set_type(cat_column *col, const cat_typeinfo *type)
{
    col->type = type->text;
    col->user_type = type->user_type;
    col->array = type->array;
    col->type_label = type->label;
}

cat_typeinfo column_typeinfo(replay *r, const cat_column *col)
{
    cat_typeinfo t = {0};
    if (!col->type) { /* CREATE TABLE AS of an expression the model cannot type */
        t.text = t.base = t.label = "unknown";
        return t;
    }
    t.text = col->type;
    t.array = col->array;
    t.user_type = col->user_type;
    size_t n = strlen(col->type);
    t.base = col->array && n > 2 ? arena_strndup(r->c->a, col->type, n - 2) : col->type;
    t.label = col->type_label ? col->type_label : t.base;
    return t;
}

void column_add_identity(replay *r, cat_table *t, cat_column *col, char when)
{
    col->identity = when;
    col->not_null = true;
    owned_sequence(r, t, col, true);
}

/* A MySQL text column's character set, kept as its collation so that rules
 * can tell how many bytes a character takes (alter-column-type): its own
 * COLLATE or CHARACTER SET, else in CREATE TABLE the table's DEFAULT
 * CHARSET. NULL when the migrations name none (MySQL 8's default then). */
static const char *mysql_collation(replay *r, const cJSON *def, const cat_column *col,
                                   bool creating)
{
    static const char *const text[] = {"varchar",    "char",     "tinytext", "text",
                                       "mediumtext", "longtext", "enum",     "set"};
    const char *c = sql_get_str(def, "mysqlCollation");
    if (!c)
        c = sql_get_str(def, "mysqlCharset");
    if (!c && creating) {
        c = sql_get_str(r->s->node, "mysqlCollation");
        if (!c)
            c = sql_get_str(r->s->node, "mysqlCharset");
    }
    if (!c || !col->type)
        return NULL;
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        size_t n = strlen(text[i]);
        if (!strncmp(col->type, text[i], n) && (col->type[n] == '(' || col->type[n] == '\0'))
            return arena_strdup(r->c->a, c);
    }
    return NULL;
}

/* The members of a ColumnDef read below, each the first of its name as
 * sql_get finds it, in one pass (every column of every CREATE TABLE). */
typedef struct coldef {
    const cJSON *colname, *type_name, *coll_clause, *constraints;
} coldef;

static void coldef_member(const cJSON *c, const char *key, const cJSON **slot)
{
    if (!*slot && !strcmp(c->string, key))
        *slot = c;
}

static void coldef_of(const cJSON *def, coldef *out)
{
    memset(out, 0, sizeof *out);
    for (const cJSON *c = def ? def->child : NULL; c && c->string; c = c->next) {
        switch (c->string[0]) {
        case 'c':
            coldef_member(c, "colname", &out->colname);
            coldef_member(c, "collClause", &out->coll_clause);
            coldef_member(c, "constraints", &out->constraints);
            break;
        case 't':
            coldef_member(c, "typeName", &out->type_name);
            break;
        }
    }
}

cat_column *table_add_column(replay *r, cat_table *t, const cJSON *def, bool creating)
{
    coldef cd;
    coldef_of(def, &cd);
    const char *name = cJSON_IsString(cd.colname) ? cd.colname->valuestring : NULL;
    if (!name)
        return NULL;
    cat_typeinfo type;
    if (!cat_type_resolve(r, cd.type_name, &type))
        return NULL;
    if (cat_column_find(t, name)) {
        if (creating)
            rp_conflict_at(r, sql_location(def), "column %s specified more than once", name);
        else
            rp_conflict_at(r, sql_location(def), "column %s of table %s already exists", name,
                           rp_relname(r, &t->rel));
        return NULL;
    }
    cat_column *col = cat_column_add(r->c, t, name);
    col->origin = r->origin;
    column_set_type(col, &type);
    /* Only src/mysql's trees have "mysql" members: a PostgreSQL column
     * does not look for them (five misses, a scan of the node's keys each,
     * for every column of a long history). */
    bool mysql = r->f && r->f->dialect == SQL_DIALECT_MYSQL;
    const cJSON *coll = sql_get(cd.coll_clause, "collname");
    if (coll)
        col->collation = sql_name_list(r->c->a, coll);
    else if (mysql)
        col->collation = mysql_collation(r, def, col, creating);
    const char *on_update = mysql ? sql_get_str(def, "mysqlOnUpdate") : NULL; /* src/mysql */
    if (on_update)
        col->on_update = arena_strdup(r->c->a, on_update);
    if (type.serial) {
        col->not_null = true;
        set_serial_default(r, col, owned_sequence(r, t, col, false));
        cat_ref_note(r->c, col->serial, &t->rel);
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, cd.constraints)
    {
        const cJSON *con = sql_get(item, "Constraint");
        const char *ct = sql_get_str(con, "contype");
        if (!ct)
            continue;
        if (!strcmp(ct, "CONSTR_NOTNULL")) {
            col->not_null = true;
        } else if (!strcmp(ct, "CONSTR_NULL")) {
            col->not_null = false;
        } else if (!strcmp(ct, "CONSTR_DEFAULT")) {
            column_set_default(r, col, sql_get(con, "raw_expr"), &type);
            cat_ref_note(r->c, col->serial, &t->rel);
        } else if (!strcmp(ct, "CONSTR_IDENTITY")) {
            const char *when = sql_get_str(con, "generated_when");
            column_add_identity(r, t, col, when && when[0] == 'a' ? 'a' : 'd');
        } else if (!strcmp(ct, "CONSTR_GENERATED")) {
            col->generated = cat_deparse(r, sql_get(con, "raw_expr"));
        }
    }
    /* A raw_default appears on ColumnDefs built by ALTER COLUMN TYPE ... USING. */
    return col;
}
