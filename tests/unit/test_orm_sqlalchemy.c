/* test_orm_sqlalchemy.c - the SQLAlchemy extractor (src/orm/sqlalchemy.c):
 * exact models of the fixtures under fixtures/orm/sqlalchemy, and the
 * oracle: SQLAlchemy's own PostgreSQL DDL for the same models (Debian's
 * python3-sqlalchemy, tests/orm/sqlalchemy_ddl.py) replays to the same
 * columns, types, nullability and defaults. */
#include "orm_test.h"

#define DIR "fixtures/orm/sqlalchemy/"

void unit_suite_orm_sqlalchemy(void)
{
    static char out[1 << 14];
    TEST("orm sqlalchemy: Core Table(), schema=, UniqueConstraint, module-level Index")
    {
        orm_test_print(orm_extract_sqlalchemy, "sqlalchemy", DIR "core.py", out, sizeof out);
        CHECK_STR("table billing.accounts @8:12\n"
                  "  id bigserial NOT NULL PK @11:5\n"
                  "  email varchar(255) NOT NULL UNIQUE @12:5\n"
                  "  balance numeric(12, 2) DEFAULT 0 @13:5\n"
                  "  active boolean NOT NULL DEFAULT 't' @14:5\n"
                  "  prefs jsonb @15:5\n"
                  "table invoices @19:12\n"
                  "  id serial NOT NULL PK @22:5\n"
                  "  account_id bigint NOT NULL FK billing.accounts(id) ON DELETE cascade @23:5\n"
                  "  number varchar(40) NOT NULL @25:5\n"
                  "  note text @26:5\n"
                  "  issued_at timestamp with time zone NOT NULL @27:5\n"
                  "  unique uq_invoices_account_number (account_id,number) @28:5\n"
                  "  index ix_invoices_issued (issued_at) @31:1\n",
                  out);
    }
    TEST("orm sqlalchemy: declarative classes, mixins, enums, __table_args__, single-table "
         "inheritance, column_property, Column(None, ForeignKey)")
    {
        orm_test_print(orm_extract_sqlalchemy, "sqlalchemy", DIR "declarative.py", out, sizeof out);
        CHECK_STR("enum mood happy,sad @11:1\n"
                  "enum user_role admin,member @27:19\n"
                  "table app.users @20:1\n"
                  "  created_at timestamp without time zone NOT NULL DEFAULT now() @17:5\n"
                  "  id serial NOT NULL PK @24:5\n"
                  "  display_name varchar(100) @25:5\n"
                  "  mood mood NOT NULL @26:5\n"
                  "  role user_role DEFAULT 'member' @27:5\n"
                  "  index ix_app_users_display_name (display_name) @25:5\n"
                  "  index ix_users_name_lower (display_name) @22:23\n"
                  "table posts @31:1\n"
                  "  id serial NOT NULL PK @34:5\n"
                  "  author_id integer FK app.users(id) ON DELETE set null @35:5\n"
                  "  body text NOT NULL @36:5\n"
                  "  published boolean @37:5\n"
                  "table post_tags @41:1\n"
                  "  post_id integer NOT NULL FK posts(id) @44:5\n"
                  "  tag varchar(30) NOT NULL @45:5\n"
                  "  pk post_id,tag\n"
                  "table documents @48:1\n"
                  "  id serial NOT NULL PK @50:5\n"
                  "  kind varchar(20) @51:5\n"
                  "  total integer @57:5\n"
                  "table revisions @60:1\n"
                  "  id integer NOT NULL PK FK documents(id) @62:5\n"
                  "  note text @63:5\n",
                  out);
    }
    TEST("orm sqlalchemy: 2.0 Mapped[] with Optional and | None, inferred types, notes")
    {
        orm_test_print(orm_extract_sqlalchemy, "sqlalchemy", DIR "mapped.py", out, sizeof out);
        CHECK_STR("table customers @15:1\n"
                  "  id serial NOT NULL PK @18:5\n"
                  "  email varchar(255) NOT NULL UNIQUE @19:5\n"
                  "  nickname varchar(30) @20:5\n"
                  "  bio varchar @21:5\n"
                  "  score numeric NOT NULL @22:5\n"
                  "  public_id uuid NOT NULL DEFAULT gen_random_uuid() @23:5\n"
                  "  joined timestamp without time zone NOT NULL DEFAULT now() @24:5\n"
                  "  vip boolean @25:5\n"
                  "table orders @29:1\n"
                  "  id serial NOT NULL PK @33:5\n"
                  "  customer_id integer NOT NULL FK customers(id) @34:5\n"
                  "  ref varchar(20) NOT NULL @35:5\n"
                  "  placed_on date NOT NULL @36:5\n"
                  "  unique - (customer_id,ref) @31:23\n"
                  "note " DIR "mapped.py:45:21 __tablename__ of Dynamic is not a string "
                  "literal; table skipped\n",
                  out);
    }
    TEST("orm sqlalchemy: the model matches SQLAlchemy's own PostgreSQL DDL (oracle)")
    {
        /* Debian's python3-sqlalchemy is 1.4: the 2.0 mapped_column fixture
         * cannot be compiled by it, so the oracle covers Core and Column. */
        char *ddl = oracle_run("PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 "
                               "tests/orm/sqlalchemy_ddl.py " DIR " core declarative");
        CHECK(ddl != NULL);
        if (ddl) {
            arena *a = arena_new();
            orm_schema s;
            orm_schema_init(&s, a, "sqlalchemy");
            const char *paths[] = {DIR "core.py", DIR "declarative.py"};
            CHECK(orm_test_extract(orm_extract_sqlalchemy, &s, paths, 2));
            CHECK_INT(7, s.ntables);
            oracle_compare(&s, ddl, out, sizeof out);
            CHECK_STR("", out);
            orm_schema_free(&s);
            arena_free(a);
            free(ddl);
        }
    }
    TEST("orm sqlalchemy: Annotated aliases and type_annotation_map")
    {
        arena *a = arena_new();
        orm_schema s;
        orm_schema_init(&s, a, "sqlalchemy");
        const char *src =
            "intpk = Annotated[int, mapped_column(primary_key=True)]\n"
            "str50 = Annotated[str, 50]\n"
            "user_fk = Annotated[int, mapped_column(ForeignKey('users.id', ondelete='CASCADE'))]\n"
            "class Base(DeclarativeBase):\n"
            "    type_annotation_map = {str50: String(50), dict: JSONB}\n"
            "class User(Base):\n"
            "    __tablename__ = 'users'\n"
            "    id: Mapped[intpk]\n"
            "    name: Mapped[Optional[str50]]\n"
            "    prefs: Mapped[dict] = mapped_column(server_default=text(\"'{}'\"))\n"
            "    boss_id: Mapped[Optional[user_fk]]\n"
            "    other: Mapped[Frob]\n";
        orm_extract_sqlalchemy(&s, "m.py", src, strlen(src));
        orm_print(&s, out, sizeof out);
        CHECK_STR("table users @6:1\n"
                  "  id serial NOT NULL PK @8:5\n"
                  "  name varchar(50) @9:5\n"
                  "  prefs jsonb NOT NULL DEFAULT '{}' @10:5\n"
                  "  boss_id integer FK users(id) ON DELETE cascade @11:5\n"
                  "  other (null) NOT NULL @12:5\n" /* kept: it exists, its type is not compared */
                  "note m.py:12:12 Mapped[Frob] has no type SQLAlchemy infers by default; its type "
                  "is not compared\n",
                  out);
        orm_schema_free(&s);
        arena_free(a);
    }
}
