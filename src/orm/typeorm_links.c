/* typeorm_links.c - TypeORM join columns resolved across files (see
 * typeorm_links.h). The registry copies its strings (the schema's arena
 * may be gone when a new schema starts) and frees them at exit. */
#include "typeorm_links.h"
#include "extractors.h"
#include "ormx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ent {
    char *cls, *schema, *table, *pk_col, *pk_type;
} ent;

typedef struct link {
    to_link l; /* strings owned by the registry */
    bool placed;
    const char *note; /* the message of the note said for it, in the schema */
} link;

static struct {
    unsigned long serial; /* the schema's (orm_schema.serial) */
    ent *ents;
    size_t nents;
    link *links;
    size_t nlinks;
    bool atexit_set;
} reg;

/* The naming strategy (extractors.h) lives here, below the extractor: both
 * the extractor's columns and the join columns resolved here follow it. */
static bool snake_naming;

void orm_typeorm_set_snake_naming(bool snake)
{
    snake_naming = snake;
}

bool orm_typeorm_snake_naming(void)
{
    return snake_naming;
}

static char *dup(const char *s)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

static void reset(void)
{
    for (size_t i = 0; i < reg.nents; i++) {
        free(reg.ents[i].cls), free(reg.ents[i].schema), free(reg.ents[i].table);
        free(reg.ents[i].pk_col), free(reg.ents[i].pk_type);
    }
    for (size_t i = 0; i < reg.nlinks; i++) {
        to_link *l = &reg.links[i].l;
        free((char *)l->schema), free((char *)l->table), free((char *)l->prop);
        free((char *)l->target), free((char *)l->col_name), free((char *)l->ref_col);
        free((char *)l->on_delete), free((char *)l->on_update), free((char *)l->loc.path);
    }
    free(reg.ents);
    free(reg.links);
    reg.ents = NULL, reg.links = NULL;
    reg.nents = reg.nlinks = 0;
    reg.serial = 0;
}

void to_links_begin(orm_schema *s)
{
    if (!reg.atexit_set) {
        atexit(reset);
        reg.atexit_set = true;
    }
    if (reg.serial != s->serial)
        reset();
    reg.serial = s->serial;
}

void to_links_entity(const char *cls, const char *schema, const char *table, const char *pk_col,
                     const char *pk_type)
{
    ent *grown = realloc(reg.ents, (reg.nents + 1) * sizeof *grown);
    if (!grown)
        abort();
    reg.ents = grown;
    reg.ents[reg.nents++] = (ent){dup(cls), dup(schema), dup(table), dup(pk_col), dup(pk_type)};
}

void to_links_add(const to_link *l)
{
    link *grown = realloc(reg.links, (reg.nlinks + 1) * sizeof *grown);
    if (!grown)
        abort();
    reg.links = grown;
    link *k = &reg.links[reg.nlinks++];
    memset(k, 0, sizeof *k);
    k->l = *l;
    k->l.schema = dup(l->schema), k->l.table = dup(l->table), k->l.prop = dup(l->prop);
    k->l.target = dup(l->target), k->l.col_name = dup(l->col_name);
    k->l.ref_col = dup(l->ref_col), k->l.on_delete = dup(l->on_delete);
    k->l.on_update = dup(l->on_update), k->l.loc.path = dup(l->loc.path);
}

static const ent *find_ent(const char *cls)
{
    for (size_t i = reg.nents; i-- > 0;)
        if (!strcmp(reg.ents[i].cls, cls))
            return &reg.ents[i];
    return NULL;
}

static void drop_note(orm_schema *s, const char *message)
{
    for (size_t i = 0; i < s->nnotes; i++)
        if (s->notes[i].message == message) {
            memmove(s->notes + i, s->notes + i + 1, (s->nnotes - i - 1) * sizeof *s->notes);
            s->nnotes--;
            return;
        }
}

/* Indexes that name relation property `prop` get its join column; an
 * index whose every column is known is compared again. */
static void name_index_columns(orm_table *t, const char *prop, const char *col)
{
    for (size_t i = 0; i < t->nindexes; i++) {
        orm_index *ix = &t->indexes[i];
        bool pending = false, changed = false;
        for (size_t j = 0; j < ix->ncolumns; j++) {
            if (ix->columns[j][0] == TO_PENDING_PROP && !strcmp(ix->columns[j] + 1, prop)) {
                ix->columns[j] = col;
                changed = true;
            }
            pending |= ix->columns[j][0] == TO_PENDING_PROP;
        }
        if (changed && !pending)
            ix->skipped = false;
    }
}

static void place(orm_schema *s, link *k, const ent *e)
{
    const to_link *l = &k->l;
    orm_table *t = orm_find_table(s, l->schema, l->table);
    if (!t)
        return;
    const char *ref = l->ref_col ? l->ref_col : e->pk_col;
    char *col;
    if (l->col_name) {
        col = arena_strdup(s->a, l->col_name);
    } else if (orm_typeorm_snake_naming()) { /* snake_case(relation + "_" + referenced column) */
        ormx_file f = {.s = s};
        col = ormx_snake(&f, arena_printf(s->a, "%s_%s", l->prop, ref));
    } else { /* camelCase(relation + "_" + referenced column) */
        col = arena_printf(s->a, "%s%s", l->prop, ref);
        size_t pl = strlen(l->prop);
        if (col[pl] >= 'a' && col[pl] <= 'z')
            col[pl] = (char)(col[pl] - 32);
    }
    orm_loc loc = l->loc;
    loc.path = arena_strdup(s->a, l->loc.path);
    /* a @Column of the same name (userId beside user with @JoinColumn) is
     * that column: TypeORM makes one */
    orm_column *c = orm_find_column(t, col);
    if (!c) {
        c = orm_add_column(s, t, col, e->pk_type, loc);
        c->not_null = l->not_null;
    }
    c->unique = c->unique || l->unique;
    c->ref_schema = e->schema ? arena_strdup(s->a, e->schema) : NULL;
    c->ref_table = arena_strdup(s->a, e->table);
    c->ref_column = arena_strdup(s->a, ref);
    c->on_delete = l->on_delete ? arena_strdup(s->a, l->on_delete) : NULL;
    c->on_update = l->on_update ? arena_strdup(s->a, l->on_update) : NULL;
    k->placed = true;
    name_index_columns(t, l->prop, col);
    if (k->note)
        drop_note(s, k->note);
    k->note = NULL;
}

void to_links_resolve(orm_schema *s)
{
    for (size_t i = 0; i < reg.nlinks; i++) {
        link *k = &reg.links[i];
        if (k->placed)
            continue;
        const ent *e = find_ent(k->l.target);
        if (e && e->pk_col && e->pk_type) {
            place(s, k, e);
            continue;
        }
        if (k->note)
            continue;
        orm_add_note(s, k->l.loc,
                     e ? "%s.%s: %s has no single-column primary key this extractor can type; "
                         "join column skipped"
                       : "%s.%s: entity %s is in no file extracted so far; join column skipped",
                     k->l.table, k->l.prop, k->l.target);
        k->note = s->notes[s->nnotes - 1].message;
    }
}
