/* typeorm_links.h - TypeORM join columns across files. An entity usually
 * sits alone in its file, so a @ManyToOne's target (whose primary key
 * types the join column) is often in a file extracted later. The
 * extractor records every entity and every join column here; after each
 * file, those whose target is known become columns, the others stay
 * pending with a note (removed once a later file brings the target). */
#ifndef MIGRALINT_ORM_TYPEORM_LINKS_H
#define MIGRALINT_ORM_TYPEORM_LINKS_H

#include <stdbool.h>

#include "model.h"

typedef struct to_link {
    const char *schema, *table; /* the owner's table */
    const char *prop, *target;  /* the relation property and the target class */
    const char *col_name;       /* @JoinColumn({name}), or NULL */
    const char *ref_col;        /* referencedColumnName, or NULL (the primary key) */
    bool not_null, unique;
    const char *on_delete, *on_update;
    orm_loc loc;
} to_link;

/* An index column naming a relation property whose join column is not
 * placed yet: TO_PENDING_PROP then the property; the index is skipped
 * until to_links_resolve() names the column. */
#define TO_PENDING_PROP '\x01'

/* Starts a file of schema s (the registry restarts for a new schema). */
void to_links_begin(orm_schema *s);
/* An entity with its single-column primary key (pk_type as a join
 * column's type: serial is integer), or pk_col NULL when it has none. */
void to_links_entity(const char *cls, const char *schema, const char *table, const char *pk_col,
                     const char *pk_type);
void to_links_add(const to_link *l);
/* Places the join columns whose target is known, notes the others. */
void to_links_resolve(orm_schema *s);

#endif
