/* build.c - nodes in libpg_query's JSON shapes, for the translators, and
 * the statement list they add their statements to (nd_emit). Below the
 * translators and the splitter (parse.c) that calls them. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

cJSON *nd_str(const char *s)
{
    cJSON *inner = cJSON_CreateObject();
    cJSON_AddStringToObject(inner, "sval", s);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "String", inner);
    return o;
}

cJSON *nd_rangevar(const char *schema, const char *name, size_t loc)
{
    cJSON *rv = cJSON_CreateObject();
    if (schema)
        cJSON_AddStringToObject(rv, "schemaname", schema);
    cJSON_AddStringToObject(rv, "relname", name);
    cJSON_AddBoolToObject(rv, "inh", 1);
    cJSON_AddStringToObject(rv, "relpersistence", "p");
    cJSON_AddNumberToObject(rv, "location", (double)loc);
    return rv;
}

cJSON *nd_typename(const char *mysql_type, const char *base, size_t loc)
{
    cJSON *tn = cJSON_CreateObject();
    cJSON *names = cJSON_AddArrayToObject(tn, "names");
    cJSON_AddItemToArray(names, nd_str(base));
    cJSON_AddNumberToObject(tn, "typemod", -1);
    cJSON_AddNumberToObject(tn, "location", (double)loc);
    cJSON_AddStringToObject(tn, "mysqlType", mysql_type);
    return tn;
}

cJSON *nd_constraint(const char *contype, size_t loc)
{
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "contype", contype);
    cJSON_AddNumberToObject(c, "location", (double)loc);
    return c;
}

cJSON *nd_expr(const char *text, size_t loc)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "text", text);
    cJSON_AddNumberToObject(e, "location", (double)loc);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "MysqlExpr", e);
    return o;
}

cJSON *nd_int_const(long v, size_t loc)
{
    cJSON *ival = cJSON_CreateObject();
    if (v)
        cJSON_AddNumberToObject(ival, "ival", (double)v);
    cJSON *c = cJSON_CreateObject();
    cJSON_AddItemToObject(c, "ival", ival);
    cJSON_AddNumberToObject(c, "location", (double)loc);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "A_Const", c);
    return o;
}

sql_stmt *nd_stmt_push(stmt_vec *v)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 16;
        v->items = realloc(v->items, v->cap * sizeof *v->items);
        if (!v->items)
            abort();
    }
    sql_stmt *s = &v->items[v->n++];
    memset(s, 0, sizeof *s);
    return s;
}

void nd_bind_range(const rd *r, sql_stmt *s)
{
    s->first_token = r->first;
    s->ntokens = r->last - r->first + 1;
    s->start = r->f->tokens[r->first].start;
    s->end = r->f->tokens[r->last].end;
}

void nd_emit(rd *r, const char *kind, cJSON *node)
{
    cJSON *w = cJSON_CreateObject();
    cJSON_AddItemToObject(w, kind, node);
    cJSON_AddItemToArray(r->owned, w);
    sql_stmt *s = nd_stmt_push(r->out);
    nd_bind_range(r, s);
    s->kind = w->child->string;
    s->node = node;
    sql_stmt_note_facts(s, r->f->arena);
}
