/* rename.c - ALTER ... RENAME (tables, views, indexes, sequences, columns,
 * constraints, types, schemas, triggers, functions) and ALTER ... SET
 * SCHEMA. Objects keep their identity, so everything that references them
 * follows. An index and the constraint it backs share one name: renaming
 * either renames both, as PostgreSQL does. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void rel_move(catalog *c, cat_rel *rel, const char *schema, const char *name)
{
    cat_rel_unregister(c, rel);
    rel->schema = schema;
    rel->name = name;
    cat_rel_register(c, rel);
    if (rel->kind == CAT_SEQUENCE)
        sequence_renamed(c, (cat_sequence *)rel);
}

static void rebuild_connames(catalog *c)
{
    cat_map_free(&c->connames);
    for (size_t i = 0; i < c->ntables; i++) {
        cat_table *t = c->tables[i];
        for (size_t k = 0; k < t->nconstraints; k++) {
            intptr_t n =
                (intptr_t)cat_map_get(&c->connames, t->rel.schema, t->constraints[k]->name);
            cat_map_put(&c->connames, t->rel.schema, t->constraints[k]->name, (void *)(n + 1));
        }
    }
}

/* One constraint of the schema now has name instead of old: the counts
 * rebuild_connames() would find, without scanning every table's
 * constraints for each RENAME (quadratic over a history of renames). */
static void conname_renamed(catalog *c, const char *schema, const char *old, const char *name)
{
    intptr_t n = (intptr_t)cat_map_get(&c->connames, schema, old) - 1;
    if (n <= 0)
        cat_map_remove(&c->connames, schema, old);
    else
        cat_map_put(&c->connames, schema, old, (void *)n);
    n = (intptr_t)cat_map_get(&c->connames, schema, name) + 1;
    cat_map_put(&c->connames, schema, name, (void *)n);
#ifdef CAT_REFS_CHECK
    /* The sanitizer build compares with a rebuild. */
    cat_map kept = c->connames;
    memset(&c->connames, 0, sizeof c->connames);
    rebuild_connames(c);
    for (size_t i = 0; i < kept.cap; i++) {
        const cat_map_slot *s = &kept.slots[i];
        if (s->name && s->value != cat_map_get(&c->connames, s->schema, s->name)) {
            fprintf(stderr, "migralint: constraint name count of %s.%s is off\n", s->schema,
                    s->name);
            abort();
        }
    }
    if (kept.len != c->connames.len) {
        fprintf(stderr, "migralint: constraint name counts are off\n");
        abort();
    }
    cat_map_free(&kept);
#endif
}

static bool new_name_free(replay *r, const char *schema, const char *name)
{
    if (!cat_rel_get(r->c, schema, name))
        return true;
    rp_conflict_name(r, r->s->start, name, "relation %s already exists", rp_qname(r, schema, name));
    return false;
}

static void rename_constraint_of_index(catalog *c, cat_index *ix)
{
    if (!ix->constraint)
        return;
    const char *old = ix->constraint->name;
    ix->constraint->name = ix->rel.name;
    conname_renamed(c, ix->table->rel.schema, old, ix->rel.name);
}

static void rename_relation(replay *r, const cJSON *n, const char *word)
{
    const cJSON *rv = sql_get(n, "relation");
    const char *newname = sql_get_str(n, "newname");
    cat_rel *rel = cat_rel_get(r->c, rv_schema(rv), rv_name(rv));
    if (!rel) {
        if (!sql_get_bool(n, "missing_ok"))
            rp_conflict_at(r, sql_location(rv), "%s %s does not exist", word,
                           rp_qname(r, rv_schema(rv), rv_name(rv)));
        return;
    }
    if (!newname || !new_name_free(r, rel->schema, newname))
        return;
    if (rel->kind != CAT_INDEX && rel->kind != CAT_SEQUENCE &&
        cat_type_get(r->c, rel->schema, newname)) {
        rp_conflict_name(r, r->s->start, newname, "type %s already exists",
                         rp_qname(r, rel->schema, newname));
        return;
    }
    rel_move(r->c, rel, rel->schema, arena_strdup(r->c->a, newname));
    if (rel->kind == CAT_INDEX)
        rename_constraint_of_index(r->c, (cat_index *)rel);
}

/* Stored expressions of t that name the column follow the rename. */
static void rename_in_expressions(catalog *c, cat_table *t, const char *old, const char *name)
{
    for (size_t i = 0; i < t->nconstraints; i++)
        t->constraints[i]->expr = cat_rename_in_expr(c, t->constraints[i]->expr, old, name);
    for (size_t i = 0; i < t->nindexes; i++) {
        cat_index *ix = t->indexes[i];
        ix->where = cat_rename_in_expr(c, ix->where, old, name);
        for (size_t k = 0; k < ix->nkeys; k++)
            ix->keys[k].expr = cat_rename_in_expr(c, ix->keys[k].expr, old, name);
    }
    for (size_t i = 0; i < t->ncolumns; i++)
        t->columns[i]->generated = cat_rename_in_expr(c, t->columns[i]->generated, old, name);
    if (t->partition_by)
        t->partition_by = cat_rename_in_expr(c, t->partition_by, old, name);
}

static void rename_in_partitions(catalog *c, cat_table *t, const char *old, const char *name)
{
    for (size_t i = 0; i < c->ntables; i++) {
        cat_table *p = c->tables[i];
        cat_column *col = p->parent == t ? cat_column_find(p, old) : NULL;
        if (col) {
            col->name = name;
            rename_in_expressions(c, p, old, name);
            rename_in_partitions(c, p, old, name);
        }
    }
}

static void rename_column(replay *r, const cJSON *n)
{
    const cJSON *rv = sql_get(n, "relation");
    const char *old = sql_get_str(n, "subname"), *newname = sql_get_str(n, "newname");
    cat_table *t = cat_table_get(r->c, rv_schema(rv), rv_name(rv));
    if (!t) {
        if (!sql_get_bool(n, "missing_ok"))
            rp_conflict_at(r, sql_location(rv), "table %s does not exist",
                           rp_qname(r, rv_schema(rv), rv_name(rv)));
        return;
    }
    cat_column *col = old ? cat_column_find(t, old) : NULL;
    if (!col || !newname) {
        rp_conflict_name(r, (size_t)sql_location(rv) + 1, old ? old : "",
                         "column %s of table %s does not exist", old ? old : "?",
                         rp_relname(r, &t->rel));
        return;
    }
    if (cat_column_find(t, newname)) {
        rp_conflict_name(r, (size_t)sql_location(rv) + 1, newname,
                         "column %s of table %s already exists", newname, rp_relname(r, &t->rel));
        return;
    }
    if (t->parent && cat_column_find(t->parent, old)) {
        rp_conflict_name(r, (size_t)sql_location(rv) + 1, old, "cannot rename inherited column %s",
                         old);
        return;
    }
    const char *name = arena_strdup(r->c->a, newname);
    col->name = name;
    rename_in_expressions(r->c, t, old, name);
    rename_in_partitions(r->c, t, old, name);
}

static void rename_constraint(replay *r, const cJSON *n)
{
    const cJSON *rv = sql_get(n, "relation");
    const char *old = sql_get_str(n, "subname"), *newname = sql_get_str(n, "newname");
    cat_table *t = cat_table_get(r->c, rv_schema(rv), rv_name(rv));
    if (!t) {
        if (!sql_get_bool(n, "missing_ok"))
            rp_conflict_at(r, sql_location(rv), "table %s does not exist",
                           rp_qname(r, rv_schema(rv), rv_name(rv)));
        return;
    }
    cat_constraint *con = old ? cat_constraint_find(t, old) : NULL;
    if (!con || !newname) {
        rp_conflict_name(r, (size_t)sql_location(rv) + 1, old ? old : "",
                         "constraint %s of table %s does not exist", old ? old : "?",
                         rp_relname(r, &t->rel));
        return;
    }
    if (cat_constraint_find(t, newname)) {
        rp_conflict_name(r, (size_t)sql_location(rv) + 1, newname,
                         "constraint %s for table %s already exists", newname,
                         rp_relname(r, &t->rel));
        return;
    }
    if (con->index && !new_name_free(r, t->rel.schema, newname))
        return;
    const char *name = arena_strdup(r->c->a, newname);
    if (con->type == CAT_CON_CHECK) {
        for (size_t i = 0; i < r->c->ntables; i++) {
            cat_constraint *pc =
                r->c->tables[i]->parent == t ? cat_constraint_find(r->c->tables[i], old) : NULL;
            if (pc && pc->type == CAT_CON_CHECK) {
                const char *was = pc->name;
                pc->name = name;
                conname_renamed(r->c, r->c->tables[i]->rel.schema, was, name);
            }
        }
    }
    const char *was = con->name;
    con->name = name;
    if (con->index)
        rel_move(r->c, &con->index->rel, con->index->rel.schema, name);
    conname_renamed(r->c, t->rel.schema, was, name);
}

static void rename_type(replay *r, const cJSON *n)
{
    const char *schema, *name, *newname = sql_get_str(n, "newname");
    const cJSON *obj = sql_get(n, "object");
    const cJSON *items = sql_get(sql_get(obj, "List"), "items");
    if (!name_list_split(items ? items : obj, &schema, &name) || !newname)
        return;
    cat_type *t = cat_type_get(r->c, schema, name);
    if (!t) {
        if (!sql_get_bool(n, "missing_ok"))
            rp_conflict_name(r, r->s->start, name, "type %s does not exist",
                             rp_qname(r, schema, name));
        return;
    }
    if (cat_type_get(r->c, t->schema, newname) || cat_table_get(r->c, t->schema, newname)) {
        rp_conflict_name(r, r->s->start, newname, "type %s already exists",
                         rp_qname(r, t->schema, newname));
        return;
    }
    const char *old_display = cat_type_display(r->c, t);
    cat_map_remove(&r->c->typemap, t->schema, t->name);
    t->name = arena_strdup(r->c->a, newname);
    cat_map_put(&r->c->typemap, t->schema, t->name, t);
    cat_type_renamed(r->c, t, old_display);
}

/* Moves every object of a schema to another schema name (RENAME) or one
 * object's relations (SET SCHEMA). */
static void move_table(catalog *c, cat_table *t, const char *schema)
{
    rel_move(c, &t->rel, schema, t->rel.name);
    for (size_t i = 0; i < t->nindexes; i++)
        rel_move(c, &t->indexes[i]->rel, schema, t->indexes[i]->rel.name);
    for (size_t i = 0; i < c->nsequences; i++)
        if (c->sequences[i]->owner_table == t)
            rel_move(c, &c->sequences[i]->rel, schema, c->sequences[i]->rel.name);
}

static void rename_schema(replay *r, const cJSON *n)
{
    catalog *c = r->c;
    const char *old = sql_get_str(n, "subname"), *newname = sql_get_str(n, "newname");
    if (!old || !newname)
        return;
    if (!catalog_has_schema(c, old)) {
        rp_conflict_name(r, r->s->start, old, "schema %s does not exist", old);
        return;
    }
    if (catalog_has_schema(c, newname)) {
        rp_conflict_name(r, r->s->start, newname, "schema %s already exists", newname);
        return;
    }
    const char *schema = arena_strdup(c->a, newname);
    for (size_t i = 0; i < c->nschemas; i++)
        if (!strcmp(c->schemas[i], old))
            c->schemas[i] = schema;
    for (size_t i = 0; i < c->ntables; i++)
        if (!strcmp(c->tables[i]->rel.schema, old))
            rel_move(c, &c->tables[i]->rel, schema, c->tables[i]->rel.name);
    for (size_t i = 0; i < c->nindexes; i++)
        if (!strcmp(c->indexes[i]->rel.schema, old))
            rel_move(c, &c->indexes[i]->rel, schema, c->indexes[i]->rel.name);
    for (size_t i = 0; i < c->nsequences; i++)
        if (!strcmp(c->sequences[i]->rel.schema, old))
            rel_move(c, &c->sequences[i]->rel, schema, c->sequences[i]->rel.name);
    for (size_t i = 0; i < c->ntypes; i++) {
        cat_type *t = c->types[i];
        if (strcmp(t->schema, old) != 0)
            continue;
        const char *old_display = cat_type_display(c, t);
        cat_map_remove(&c->typemap, t->schema, t->name);
        t->schema = schema;
        cat_map_put(&c->typemap, t->schema, t->name, t);
        cat_type_renamed(c, t, old_display);
    }
    for (size_t i = 0; i < c->nfunctions; i++)
        if (!strcmp(c->functions[i]->schema, old))
            c->functions[i]->schema = schema;
    rebuild_connames(c);
}

static void rename_trigger(replay *r, const cJSON *n)
{
    const cJSON *rv = sql_get(n, "relation");
    const char *old = sql_get_str(n, "subname"), *newname = sql_get_str(n, "newname");
    cat_table *t = cat_table_get(r->c, rv_schema(rv), rv_name(rv));
    for (size_t i = 0; t && old && newname && i < t->ntriggers; i++) {
        if (!strcmp(t->triggers[i]->name, old)) {
            t->triggers[i]->name = arena_strdup(r->c->a, newname);
            return;
        }
    }
    rp_conflict_name(r, r->s->start, old ? old : "", "trigger %s on table %s does not exist",
                     old ? old : "?", rp_qname(r, rv_schema(rv), rv_name(rv)));
}

static void rename_function(replay *r, const cJSON *n)
{
    const cJSON *owa = sql_get(sql_get(n, "object"), "ObjectWithArgs");
    const char *schema, *name, *newname = sql_get_str(n, "newname");
    if (!name_list_split(sql_get(owa, "objname"), &schema, &name) || !newname)
        return;
    const char *args =
        sql_get_bool(owa, "args_unspecified") ? NULL : function_args(r, sql_get(owa, "objargs"));
    for (size_t i = 0; i < r->c->nfunctions; i++) {
        cat_function *fn = r->c->functions[i];
        if (!strcmp(fn->name, name) && !strcmp(fn->schema, cat_schema_or_public(schema)) &&
            (!args || !strcmp(fn->args, args))) {
            fn->name = arena_strdup(r->c->a, newname);
            return;
        }
    }
    rp_conflict_name(r, r->s->start, name, "function %s does not exist", rp_qname(r, schema, name));
}

void rp_rename(replay *r)
{
    const cJSON *n = r->s->node;
    const char *type = sql_get_str(n, "renameType");
    if (!type)
        return;
    if (!strcmp(type, "OBJECT_TABLE") || !strcmp(type, "OBJECT_FOREIGN_TABLE"))
        rename_relation(r, n, "table");
    else if (!strcmp(type, "OBJECT_VIEW"))
        rename_relation(r, n, "view");
    else if (!strcmp(type, "OBJECT_MATVIEW"))
        rename_relation(r, n, "materialized view");
    else if (!strcmp(type, "OBJECT_INDEX"))
        rename_relation(r, n, "index");
    else if (!strcmp(type, "OBJECT_SEQUENCE"))
        rename_relation(r, n, "sequence");
    else if (!strcmp(type, "OBJECT_COLUMN"))
        rename_column(r, n);
    else if (!strcmp(type, "OBJECT_TABCONSTRAINT"))
        rename_constraint(r, n);
    else if (!strcmp(type, "OBJECT_TYPE") || !strcmp(type, "OBJECT_DOMAIN"))
        rename_type(r, n);
    else if (!strcmp(type, "OBJECT_SCHEMA"))
        rename_schema(r, n);
    else if (!strcmp(type, "OBJECT_TRIGGER"))
        rename_trigger(r, n);
    else if (!strcmp(type, "OBJECT_FUNCTION") || !strcmp(type, "OBJECT_PROCEDURE"))
        rename_function(r, n);
}

void rp_alter_schema(replay *r)
{
    const cJSON *n = r->s->node;
    const char *type = sql_get_str(n, "objectType"), *newschema = sql_get_str(n, "newschema");
    catalog *c = r->c;
    if (!type || !newschema)
        return;
    if (!catalog_has_schema(c, newschema)) {
        rp_conflict_name(r, r->s->start, newschema, "schema %s does not exist", newschema);
        return;
    }
    const char *schema = NULL;
    for (size_t i = 0; i < c->nschemas; i++)
        if (!strcmp(c->schemas[i], newschema))
            schema = c->schemas[i];
    if (!strcmp(type, "OBJECT_TYPE") || !strcmp(type, "OBJECT_DOMAIN")) {
        const char *ts, *tn;
        const cJSON *obj = sql_get(n, "object");
        const cJSON *names = sql_get(sql_get(obj, "List"), "items");
        if (!name_list_split(names ? names : obj, &ts, &tn))
            return;
        cat_type *t = cat_type_get(c, ts, tn);
        if (!t) {
            if (!sql_get_bool(n, "missing_ok"))
                rp_conflict_name(r, r->s->start, tn, "type %s does not exist", rp_qname(r, ts, tn));
            return;
        }
        const char *old_display = cat_type_display(c, t);
        cat_map_remove(&c->typemap, t->schema, t->name);
        t->schema = schema;
        cat_map_put(&c->typemap, t->schema, t->name, t);
        cat_type_renamed(c, t, old_display);
        return;
    }
    const cJSON *rv = sql_get(n, "relation");
    if (!rv)
        return;
    cat_rel *rel = cat_rel_get(c, rv_schema(rv), rv_name(rv));
    if (!rel) {
        if (!sql_get_bool(n, "missing_ok"))
            rp_conflict_at(r, sql_location(rv), "relation %s does not exist",
                           rp_qname(r, rv_schema(rv), rv_name(rv)));
        return;
    }
    if (!new_name_free(r, schema, rel->name))
        return;
    if (rel->kind == CAT_INDEX)
        return;
    if (rel->kind == CAT_SEQUENCE)
        rel_move(c, rel, schema, rel->name);
    else
        move_table(c, (cat_table *)rel, schema);
    rebuild_connames(c);
}
