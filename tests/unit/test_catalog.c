/* test_catalog.c - the schema catalog replay: types and defaults as
 * PostgreSQL prints them, generated names, every ALTER TABLE subcommand,
 * renames, DROP with RESTRICT and CASCADE, enums, conflicts (message and
 * location), dependents, clone and diff. tests/t_catalog_pg.sh checks the
 * same replay against a real PostgreSQL on whole projects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/catalog/catalog.h"
#include "unit.h"

typedef struct conflicts {
    int n;
    char msg[8][200];
    size_t start[8], end[8];
} conflicts;

static void on_conflict(void *ud, size_t start, size_t end, const char *message)
{
    conflicts *k = ud;
    if (k->n < 8) {
        snprintf(k->msg[k->n], sizeof k->msg[0], "%s", message);
        k->start[k->n] = start;
        k->end[k->n] = end;
    }
    k->n++;
}

/* Replays sql as one file named path onto c. */
static void apply_sql(catalog *c, const char *path, const char *sql, conflicts *k)
{
    source *src = source_new(path, sql, strlen(sql));
    sql_file *f = sql_file_parse(src, 0, src->len);
    catalog_apply_file(c, f, on_conflict, k);
    sql_file_free(f);
    source_free(src);
}

static catalog *replay(const char *sql, conflicts *k)
{
    catalog *c = catalog_new();
    memset(k, 0, sizeof *k);
    apply_sql(c, "m.sql", sql, k);
    return c;
}

static const cat_column *col(const catalog *c, const char *table, const char *name)
{
    const char *dot = strchr(table, '.');
    char schema[64] = "";
    if (dot)
        snprintf(schema, sizeof schema, "%.*s", (int)(dot - table), table);
    return cat_table_find_column(catalog_find_table(c, dot ? schema : NULL, dot ? dot + 1 : table),
                                 name);
}

static const cat_constraint *con(const catalog *c, const char *table, const char *name)
{
    return cat_table_find_constraint(catalog_find_table(c, NULL, table), name);
}

static const char *type_of(const catalog *c, const char *table, const char *name)
{
    const cat_column *x = col(c, table, name);
    return x ? x->type : "(no column)";
}

static const char *default_of(const catalog *c, const char *table, const char *name)
{
    const cat_column *x = col(c, table, name);
    return !x ? "(no column)" : x->default_expr ? x->default_expr : "(none)";
}

static void types_and_defaults(void)
{
    TEST("catalog: types print as format_type() does")
    {
        conflicts k;
        catalog *c =
            replay("CREATE TYPE mood AS ENUM ('a');\n"
                   "CREATE SCHEMA s; CREATE TYPE s.level AS ENUM ('x');\n"
                   "CREATE TABLE t (a int, b int8, c int2, d float8, e float4, f bool,\n"
                   " g varchar(20), h char(2), i character, j timestamp(3), k timestamptz,\n"
                   " l numeric(10,2), m numeric(5), n decimal, o int[], p varchar(9)[],\n"
                   " q mood, r s.level[], s time with time zone, u bit varying(4),\n"
                   " v double precision, w text, x interval, y uuid, z jsonb);",
                   &k);
        static const char *const want[][2] = {
            {"a", "integer"},
            {"b", "bigint"},
            {"c", "smallint"},
            {"d", "double precision"},
            {"e", "real"},
            {"f", "boolean"},
            {"g", "character varying(20)"},
            {"h", "character(2)"},
            {"i", "character(1)"},
            {"j", "timestamp(3) without time zone"},
            {"k", "timestamp with time zone"},
            {"l", "numeric(10,2)"},
            {"m", "numeric(5,0)"},
            {"n", "numeric"},
            {"o", "integer[]"},
            {"p", "character varying(9)[]"},
            {"q", "mood"},
            {"r", "s.level[]"},
            {"s", "time with time zone"},
            {"u", "bit varying(4)"},
            {"v", "double precision"},
            {"w", "text"},
            {"x", "interval"},
            {"y", "uuid"},
            {"z", "jsonb"},
        };
        for (size_t i = 0; i < sizeof want / sizeof *want; i++)
            CHECK_STR(want[i][1], type_of(c, "t", want[i][0]));
        CHECK_INT(0, k.n);
        catalog_free(c);
    }
    TEST("catalog: type modifiers print as printf's %ld would, signs and zeros included")
    {
        conflicts k;
        catalog *c = replay("CREATE TABLE t (a numeric(10,-2), b numeric(1000,0), c varchar(0),\n"
                            " d time(6), e interval second(3), f bit(1234567890),\n"
                            " g smallserial, h serial8, i bpchar, j numeric(7));",
                            &k);
        static const char *const want[][2] = {
            {"a", "numeric(10,-2)"},
            {"b", "numeric(1000,0)"},
            {"c", "character varying(0)"},
            {"d", "time(6) without time zone"},
            {"e", "interval second(3)"},
            {"f", "bit(1234567890)"},
            {"g", "smallint"},
            {"h", "bigint"},
            {"i", "character"},
            {"j", "numeric(7,0)"},
        };
        for (size_t i = 0; i < sizeof want / sizeof *want; i++)
            CHECK_STR(want[i][1], type_of(c, "t", want[i][0]));
        catalog_free(c);
    }
    TEST("catalog: serial and identity columns, like PostgreSQL")
    {
        conflicts k;
        catalog *c = replay("CREATE TABLE t (id bigserial PRIMARY KEY, n serial,\n"
                            " a int GENERATED ALWAYS AS IDENTITY, b int GENERATED BY DEFAULT AS "
                            "IDENTITY);",
                            &k);
        const cat_column *id = col(c, "t", "id");
        CHECK_STR("bigint", id->type);
        CHECK(id->not_null);
        CHECK_STR("nextval('t_id_seq'::regclass)", id->default_expr);
        CHECK(id->default_volatile);
        CHECK_STR("t_id_seq", id->serial->rel.name);
        CHECK_STR("integer", type_of(c, "t", "n"));
        CHECK_STR("nextval('t_n_seq'::regclass)", default_of(c, "t", "n"));
        const cat_sequence *seq = catalog_find_sequence(c, NULL, "t_a_seq");
        CHECK(seq && seq->identity && seq->owner_column == col(c, "t", "a"));
        CHECK_INT('a', col(c, "t", "a")->identity);
        CHECK_INT('d', col(c, "t", "b")->identity);
        CHECK(col(c, "t", "b")->not_null);
        CHECK_STR("(none)", default_of(c, "t", "a"));
        catalog_free(c);
    }
    TEST("catalog: defaults as information_schema shows them")
    {
        conflicts k;
        catalog *c = replay(
            "CREATE TYPE st AS ENUM ('on', 'off');\n"
            "CREATE TABLE t (a text DEFAULT 'x', b varchar(5) DEFAULT 'y', c int DEFAULT -1,\n"
            " d numeric DEFAULT 1.50, e bool DEFAULT 'f', f timestamptz DEFAULT now(),\n"
            " g timestamptz DEFAULT CURRENT_TIMESTAMP, h jsonb DEFAULT '{\"b\":1,\"a\":[1,2]}',\n"
            " i st DEFAULT 'on', j int DEFAULT NULL, k uuid DEFAULT gen_random_uuid(),\n"
            " l text[] DEFAULT ARRAY['r']::text[], m bigint DEFAULT 0,\n"
            " n timestamptz DEFAULT now() + interval '1 day', o char(2) DEFAULT 'US',\n"
            " p double precision DEFAULT random(), q date DEFAULT CURRENT_DATE);",
            &k);
        CHECK_STR("'x'::text", default_of(c, "t", "a"));
        CHECK_STR("'y'::character varying", default_of(c, "t", "b"));
        CHECK_STR("'-1'::integer", default_of(c, "t", "c"));
        CHECK_STR("1.50", default_of(c, "t", "d"));
        CHECK_STR("false", default_of(c, "t", "e"));
        CHECK_STR("now()", default_of(c, "t", "f"));
        CHECK_STR("CURRENT_TIMESTAMP", default_of(c, "t", "g"));
        CHECK_STR("'{\"a\": [1, 2], \"b\": 1}'::jsonb", default_of(c, "t", "h"));
        CHECK_STR("'on'::st", default_of(c, "t", "i"));
        CHECK_STR("(none)", default_of(c, "t", "j"));
        CHECK_STR("gen_random_uuid()", default_of(c, "t", "k"));
        CHECK_STR("ARRAY['r'::text]", default_of(c, "t", "l"));
        CHECK_STR("0", default_of(c, "t", "m"));
        CHECK_STR("(now() + '1 day'::interval)", default_of(c, "t", "n"));
        CHECK_STR("'US'::bpchar", default_of(c, "t", "o"));
        CHECK_STR("CURRENT_DATE", default_of(c, "t", "q"));
        CHECK(col(c, "t", "k")->default_volatile);
        CHECK(col(c, "t", "p")->default_volatile);
        CHECK(!col(c, "t", "f")->default_volatile);
        CHECK(!col(c, "t", "g")->default_volatile);
        CHECK(!col(c, "t", "a")->default_volatile);
        catalog_free(c);
    }
    TEST("catalog: a generated column keeps its expression")
    {
        conflicts k;
        catalog *c =
            replay("CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED);", &k);
        CHECK_STR("(a * 2)", col(c, "t", "b")->generated);
        CHECK_STR("(none)", default_of(c, "t", "b"));
        catalog_free(c);
    }
}

static void generated_names(void)
{
    TEST("catalog: constraint and index names PostgreSQL chooses")
    {
        conflicts k;
        catalog *c = replay(
            "CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE, a int CHECK (a > 0),\n"
            " CHECK (a < id), CHECK (a <> 5), UNIQUE (a, email));\n"
            "CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users);\n"
            "CREATE INDEX ON orders (user_id);\n"
            "CREATE INDEX ON users (lower(email));\n"
            "CREATE INDEX ON users ((a + id), (a - id));\n"
            "CREATE INDEX ON orders (user_id);",
            &k);
        CHECK_INT(0, k.n);
        CHECK(con(c, "users", "users_pkey") && con(c, "users", "users_pkey")->index);
        CHECK(con(c, "users", "users_email_key"));
        CHECK(con(c, "users", "users_a_check"));
        CHECK(con(c, "users", "users_check"));
        CHECK(con(c, "users", "users_a_check1"));
        CHECK(con(c, "users", "users_a_email_key"));
        CHECK(con(c, "orders", "orders_user_id_fkey"));
        CHECK(catalog_find_index(c, NULL, "orders_user_id_idx"));
        CHECK(catalog_find_index(c, NULL, "orders_user_id_idx1"));
        CHECK(catalog_find_index(c, NULL, "users_lower_idx"));
        CHECK(catalog_find_index(c, NULL, "users_expr_expr1_idx"));
        const cat_constraint *fk = con(c, "orders", "orders_user_id_fkey");
        CHECK_STR("users", fk->ref_table->rel.name);
        CHECK_STR("id", fk->ref_columns[0]->name);
        CHECK(col(c, "users", "id")->not_null);
        catalog_free(c);
    }
    TEST("catalog: long names are truncated to 63 bytes like makeObjectName()")
    {
        conflicts k;
        catalog *c =
            replay("CREATE TABLE a_rather_long_table_name_for_testing_identifier_limits (\n"
                   " a_rather_long_column_name_that_goes_on_and_on int UNIQUE, id serial,\n"
                   " aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa int\n"
                   " CHECK (aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa > 0));",
                   &k);
        /* The names PostgreSQL 15 gives (checked with psql). */
        const char *t = "a_rather_long_table_name_for_testing_identifier_limits";
        CHECK(con(c, t, "a_rather_long_table_name_for__a_rather_long_column_name_tha_key"));
        CHECK(con(c, t, "a_rather_long_table_name_for_aaaaaaaaaaaaaaaaaaaaaaaaaaaa_check"));
        CHECK(catalog_find_sequence(
            c, NULL, "a_rather_long_table_name_for_testing_identifier_limits_id_seq"));
        catalog_free(c);
    }
}

static void alter_table(void)
{
    TEST("catalog: ALTER TABLE column subcommands")
    {
        conflicts k;
        catalog *c =
            replay("CREATE TABLE t (id int PRIMARY KEY, a varchar(10), b int);\n"
                   "ALTER TABLE t ADD COLUMN c text NOT NULL DEFAULT 'z';\n"
                   "ALTER TABLE t ADD COLUMN IF NOT EXISTS c int;\n"
                   "ALTER TABLE t ALTER COLUMN a TYPE text USING a::text;\n"
                   "ALTER TABLE t ALTER COLUMN b SET DEFAULT 7, ALTER COLUMN b SET NOT NULL;\n"
                   "ALTER TABLE t ALTER COLUMN c DROP DEFAULT, ALTER c DROP NOT NULL;\n"
                   "ALTER TABLE t ALTER COLUMN b ADD GENERATED ALWAYS AS IDENTITY;\n",
                   &k);
        CHECK_INT(1, k.n); /* identity needs no default: b has one */
        CHECK_STR("column b of table t already has a default value", k.msg[0]);
        CHECK_STR("text", type_of(c, "t", "a"));
        CHECK_STR("text", type_of(c, "t", "c"));
        CHECK_STR("(none)", default_of(c, "t", "c"));
        CHECK(!col(c, "t", "c")->not_null);
        CHECK_STR("7", default_of(c, "t", "b"));
        CHECK(col(c, "t", "b")->not_null);
        apply_sql(c, "n.sql",
                  "ALTER TABLE t ALTER COLUMN b DROP DEFAULT;\n"
                  "ALTER TABLE t ALTER COLUMN b ADD GENERATED BY DEFAULT AS IDENTITY;\n"
                  "ALTER TABLE t ALTER COLUMN b SET GENERATED ALWAYS;\n",
                  &k);
        CHECK_INT(1, k.n);
        CHECK_INT('a', col(c, "t", "b")->identity);
        CHECK(catalog_find_sequence(c, NULL, "t_b_seq"));
        apply_sql(c, "o.sql", "ALTER TABLE t ALTER COLUMN b DROP IDENTITY;", &k);
        CHECK_INT(0, col(c, "t", "b")->identity);
        CHECK(!catalog_find_sequence(c, NULL, "t_b_seq"));
        apply_sql(c, "p.sql", "ALTER TABLE t ALTER COLUMN id DROP NOT NULL;", &k);
        CHECK_INT(2, k.n);
        CHECK_STR("column id of table t is in a primary key", k.msg[1]);
        catalog_free(c);
    }
    TEST("catalog: ALTER TABLE constraint subcommands")
    {
        conflicts k;
        catalog *c = replay(
            "CREATE TABLE p (id int PRIMARY KEY);\n"
            "CREATE TABLE t (id int, p_id int, code text);\n"
            "ALTER TABLE t ADD CONSTRAINT t_p_fk FOREIGN KEY (p_id) REFERENCES p (id) NOT VALID;\n"
            "ALTER TABLE t ADD CONSTRAINT t_code_ck CHECK (code <> '') NOT VALID;\n",
            &k);
        CHECK(!con(c, "t", "t_p_fk")->validated);
        CHECK(!con(c, "t", "t_code_ck")->validated);
        apply_sql(c, "n.sql",
                  "ALTER TABLE t VALIDATE CONSTRAINT t_p_fk;\n"
                  "ALTER TABLE t RENAME CONSTRAINT t_code_ck TO t_code_not_blank;\n"
                  "CREATE UNIQUE INDEX t_id_idx ON t (id);\n"
                  "ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY USING INDEX t_id_idx;\n"
                  "ALTER TABLE t DROP CONSTRAINT IF EXISTS nope;\n",
                  &k);
        CHECK_INT(0, k.n);
        CHECK(con(c, "t", "t_p_fk")->validated);
        CHECK(con(c, "t", "t_code_not_blank") && !con(c, "t", "t_code_ck"));
        const cat_constraint *pk = con(c, "t", "t_pk");
        CHECK(pk && pk->type == CAT_CON_PRIMARY && pk->index);
        CHECK(catalog_find_index(c, NULL, "t_pk") && !catalog_find_index(c, NULL, "t_id_idx"));
        CHECK(col(c, "t", "id")->not_null);
        apply_sql(c, "o.sql", "ALTER TABLE t DROP CONSTRAINT t_pk;", &k);
        CHECK(!con(c, "t", "t_pk") && !catalog_find_index(c, NULL, "t_pk"));
        apply_sql(c, "q.sql", "ALTER TABLE p DROP CONSTRAINT p_pkey;", &k);
        CHECK_INT(1, k.n);
        CHECK_STR("cannot drop constraint p_pkey on table p: constraint t_p_fk on table t "
                  "depends on it",
                  k.msg[0]);
        apply_sql(c, "r.sql", "ALTER TABLE p DROP CONSTRAINT p_pkey CASCADE;", &k);
        CHECK(!con(c, "t", "t_p_fk") && !con(c, "p", "p_pkey"));
        catalog_free(c);
    }
    TEST("catalog: DROP COLUMN takes its indexes and constraints, not a view's column")
    {
        conflicts k;
        const char *sql = "CREATE TABLE users (id int PRIMARY KEY, email text, age int,\n"
                          " UNIQUE (email, age), CHECK (age > 0));\n"
                          "CREATE INDEX users_email_idx ON users (lower(email));\n"
                          "CREATE VIEW adults AS SELECT id, email FROM users WHERE age >= 18;\n"
                          "ALTER TABLE users DROP COLUMN age;";
        catalog *c = replay(sql, &k);
        CHECK_INT(1, k.n);
        CHECK_STR("cannot drop column users.age: view adults depends on it", k.msg[0]);
        CHECK_INT(strstr(sql, "age;") - sql, k.start[0]);
        CHECK_INT(strstr(sql, "age;") - sql + 3, k.end[0]);
        CHECK(col(c, "users", "age"));
        apply_sql(c, "n.sql", "ALTER TABLE users DROP COLUMN age CASCADE;", &k);
        CHECK(!col(c, "users", "age"));
        CHECK(!catalog_find_table(c, NULL, "adults"));
        CHECK(!con(c, "users", "users_email_age_key") && !con(c, "users", "users_age_check"));
        CHECK(catalog_find_index(c, NULL, "users_email_idx"));
        apply_sql(c, "o.sql", "ALTER TABLE users DROP COLUMN email;", &k);
        CHECK(!catalog_find_index(c, NULL, "users_email_idx"));
        catalog_free(c);
    }
    TEST("catalog: a failing ALTER TABLE changes nothing")
    {
        conflicts k;
        catalog *c = replay("CREATE TABLE t (a int);\n"
                            "ALTER TABLE t ADD COLUMN b int, ALTER COLUMN nope SET NOT NULL;\n"
                            "ALTER TABLE t ADD COLUMN c int, ADD CONSTRAINT t_c CHECK (c > 0),\n"
                            " RENAME a TO z;",
                            &k);
        CHECK(!col(c, "t", "b"));
        CHECK_STR("column nope of table t does not exist", k.msg[0]);
        /* The second statement is a syntax error (RENAME cannot be combined): not applied. */
        CHECK(!col(c, "t", "c"));
        apply_sql(c, "n.sql",
                  "ALTER TABLE t ADD COLUMN c int, ADD CONSTRAINT t_c CHECK (c > 0),\n"
                  " ALTER COLUMN c SET DEFAULT 1;",
                  &k);
        CHECK_INT(1, k.n);
        CHECK(con(c, "t", "t_c"));
        CHECK_STR("1", default_of(c, "t", "c"));
        catalog_free(c);
    }
    TEST("catalog: partitions get the parent's columns and indexes")
    {
        conflicts k;
        catalog *c = replay(
            "CREATE TABLE ev (id bigint, at timestamptz NOT NULL DEFAULT now(), kind text,\n"
            " PRIMARY KEY (id, at)) PARTITION BY RANGE (at);\n"
            "CREATE TABLE ev_1 PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');\n"
            "CREATE INDEX ev_kind_idx ON ev (kind);\n"
            "CREATE TABLE ev_2 (LIKE ev);\n"
            "ALTER TABLE ev ATTACH PARTITION ev_2 FOR VALUES FROM ('2024-02-01') TO "
            "('2024-03-01');",
            &k);
        CHECK_INT(0, k.n);
        const cat_table *ev = catalog_find_table(c, NULL, "ev"),
                        *p1 = catalog_find_table(c, NULL, "ev_1");
        CHECK_INT(CAT_PARTITIONED_TABLE, ev->rel.kind);
        CHECK_STR("range (at)", ev->partition_by);
        CHECK(p1->parent == ev);
        CHECK_STR("now()", default_of(c, "ev_1", "at"));
        CHECK(con(c, "ev_1", "ev_1_pkey"));
        CHECK(catalog_find_index(c, NULL, "ev_1_kind_idx"));
        CHECK(catalog_find_index(c, NULL, "ev_2_pkey"));
        CHECK(catalog_find_index(c, NULL, "ev_2_kind_idx"));
        apply_sql(c, "n.sql",
                  "ALTER TABLE ev DETACH PARTITION ev_1; ALTER TABLE ev ADD COLUMN x int;", &k);
        CHECK(!catalog_find_table(c, NULL, "ev_1")->parent);
        CHECK(col(c, "ev_2", "x") && !col(c, "ev_1", "x"));
        catalog_free(c);
    }
}

static void renames(void)
{
    TEST("catalog: renames keep references (views, constraints, defaults)")
    {
        conflicts k;
        catalog *c = replay(
            "CREATE TYPE st AS ENUM ('a', 'b');\n"
            "CREATE TABLE users (id serial PRIMARY KEY, name text CHECK (name <> ''), s st DEFAULT "
            "'a');\n"
            "CREATE INDEX users_name_idx ON users (lower(name)) WHERE name IS NOT NULL;\n"
            "CREATE VIEW v AS SELECT name FROM users;\n"
            "ALTER TABLE users RENAME TO people;\n"
            "ALTER TABLE people RENAME COLUMN name TO full_name;\n"
            "ALTER INDEX users_pkey RENAME TO people_pkey;\n"
            "ALTER TABLE people RENAME CONSTRAINT users_name_check TO people_name_check;\n"
            "ALTER SEQUENCE users_id_seq RENAME TO people_id_seq;\n"
            "ALTER TYPE st RENAME TO status;",
            &k);
        CHECK_INT(0, k.n);
        CHECK(!catalog_find_table(c, NULL, "users"));
        CHECK(col(c, "people", "full_name"));
        const cat_table *v = catalog_find_table(c, NULL, "v");
        CHECK_STR("people", v->reads[0].rel->rel.name);
        CHECK_STR("full_name", v->reads[0].column->name);
        CHECK_STR("name", v->columns[0]->name); /* a view's own column keeps its name */
        CHECK(con(c, "people", "people_pkey") && !con(c, "people", "users_pkey"));
        CHECK_STR("(full_name <> '')", con(c, "people", "people_name_check")->expr);
        const cat_index *ix = catalog_find_index(c, NULL, "users_name_idx");
        CHECK_STR("lower(full_name)", ix->keys[0].expr);
        CHECK_STR("(full_name IS NOT NULL)", ix->where);
        CHECK_STR("nextval('people_id_seq'::regclass)", default_of(c, "people", "id"));
        CHECK_STR("status", type_of(c, "people", "s"));
        CHECK_STR("'a'::status", default_of(c, "people", "s"));
        apply_sql(c, "n.sql", "ALTER TABLE people RENAME COLUMN nope TO x;", &k);
        CHECK_INT(1, k.n);
        CHECK_STR("column nope of table people does not exist", k.msg[0]);
        catalog_free(c);
    }
    TEST("catalog: SET SCHEMA and schema renames move what belongs to the table")
    {
        conflicts k;
        catalog *c = replay("CREATE SCHEMA archive;\n"
                            "CREATE TABLE logs (id serial PRIMARY KEY, body text);\n"
                            "ALTER TABLE logs SET SCHEMA archive;\n"
                            "ALTER SCHEMA archive RENAME TO old;",
                            &k);
        CHECK_INT(0, k.n);
        CHECK(!catalog_find_table(c, NULL, "logs"));
        CHECK(catalog_find_table(c, "old", "logs"));
        CHECK(catalog_find_index(c, "old", "logs_pkey"));
        CHECK(catalog_find_sequence(c, "old", "logs_id_seq"));
        CHECK_STR("nextval('old.logs_id_seq'::regclass)", default_of(c, "old.logs", "id"));
        CHECK(!catalog_has_schema(c, "archive") && catalog_has_schema(c, "old"));
        catalog_free(c);
    }
}

static void drops(void)
{
    TEST("catalog: DROP TABLE refuses dependents without CASCADE")
    {
        conflicts k;
        const char *sql = "CREATE TABLE users (id int PRIMARY KEY);\n"
                          "CREATE TABLE orders (id int, user_id int REFERENCES users);\n"
                          "DROP TABLE users;";
        catalog *c = replay(sql, &k);
        CHECK_INT(1, k.n);
        CHECK_STR("cannot drop table users: constraint orders_user_id_fkey on table orders "
                  "depends on it",
                  k.msg[0]);
        CHECK_INT(strstr(sql, "users;") - sql, k.start[0]);
        CHECK(catalog_find_table(c, NULL, "users"));
        apply_sql(c, "n.sql", "DROP TABLE users CASCADE;", &k);
        CHECK(!catalog_find_table(c, NULL, "users"));
        CHECK(!catalog_find_index(c, NULL, "users_pkey"));
        CHECK(catalog_find_table(c, NULL, "orders"));
        CHECK(!con(c, "orders", "orders_user_id_fkey"));
        catalog_free(c);
    }
    TEST("catalog: DROP of several objects fails whole; IF EXISTS is quiet")
    {
        conflicts k;
        catalog *c = replay("CREATE TABLE a (x int);\n"
                            "DROP TABLE a, missing;\n"
                            "DROP TABLE IF EXISTS missing;\n"
                            "DROP VIEW a;",
                            &k);
        CHECK_INT(2, k.n);
        CHECK_STR("table missing does not exist", k.msg[0]);
        CHECK_STR("view a does not exist", k.msg[1]);
        CHECK(catalog_find_table(c, NULL, "a"));
        catalog_free(c);
    }
    TEST("catalog: CASCADE drops views on views and serial sequences go with tables")
    {
        conflicts k;
        catalog *c = replay("CREATE TABLE t (id serial, v int);\n"
                            "CREATE VIEW v1 AS SELECT * FROM t;\n"
                            "CREATE VIEW v2 AS SELECT id FROM v1;\n"
                            "CREATE MATERIALIZED VIEW m AS SELECT count(*) AS n FROM v2;\n"
                            "DROP VIEW v1;\n"
                            "DROP TABLE t CASCADE;",
                            &k);
        CHECK_INT(1, k.n);
        CHECK_STR("cannot drop view v1: view v2 depends on it", k.msg[0]);
        CHECK(!catalog_find_table(c, NULL, "t"));
        CHECK(!catalog_find_table(c, NULL, "v1") && !catalog_find_table(c, NULL, "v2"));
        CHECK(!catalog_find_table(c, NULL, "m"));
        CHECK(!catalog_find_sequence(c, NULL, "t_id_seq"));
        catalog_free(c);
    }
    TEST("catalog: DROP TYPE, DROP SCHEMA and DROP INDEX of a constraint")
    {
        conflicts k;
        catalog *c = replay("CREATE TYPE mood AS ENUM ('a');\n"
                            "CREATE TABLE t (id int PRIMARY KEY, m mood);\n"
                            "DROP TYPE mood;\n"
                            "DROP INDEX t_pkey;\n"
                            "CREATE SCHEMA s; CREATE TABLE s.x (a int);\n"
                            "DROP SCHEMA s;",
                            &k);
        CHECK_INT(3, k.n);
        CHECK_STR("cannot drop type mood: column t.m depends on it", k.msg[0]);
        CHECK_STR("cannot drop index t_pkey because constraint t_pkey on table t requires it",
                  k.msg[1]);
        CHECK_STR("cannot drop schema s: table s.x depends on it", k.msg[2]);
        apply_sql(c, "n.sql", "DROP TYPE mood CASCADE; DROP SCHEMA s CASCADE;", &k);
        CHECK(!col(c, "t", "m") && col(c, "t", "id"));
        CHECK(!catalog_find_type(c, NULL, "mood"));
        CHECK(!catalog_has_schema(c, "s") && !catalog_find_table(c, "s", "x"));
        catalog_free(c);
    }
}

static void enums_and_misc(void)
{
    TEST("catalog: enum values in order, added and renamed")
    {
        conflicts k;
        catalog *c = replay("CREATE TYPE st AS ENUM ('b', 'd');\n"
                            "ALTER TYPE st ADD VALUE 'a' BEFORE 'b';\n"
                            "ALTER TYPE st ADD VALUE 'c' AFTER 'b';\n"
                            "ALTER TYPE st ADD VALUE 'e';\n"
                            "ALTER TYPE st ADD VALUE IF NOT EXISTS 'e';\n"
                            "ALTER TYPE st RENAME VALUE 'e' TO 'z';\n"
                            "ALTER TYPE st ADD VALUE 'a';\n"
                            "ALTER TYPE st ADD VALUE 'q' AFTER 'nope';",
                            &k);
        const cat_type *t = catalog_find_type(c, NULL, "st");
        CHECK_INT(5, t->nvalues);
        const char *want[] = {"a", "b", "c", "d", "z"};
        for (size_t i = 0; i < 5 && i < t->nvalues; i++)
            CHECK_STR(want[i], t->values[i]);
        CHECK_INT(2, k.n);
        CHECK_STR("enum label a already exists in type st", k.msg[0]);
        CHECK_STR("nope is not an existing label of enum st", k.msg[1]);
        catalog_free(c);
    }
    TEST("catalog: statements that do not change the schema are ignored")
    {
        conflicts k;
        catalog *c = replay("SELECT 1; INSERT INTO nowhere VALUES (1); GRANT SELECT ON x TO y;\n"
                            "COMMENT ON TABLE x IS 'y'; DO $$ BEGIN END $$; SET lock_timeout = 1;\n"
                            "BEGIN; COMMIT; VACUUM; CREATE TABLE (;",
                            &k);
        CHECK_INT(0, k.n);
        catalog_free(c);
    }
    TEST("catalog: temporary tables end with the file")
    {
        conflicts k;
        catalog *c = replay("CREATE TEMP TABLE scratch (a int);\n"
                            "INSERT INTO scratch VALUES (1);\n"
                            "CREATE TABLE scratch (b int);\n",
                            &k);
        CHECK_INT(0, k.n);
        const cat_table *t = catalog_find_table(c, NULL, "scratch");
        CHECK(t && col(c, "scratch", "b"));
        cJSON *j = catalog_to_json(c);
        CHECK(!cJSON_GetObjectItem(cJSON_GetObjectItem(j, "tables"), "pg_temp.scratch"));
        cJSON_Delete(j);
        catalog_free(c);
    }
    TEST("catalog: extensions, functions, triggers and sequences by name")
    {
        conflicts k;
        catalog *c =
            replay("CREATE EXTENSION IF NOT EXISTS citext;\n"
                   "CREATE TABLE t (id int, email citext, n bigint);\n"
                   "CREATE FUNCTION f(a int, OUT b text) LANGUAGE sql STABLE AS 'select 1';\n"
                   "CREATE TRIGGER tg BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f();\n"
                   "CREATE SEQUENCE s OWNED BY t.n;\n"
                   "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'select 1';\n"
                   "CREATE TRIGGER tg BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f();",
                   &k);
        CHECK_INT(2, k.n);
        CHECK_STR("function f(integer) already exists", k.msg[0]);
        CHECK_STR("trigger tg for table t already exists", k.msg[1]);
        CHECK(catalog_has_extension(c, "citext"));
        CHECK_STR("citext", type_of(c, "t", "email"));
        CHECK(catalog_find_sequence(c, NULL, "s")->owner_column == col(c, "t", "n"));
        apply_sql(c, "n.sql", "DROP TRIGGER tg ON t; DROP FUNCTION f(integer); DROP FUNCTION f;",
                  &k);
        CHECK_INT(3, k.n);
        CHECK_STR("function f() does not exist", k.msg[2]);
        CHECK_INT(0, catalog_find_table(c, NULL, "t")->ntriggers);
        catalog_free(c);
    }
}

static void conflicts_and_views(void)
{
    TEST("catalog: conflicts say what the migration assumes, at the name")
    {
        conflicts k;
        const char *sql = "ALTER TABLE orders ADD COLUMN note text;\n"
                          "CREATE TABLE t (id int);\n"
                          "CREATE TABLE t (id int);\n"
                          "CREATE TABLE IF NOT EXISTS t (id int);\n"
                          "CREATE INDEX i ON t (nope);\n"
                          "CREATE TABLE u (t_id int REFERENCES missing);";
        catalog *c = replay(sql, &k);
        CHECK_INT(4, k.n);
        CHECK_STR("table orders does not exist", k.msg[0]);
        CHECK_INT(12, k.start[0]);
        CHECK_INT(18, k.end[0]);
        CHECK_STR("table t already exists", k.msg[1]);
        CHECK_INT(strstr(sql, "t (id int);\nCREATE TABLE IF") - sql, k.start[1]);
        CHECK_STR("column nope of table t does not exist", k.msg[2]);
        CHECK_STR("table missing does not exist", k.msg[3]);
        /* Open world: the table stays, without the foreign key. */
        CHECK(catalog_find_table(c, NULL, "u") != NULL);
        CHECK_INT(0, catalog_find_table(c, NULL, "u")->nconstraints);
        CHECK(!catalog_find_index(c, NULL, "i"));
        catalog_free(c);
    }
    TEST("catalog: views read what their query references; * is expanded")
    {
        conflicts k;
        catalog *c = replay(
            "CREATE TABLE a (id int, name varchar(5), x int);\n"
            "CREATE TABLE b (a_id int, total numeric(8,2));\n"
            "CREATE VIEW v (ident) AS WITH t AS (SELECT a_id, total FROM b)\n"
            " SELECT a.id, a.*, t.total, count(*) AS n, 'x'::text AS lit\n"
            " FROM a JOIN t ON t.a_id = a.id WHERE EXISTS (SELECT 1 FROM b WHERE b.a_id = a.x)\n"
            " GROUP BY a.id, a.name, a.x, t.total;",
            &k);
        CHECK_INT(0, k.n);
        const cat_table *v = catalog_find_table(c, NULL, "v");
        CHECK_INT(CAT_VIEW, v->rel.kind);
        const char *names[] = {"ident", "id", "name", "x", "total", "n", "lit"};
        const char *types[] = {"integer", "integer",      "character varying(5)",
                               "integer", "numeric(8,2)", "bigint",
                               "text"};
        CHECK_INT(7, v->ncolumns);
        for (size_t i = 0; i < 7 && i < v->ncolumns; i++) {
            CHECK_STR(names[i], v->columns[i]->name);
            CHECK_STR(types[i], v->columns[i]->type);
        }
        cat_dependent deps[8];
        CHECK_INT(1, catalog_dependents(c, NULL, "b", "total", deps, 8));
        CHECK_INT(1, catalog_dependents(c, NULL, "a", "x", deps, 8));
        CHECK_INT(0, catalog_dependents(c, NULL, "a", "nothing", deps, 8));
        catalog_free(c);
    }
    TEST("catalog: dependents of a table and a column, with their origins")
    {
        conflicts k;
        catalog *c = replay("CREATE TABLE users (id int PRIMARY KEY, email text);\n"
                            "CREATE INDEX users_email_idx ON users (email);\n"
                            "CREATE TABLE orders (user_id int REFERENCES users);\n"
                            "CREATE VIEW emails AS SELECT email FROM users;",
                            &k);
        cat_dependent deps[8];
        size_t n = catalog_dependents(c, NULL, "users", NULL, deps, 8);
        CHECK_INT(4, n);
        CHECK_INT(CAT_DEP_VIEW, deps[0].kind);
        CHECK_STR("emails", deps[0].name);
        CHECK(deps[0].blocks_drop);
        CHECK_INT(4, deps[0].origin.pos.line);
        CHECK_STR("m.sql", deps[0].origin.path);
        CHECK_INT(CAT_DEP_INDEX, deps[1].kind);
        CHECK_STR("users_email_idx", deps[1].name);
        CHECK(!deps[1].blocks_drop);
        CHECK_INT(CAT_DEP_CONSTRAINT, deps[2].kind);
        CHECK_STR("users_pkey", deps[2].name);
        CHECK_INT(CAT_DEP_FOREIGN_KEY, deps[3].kind);
        CHECK_STR("orders_user_id_fkey", deps[3].name);
        CHECK_STR("orders", deps[3].table);
        CHECK_INT(3, deps[3].origin.pos.line);
        CHECK_INT(2, catalog_dependents(c, NULL, "users", "email", deps, 8));
        CHECK_INT(4, catalog_dependents(c, NULL, "users", NULL, deps, 1)); /* counts all */
        catalog_free(c);
    }
}

typedef struct lines {
    int n;
    char text[8][240];
} lines;

static void on_diff(void *ud, const char *what)
{
    lines *l = ud;
    if (l->n < 8)
        snprintf(l->text[l->n], sizeof l->text[0], "%s", what);
    l->n++;
}

static void clone_and_diff(void)
{
    TEST("catalog: a clone is independent and equal; diff names each change")
    {
        conflicts k;
        catalog *c = replay("CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\n"
                            "CREATE TABLE orders (id int, user_id int REFERENCES users);\n"
                            "CREATE VIEW v AS SELECT email FROM users;",
                            &k);
        catalog *before = catalog_clone(c);
        CHECK_INT(0, catalog_diff(c, before, NULL, NULL));
        apply_sql(c, "up.sql",
                  "ALTER TABLE users ADD COLUMN name text;\n"
                  "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;\n"
                  "DROP VIEW v;",
                  &k);
        lines l = {0};
        CHECK_INT(3, catalog_diff(before, c, on_diff, &l));
        CHECK_STR("column users.email is text, was text NOT NULL", l.text[0]);
        CHECK_STR("column users.name exists (text), was absent", l.text[1]);
        CHECK_STR("view v is absent, was (email)", l.text[2]);
        /* The clone's references point into the clone. */
        catalog_free(c);
        const cat_table *orders = catalog_find_table(before, NULL, "orders");
        CHECK(orders->constraints[0]->ref_table == catalog_find_table(before, NULL, "users"));
        CHECK(catalog_find_table(before, NULL, "v")->reads[0].column ==
              col(before, "users", "email"));
        catalog *again = catalog_clone(before);
        apply_sql(again, "down.sql", "DROP TABLE orders; DROP VIEW v; DROP TABLE users;", &k);
        CHECK(catalog_find_table(before, NULL, "users"));
        CHECK(!catalog_find_table(again, NULL, "users"));
        catalog_free(again);
        catalog_free(before);
    }
    TEST("catalog: JSON is sorted and complete")
    {
        conflicts k;
        catalog *c = replay("CREATE SCHEMA b; CREATE TABLE b.z (id int PRIMARY KEY);\n"
                            "CREATE TABLE a (id int REFERENCES b.z ON DELETE CASCADE);",
                            &k);
        cJSON *j = catalog_to_json(c);
        char *s = cJSON_PrintUnformatted(j);
        CHECK(strstr(s, "\"schemas\":[\"b\",\"public\"]") != NULL);
        CHECK(strstr(s, "\"public.a\"") < strstr(s, "\"b.z\"") ||
              strstr(s, "\"b.z\"") < strstr(s, "\"public.a\""));
        const cJSON *tables = cJSON_GetObjectItem(j, "tables");
        CHECK_STR("b.z", tables->child->string);
        const cJSON *fk = cJSON_GetObjectItem(
            cJSON_GetObjectItem(cJSON_GetObjectItem(tables, "public.a"), "constraints"),
            "a_id_fkey");
        CHECK_STR("b.z", cJSON_GetObjectItem(fk, "references")->valuestring);
        CHECK_STR("cascade", cJSON_GetObjectItem(fk, "on_delete")->valuestring);
        cJSON_free(s);
        cJSON_Delete(j);
        catalog_free(c);
    }
}

static void definitions_and_snapshots(void)
{
    TEST("catalog: functions and views are compared by definition, bodies as tokens")
    {
        conflicts k;
        catalog *c = replay("CREATE TABLE t (id int, x int);\n"
                            "CREATE FUNCTION f(a integer, OUT b text) LANGUAGE sql AS $$ SELECT "
                            "a::text $$;\n"
                            "CREATE PROCEDURE p(a int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
                            "CREATE VIEW v AS SELECT id FROM t;",
                            &k);
        const char *names[] = {"f", "public.p", "v", "t"};
        catalog_snapshot *before = catalog_snapshot_take(c, names, 4);
        /* Same body in other spacing, case and comments; same view query
         * with public. spelled out: nothing to report. */
        apply_sql(c, "same.sql",
                  "CREATE OR REPLACE FUNCTION public.f(a integer, OUT b text) LANGUAGE sql AS "
                  "$$\n  -- same\n  select A::TEXT\n$$;\n"
                  "CREATE OR REPLACE VIEW public.v AS SELECT id FROM public.t;",
                  &k);
        catalog_snapshot *same = catalog_snapshot_take(c, names, 4);
        CHECK_INT(0, catalog_snapshot_diff(before, same, NULL, NULL));
        apply_sql(c, "other.sql",
                  "CREATE OR REPLACE FUNCTION f(a integer, OUT b text) LANGUAGE sql AS "
                  "$$ SELECT (a + 1)::text $$;\n"
                  "CREATE OR REPLACE VIEW v AS SELECT id FROM t WHERE x > 0;\n"
                  "DROP PROCEDURE p(int);\n"
                  "CREATE FUNCTION f(a text) RETURNS text LANGUAGE sql AS $$ SELECT a $$;",
                  &k);
        CHECK_INT(0, k.n);
        catalog_snapshot *after = catalog_snapshot_take(c, names, 4);
        lines l = {0};
        CHECK_INT(4, catalog_snapshot_diff(before, after, on_diff, &l));
        CHECK_STR("function f(integer) is defined differently than before the up step (its "
                  "body, return type or options)",
                  l.text[0]);
        CHECK_STR("function f(text) exists, was absent", l.text[1]);
        CHECK_STR("procedure p(integer) is absent", l.text[2]);
        CHECK_STR("view v is defined by another query than before the up step", l.text[3]);
        catalog_snapshot_free(before);
        catalog_snapshot_free(same);
        catalog_snapshot_free(after);
        /* The definitions survive the cache's format and a clone. */
        char *bytes;
        size_t len;
        catalog_save(c, &bytes, &len);
        catalog *loaded = catalog_load(bytes, len);
        catalog *cloned = catalog_clone(c);
        CHECK(loaded != NULL);
        CHECK_INT(0, catalog_diff(c, loaded, NULL, NULL));
        CHECK_INT(0, catalog_diff(c, cloned, NULL, NULL));
        free(bytes);
        catalog_free(loaded);
        catalog_free(cloned);
        catalog_free(c);
    }
    TEST("catalog: a snapshot's facts compare as a set, whatever their order")
    {
        conflicts k;
        catalog *c = replay("CREATE TABLE t (id int, x text, y int);\n"
                            "CREATE INDEX t_y ON t (y);",
                            &k);
        const char *names[] = {"t", "t_y", "public.t"};
        catalog_snapshot *before = catalog_snapshot_take(c, names, 3);
        /* x comes last now: the same facts built in another order. */
        apply_sql(c, "readd.sql", "ALTER TABLE t DROP COLUMN x;\nALTER TABLE t ADD COLUMN x text;",
                  &k);
        catalog_snapshot *same = catalog_snapshot_take(c, names, 3);
        CHECK_INT(0, catalog_snapshot_diff(before, same, NULL, NULL));
        CHECK_INT(0, catalog_snapshot_diff(same, before, NULL, NULL));
        apply_sql(c, "other.sql", "ALTER TABLE t ALTER COLUMN x TYPE varchar(5);\nDROP INDEX t_y;",
                  &k);
        CHECK_INT(0, k.n);
        catalog_snapshot *after = catalog_snapshot_take(c, names, 3);
        lines l = {0};
        /* The table named three times (itself, its index, qualified) is
         * described once. */
        CHECK_INT(2, catalog_snapshot_diff(before, after, on_diff, &l));
        CHECK_STR("column t.x is character varying(5), was text", l.text[0]);
        CHECK_STR("index t_y is absent, was btree ON t (y)", l.text[1]);
        catalog_snapshot_free(before);
        catalog_snapshot_free(same);
        catalog_snapshot_free(after);
        catalog_free(c);
    }
    TEST("catalog: a cast to the argument type a user function takes is the call PostgreSQL stores")
    {
        conflicts k;
        catalog *c = replay("CREATE TABLE t (x int);\n"
                            "CREATE FUNCTION f(a numeric) RETURNS numeric LANGUAGE sql IMMUTABLE "
                            "AS $$ SELECT a $$;\n"
                            "CREATE INDEX i1 ON t (f(x));\n"
                            "CREATE INDEX i2 ON t USING btree (public.f((x)::numeric));\n"
                            "CREATE INDEX i3 ON t (f((x)::integer));\n"
                            "CREATE INDEX i4 ON t (f('1'::numeric));",
                            &k);
        CHECK_STR("f(x)", catalog_find_index(c, NULL, "i1")->keys[0].expr);
        CHECK_STR("f(x)", catalog_find_index(c, NULL, "i2")->keys[0].expr);
        CHECK_STR("f((x)::integer)", catalog_find_index(c, NULL, "i3")->keys[0].expr);
        CHECK_STR("f('1'::numeric)", catalog_find_index(c, NULL, "i4")->keys[0].expr);
        catalog_free(c);
    }
}

/* Applies sql to c, snapshots names and diffs against *prev (then replaced
 * by the new snapshot): the sentences land in l. */
static size_t snapshot_step(catalog *c, const char *const *names, size_t n, catalog_snapshot **prev,
                            const char *sql, lines *l)
{
    conflicts k;
    memset(&k, 0, sizeof k);
    memset(l, 0, sizeof *l);
    apply_sql(c, "step.sql", sql, &k);
    catalog_snapshot *now = catalog_snapshot_take(c, names, n);
    size_t count = catalog_snapshot_diff(*prev, now, on_diff, l);
    catalog_snapshot_free(*prev);
    *prev = now;
    return count;
}

/* A column's fact line is kept on the column between snapshots (diff.c's
 * memo): every change the line shows must still be seen, each made
 * between two snapshots of an unchanged rest. */
static void snapshot_memos(void)
{
    TEST("catalog: a column's kept fact follows every change the fact shows")
    {
        conflicts k;
        catalog *c = replay("CREATE SCHEMA s;\n"
                            "CREATE TABLE t (id int NOT NULL, x text, y int NOT NULL DEFAULT 0);\n"
                            "CREATE TABLE p (id int, a int) PARTITION BY RANGE (id);\n"
                            "CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);",
                            &k);
        CHECK_INT(0, k.n);
        const char *names[] = {"t", "u", "s.u", "p", "p1"};
        catalog_snapshot *prev = catalog_snapshot_take(c, names, 5);
        lines l;
        CHECK_INT(0, snapshot_step(c, names, 5, &prev, "SELECT 1;", &l));
        CHECK_INT(1, snapshot_step(c, names, 5, &prev,
                                   "ALTER TABLE t ALTER COLUMN x SET DEFAULT 'a';", &l));
        CHECK_STR("column t.x is text DEFAULT 'a'::text, was text", l.text[0]);
        CHECK_INT(
            1, snapshot_step(c, names, 5, &prev, "ALTER TABLE t ALTER COLUMN x SET NOT NULL;", &l));
        CHECK_STR("column t.x is text NOT NULL DEFAULT 'a'::text, was text DEFAULT 'a'::text",
                  l.text[0]);
        CHECK_INT(
            1, snapshot_step(c, names, 5, &prev, "ALTER TABLE t ALTER COLUMN y DROP DEFAULT;", &l));
        CHECK_STR("column t.y is integer NOT NULL, was integer NOT NULL DEFAULT 0", l.text[0]);
        CHECK_INT(
            1, snapshot_step(c, names, 5, &prev, "ALTER TABLE t ALTER COLUMN y TYPE bigint;", &l));
        CHECK_STR("column t.y is bigint NOT NULL, was integer NOT NULL", l.text[0]);
        CHECK_INT(1, snapshot_step(c, names, 5, &prev,
                                   "ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS "
                                   "IDENTITY;",
                                   &l));
        CHECK_STR(
            "column t.id is integer NOT NULL GENERATED ALWAYS AS IDENTITY, was integer NOT NULL",
            l.text[0]);
        CHECK_INT(2, snapshot_step(c, names, 5, &prev, "ALTER TABLE t RENAME COLUMN x TO z;", &l));
        CHECK_STR("column t.x is absent, was text NOT NULL DEFAULT 'a'::text", l.text[0]);
        CHECK_STR("column t.z exists (text NOT NULL DEFAULT 'a'::text), was absent", l.text[1]);
        /* The key names the table: a rename, then another schema. */
        CHECK(snapshot_step(c, names, 5, &prev, "ALTER TABLE t RENAME TO u;", &l) >= 4);
        CHECK_STR("column t.id is absent, was integer NOT NULL GENERATED ALWAYS AS IDENTITY",
                  l.text[0]);
        CHECK(snapshot_step(c, names, 5, &prev, "ALTER TABLE u SET SCHEMA s;", &l) >= 4);
        CHECK_STR("column s.u.id exists (integer NOT NULL GENERATED ALWAYS AS IDENTITY), was "
                  "absent",
                  l.text[0]);
        /* A column added to a partitioned table is copied into its
         * partitions: the copy is described under its own table. */
        CHECK_INT(2, snapshot_step(c, names, 5, &prev, "ALTER TABLE p ADD COLUMN b text;", &l));
        CHECK_STR("column p.b exists (text), was absent", l.text[0]);
        CHECK_STR("column p1.b exists (text), was absent", l.text[1]);
        CHECK_INT(0, snapshot_step(c, names, 5, &prev, "SELECT 1;", &l));
        /* A clone starts without the kept lines (they are in the first
         * catalog's arena, freed here before the clone is described). */
        catalog *copy = catalog_clone(c);
        catalog_snapshot_free(prev);
        catalog_free(c);
        prev = catalog_snapshot_take(copy, names, 5);
        CHECK_INT(1, snapshot_step(copy, names, 5, &prev,
                                   "ALTER TABLE p1 ALTER COLUMN b SET DEFAULT 'x';", &l));
        CHECK_STR("column p1.b is text DEFAULT 'x'::text, was text", l.text[0]);
        catalog_snapshot_free(prev);
        catalog_free(copy);
    }
}

/* The same for constraints and indexes: their lines read the names of
 * the columns, tables and indexes they name. */
static void snapshot_memos_keys(void)
{
    TEST("catalog: a kept constraint or index fact follows the names it reads")
    {
        conflicts k;
        catalog *c =
            replay("CREATE TABLE r (id int PRIMARY KEY);\n"
                   "CREATE TABLE t (id int, rid int, c int CONSTRAINT c_pos CHECK (c > 0),\n"
                   "  CONSTRAINT t_rid_fkey FOREIGN KEY (rid) REFERENCES r (id));\n"
                   "CREATE INDEX t_c ON t (c) INCLUDE (id) WHERE c > 1;",
                   &k);
        CHECK_INT(0, k.n);
        const char *names[] = {"t", "u"};
        catalog_snapshot *prev = catalog_snapshot_take(c, names, 2);
        lines l;
        CHECK_INT(0, snapshot_step(c, names, 2, &prev, "SELECT 1;", &l));
        CHECK_INT(2, snapshot_step(c, names, 2, &prev,
                                   "ALTER TABLE t RENAME CONSTRAINT c_pos TO c_positive;", &l));
        CHECK_STR("constraint c_pos on table t is absent, was CHECK (c > 0)", l.text[0]);
        CHECK_STR("constraint c_positive on table t exists (CHECK (c > 0)), was absent", l.text[1]);
        CHECK_INT(1, snapshot_step(c, names, 2, &prev,
                                   "ALTER TABLE t ADD CONSTRAINT t_id_fkey FOREIGN KEY (id) "
                                   "REFERENCES r (id) ON DELETE CASCADE NOT VALID;",
                                   &l));
        CHECK_STR("constraint t_id_fkey on table t exists (FOREIGN KEY (id) REFERENCES r (id) ON "
                  "DELETE CASCADE NOT VALID), was absent",
                  l.text[0]);
        CHECK_INT(1, snapshot_step(c, names, 2, &prev,
                                   "ALTER TABLE t VALIDATE CONSTRAINT t_id_fkey;", &l));
        CHECK_STR("constraint t_id_fkey on table t is FOREIGN KEY (id) REFERENCES r (id) ON DELETE "
                  "CASCADE, was FOREIGN KEY (id) REFERENCES r (id) ON DELETE CASCADE NOT VALID",
                  l.text[0]);
        /* The referenced table and its column. */
        CHECK_INT(2, snapshot_step(c, names, 2, &prev, "ALTER TABLE r RENAME TO r2;", &l));
        CHECK_STR(
            "constraint t_id_fkey on table t is FOREIGN KEY (id) REFERENCES r2 (id) ON DELETE "
            "CASCADE, was FOREIGN KEY (id) REFERENCES r (id) ON DELETE CASCADE",
            l.text[0]);
        CHECK_INT(2,
                  snapshot_step(c, names, 2, &prev, "ALTER TABLE r2 RENAME COLUMN id TO key;", &l));
        CHECK_STR("constraint t_rid_fkey on table t is FOREIGN KEY (rid) REFERENCES r2 (key), was "
                  "FOREIGN KEY (rid) REFERENCES r2 (id)",
                  l.text[1]);
        /* An index's key and INCLUDE columns, its name, its table's name. */
        CHECK(snapshot_step(c, names, 2, &prev, "ALTER TABLE t RENAME COLUMN c TO d;", &l) >= 2);
        CHECK_STR("index t_c is btree ON t (d) INCLUDE (id) WHERE (d > 1), was btree ON t (c) "
                  "INCLUDE (id) WHERE (c > 1)",
                  l.text[l.n - 1]);
        CHECK(snapshot_step(c, names, 2, &prev, "ALTER TABLE t RENAME COLUMN id TO ident;", &l) >=
              2);
        CHECK_STR("index t_c is btree ON t (d) INCLUDE (ident) WHERE (d > 1), was btree ON t (d) "
                  "INCLUDE (id) WHERE (d > 1)",
                  l.text[l.n - 1]);
        CHECK_INT(2, snapshot_step(c, names, 2, &prev, "ALTER INDEX t_c RENAME TO t_d;", &l));
        CHECK_STR("index t_c is absent, was btree ON t (d) INCLUDE (ident) WHERE (d > 1)",
                  l.text[0]);
        CHECK(snapshot_step(c, names, 2, &prev, "ALTER TABLE t RENAME TO u;", &l) >= 4);
        /* A clone's constraints and indexes start without the kept lines,
         * which are in the first catalog's arena, freed here. */
        catalog *copy = catalog_clone(c);
        catalog_snapshot_free(prev);
        catalog_free(c);
        prev = catalog_snapshot_take(copy, names, 2);
        CHECK_INT(2, snapshot_step(copy, names, 2, &prev, "ALTER INDEX t_d RENAME TO t_e;", &l));
        catalog_snapshot_free(prev);
        catalog_free(copy);
    }
}

/* DROP's dependents come from a reverse index (src/catalog/refs.c) that a
 * clone and the cache's loader rebuild: the same drops on the catalog, its
 * clone and its stored copy find the same dependents. */
static void drop_through_copies(catalog *c, const char *which)
{
    conflicts k;
    memset(&k, 0, sizeof k);
    apply_sql(c, "down.sql",
              "DROP SEQUENCE shared_seq;\n"
              "DROP TABLE users;\n"
              "ALTER TABLE users DROP COLUMN email;\n"
              "DROP TABLE m;\n"
              "DROP TABLE users CASCADE;",
              &k);
    int failed = unit_failed_now;
    CHECK_INT(3, k.n);
    CHECK_STR("cannot drop sequence shared_seq: default value for column orders.id depends on it",
              k.msg[0]);
    CHECK_STR("cannot drop table users: constraint orders_user_id_fkey on table orders depends on "
              "it",
              k.msg[1]);
    CHECK_STR("cannot drop column users.email: view v depends on it", k.msg[2]);
    CHECK(!catalog_find_table(c, NULL, "m_2024"));
    CHECK(!catalog_find_index(c, NULL, "m_2024_at_idx"));
    CHECK(!catalog_find_table(c, NULL, "v"));
    CHECK(!catalog_find_sequence(c, NULL, "users_id_seq"));
    CHECK(catalog_find_sequence(c, NULL, "shared_seq"));
    CHECK_INT(0, catalog_find_table(c, NULL, "orders")->nconstraints);
    if (unit_failed_now && !failed)
        printf("  (in the %s catalog)\n", which);
}

static void reverse_index(void)
{
    TEST("catalog: a renamed constraint frees its old name for the next generated one")
    {
        conflicts k;
        catalog *c = replay("CREATE TABLE t (a int CHECK (a > 0), b int UNIQUE);\n"
                            "ALTER TABLE t RENAME CONSTRAINT t_a_check TO x;\n"
                            "ALTER TABLE t ADD CHECK (a < 10);\n"
                            "ALTER INDEX t_b_key RENAME TO y;\n"
                            "ALTER TABLE t ADD UNIQUE (b);",
                            &k);
        CHECK_INT(0, k.n);
        CHECK(con(c, "t", "x") && con(c, "t", "y"));
        CHECK(con(c, "t", "t_a_check") && !con(c, "t", "t_a_check1"));
        CHECK(con(c, "t", "t_b_key") && !con(c, "t", "t_b_key1"));
        catalog_free(c);
    }
    TEST("catalog: DROP finds the same dependents in a clone and in the cache's copy")
    {
        conflicts k;
        catalog *c = replay(
            "CREATE TABLE users (id serial PRIMARY KEY, email text);\n"
            "CREATE SEQUENCE shared_seq;\n"
            "CREATE TABLE orders (id int DEFAULT nextval('shared_seq'), user_id int REFERENCES "
            "users);\n"
            "CREATE VIEW v AS SELECT email FROM users;\n"
            "CREATE TABLE m (id int, at date) PARTITION BY RANGE (at);\n"
            "CREATE INDEX m_at ON m (at);\n"
            "CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO "
            "('2025-01-01');",
            &k);
        CHECK_INT(0, k.n);
        char *bytes;
        size_t len;
        catalog_save(c, &bytes, &len);
        catalog *loaded = catalog_load(bytes, len);
        catalog *cloned = catalog_clone(c);
        CHECK(loaded != NULL);
        drop_through_copies(cloned, "clone");
        if (loaded)
            drop_through_copies(loaded, "loaded");
        drop_through_copies(c, "replayed");
        free(bytes);
        catalog_free(loaded);
        catalog_free(cloned);
        catalog_free(c);
    }
}

/* A type name is stored once per catalog, whatever the number of columns
 * that have it (a large file's 9,000 columns share a few dozen names). */
static void type_names_shared(void)
{
    TEST("catalog: a type name is stored once, whatever the columns that have it")
    {
        conflicts k;
        catalog *c = replay("CREATE TABLE a (x bigint, y varchar(20), z varchar(20)[]);\n"
                            "CREATE TABLE b (x bigint, y varchar(20), z varchar(20)[], w text);",
                            &k);
        CHECK_INT(0, k.n);
        CHECK_STR("character varying(20)[]", type_of(c, "b", "z"));
        CHECK(type_of(c, "a", "x") == type_of(c, "b", "x"));
        CHECK(type_of(c, "a", "y") == type_of(c, "b", "y"));
        CHECK(type_of(c, "a", "z") == type_of(c, "b", "z"));
        CHECK(type_of(c, "a", "y") != type_of(c, "a", "z"));
        catalog_free(c);
    }
    TEST("catalog: a built-in type name resolved again gives the same answer (types.c's memo)")
    {
        conflicts k;
        catalog *c =
            replay("CREATE TABLE a (x int, y int[], z int, w int4[], v serial, u pg_catalog.int4,\n"
                   "  t timestamptz, s timestamptz(3), r timestamptz[], q varchar,\n"
                   "  p varchar(5), o varchar[], n serial);\n"
                   "CREATE TYPE int AS ENUM ('a');\n"
                   "CREATE TABLE b (x public.int, y int);",
                   &k);
        CHECK_INT(0, k.n);
        CHECK_STR("integer", type_of(c, "a", "x"));
        CHECK_STR("integer[]", type_of(c, "a", "y"));
        CHECK_STR("integer", type_of(c, "a", "z"));
        CHECK_STR("integer[]", type_of(c, "a", "w"));
        CHECK_STR("integer", type_of(c, "a", "v"));
        CHECK_STR("integer", type_of(c, "a", "u"));
        CHECK_STR("timestamp with time zone", type_of(c, "a", "t"));
        CHECK_STR("timestamp(3) with time zone", type_of(c, "a", "s"));
        CHECK_STR("timestamp with time zone[]", type_of(c, "a", "r"));
        CHECK_STR("character varying", type_of(c, "a", "q"));
        CHECK_STR("character varying(5)", type_of(c, "a", "p"));
        CHECK_STR("character varying[]", type_of(c, "a", "o"));
        CHECK_STR("nextval('a_n_seq'::regclass)", col(c, "a", "n")->default_expr);
        CHECK_STR("nextval('a_v_seq'::regclass)", col(c, "a", "v")->default_expr);
        CHECK(col(c, "a", "x")->user_type == NULL);
        CHECK(col(c, "b", "x")->user_type != NULL);
        CHECK_STR("integer", type_of(c, "b", "y"));
        catalog_free(c);
    }
}

void unit_suite_catalog(void)
{
    type_names_shared();
    types_and_defaults();
    generated_names();
    alter_table();
    renames();
    drops();
    enums_and_misc();
    conflicts_and_views();
    clone_and_diff();
    definitions_and_snapshots();
    snapshot_memos();
    snapshot_memos_keys();
    reverse_index();
}
