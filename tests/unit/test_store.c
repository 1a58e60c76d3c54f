/* test_store.c - catalog_save() and catalog_load(): a loaded catalog is the
 * saved one in every field, pointer, origin and map entry (a full dump of
 * both must match, not only the JSON), it replays further statements the
 * same way, and damaged or truncated data loads as NULL (or, past the
 * checksum, as a catalog that is safe to use and free). */
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/catalog/internal.h"
#include "../../src/core/keyhash.h"
#include "../../src/catalog/store.h"
#include "unit.h"

typedef struct conflicts {
    int n;
    char msg[8][200];
} conflicts;

static void on_conflict(void *ud, size_t start, size_t end, const char *message)
{
    conflicts *k = ud;
    if (k->n < 8)
        snprintf(k->msg[k->n], sizeof k->msg[0], "%zu-%zu %s", start, end, message);
    k->n++;
}

static void apply_sql(catalog *c, const char *path, const char *sql, conflicts *k)
{
    source *src = source_new(path, sql, strlen(sql));
    sql_file *f = sql_file_parse(src, 0, src->len);
    catalog_apply_file(c, f, on_conflict, k);
    sql_file_free(f);
    source_free(src);
}

/* ---- a dump of every field, references as positions in c's own arrays ---- */

static long find(void *const *items, size_t n, const void *p)
{
    if (!p)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (items[i] == p)
            return (long)i + 1;
    return -1; /* not an object of this catalog */
}

#define FIND(c, arr, p) find((void *const *)(c)->arr, (c)->n##arr, (p))

static void put_column_ref(strbuf *b, const catalog *c, const cat_column *col)
{
    for (size_t i = 0; col && i < c->ntables; i++)
        for (size_t j = 0; j < c->tables[i]->ncolumns; j++)
            if (c->tables[i]->columns[j] == col) {
                strbuf_printf(b, " C%zu.%zu", i, j);
                return;
            }
    strbuf_puts(b, col ? " C?" : " C-");
}

static void put_constraint_ref(strbuf *b, const catalog *c, const cat_constraint *con)
{
    for (size_t i = 0; con && i < c->ntables; i++)
        for (size_t j = 0; j < c->tables[i]->nconstraints; j++)
            if (c->tables[i]->constraints[j] == con) {
                strbuf_printf(b, " K%zu.%zu", i, j);
                return;
            }
    strbuf_puts(b, con ? " K?" : " K-");
}

static void put_s(strbuf *b, const char *s)
{
    strbuf_printf(b, " '%s'", s ? s : "(null)");
}

static void put_origin(strbuf *b, const catalog *c, const cat_origin *o)
{
    bool interned = !o->path || cat_map_get(&c->paths, "", o->path) == o->path;
    strbuf_printf(b, " @%s:%zu-%zu:%d.%d-%d.%d%s\n", o->path ? o->path : "(null)", o->start, o->end,
                  o->pos.line, o->pos.col, o->end_pos.line, o->end_pos.col,
                  interned ? "" : " NOT-INTERNED");
}

static void dump_column(strbuf *b, const catalog *c, const cat_column *col)
{
    strbuf_puts(b, "  column");
    put_s(b, col->name);
    strbuf_printf(b, " %d", col->attnum);
    put_s(b, col->type);
    put_s(b, col->type_label);
    strbuf_printf(b, " Y%ld %d%d%d", FIND(c, types, col->user_type), col->array, col->not_null,
                  col->default_volatile);
    put_s(b, col->default_expr);
    strbuf_printf(b, " Q%ld %d", FIND(c, sequences, col->serial), col->identity);
    put_s(b, col->generated);
    put_s(b, col->collation);
    put_origin(b, c, &col->origin);
}

static void dump_constraint(strbuf *b, const catalog *c, const cat_table *t,
                            const cat_constraint *con)
{
    strbuf_puts(b, "  constraint");
    put_s(b, con->name);
    strbuf_printf(b, " %c uses=%ld", con->type,
                  (long)(intptr_t)cat_map_get(&c->connames, t->rel.schema, con->name));
    for (size_t i = 0; i < con->ncolumns; i++)
        put_column_ref(b, c, con->columns[i]);
    put_s(b, con->expr);
    strbuf_printf(b, " %d%d I%ld T%ld I%ld", con->validated, con->no_inherit,
                  FIND(c, indexes, con->index), FIND(c, tables, con->ref_table),
                  FIND(c, indexes, con->ref_index));
    for (size_t i = 0; i < con->nref_columns; i++)
        put_column_ref(b, c, con->ref_columns[i]);
    strbuf_printf(b, " %d %d", con->on_delete, con->on_update);
    put_origin(b, c, &con->origin);
}

static void dump_table(strbuf *b, const catalog *c, const cat_table *t)
{
    strbuf_printf(b, "table %d", t->rel.kind);
    put_s(b, t->rel.schema);
    put_s(b, t->rel.name);
    put_s(b, t->partition_by);
    strbuf_printf(b, " next=%d parent=T%ld%s", t->next_attnum, FIND(c, tables, t->parent),
                  cat_map_get(&c->rels, t->rel.schema, t->rel.name) == t ? "" : " UNREGISTERED");
    put_origin(b, c, &t->rel.origin);
    for (size_t i = 0; i < t->ncolumns; i++)
        dump_column(b, c, t->columns[i]);
    for (size_t i = 0; i < t->nconstraints; i++)
        dump_constraint(b, c, t, t->constraints[i]);
    for (size_t i = 0; i < t->nindexes; i++)
        strbuf_printf(b, "  index I%ld\n", FIND(c, indexes, t->indexes[i]));
    for (size_t i = 0; i < t->ntriggers; i++) {
        strbuf_puts(b, "  trigger");
        put_s(b, t->triggers[i]->name);
        put_origin(b, c, &t->triggers[i]->origin);
    }
    for (size_t i = 0; i < t->nreads; i++) {
        strbuf_printf(b, "  reads T%ld", FIND(c, tables, t->reads[i].rel));
        put_column_ref(b, c, t->reads[i].column);
        strbuf_putc(b, '\n');
    }
}

static void dump_index(strbuf *b, const catalog *c, const cat_index *ix)
{
    strbuf_puts(b, "index");
    put_s(b, ix->rel.schema);
    put_s(b, ix->rel.name);
    strbuf_printf(b, " T%ld%s", FIND(c, tables, ix->table),
                  cat_map_get(&c->rels, ix->rel.schema, ix->rel.name) == ix ? "" : " UNREGISTERED");
    for (size_t i = 0; i < ix->nkeys; i++) {
        put_column_ref(b, c, ix->keys[i].column);
        put_s(b, ix->keys[i].expr);
    }
    strbuf_puts(b, " include");
    for (size_t i = 0; i < ix->ninclude; i++)
        put_column_ref(b, c, ix->include[i]);
    strbuf_puts(b, " reads");
    for (size_t i = 0; i < ix->nreads; i++)
        put_column_ref(b, c, ix->reads[i]);
    put_s(b, ix->method);
    put_s(b, ix->where);
    strbuf_printf(b, " %d%d%d", ix->unique, ix->primary, ix->concurrently);
    put_constraint_ref(b, c, ix->constraint);
    strbuf_printf(b, " parent=I%ld", FIND(c, indexes, ix->parent));
    put_origin(b, c, &ix->rel.origin);
}

static void dump_types(strbuf *b, const catalog *c)
{
    for (size_t i = 0; i < c->ntypes; i++) {
        const cat_type *t = c->types[i];
        strbuf_printf(b, "type %d", t->kind);
        put_s(b, t->schema);
        put_s(b, t->name);
        put_s(b, t->base);
        for (size_t j = 0; j < t->nvalues; j++)
            put_s(b, t->values[j]);
        if (cat_map_get(&c->typemap, t->schema, t->name) != t)
            strbuf_puts(b, " UNREGISTERED");
        put_origin(b, c, &t->origin);
    }
}

static void dump_sequences(strbuf *b, const catalog *c)
{
    for (size_t i = 0; i < c->nsequences; i++) {
        const cat_sequence *s = c->sequences[i];
        strbuf_puts(b, "sequence");
        put_s(b, s->rel.schema);
        put_s(b, s->rel.name);
        strbuf_printf(b, " T%ld", FIND(c, tables, s->owner_table));
        put_column_ref(b, c, s->owner_column);
        strbuf_printf(b, " %d%s", s->identity,
                      cat_map_get(&c->rels, s->rel.schema, s->rel.name) == s ? ""
                                                                             : " UNREGISTERED");
        put_origin(b, c, &s->rel.origin);
    }
}

static void dump_functions(strbuf *b, const catalog *c)
{
    for (size_t i = 0; i < c->nfunctions; i++) {
        const cat_function *fn = c->functions[i];
        strbuf_puts(b, "function");
        put_s(b, fn->schema);
        put_s(b, fn->name);
        put_s(b, fn->args);
        strbuf_printf(b, " %d %d", fn->volatility, fn->procedure);
        put_origin(b, c, &fn->origin);
    }
}

static char *dump(const catalog *c)
{
    strbuf b = STRBUF_INIT;
    strbuf_printf(&b, "temp=%d rels=%zu types=%zu connames=%zu\nschemas", c->temp_used, c->rels.len,
                  c->typemap.len, c->connames.len);
    for (size_t i = 0; i < c->nschemas; i++)
        put_s(&b, c->schemas[i]);
    strbuf_puts(&b, "\nextensions");
    for (size_t i = 0; i < c->nextensions; i++)
        put_s(&b, c->extensions[i]);
    strbuf_putc(&b, '\n');
    dump_types(&b, c);
    for (size_t i = 0; i < c->ntables; i++)
        dump_table(&b, c, c->tables[i]);
    for (size_t i = 0; i < c->nindexes; i++)
        dump_index(&b, c, c->indexes[i]);
    dump_sequences(&b, c);
    dump_functions(&b, c);
    return strbuf_detach(&b);
}

/* ---- comparing ---- */

static char *json_text(const catalog *c)
{
    cJSON *j = catalog_to_json(c);
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return s;
}

/* Prints the first line where two dumps part. */
static void show_first_difference(const char *a, const char *b)
{
    size_t i = 0, line = 0;
    while (a[i] && a[i] == b[i])
        i++;
    while (i > 0 && a[i - 1] != '\n')
        i--;
    for (size_t k = 0; k < i; k++)
        line += a[k] == '\n';
    printf("  dump line %zu:\n    want %.*s\n    got  %.*s\n", line + 1, (int)strcspn(a + i, "\n"),
           a + i, (int)strcspn(b + i, "\n"), b + i);
}

/* Whether b is a in every respect the tests can see; report prints why not. */
static bool same(const catalog *a, const catalog *b, bool report)
{
    char *ja = json_text(a), *jb = json_text(b);
    char *da = dump(a), *db = dump(b);
    size_t ndiff = catalog_diff(a, b, NULL, NULL);
    bool ok = !strcmp(ja, jb) && !strcmp(da, db) && ndiff == 0;
    if (!ok && report) {
        printf("  json %s, %zu differences\n", strcmp(ja, jb) ? "differs" : "equal", ndiff);
        show_first_difference(da, db);
    }
    cJSON_free(ja);
    cJSON_free(jb);
    free(da);
    free(db);
    return ok;
}

static catalog *save_load(const catalog *c, char **buf, size_t *len)
{
    catalog_save(c, buf, len);
    return catalog_load(*buf, *len);
}

/* Saves c, loads it and checks the copy; saving the copy gives the same bytes. */
static catalog *check_round_trip(const catalog *c, const char *what)
{
    char *buf, *again;
    size_t len, again_len;
    catalog *n = save_load(c, &buf, &len);
    if (!n) {
        printf("  %s: catalog_load() gave NULL\n", what);
        unit_failed_now = 1;
        free(buf);
        return NULL;
    }
    if (!same(c, n, true)) {
        printf("  %s: the loaded catalog differs\n", what);
        unit_failed_now = 1;
    }
    catalog_save(n, &again, &again_len);
    CHECK(again_len == len && memcmp(buf, again, len) == 0);
    free(buf);
    free(again);
    return n;
}

/* Applies sql to both and checks they still agree, conflicts included. */
static void check_follow_up(catalog *a, catalog *b, const char *sql, const char *what)
{
    conflicts ka = {0}, kb = {0};
    apply_sql(a, "next.sql", sql, &ka);
    apply_sql(b, "next.sql", sql, &kb);
    CHECK_INT(ka.n, kb.n);
    for (int i = 0; i < ka.n && i < kb.n && i < 8; i++)
        CHECK_STR(ka.msg[i], kb.msg[i]);
    if (!same(a, b, true)) {
        printf("  %s: after the follow-up statements\n", what);
        unit_failed_now = 1;
    }
}

/* ---- follow-up statements that work on any catalog ---- */

static void put_ident(strbuf *b, const char *s)
{
    strbuf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            strbuf_putc(b, '"');
        strbuf_putc(b, *s);
    }
    strbuf_putc(b, '"');
}

static void put_qname(strbuf *b, const char *schema, const char *name)
{
    put_ident(b, schema);
    strbuf_putc(b, '.');
    put_ident(b, name);
}

static void probe_table(strbuf *b, const cat_table *t)
{
    const char *s = t->rel.schema, *n = t->rel.name;
    strbuf_puts(b, "ALTER TABLE ");
    put_qname(b, s, n);
    strbuf_puts(b, " ADD CHECK (true);\nALTER TABLE ");
    put_qname(b, s, n);
    strbuf_puts(b, " ADD COLUMN zz_probe int;\n");
    if (!t->ncolumns)
        return;
    strbuf_puts(b, "CREATE INDEX ON ");
    put_qname(b, s, n);
    strbuf_puts(b, " (");
    put_ident(b, t->columns[0]->name);
    strbuf_puts(b, ");\nALTER TABLE ");
    put_qname(b, s, n);
    strbuf_puts(b, " ADD UNIQUE (");
    put_ident(b, t->columns[0]->name);
    strbuf_puts(b, ");\nALTER TABLE ");
    put_qname(b, s, n);
    strbuf_puts(b, " RENAME COLUMN ");
    put_ident(b, t->columns[0]->name);
    strbuf_puts(b, " TO zz_renamed_column;\n");
}

/* Unnamed constraints and indexes (names chosen against what exists),
 * renames and a DROP ... CASCADE on the first tables of c. */
static char *generic_follow_up(const catalog *c)
{
    strbuf b = STRBUF_INIT;
    const cat_table *first = NULL, *last = NULL;
    for (size_t i = 0, used = 0; i < c->ntables && used < 3; i++) {
        const cat_table *t = c->tables[i];
        if (t->rel.kind != CAT_TABLE || !strcmp(t->rel.schema, CAT_TEMP_SCHEMA))
            continue;
        probe_table(&b, t);
        first = first ? first : t;
        last = t;
        used++;
    }
    if (last && last != first) {
        strbuf_puts(&b, "DROP TABLE ");
        put_qname(&b, last->rel.schema, last->rel.name);
        strbuf_puts(&b, " CASCADE;\n");
    }
    if (first) {
        strbuf_puts(&b, "ALTER TABLE ");
        put_qname(&b, first->rel.schema, first->rel.name);
        strbuf_puts(&b, " RENAME TO zz_renamed;\n");
    }
    if (c->ntypes) {
        strbuf_puts(&b, "ALTER TYPE ");
        put_qname(&b, c->types[0]->schema, c->types[0]->name);
        strbuf_puts(&b, " RENAME TO zz_type;\n");
    }
    strbuf_puts(&b, "CREATE TABLE zz_new (id int PRIMARY KEY, v text UNIQUE);\n"
                    "CREATE INDEX ON zz_new (v);\n");
    return strbuf_detach(&b);
}

static void check_catalog(catalog *c, const char *what)
{
    catalog *n = check_round_trip(c, what);
    if (!n)
        return;
    char *sql = generic_follow_up(c);
    check_follow_up(c, n, sql, what);
    free(sql);
    catalog_free(n);
}

/* ---- rich catalogs ---- */

static const char types_sql[] =
    "CREATE EXTENSION IF NOT EXISTS pgcrypto;\n"
    "CREATE EXTENSION citext;\n"
    "CREATE SCHEMA billing;\n"
    "CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
    "ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok';\n"
    "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');\n"
    "CREATE TYPE billing.amount AS (value numeric(12,2), currency char(3));\n"
    "CREATE TABLE users (\n"
    "  id bigserial PRIMARY KEY,\n"
    "  uid uuid NOT NULL DEFAULT gen_random_uuid(),\n"
    "  email email NOT NULL,\n"
    "  feeling mood DEFAULT 'ok',\n"
    "  moods mood[],\n"
    "  name varchar(80) COLLATE \"C\",\n"
    "  legacy int,\n"
    "  created_at timestamptz NOT NULL DEFAULT now(),\n"
    "  shout text GENERATED ALWAYS AS (upper(name)) STORED,\n"
    "  UNIQUE (email)\n"
    ");\n"
    "ALTER TABLE users DROP COLUMN legacy;\n"
    "ALTER TABLE users RENAME COLUMN name TO display_name;\n"
    "CREATE TABLE billing.invoices (\n"
    "  id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
    "  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE SET NULL,\n"
    "  total billing.amount,\n"
    "  note text,\n"
    "  seq_no int\n"
    ");\n"
    "ALTER TABLE billing.invoices ADD CONSTRAINT has_note CHECK (note <> '') NOT VALID;\n"
    "ALTER TABLE billing.invoices ADD CHECK (seq_no > 0);\n"
    "ALTER TABLE billing.invoices RENAME TO bills;\n"
    "CREATE SEQUENCE billing.bill_numbers OWNED BY billing.bills.seq_no;\n"
    "ALTER TABLE billing.bills ALTER COLUMN seq_no SET DEFAULT "
    "nextval('billing.bill_numbers');\n"
    "CREATE SEQUENCE counter START 10;\n"
    "CREATE TABLE tags (id smallserial, user_id bigint REFERENCES users ON DELETE SET NULL,\n"
    "  label text NOT NULL DEFAULT 'none', PRIMARY KEY (id));\n";

static const char relations_sql[] =
    "CREATE TABLE accounts (id int PRIMARY KEY, name text, region text, active bool);\n"
    "CREATE TABLE events (id bigint, account_id int REFERENCES accounts, at timestamptz NOT NULL,\n"
    "  payload jsonb) PARTITION BY RANGE (at);\n"
    "CREATE TABLE events_2024 PARTITION OF events\n"
    "  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n"
    "CREATE INDEX ON events (account_id);\n"
    "CREATE TABLE events_2025 (LIKE events);\n"
    "ALTER TABLE events ATTACH PARTITION events_2025\n"
    "  FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');\n"
    "CREATE UNIQUE INDEX accounts_lower_name ON accounts (lower(name)) WHERE active;\n"
    "CREATE INDEX CONCURRENTLY accounts_region ON accounts USING hash (region);\n"
    "CREATE INDEX accounts_cover ON accounts (region, id) INCLUDE (name);\n"
    "CREATE TABLE base (id int, note text);\n"
    "CREATE TABLE child (extra int) INHERITS (base);\n"
    "CREATE VIEW active_accounts AS SELECT id, name AS label FROM accounts WHERE active;\n"
    "CREATE VIEW both_sides AS SELECT a.id, b.note FROM accounts a JOIN base b ON b.id = a.id;\n"
    "CREATE MATERIALIZED VIEW account_counts AS\n"
    "  SELECT region, count(*) AS n FROM accounts GROUP BY region;\n"
    "CREATE UNIQUE INDEX ON account_counts (region);\n"
    "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;\n"
    "CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts\n"
    "  FOR EACH ROW EXECUTE FUNCTION touch();\n"
    "CREATE FUNCTION add(a int, b int) RETURNS int IMMUTABLE LANGUAGE sql AS 'SELECT a + b';\n"
    "CREATE PROCEDURE noop(x text) LANGUAGE sql AS 'SELECT 1';\n"
    "CREATE TABLE rooms (id int PRIMARY KEY, during tstzrange,\n"
    "  EXCLUDE USING gist (during WITH &&));\n"
    "CREATE TABLE members (account_id int, room_id int,\n"
    "  PRIMARY KEY (account_id, room_id),\n"
    "  FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE RESTRICT,\n"
    "  FOREIGN KEY (room_id) REFERENCES rooms ON DELETE SET DEFAULT);\n";

static catalog *rich_catalog(conflicts *k)
{
    catalog *c = catalog_new();
    apply_sql(c, "db/0001_types.sql", types_sql, k);
    apply_sql(c, "db/0002_relations.sql", relations_sql, k);
    return c;
}

static void rich_round_trip(void)
{
    TEST("store: a rich catalog loads back equal in every field, origins and maps included")
    {
        conflicts k = {0};
        catalog *c = rich_catalog(&k);
        CHECK_INT(0, k.n);
        for (int i = 0; i < k.n && i < 8; i++)
            printf("  conflict: %s\n", k.msg[i]);
        CHECK(catalog_find_table(c, "billing", "bills") != NULL);
        CHECK(catalog_find_table(c, NULL, "events_2025")->parent ==
              catalog_find_table(c, NULL, "events"));
        check_catalog(c, "rich");
        catalog_free(c);
    }
    TEST("store: a loaded catalog replays further statements as the original does")
    {
        conflicts k = {0};
        catalog *c = rich_catalog(&k);
        catalog *n = check_round_trip(c, "rich");
        if (n) {
            /* Chosen names depend on the constraint and relation namespaces. */
            check_follow_up(c, n,
                            "ALTER TABLE users ADD UNIQUE (email);\n"
                            "CREATE INDEX ON accounts (region);\n"
                            "ALTER TABLE billing.bills ADD CHECK (seq_no > 0);\n"
                            "CREATE TABLE billing.bills_again (id int PRIMARY KEY);\n"
                            "ALTER TYPE mood ADD VALUE 'meh' BEFORE 'sad';\n"
                            "ALTER TYPE mood RENAME TO feeling;\n"
                            "ALTER SEQUENCE counter RENAME TO counter2;\n"
                            "ALTER TABLE accounts RENAME COLUMN name TO full_name;\n"
                            "ALTER TABLE tags ADD COLUMN n int GENERATED BY DEFAULT AS IDENTITY;\n"
                            "DROP TABLE users;\n"
                            "ALTER SCHEMA billing RENAME TO money;\n",
                            "rich, part 1");
            CHECK(catalog_has_schema(n, "money") && !catalog_has_schema(n, "billing"));
            CHECK(catalog_find_table(n, "money", "bills_again") != NULL);
            check_follow_up(c, n,
                            "DROP TABLE accounts CASCADE;\n"
                            "DROP TYPE feeling CASCADE;\n"
                            "ALTER TABLE events DETACH PARTITION events_2024;\n"
                            "DROP FUNCTION add(int, int);\n"
                            "ALTER TABLE money.bills DROP COLUMN user_id;\n"
                            "DROP SCHEMA money CASCADE;\n",
                            "rich, part 2");
            CHECK(!catalog_has_schema(n, "money") && !catalog_find_table(n, NULL, "accounts"));
            catalog_free(n);
        }
        catalog_free(c);
    }
}

/* Replays statement by statement, leaving the session (and pg_temp) open. */
static void apply_open(catalog *c, const char *sql)
{
    source *src = source_new("temp.sql", sql, strlen(sql));
    sql_file *f = sql_file_parse(src, 0, src->len);
    for (size_t i = 0; i < f->nstmts; i++)
        catalog_apply(c, f, &f->stmts[i], NULL, NULL);
    sql_file_free(f);
    source_free(src);
}

static void temp_objects(void)
{
    TEST("store: temporary objects and an open session survive the round trip")
    {
        catalog *c = catalog_new();
        apply_open(c, "CREATE TABLE scratch (id int PRIMARY KEY);\n"
                      "CREATE TEMP TABLE scratch (id serial, v text);\n"
                      "CREATE TEMPORARY SEQUENCE tick;\n");
        CHECK(c->temp_used);
        catalog *n = check_round_trip(c, "temp");
        if (n) {
            CHECK(n->temp_used);
            /* Unqualified names find pg_temp first in both. */
            check_follow_up(c, n, "CREATE INDEX ON scratch (v);", "temp");
            CHECK(!n->temp_used);
            CHECK_INT(1, catalog_find_table(n, NULL, "scratch")->nindexes);
            catalog_free(n);
        }
        catalog_free(c);
    }
}

static void comparison_can_fail(void)
{
    TEST("store: the comparison sees a changed field, a foreign pointer, a lost map entry")
    {
        conflicts k = {0};
        catalog *c = rich_catalog(&k);
        char *buf;
        size_t len;
        catalog *n = save_load(c, &buf, &len);
        CHECK(n && same(c, n, false));
        if (n) {
            cat_table *users = cat_table_get(n, NULL, "users");
            users->columns[1]->origin.pos.line++;
            CHECK(!same(c, n, false));
            users->columns[1]->origin.pos.line--;
            const cat_type *mood = users->columns[3]->user_type;
            users->columns[3]->user_type = cat_type_get(c, NULL, "mood");
            CHECK(!same(c, n, false));
            users->columns[3]->user_type = mood;
            const char *path = users->rel.origin.path;
            users->rel.origin.path = "db/0001_types.sql";
            CHECK(!same(c, n, false));
            users->rel.origin.path = path;
            CHECK(same(c, n, false));
            cat_map_remove(&n->connames, "public", "users_pkey");
            CHECK(!same(c, n, false));
            catalog_free(n);
        }
        buf[len - 1] ^= 1;
        CHECK(catalog_load(buf, len) == NULL);
        free(buf);
        catalog_free(c);
    }
}

/* A copy of buf[0..len) with its header rewritten for the new payload, so
 * the parser, not the checksum, meets the damage. */
static catalog *load_resealed(const char *buf, size_t len)
{
    unsigned char *copy = malloc(len ? len : 1);
    memcpy(copy, buf, len);
    if (len >= CAT_STORE_HEADER)
        cat_store_seal(copy, len);
    catalog *c = catalog_load(copy, len);
    free(copy);
    return c;
}

/* What a damaged payload that still parses gives must be usable. */
static void use_catalog(catalog *c)
{
    cJSON_Delete(catalog_to_json(c));
    char *buf;
    size_t len;
    catalog *again = save_load(c, &buf, &len);
    CHECK(again != NULL);
    catalog_free(again);
    free(buf);
    catalog_free(c);
}

static void damaged_data(void)
{
    TEST("store: truncated, flipped and foreign bytes load as NULL")
    {
        conflicts k = {0};
        catalog *c = rich_catalog(&k);
        char *buf;
        size_t len;
        catalog_save(c, &buf, &len);
        CHECK(catalog_load(NULL, 0) == NULL);
        CHECK(catalog_load("", 0) == NULL);
        CHECK(catalog_load("MLCATLG\x1a", 8) == NULL);
        size_t bad = 0;
        for (size_t n = 0; n < len; n++)
            bad += catalog_load(buf, n) != NULL;
        for (size_t i = 0; i < len; i++) {
            buf[i] ^= 0x20;
            bad += catalog_load(buf, len) != NULL;
            buf[i] ^= 0x20;
        }
        CHECK_INT(0, bad);
        /* Another format version: the same payload is refused. */
        buf[8]++;
        CHECK(catalog_load(buf, len) == NULL);
        buf[8]--;
        catalog *ok = catalog_load(buf, len);
        CHECK(ok != NULL);
        catalog_free(ok);
        free(buf);
        catalog_free(c);
    }
    TEST("store: past a valid checksum, damage gives NULL or a sound catalog")
    {
        conflicts k = {0};
        catalog *c = rich_catalog(&k);
        char *buf;
        size_t len;
        catalog_save(c, &buf, &len);
        size_t loaded = 0, truncated = 0;
        for (size_t n = CAT_STORE_HEADER; n < len; n++) {
            catalog *t = load_resealed(buf, n);
            truncated += t != NULL;
            catalog_free(t);
        }
        CHECK_INT(0, truncated);
        static const unsigned char values[] = {0x00, 0x01, 0x7f, 0x80, 0xff};
        for (size_t i = CAT_STORE_HEADER; i < len; i++) {
            char old = buf[i];
            buf[i] = (char)(i % 2 ? values[i % 5] : old ^ 0x01);
            catalog *d = load_resealed(buf, len);
            buf[i] = old;
            /* Using one in four keeps the test under a second with ASan. */
            if (d && loaded++ % 4 == 0)
                use_catalog(d);
            else
                catalog_free(d);
        }
        printf("  %zu bytes; %zu of the damaged payloads still parse\n", len, loaded);
        catalog_free(c);
        free(buf);
    }
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf b = STRBUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        strbuf_add(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return strbuf_detach(&b);
}

static void rule_fixtures(void)
{
    TEST("store: every rule's bad fixture replays, round-trips and replays on alike")
    {
        const char *fixtures = getenv("FIXTURES");
        char pattern[1024];
        snprintf(pattern, sizeof pattern, "%s/rules/*/bad*.sql", fixtures ? fixtures : "fixtures");
        glob_t g;
        CHECK_INT(0, glob(pattern, 0, NULL, &g));
        size_t done = 0;
        for (size_t i = 0; i < g.gl_pathc; i++) {
            size_t len;
            char *sql = read_file(g.gl_pathv[i], &len);
            if (!sql || strlen(sql) != len) {
                free(sql);
                continue;
            }
            conflicts k = {0};
            catalog *c = catalog_new();
            apply_sql(c, g.gl_pathv[i], sql, &k);
            int failed_before = unit_failed_now;
            unit_failed_now = 0;
            check_catalog(c, g.gl_pathv[i]);
            if (unit_failed_now)
                printf("  in %s\n", g.gl_pathv[i]);
            unit_failed_now |= failed_before;
            catalog_free(c);
            free(sql);
            done++;
        }
        CHECK(done >= 40);
        globfree(&g);
    }
}

/* Store version 4: the payload's checksum is keyhash64, and a loader that
 * knows its counts sizes the catalog's maps once (cat_map_reserve). */
static void load_shortcuts(void)
{
    TEST("store: the checksum is keyhash64 of the payload; version 3's header is refused; a "
         "caller's own sum skips it")
    {
        conflicts k = {0};
        catalog *c = rich_catalog(&k);
        char *buf;
        size_t len;
        catalog_save(c, &buf, &len);
        unsigned char *p = (unsigned char *)buf;
        uint64_t sum = 0;
        for (int i = 7; i >= 0; i--)
            sum = (sum << 8) | p[24 + i];
        CHECK(sum == keyhash64(p + CAT_STORE_HEADER, len - CAT_STORE_HEADER));
        CHECK_INT(4, p[8]);
        /* The same bytes as version 3 wrote them (its own checksum aside):
         * an old cache entry reads as a miss. */
        p[8] = 3;
        CHECK(catalog_load(buf, len) == NULL);
        p[8] = 4;
        catalog *n = catalog_load(buf, len);
        CHECK(n != NULL);
        /* Each origin's path interned once, in a map that never grew. */
        CHECK(n && n->paths.len > 0 && n->paths.len <= c->paths.len);
        catalog_free(n);
        /* Summed by the caller: a wrong checksum is not looked at, the
         * header's other fields and the payload still are. */
        p[24] ^= 1;
        CHECK(catalog_load(buf, len) == NULL);
        n = catalog_load_summed(buf, len);
        CHECK(n != NULL);
        catalog_free(n);
        p[8] = 3;
        CHECK(catalog_load_summed(buf, len) == NULL);
        p[8] = 4;
        CHECK(catalog_load_summed(buf, len - 1) == NULL);
        size_t sound = 0;
        for (size_t i = CAT_STORE_HEADER; i < len; i += 7) {
            p[i] ^= 0x41;
            catalog *d = catalog_load_summed(buf, len);
            p[i] ^= 0x41;
            if (d) {
                cJSON_Delete(catalog_to_json(d));
                sound++;
            }
            catalog_free(d);
        }
        CHECK(sound < len);
        p[24] ^= 1;
        free(buf);
        catalog_free(c);
    }
    TEST("store: a reserved map takes its puts without growing")
    {
        cat_map m = {0};
        cat_map_reserve(&m, 0);
        CHECK(m.cap == 0 && m.slots == NULL);
        cat_map_reserve(&m, 1000);
        size_t cap = m.cap;
        CHECK(cap >= 1024);
        static char names[1000][16];
        for (int i = 0; i < 1000; i++) {
            snprintf(names[i], sizeof names[i], "t%d", i);
            cat_map_put(&m, "public", names[i], names[i]);
        }
        CHECK(m.cap == cap);
        CHECK_INT(1000, (long)m.len);
        CHECK(cat_map_get(&m, "public", "t999") == names[999]);
        cat_map_put(&m, "public", "one more", names[0]);
        CHECK(cat_map_get(&m, "public", "t0") == names[0]);
        cat_map_free(&m);
    }
}

void unit_suite_store(void)
{
    load_shortcuts();
    rich_round_trip();
    temp_objects();
    comparison_can_fail();
    damaged_data();
    rule_fixtures();
}
