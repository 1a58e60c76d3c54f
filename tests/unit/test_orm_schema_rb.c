/* test_orm_schema_rb.c - the ActiveRecord db/schema.rb extractor
 * (src/orm/schema_rb.c): the exact model of fixtures/orm/rails/db/schema.rb
 * (Rails 7.1 dumper style), and the Rails version rule for datetime
 * precision. */
#include "orm_test.h"

void unit_suite_orm_schema_rb(void)
{
    static char out[1 << 14];
    TEST("orm schema.rb: create_table, column types and options, indexes, FKs, enums")
    {
        orm_test_print(orm_extract_schema_rb, "schema_rb", "fixtures/orm/rails/db/schema.rb", out,
                       sizeof out);
        CHECK_STR("enum mood happy,sad @10:3\n"
                  "table users @12:3\n"
                  "  id bigserial NOT NULL PK @12:3\n"
                  "  email varchar NOT NULL @13:5\n"
                  "  name varchar(100) @14:5\n"
                  "  age smallint @15:5\n"
                  "  admin boolean NOT NULL DEFAULT false @16:5\n"
                  "  balance numeric(12, 2) DEFAULT '0.0' @17:5\n"
                  "  prefs jsonb DEFAULT '{}' @18:5\n"
                  "  mood mood DEFAULT 'happy' @19:5\n"
                  "  tags varchar[] DEFAULT '{}' @20:5\n"
                  "  confirmed_at timestamp without time zone @21:5\n"
                  "  created_at timestamp(6) without time zone NOT NULL @22:5\n"
                  "  updated_at timestamp(6) without time zone NOT NULL @23:5\n"
                  "  unique index_users_on_email (email) @24:5\n"
                  "table posts @28:3\n"
                  "  id uuid NOT NULL PK DEFAULT gen_random_uuid() @28:3\n"
                  "  user_id bigint NOT NULL @29:5\n"
                  "  body text @30:5\n"
                  "  views integer DEFAULT 0 @31:5\n"
                  "  created_at timestamp(6) without time zone NOT NULL @32:5\n"
                  "  updated_at timestamp(6) without time zone NOT NULL @32:5\n"
                  "  index index_posts_on_user_id (user_id) @33:5\n"
                  "  fk - (user_id) users(id) ON DELETE cascade @46:3\n"
                  "table categories_posts @36:3\n"
                  "  category_id bigint NOT NULL @37:5\n"
                  "  post_id uuid NOT NULL @38:5\n"
                  "  unique index_categories_posts (category_id,post_id) @39:5\n"
                  "  fk - (category_id) categories(id) @47:3\n"
                  "  fk fk_cp_post (post_id) posts(id) @48:3\n"
                  "table categories @42:3\n"
                  "  id serial NOT NULL PK @42:3\n"
                  "  title varchar @43:5\n"
                  "note fixtures/orm/rails/db/schema.rb:25:5 index on an expression is not "
                  "modelled; index skipped\n",
                  out);
    }
    TEST("orm schema.rb: before Rails 7 datetime has no precision; references; unknown types")
    {
        arena *a = arena_new();
        orm_schema s;
        orm_schema_init(&s, a, "schema_rb");
        const char *src = "ActiveRecord::Schema.define(version: 2019_01_01_000000) do\n"
                          "  create_table \"events\", id: :integer do |t|\n"
                          "    t.datetime \"at\", null: false\n"
                          "    t.references \"owner\", foreign_key: true, index: false\n"
                          "    t.geometry \"area\"\n"
                          "    execute \"x\"\n"
                          "    t.check_constraint \"at > now()\"\n"
                          "    t.unique_constraint [\"at\"], name: \"u_at\"\n"
                          "  end\n"
                          "  create_table table_name do |t|\n"
                          "  end\n"
                          "end\n";
        orm_extract_schema_rb(&s, "db/schema.rb", src, strlen(src));
        orm_print(&s, out, sizeof out);
        CHECK_STR("table events @2:3\n"
                  "  id integer NOT NULL PK @2:3\n"
                  "  at timestamp without time zone NOT NULL @3:5\n"
                  "  owner_id bigint FK owners(id) @4:5\n"
                  "  unique u_at (at) @8:5\n"
                  "note db/schema.rb:5:5 column type geometry is not known to the schema.rb "
                  "extractor; column skipped\n"
                  "note db/schema.rb:6:5 statement in create_table is not a column call; skipped\n"
                  "note db/schema.rb:10:3 create_table name is not a literal; table skipped\n",
                  out);
        orm_schema_free(&s);
        arena_free(a);
    }
}
