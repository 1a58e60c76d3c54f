/* test_orm_django.c - the Django extractor (src/orm/django.c): the exact
 * model of fixtures/orm/django/blog/models.py (app label "blog" from the
 * folder), and the oracle: the CREATE TABLE statements Django 3.2's own
 * PostgreSQL schema editor writes for the same models (Debian's
 * python3-django, tests/orm/django_ddl.py, no database) replay to the same
 * tables, columns, types and nullability. */
#include "orm_test.h"

#define MODELS "fixtures/orm/django/blog/models.py"

static size_t count_creates(const char *sql)
{
    size_t n = 0;
    for (const char *p = sql; (p = strstr(p, "CREATE TABLE")); p++)
        n++;
    return n;
}

void unit_suite_orm_django(void)
{
    static char out[1 << 14];
    TEST("orm django: models, abstract base, FKs, M2M join table, Meta options, locations")
    {
        orm_test_print(orm_extract_django, "django", MODELS, out, sizeof out);
        CHECK_STR("table blog_author @12:1\n"
                  "  id bigserial NOT NULL PK @12:1\n"
                  "  created timestamp with time zone NOT NULL @6:5\n"
                  "  name varchar(100) NOT NULL @13:5\n"
                  "  email varchar(254) NOT NULL UNIQUE @14:5\n"
                  "  bio text NOT NULL @15:5\n"
                  "  karma integer NOT NULL @16:5\n"
                  "  index - (name) @13:5\n"
                  "  index - (name) @13:5\n"
                  "  index - (email) @14:5\n"
                  "table posts @19:1\n"
                  "  id bigserial NOT NULL PK @19:1\n"
                  "  created timestamp with time zone NOT NULL @6:5\n"
                  "  author_id bigint NOT NULL FK blog_author(id) @20:5\n"
                  "  editor_id bigint FK blog_author(id) @21:5\n"
                  "  title varchar(200) NOT NULL @23:5\n"
                  "  slug varchar(50) NOT NULL @24:5\n"
                  "  price numeric(8, 2) @25:5\n"
                  "  data jsonb @26:5\n"
                  "  published boolean NOT NULL @27:5\n"
                  "  index - (author_id) @20:5\n"
                  "  index - (editor_id) @21:5\n"
                  "  index - (slug) @24:5\n"
                  "  index - (slug) @24:5\n"
                  "  unique - (author_id,slug) @31:28\n"
                  "  index post_title_idx (title) @32:20\n"
                  "table blog_tag @35:1\n"
                  "  code varchar(20) NOT NULL PK @36:5\n"
                  "  uid uuid NOT NULL @37:5\n"
                  "  index - (code) @36:5\n"
                  "table blog_profile @40:1\n"
                  "  id serial NOT NULL PK @41:5\n"
                  "  author_id bigint NOT NULL UNIQUE FK blog_author(id) @42:5\n"
                  "  owner_id integer NOT NULL FK auth_user(id) @43:5\n"
                  "  score_ratio double precision NOT NULL @45:5\n"
                  "  index - (owner_id) @43:5\n"
                  "table blog_profile_tags @44:5\n"
                  "  id bigserial NOT NULL PK @44:5\n"
                  "  profile_id integer NOT NULL FK blog_profile(id) @44:5\n"
                  "  tag_id varchar(20) NOT NULL FK blog_tag(code) @44:5\n"
                  "  index - (profile_id) @44:5\n"
                  "  index - (tag_id) @44:5\n"
                  "  index - (tag_id) @44:5\n"
                  "  unique - (profile_id,tag_id) @44:5\n",
                  out);
    }
    TEST("orm django: the model matches Django's own PostgreSQL DDL (oracle)")
    {
        char *ddl = oracle_run("PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 tests/orm/django_ddl.py "
                               "fixtures/orm/django blog");
        CHECK(ddl != NULL);
        if (ddl) {
            arena *a = arena_new();
            orm_schema s;
            orm_schema_init(&s, a, "django");
            const char *paths[] = {MODELS};
            CHECK(orm_test_extract(orm_extract_django, &s, paths, 1));
            CHECK_INT(count_creates(ddl), s.ntables);
            oracle_compare(&s, ddl, out, sizeof out);
            CHECK_STR("", out);
            orm_schema_free(&s);
            arena_free(a);
            free(ddl);
        }
    }
    TEST("orm django: no app folder, computed db_table and unknown fields are notes")
    {
        arena *a = arena_new();
        orm_schema s;
        orm_schema_init(&s, a, "django");
        const char *src = "class A(models.Model):\n"
                          "    x = models.CharField(max_length=10)\n"
                          "class B(models.Model):\n"
                          "    y = MyCustomField()\n"
                          "    z = models.ForeignKey('other.Thing', on_delete=models.CASCADE)\n"
                          "    class Meta:\n"
                          "        db_table = prefix + 'b'\n";
        orm_extract_django(&s, "models.py", src, strlen(src));
        orm_print(&s, out, sizeof out);
        CHECK_STR("note models.py:1:1 A: no app folder to name the table after; model skipped\n"
                  "note models.py:3:1 B: Meta.db_table is not a string literal; model skipped\n",
                  out);
        orm_schema_free(&s);
        orm_schema_init(&s, a, "django");
        src = "class C(models.Model):\n"
              "    y = MyCustomField()\n"
              "    z = models.ForeignKey('other.Thing', on_delete=models.CASCADE)\n"
              "    n = models.CharField(max_length=LIMIT)\n";
        orm_extract_django(&s, "shop/models/c.py", src, strlen(src));
        orm_print(&s, out, sizeof out);
        /* unreadable types: the columns are there, typed NULL (not compared);
         * 'other.Thing' has the implicit id of its app, no note */
        CHECK_STR("table shop_c @1:1\n"
                  "  id bigserial NOT NULL PK @1:1\n"
                  "  y (null) NOT NULL @2:5\n"
                  "  z_id bigint NOT NULL FK other_thing(id) @3:5\n"
                  "  n (null) NOT NULL @4:5\n"
                  "  index - (z_id) @3:5\n"
                  "note shop/models/c.py:2:9 field type MyCustomField is not known to the Django "
                  "extractor: its type is not compared, nor the columns only the migrations have "
                  "on this table (it may add some)\n"
                  "note shop/models/c.py:4:37 max_length is not a literal; its type is not "
                  "compared\n",
                  out);
        orm_schema_free(&s);
        arena_free(a);
    }
    TEST("orm django: a foreign key waiting for another file does not outlive its schema")
    {
        /* The second schema lives at the first one's address, in a new
         * arena: what the first left pending (in the freed arena) must not
         * be read (found by fuzz_orm: heap-use-after-free in link_pending). */
        orm_schema s;
        const char *src = "class C(models.Model):\n"
                          "    z = models.ForeignKey('other.Thing', on_delete=models.CASCADE)\n";
        arena *a = arena_new();
        orm_schema_init(&s, a, "django");
        orm_extract_django(&s, "shop/models.py", src, strlen(src));
        orm_schema_free(&s);
        arena_free(a);
        a = arena_new();
        orm_schema_init(&s, a, "django");
        src = "class Thing(models.Model):\n"
              "    code = models.CharField(max_length=10, primary_key=True)\n";
        orm_extract_django(&s, "other/models.py", src, strlen(src));
        orm_print(&s, out, sizeof out);
        CHECK_STR("table other_thing @1:1\n"
                  "  code varchar(10) NOT NULL PK @2:5\n"
                  "  index - (code) @2:5\n",
                  out);
        orm_schema_free(&s);
        arena_free(a);
    }
}
