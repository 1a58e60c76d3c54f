/* run.c - reading a declaration source into a catalog and comparing it with
 * the migrations' (see run.h). */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../engine/files.h"
#include "../core/strbuf.h"
#include "../orm/code_extractors.h"
#include "../mysql/mysql.h"
#include "../orm/extractors.h"

static void keep(drift_run *r, source *src)
{
    if (r->nsources == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->sources = realloc(r->sources, r->cap * sizeof *r->sources);
        if (!r->sources)
            abort();
    }
    r->sources[r->nsources++] = src;
}

static source *load(drift_run *r, const char *fs_path);

static const source *find(void *ud, const char *path)
{
    drift_run *r = ud;
    for (size_t i = 0; i < r->nsources; i++)
        if (!strcmp(r->sources[i]->path, path))
            return r->sources[i];
    const source *more = r->more ? r->more(r->more_ud, path) : NULL;
    if (more)
        return more;
    /* a file an extractor read on its own (a base class in another module) */
    const char *fs = arena_printf(r->a, "%s/%s", r->root, path);
    struct stat st;
    return stat(fs, &st) == 0 && S_ISREG(st.st_mode) ? load(r, fs) : NULL;
}

/* The ORM of a code file, told by its imports (orm_code_kind); the first
 * 256 KiB hold them in any real models file. */
static const char *code_kind(const char *path)
{
    enum { HEAD = 256 * 1024 };
    FILE *f = fopen(path, "rb");
    char *head = malloc(HEAD);
    if (!f || !head) {
        if (f)
            fclose(f);
        free(head);
        return NULL;
    }
    size_t n = fread(head, 1, HEAD, f);
    fclose(f);
    const char *kind = orm_code_kind(path, head, n);
    free(head);
    return kind;
}

const char *drift_kind_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return NULL;
    if (!strcmp(dot, ".prisma"))
        return "prisma";
    if (!strcmp(dot, ".sql"))
        return "sql";
    const char *kind = code_kind(path);
    if (kind)
        return kind;
    /* A TypeScript or JavaScript file that is not a TypeORM entity file is
     * taken for Drizzle, whose schema files need not import much. */
    if (!strcmp(dot, ".ts") || !strcmp(dot, ".js") || !strcmp(dot, ".mjs") ||
        !strcmp(dot, ".mts") || !strcmp(dot, ".cjs"))
        return "drizzle";
    return NULL;
}

static source *load(drift_run *r, const char *fs_path)
{
    source *src =
        files_load(fs_path, files_relative(r->a, r->root, fs_path), r->max_file_size, false);
    if (!src) {
        r->input_error = true;
        return NULL;
    }
    keep(r, src);
    return src;
}

/* A statement of the declaration that does not apply (a foreign key to a
 * table it lacks): said as a note where it came from, since the comparison
 * then misses that object. */
typedef struct conflict_ud {
    drift_run *r;
    drift_ctx *ctx;
    const orm_ddl *ddl;
    const source *src;
} conflict_ud;

static void on_conflict(void *ud, size_t start, size_t end, const char *message)
{
    conflict_ud *c = ud;
    if (c->ddl) {
        const orm_loc *loc = orm_ddl_loc_at(c->ddl, start);
        if (loc)
            drift_report_loc(c->ctx, "drift-skipped", loc,
                             "the declared schema does not apply here (%s), so drift cannot "
                             "compare it",
                             message);
        return;
    }
    diag_level lv = linter_level(c->r->l, "drift-skipped");
    if (lv == LEVEL_NONE)
        return;
    diag *d = diag_list_add(c->r->diags, "drift-skipped", lv, c->src, start, end);
    d->message = arena_printf(
        c->r->a, "this statement does not apply (%s), so drift cannot compare it", message);
}

/* A dump's dialect, as a migrations folder's is told (mysqldump's backquoted
 * names say MySQL). */
static sql_dialect dump_dialect(drift_run *r, const source *src)
{
    const char *slash = strrchr(src->path, '/');
    const char *dir = slash ? arena_strndup(r->a, src->path, (size_t)(slash - src->path)) : "";
    mysql_file_ref ref = {src->path, src->text, src->len};
    sql_dialect d = SQL_DIALECT_POSTGRESQL;
    const char *why;
    return mysql_dialect_detect(r->a, r->root, dir, &ref, 1, &d, &why) ? d : SQL_DIALECT_POSTGRESQL;
}

static bool compare_sql(drift_run *r, drift_ctx *ctx, const catalog *mig, const drift_decl *decl)
{
    catalog *cat = catalog_new();
    const char *label = NULL;
    bool mysql = false;
    for (size_t i = 0; i < decl->npaths; i++) {
        source *src = load(r, decl->paths[i]);
        if (!src)
            continue;
        label = label ? arena_printf(r->a, "%s and others", label) : src->path;
        /* psql meta-commands (pg_dump 15.14+ writes \restrict KEY) are not
         * SQL: parse a copy with those lines blanked, offsets unchanged. */
        source *sql = source_new(src->path, src->text, src->len);
        for (size_t k = 0; k < sql->len; k++)
            if ((k == 0 || sql->text[k - 1] == '\n') && sql->text[k] == '\\')
                while (k < sql->len && sql->text[k] != '\n')
                    sql->text[k++] = ' ';
        sql_dialect d = dump_dialect(r, src);
        mysql = mysql || d == SQL_DIALECT_MYSQL;
        sql_file *f = sql_file_parse_dialect(sql, 0, sql->len, d);
        conflict_ud cu = {r, ctx, NULL, src};
        catalog_apply_file(cat, f, on_conflict, &cu);
        sql_file_free(f);
        source_free(sql);
    }
    drift_side side = {cat, label ? label : "the schema file", NULL, NULL, mysql};
    drift_compare(ctx, mig, &side);
    catalog_free(cat);
    return true;
}

/* Prisma's schema files share one namespace (a model names models of other
 * files), and Drizzle's refer to each other's tables and enums through
 * imports, so they are read as one text and each location is mapped back. */
typedef struct part {
    const char *path;
    uint32_t first, nlines; /* lines first .. first+nlines-1 of the combined text */
} part;

static void remap(orm_loc *l, const part *parts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (l->line >= parts[i].first && l->line < parts[i].first + parts[i].nlines) {
            uint32_t shift = parts[i].first - 1;
            l->path = parts[i].path;
            l->line -= shift;
            l->end_line = l->end_line > shift ? l->end_line - shift : l->line;
            return;
        }
}

static void remap_model(orm_schema *m, const part *parts, size_t n)
{
    for (size_t i = 0; i < m->ntables; i++) {
        orm_table *t = &m->tables[i];
        remap(&t->loc, parts, n);
        for (size_t k = 0; k < t->ncolumns; k++)
            remap(&t->columns[k].loc, parts, n);
        for (size_t k = 0; k < t->nindexes; k++)
            remap(&t->indexes[k].loc, parts, n);
        for (size_t k = 0; k < t->nfks; k++)
            remap(&t->fks[k].loc, parts, n);
    }
    for (size_t i = 0; i < m->nenums; i++)
        remap(&m->enums[i].loc, parts, n);
    for (size_t i = 0; i < m->nnotes; i++)
        remap(&m->notes[i].loc, parts, n);
}

static void extract_combined(drift_run *r, const orm_extractor *x, orm_schema *model,
                             const drift_decl *decl)
{
    strbuf all = STRBUF_INIT;
    part *parts = arena_calloc(r->a, decl->npaths, sizeof *parts);
    size_t n = 0;
    uint32_t line = 1;
    for (size_t i = 0; i < decl->npaths; i++) {
        source *src = load(r, decl->paths[i]);
        if (!src)
            continue;
        strbuf_add(&all, src->text, src->len);
        if (!src->len || src->text[src->len - 1] != '\n')
            strbuf_putc(&all, '\n');
        uint32_t lines = 0;
        for (size_t k = 0; k < src->len; k++)
            lines += src->text[k] == '\n';
        if (src->len && src->text[src->len - 1] != '\n')
            lines++;
        parts[n++] = (part){src->path, line, lines ? lines : 1};
        line += lines ? lines : 1;
    }
    if (!x->extract(model, "<combined schema>", all.data ? all.data : "", all.len))
        r->input_error = true;
    remap_model(model, parts, n);
    strbuf_free(&all);
}

static bool compare_orm(drift_run *r, drift_ctx *ctx, const catalog *mig, const drift_decl *decl)
{
    const orm_extractor *x = orm_extractor_find(decl->kind);
    if (!x) {
        fprintf(stderr, "migralint: unknown ORM '%s' (known: %s, sql)\n", decl->kind,
                orm_extractor_names());
        return false;
    }
    orm_schema model;
    orm_schema_init(&model, r->a, x->name);
    const char *label = NULL;
    if ((!strcmp(x->name, "prisma") || !strcmp(x->name, "drizzle")) && decl->npaths > 1) {
        extract_combined(r, x, &model, decl);
        label = arena_printf(r->a, "the %s schema", x->name);
    }
    for (size_t i = 0; !label && i < decl->npaths; i++) {
        source *src = load(r, decl->paths[i]);
        if (!src)
            continue;
        if (!x->extract(&model, src->path, src->text, src->len))
            r->input_error = true;
    }
    if (!label)
        label = decl->npaths == 1 && r->nsources ? r->sources[r->nsources - 1]->path
                                                 : arena_printf(r->a, "the %s schema", x->name);
    drift_report_notes(ctx, &model);
    orm_ddl ddl;
    orm_schema_to_sql(&model, &ddl);
    source *gen = source_new(arena_printf(r->a, "<%s schema as SQL>", x->name), ddl.sql, ddl.len);
    /* a MySQL model goes through the MySQL front end, as its migrations did */
    sql_file *f = sql_file_parse_dialect(gen, 0, gen->len,
                                         model.mysql ? SQL_DIALECT_MYSQL : SQL_DIALECT_POSTGRESQL);
    catalog *cat = catalog_new();
    conflict_ud cu = {r, ctx, &ddl, gen};
    catalog_apply_file(cat, f, on_conflict, &cu);
    if (getenv("MIGRALINT_DRIFT_DEBUG"))
        fputs(ddl.sql, stderr);
    drift_side side = {cat, label ? label : "the ORM schema", &model, &ddl, model.mysql};
    drift_compare(ctx, mig, &side);
    catalog_free(cat);
    sql_file_free(f);
    source_free(gen);
    orm_ddl_free(&ddl);
    orm_schema_free(&model);
    return true;
}

bool drift_run_compare(drift_run *r, const catalog *migrations, const drift_decl *decl)
{
    drift_ctx ctx = {r->diags, r->l, r->a, find, r};
    if (!strcmp(decl->kind, "sql"))
        return compare_sql(r, &ctx, migrations, decl);
    return compare_orm(r, &ctx, migrations, decl);
}

void drift_run_free(drift_run *r)
{
    for (size_t i = 0; i < r->nsources; i++)
        source_free(r->sources[i]);
    free(r->sources);
    r->sources = NULL;
    r->nsources = r->cap = 0;
}
