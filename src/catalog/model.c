/* model.c - creating, finding and registering catalog objects, and the
 * public lookups. Every relation lives in one (schema, name) namespace like
 * pg_class, so a view cannot take an index's name. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

catalog *catalog_new(void)
{
    catalog *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->a = arena_new();
    cat_schema_add(c, "public");
    return c;
}

void catalog_free(catalog *c)
{
    if (!c)
        return;
    cat_map_free(&c->rels);
    cat_map_free(&c->typemap);
    cat_map_free(&c->connames);
    cat_map_free(&c->paths);
    cat_map_free(&c->texts);
    cat_map_free(&c->keywords);
    ptrmap_free(&c->refs);
    arena_free(c->a);
    free(c);
}

/* s's one copy in c's arena, found through m. */
static const char *intern_in(catalog *c, cat_map *m, const char *s)
{
    const char *p = cat_map_get(m, "", s);
    if (!p) {
        p = arena_strdup(c->a, s);
        cat_map_put(m, "", p, (void *)p);
    }
    return p;
}

/* The paths asked last are compared before the map hashes the whole path
 * (see catalog.last_path). */
const char *cat_intern_path(catalog *c, const char *path)
{
    if (c->last_path[0] && !strcmp(c->last_path[0], path))
        return c->last_path[0];
    const char *p = c->last_path[1] && !strcmp(c->last_path[1], path)
                        ? c->last_path[1]
                        : intern_in(c, &c->paths, path);
    c->last_path[1] = c->last_path[0];
    c->last_path[0] = p;
    return p;
}

const char *cat_intern(catalog *c, const char *s)
{
    return intern_in(c, &c->texts, s);
}

bool cat_is_public(const char *schema)
{
    return !schema || strcmp(schema, "public") == 0;
}

const char *cat_schema_or_public(const char *schema)
{
    return schema ? schema : "public";
}

void cat_schema_add(catalog *c, const char *schema)
{
    CAT_PUSH(c->a, c->schemas, c->nschemas, arena_strdup(c->a, schema));
}

cat_rel *cat_rel_get(const catalog *c, const char *schema, const char *name)
{
    /* pg_temp comes first in the search path when it holds anything. */
    if (!schema && c->temp_used) {
        cat_rel *r = cat_map_get(&c->rels, CAT_TEMP_SCHEMA, name);
        if (r)
            return r;
    }
    for (size_t i = 0; !schema && i < c->nsearch_path; i++) {
        cat_rel *r = cat_map_get(&c->rels, c->search_path[i], name);
        if (r)
            return r;
    }
    return cat_map_get(&c->rels, cat_schema_or_public(schema), name);
}

cat_table *cat_table_get(const catalog *c, const char *schema, const char *name)
{
    cat_rel *r = cat_rel_get(c, schema, name);
    if (!r || r->kind == CAT_INDEX || r->kind == CAT_SEQUENCE)
        return NULL;
    return (cat_table *)r;
}

cat_type *cat_type_get(const catalog *c, const char *schema, const char *name)
{
    for (size_t i = 0; !schema && i < c->nsearch_path; i++) {
        cat_type *t = cat_map_get(&c->typemap, c->search_path[i], name);
        if (t)
            return t;
    }
    return cat_map_get(&c->typemap, cat_schema_or_public(schema), name);
}

void cat_rel_register(catalog *c, cat_rel *r)
{
    cat_map_put(&c->rels, r->schema, r->name, r);
}

void cat_rel_unregister(catalog *c, cat_rel *r)
{
    if (cat_map_get(&c->rels, r->schema, r->name) == r)
        cat_map_remove(&c->rels, r->schema, r->name);
}

cat_table *cat_table_new(catalog *c, cat_relkind kind, const char *schema, const char *name)
{
    cat_table *t = arena_calloc(c->a, 1, sizeof *t);
    t->rel.kind = kind;
    t->rel.schema = arena_strdup(c->a, cat_schema_or_public(schema));
    t->rel.name = arena_strdup(c->a, name);
    t->next_attnum = 1;
    return t;
}

cat_column *cat_column_add(catalog *c, cat_table *t, const char *name)
{
    cat_column *col = arena_calloc(c->a, 1, sizeof *col);
    col->name = arena_strdup(c->a, name);
    col->attnum = t->next_attnum++;
    CAT_PUSH(c->a, t->columns, t->ncolumns, col);
    return col;
}

/* First byte before strcmp: every column added is looked for first, among
 * all of its table's. */
cat_column *cat_column_find(const cat_table *t, const char *name)
{
    for (size_t i = 0; t && i < t->ncolumns; i++)
        if (t->columns[i]->name[0] == name[0] && strcmp(t->columns[i]->name, name) == 0)
            return t->columns[i];
    return NULL;
}

cat_constraint *cat_constraint_find(const cat_table *t, const char *name)
{
    for (size_t i = 0; t && i < t->nconstraints; i++)
        if (strcmp(t->constraints[i]->name, name) == 0)
            return t->constraints[i];
    return NULL;
}

static void conname_count(catalog *c, const char *schema, const char *name, int delta)
{
    intptr_t n = (intptr_t)cat_map_get(&c->connames, schema, name) + delta;
    if (n <= 0)
        cat_map_remove(&c->connames, schema, name);
    else
        cat_map_put(&c->connames, schema, name, (void *)n);
}

void cat_constraint_attach(catalog *c, cat_table *t, cat_constraint *con)
{
    CAT_PUSH(c->a, t->constraints, t->nconstraints, con);
    conname_count(c, t->rel.schema, con->name, +1);
    cat_ref_note(c, con->ref_table, &t->rel);
    cat_ref_note(c, con->ref_index, &t->rel);
}

void cat_constraint_detach(catalog *c, cat_table *t, cat_constraint *con)
{
    if (CAT_REMOVE(t->constraints, t->nconstraints, con))
        conname_count(c, t->rel.schema, con->name, -1);
}

bool cat_conname_used(const catalog *c, const char *schema, const char *name)
{
    return cat_map_get(&c->connames, schema, name) != NULL;
}

cat_index *cat_index_new(catalog *c, cat_table *t, const char *name)
{
    cat_index *ix = arena_calloc(c->a, 1, sizeof *ix);
    ix->rel.kind = CAT_INDEX;
    ix->rel.schema = t->rel.schema;
    ix->rel.name = arena_strdup(c->a, name);
    ix->table = t;
    ix->method = "btree";
    return ix;
}

cat_sequence *cat_sequence_new(catalog *c, const char *schema, const char *name)
{
    cat_sequence *s = arena_calloc(c->a, 1, sizeof *s);
    s->rel.kind = CAT_SEQUENCE;
    s->rel.schema = arena_strdup(c->a, cat_schema_or_public(schema));
    s->rel.name = arena_strdup(c->a, name);
    return s;
}

cat_type *cat_type_new(catalog *c, cat_typekind kind, const char *schema, const char *name)
{
    cat_type *t = arena_calloc(c->a, 1, sizeof *t);
    t->kind = kind;
    t->schema = arena_strdup(c->a, cat_schema_or_public(schema));
    t->name = arena_strdup(c->a, name);
    return t;
}

/* quote_identifier(): lower-case letters, digits and '_' are safe unless the
 * word is a keyword other than an unreserved one. The scanner knows the
 * keyword lists, so it is asked once per distinct word. */
static bool keyword_needs_quotes(catalog *c, const char *ident)
{
    void *cached = cat_map_get(&c->keywords, "", ident);
    if (cached)
        return cached == (void *)2;
    bool quote = false;
    PgQueryScanResult r = pg_query_scan(ident);
    if (!r.error) {
        PgQuery__ScanResult *s =
            pg_query__scan_result__unpack(NULL, r.pbuf.len, (const uint8_t *)r.pbuf.data);
        if (s && s->n_tokens == 1) {
            int kind = s->tokens[0]->keyword_kind;
            quote = kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD &&
                    kind != PG_QUERY__KEYWORD_KIND__UNRESERVED_KEYWORD;
        }
        if (s)
            pg_query__scan_result__free_unpacked(s, NULL);
    }
    pg_query_free_scan_result(r);
    const char *key = arena_strdup(c->a, ident);
    cat_map_put(&c->keywords, "", key, quote ? (void *)2 : (void *)1);
    return quote;
}

const char *cat_quote_ident(catalog *c, const char *ident)
{
    bool safe = ident[0] && ((ident[0] >= 'a' && ident[0] <= 'z') || ident[0] == '_');
    for (const char *p = ident; safe && *p; p++)
        safe = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
    if (safe && !keyword_needs_quotes(c, ident))
        return ident;
    strbuf b = STRBUF_INIT;
    strbuf_putc(&b, '"');
    for (const char *p = ident; *p; p++) {
        if (*p == '"')
            strbuf_putc(&b, '"');
        strbuf_putc(&b, *p);
    }
    strbuf_putc(&b, '"');
    const char *out = arena_strdup(c->a, b.data);
    strbuf_free(&b);
    return out;
}

/* ---- public lookups ---- */

const cat_rel *catalog_find_rel(const catalog *c, const char *schema, const char *name)
{
    return cat_rel_get(c, schema, name);
}

const cat_table *catalog_find_table(const catalog *c, const char *schema, const char *name)
{
    return cat_table_get(c, schema, name);
}

const cat_index *catalog_find_index(const catalog *c, const char *schema, const char *name)
{
    const cat_rel *r = cat_rel_get(c, schema, name);
    return r && r->kind == CAT_INDEX ? (const cat_index *)r : NULL;
}

const cat_sequence *catalog_find_sequence(const catalog *c, const char *schema, const char *name)
{
    const cat_rel *r = cat_rel_get(c, schema, name);
    return r && r->kind == CAT_SEQUENCE ? (const cat_sequence *)r : NULL;
}

const cat_type *catalog_find_type(const catalog *c, const char *schema, const char *name)
{
    return cat_type_get(c, schema, name);
}

bool catalog_has_schema(const catalog *c, const char *schema)
{
    for (size_t i = 0; i < c->nschemas; i++)
        if (strcmp(c->schemas[i], schema) == 0)
            return true;
    return false;
}

bool catalog_has_extension(const catalog *c, const char *name)
{
    for (size_t i = 0; i < c->nextensions; i++)
        if (strcmp(c->extensions[i], name) == 0)
            return true;
    return false;
}

const cat_column *cat_table_find_column(const cat_table *t, const char *name)
{
    return cat_column_find(t, name);
}

const cat_constraint *cat_table_find_constraint(const cat_table *t, const char *name)
{
    return cat_constraint_find(t, name);
}

const char *cat_display_name(const cat_rel *r, char *buf, size_t size)
{
    if (cat_is_public(r->schema))
        snprintf(buf, size, "%s", r->name);
    else
        snprintf(buf, size, "%s.%s", r->schema, r->name);
    return buf;
}

/* Registers every relation, type and constraint name of a catalog built
 * outside replay (a clone, a loaded cache entry) as replay would have. */
void cat_register_all(catalog *c)
{
    for (size_t i = 0; i < c->ntables; i++) {
        cat_table *t = c->tables[i];
        cat_rel_register(c, &t->rel);
        for (size_t j = 0; j < t->nconstraints; j++) {
            intptr_t n =
                (intptr_t)cat_map_get(&c->connames, t->rel.schema, t->constraints[j]->name);
            cat_map_put(&c->connames, t->rel.schema, t->constraints[j]->name, (void *)(n + 1));
        }
    }
    for (size_t i = 0; i < c->nindexes; i++)
        cat_rel_register(c, &c->indexes[i]->rel);
    for (size_t i = 0; i < c->nsequences; i++)
        cat_rel_register(c, &c->sequences[i]->rel);
    for (size_t i = 0; i < c->ntypes; i++)
        cat_map_put(&c->typemap, c->types[i]->schema, c->types[i]->name, c->types[i]);
    cat_ref_note_all(c);
}

/* The word PostgreSQL's messages use for a relation of kind k. */
const char *cat_relkind_word(cat_relkind k)
{
    switch (k) {
    case CAT_TABLE:
    case CAT_PARTITIONED_TABLE:
        return "table";
    case CAT_VIEW:
        return "view";
    case CAT_MATVIEW:
        return "materialized view";
    case CAT_INDEX:
        return "index";
    case CAT_SEQUENCE:
        return "sequence";
    }
    return "relation";
}
