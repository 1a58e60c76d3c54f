/* create.c - what every CREATE of a relation checks and does, whatever the
 * statement (CREATE TABLE, CREATE VIEW, CREATE TYPE's row type): the schema
 * exists, the name is free, and the new relation is registered. Below
 * table.c and view.c, which both use it (CREATE TABLE AS analyzes its query
 * with view.c). */
#include "internal.h"

#include <string.h>

void table_register(catalog *c, cat_table *t)
{
    cat_rel_register(c, &t->rel);
    CAT_PUSH(c->a, c->tables, c->ntables, t);
}

bool schema_exists(replay *r, const char *schema, long location)
{
    if (!schema || catalog_has_schema(r->c, schema) || !strcmp(schema, CAT_TEMP_SCHEMA))
        return true;
    /* Open world: a schema the deployment creates (dbmate's search_path,
     * a provisioning script) is assumed to exist from here on; the object
     * created in it is kept. */
    rp_conflict_at(r, location, "schema %s does not exist", schema);
    cat_schema_add(r->c, schema);
    return true;
}

bool rel_name_free(replay *r, const char *schema, const char *name, long location,
                   bool if_not_exists)
{
    /* Where it is created, not what the search path finds (pg_temp first). */
    const cat_rel *rel = cat_map_get(&r->c->rels, cat_schema_or_public(schema), name);
    const cat_type *type = rel ? NULL : cat_type_get(r->c, schema, name);
    if (!rel && !type)
        return true;
    if (!if_not_exists)
        rp_conflict_at(r, location, "%s %s already exists",
                       rel ? cat_relkind_word(rel->kind) : "type", rp_qname(r, schema, name));
    return false;
}
