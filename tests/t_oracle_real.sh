# t_oracle_real.sh - defects tools/pg-oracle found on real migration folders
# (issue 17, /work/oracle/findings.md), each as a small fixture modelled on
# the real files; every expectation here is what PostgreSQL 15 does.

mig() { mkdir -p m && printf '%b' "$2" >"m/$1"; }

# cratesio 2017-10-06-234455_fix_local_dbs_unique_gh_login: an up step whose
# statements are all no-ops on the schema (the index exists, the constraint
# and the other index are gone) changes nothing; its empty down step is right.
test_empty_down_quiet_when_up_step_is_a_no_op() {
    mig 001_users.up.sql 'CREATE TABLE users (id int, gh_login text);\nCREATE INDEX index_users_gh_login ON users (gh_login);\n'
    mig 001_users.down.sql 'DROP TABLE users;\n'
    mig 002_fix.up.sql "SET lock_timeout = '2s';\nCREATE INDEX IF NOT EXISTS index_users_gh_login ON users (gh_login);\nALTER TABLE users DROP CONSTRAINT IF EXISTS unique_gh_login;\nDROP INDEX IF EXISTS lower_gh_login;\n"
    mig 002_fix.down.sql '-- This file intentionally left blank; see the corresponding up.sql\n'
    # The same with a real change: still reported.
    mig 003_real.up.sql "SET lock_timeout = '2s';\nCREATE INDEX IF NOT EXISTS index_users_id ON users (id);\n"
    mig 003_real.down.sql '-- nothing\n'
    # hatchet v1_0_22: a DO block the replay cannot follow (a loop) may change
    # the schema although the replay saw nothing: still reported.
    mig 004_do.up.sql "DO \$\$\nBEGIN\n  FOR i IN 1..2 LOOP\n    EXECUTE format('CREATE TABLE t%s (id int)', i);\n  END LOOP;\nEND \$\$;\n"
    mig 004_do.down.sql '-- nothing\n'
    # hatchet v1_0_68: a DO block the replay follows whole (an IF NOT EXISTS
    # guard) and ADD COLUMN IF NOT EXISTS of what exists: a no-op, quiet.
    mig 006_guard.up.sql "DO \$\$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'ui') THEN\n    CREATE TYPE ui AS ENUM ('V0', 'V1');\n  END IF;\nEND \$\$;\nSET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN IF NOT EXISTS id int;\n"
    mig 006_guard.down.sql '-- left empty on purpose\n'
    mig 005_type.up.sql "CREATE TYPE ui AS ENUM ('V0', 'V1');\n"
    mig 005_type.down.sql 'DROP TYPE ui;\n'
    ml check --format gcc m
    expect_no_out "002_fix.down.sql"
    expect_out "m/003_real.down.sql:1:1: warning: the down step of migration 003_real.up.sql is empty [empty-down]"
    expect_out "m/004_do.down.sql:1:1: warning: the down step of migration 004_do.up.sql is empty [empty-down]"
    expect_no_out "006_guard.down.sql"
}

# F13, cratesio 20170322130523_version_downloads_needs_no_id: PostgreSQL
# rebuilds an index on a retyped column from its text, so a cast to the new
# type vanishes: `date(date)` is `(date)` once the column is a date, and
# stays so when the down step changes the type back (checked on PG 15).
test_index_cast_to_new_column_type_vanishes() {
    mig 001_t.up.sql 'CREATE TABLE vd (id int, date timestamp, n int);\nCREATE INDEX vd_date ON vd (date(date));\nCREATE INDEX vd_n ON vd ((n::numeric));\n'
    mig 001_t.down.sql 'DROP TABLE vd;\n'
    mig 002_ty.up.sql "SET lock_timeout = '2s';\nALTER TABLE vd ALTER COLUMN date TYPE date;\nALTER TABLE vd ALTER COLUMN n TYPE numeric;\n"
    mig 002_ty.down.sql "SET lock_timeout = '2s';\nALTER TABLE vd ALTER COLUMN date TYPE timestamp;\nALTER TABLE vd ALTER COLUMN n TYPE int;\n"
    # Recreating the index as it now is reverses.
    mig 003_ix.up.sql "SET lock_timeout = '2s';\nDROP INDEX vd_date;\n"
    mig 003_ix.down.sql "CREATE INDEX vd_date ON vd (date);\n"
    ml check --format gcc --disable-rule non-concurrent-index --disable-rule non-concurrent-drop-index --disable-rule alter-column-type m
    expect_out "m/002_ty.down.sql:1:1: warning: after up and down, index vd_date is btree ON vd (date), was btree ON vd (date(date)) [down-does-not-reverse]"
    expect_out "m/002_ty.down.sql:1:1: warning: after up and down, index vd_n is btree ON vd (n), was btree ON vd ((n)::numeric) [down-does-not-reverse]"
    expect_no_out "003_ix.down.sql"
}

# measure 20260604103948_alter_apps_table, fider content_moderation (F3): a
# DO block's `IF EXISTS (<catalog query naming x>) THEN <alter or drop x>`
# runs exactly when x exists; PostgreSQL dropped the constraint and set the
# column NOT NULL, the replay kept both as they were.
test_do_block_if_exists_guard_is_followed() {
    mig 001_a.up.sql "CREATE TABLE apps (id int, os_name varchar(256) CONSTRAINT apps_platform_check CHECK (os_name IN ('ios', 'android')));\nCREATE TABLE posts (id int, is_approved boolean);\n"
    mig 002_b.up.sql "DO \$\$\nBEGIN\n    IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'apps_platform_check' AND conrelid = 'apps'::regclass) THEN\n        ALTER TABLE apps DROP CONSTRAINT apps_platform_check;\n    END IF;\n    IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'posts' AND column_name = 'is_approved') THEN\n        ALTER TABLE posts ALTER COLUMN is_approved SET NOT NULL;\n    END IF;\n    -- not a guard over the catalogs: not followed\n    IF EXISTS (SELECT 1 FROM posts) THEN\n        ALTER TABLE posts ADD COLUMN seen boolean;\n    END IF;\nEND \$\$;\n"
    ml schema m
    expect_rc 0
    python3 - "$OUT" <<'PY' || fail "schema: ${OUT:0:1500}"
import json, sys
t = json.loads(sys.argv[1])["tables"]
assert "apps_platform_check" not in json.dumps(t["public.apps"]), "constraint kept"
cols = {c["name"]: c for c in t["public.posts"]["columns"]}
assert cols["is_approved"]["nullable"] is False, "still nullable"
assert "seen" not in cols, "unguarded branch followed"
PY
}

# cratesio 2019-03-22-174825_remove_version_downloads_pk (F3): the down step
# recreates the column and indexes in a DO block, under `IF NOT v` where v
# holds a query over pg_index, and in the ELSE of an IF whose THEN only
# raises. PostgreSQL's round trip restores the catalog.
test_do_block_variable_guard_and_raising_branch() {
    mig 001_a.up.sql 'CREATE TABLE version_downloads (id serial PRIMARY KEY, version_id int NOT NULL, date date NOT NULL, processed boolean);\nCREATE UNIQUE INDEX version_downloads_unique ON version_downloads (version_id, date);\nCREATE UNIQUE INDEX index_version_downloads_not_processed ON version_downloads (id) WHERE processed = false;\n'
    mig 001_a.down.sql 'DROP TABLE version_downloads;\n'
    mig 002_rm.up.sql "SET lock_timeout = '2s';\nALTER TABLE version_downloads\n  DROP CONSTRAINT version_downloads_pkey,\n  ADD CONSTRAINT version_downloads_pkey PRIMARY KEY USING INDEX version_downloads_unique,\n  DROP COLUMN id;\n"
    mig 002_rm.down.sql "SET lock_timeout = '2s';\nDO \$\$\nDECLARE\n  tmp_index_exists boolean;\nBEGIN\n  tmp_index_exists := (SELECT EXISTS (\n      SELECT * FROM pg_index INNER JOIN pg_class ON pg_class.oid = pg_index.indexrelid\n        WHERE relname = 'version_downloads_tmp'\n  ));\n  IF NOT tmp_index_exists THEN\n    IF (SELECT COUNT(*) FROM version_downloads) > 1000 THEN\n      RAISE EXCEPTION 'Indexes need to be created concurrently in production';\n    ELSE\n      ALTER TABLE version_downloads ADD COLUMN id SERIAL;\n      CREATE UNIQUE INDEX version_downloads_tmp ON version_downloads (id);\n      CREATE UNIQUE INDEX version_downloads_unique ON version_downloads (version_id, date);\n      CREATE UNIQUE INDEX index_version_downloads_not_processed ON version_downloads (id) WHERE processed = false;\n    END IF;\n  END IF;\nEND \$\$;\n\nALTER TABLE version_downloads\n  DROP CONSTRAINT version_downloads_pkey,\n  ADD CONSTRAINT version_downloads_pkey PRIMARY KEY USING INDEX version_downloads_tmp;\n"
    ml check --format gcc --disable-rule drop-column m
    expect_no_out "down-does-not-reverse"
    expect_no_out "replay-conflict"
}

# F22 (hatchet v1_0_100): LOCK TABLE of a table that does not exist fails
# the migration. Said of a table the migrations built and dropped; one they
# never built may come from outside them (open world), as for any statement.
test_lock_of_missing_table_is_a_conflict() {
    mig 001_a.up.sql 'CREATE TABLE a (id int);\nCREATE TABLE a_new (id int);\n'
    mig 002_a.up.sql "SET lock_timeout = '2s';\nDROP TABLE a_new;\n"
    mig 003_b.up.sql "BEGIN;\nSET lock_timeout = '2s';\nLOCK TABLE a_new IN ACCESS EXCLUSIVE MODE;\nLOCK TABLE a IN ACCESS EXCLUSIVE MODE;\nLOCK TABLE elsewhere.x;\nCOMMIT;\n"
    ml check --format gcc --disable-rule drop-table m
    expect_out "m/003_b.up.sql:3:12: error: table a_new does not exist [replay-conflict]"
    expect_no_out "3_b.up.sql:4"
    expect_no_out "elsewhere"
}

# F14 (cratesio background_jobs.last_retry, oauth_github.last_sync) and F23
# (lemmy local_user.last_donation_notification): a date, timestamp or
# interval default is stored folded and printed in the type's output
# format; each expected text is what PostgreSQL 15 prints (pg_get_expr).
test_datetime_defaults_as_postgres_prints_them() {
    cat >001_a.sql <<'SQL'
CREATE TABLE j (
  a timestamp DEFAULT '1970-01-01',
  b timestamptz DEFAULT 'epoch'::timestamptz,
  c timestamp DEFAULT '2020-05-06 07:08',
  d timestamp DEFAULT '2020-05-06T07:08:09.500',
  e date DEFAULT '2020-01-02',
  f interval DEFAULT '12 months',
  g interval DEFAULT '1 day 2 hours',
  h interval DEFAULT '30 minutes',
  i interval DEFAULT '2 weeks',
  l interval DEFAULT '90 minutes',
  m timestamp DEFAULT 'infinity'
);
SQL
    ml schema 001_a.sql
    expect_rc 0
    python3 - "$OUT" <<'PY' || fail "schema: ${OUT:0:2000}"
import json, sys
cols = {c["name"]: c["default"] for c in json.loads(sys.argv[1])["tables"]["public.j"]["columns"]}
want = {"a": "'1970-01-01 00:00:00'::timestamp without time zone",
        "b": "'1970-01-01 00:00:00+00'::timestamp with time zone",
        "c": "'2020-05-06 07:08:00'::timestamp without time zone",
        "d": "'2020-05-06 07:08:09.5'::timestamp without time zone",
        "e": "'2020-01-02'::date", "f": "'1 year'::interval", "g": "'1 day 02:00:00'::interval",
        "h": "'00:30:00'::interval", "i": "'14 days'::interval", "l": "'01:30:00'::interval",
        "m": "'infinity'::timestamp without time zone"}
bad = {k: (cols.get(k), v) for k, v in want.items() if cols.get(k) != v}
assert not bad, bad
PY
}

# F23 (lemmy local_site.registration_mode): a default stores the enum value;
# after RENAME VALUE PostgreSQL prints the new label.
test_enum_rename_value_renames_defaults() {
    cat >001_a.sql <<'SQL'
CREATE TYPE registration_mode_enum AS ENUM ('Closed', 'RequireApplication', 'Open');
CREATE TABLE local_site (id int, registration_mode registration_mode_enum DEFAULT 'RequireApplication' NOT NULL, other registration_mode_enum DEFAULT 'Open');
ALTER TYPE registration_mode_enum RENAME VALUE 'RequireApplication' TO 'require_application';
SQL
    ml schema 001_a.sql
    expect_rc 0
    expect_out "\"'require_application'::registration_mode_enum\""
    expect_out "\"'Open'::registration_mode_enum\""
}

# F21 (hatchet uuidrange): CREATE TYPE ... AS RANGE creates the range's and
# its multirange's constructor functions (names as PostgreSQL 15 lists them).
test_range_type_constructor_functions() {
    printf "CREATE TYPE uuidrange AS RANGE (subtype = uuid);\nCREATE SCHEMA s;\nCREATE TYPE s.floatr AS RANGE (subtype = float8, multirange_type_name = s.fm);\nCREATE TYPE s.period AS RANGE (subtype = timestamp);\nDROP FUNCTION uuidrange(uuid, uuid, text);\nCREATE TYPE gone AS RANGE (subtype = int4);\nDROP TYPE gone;\n" >001_a.sql
    ml schema 001_a.sql
    expect_rc 0
    expect_out '"public.uuidmultirange()", "public.uuidmultirange(uuidrange)", "public.uuidmultirange(uuidrange[])", "public.uuidrange(uuid, uuid)", "s.floatr(double precision, double precision)"'
    expect_out '"s.fm()", "s.fm(s.floatr)", "s.fm(s.floatr[])"'
    expect_out '"s.period_multirange(s.period)"'
    expect_no_out 'uuidrange(uuid, uuid, text)'
    expect_no_out 'gone'
    expect_no_out 'does not exist'
}

# F12/F23 (lemmy 2024-02-24-034523_replaceable-schema): DROP FUNCTION a, b
# CASCADE drops the triggers that execute them; `schema` listed 29 such
# triggers PostgreSQL no longer has. Without CASCADE PostgreSQL refuses.
test_drop_trigger_function_cascade_drops_its_triggers() {
    cat >001_a.sql <<'SQL'
CREATE TABLE site (id int);
CREATE FUNCTION site_aggregates_site () RETURNS TRIGGER LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER site_aggregates_site AFTER INSERT ON site FOR EACH ROW EXECUTE PROCEDURE site_aggregates_site ();
CREATE FUNCTION was_removed () RETURNS TRIGGER LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER kept AFTER INSERT ON site FOR EACH ROW EXECUTE PROCEDURE was_removed ();
DROP FUNCTION site_aggregates_site, was_removed CASCADE;
CREATE FUNCTION g () RETURNS TRIGGER LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER uses_g AFTER INSERT ON site FOR EACH ROW EXECUTE PROCEDURE g ();
DROP FUNCTION g;
SQL
    ml schema 001_a.sql
    expect_rc 0
    expect_out '"triggers":	["uses_g"]'
    expect_err "001_a.sql:9:15: cannot drop function g: trigger uses_g on table site depends on it"
}

# measure (dbmate): the deployment's connection URL sets
# ?search_path=dbmate,measure and later migrations say `ALTER TABLE
# sdk_config` for measure.sdk_config. The config's "searchPath" says so;
# SET search_path in a migration holds until the end of its file (session).
test_search_path_from_config_and_set() {
    mkdir -p m
    printf '{"searchPath": "dbmate, measure"}\n' >.migralint.json
    printf -- "-- migrate:up\nCREATE SCHEMA IF NOT EXISTS measure;\nCREATE TABLE measure.teams (id int PRIMARY KEY);\nCREATE TABLE measure.sdk_config (team_id int REFERENCES teams (id));\nCREATE TABLE other (id int);\n-- migrate:down\nDROP TABLE measure.sdk_config;\nDROP TABLE measure.teams;\nDROP TABLE other;\n" >m/20240101000000_a.sql
    printf -- "-- migrate:up\nALTER TABLE sdk_config ADD COLUMN rate float8 NOT NULL DEFAULT 0.01;\n-- migrate:down\nALTER TABLE sdk_config DROP COLUMN rate;\n" >m/20240101000001_b.sql
    printf -- "-- migrate:up\nSET search_path TO public;\nALTER TABLE other ADD COLUMN x int;\n-- migrate:down\nALTER TABLE other DROP COLUMN x;\n" >m/20240101000002_c.sql
    ml schema m
    expect_rc 0
    python3 - "$OUT" <<'PY' || fail "schema: ${OUT:0:2000}"
import json, sys
t = json.loads(sys.argv[1])["tables"]
assert [c["name"] for c in t["measure.sdk_config"]["columns"]] == ["team_id", "rate"], t["measure.sdk_config"]
assert "measure.teams" in json.dumps(t["measure.sdk_config"]["constraints"]), "no foreign key"
assert [c["name"] for c in t["public.other"]["columns"]] == ["id", "x"]
PY
    ml check --format gcc m
    expect_no_out "does-not-reverse"
    # Without the config the tables are not found (the open world says nothing).
    rm .migralint.json
    ml schema m
    expect_err "table sdk_config does not exist"
}

# Views compared by query text (issue 17's open list): PostgreSQL stores
# `SELECT id FROM t` and `SELECT t.id FROM t` as one query, so a down step
# that re-creates the view with qualified columns restores it. A join keeps
# its qualifiers (they choose the relation).
test_view_with_qualified_columns_is_the_same_view() {
    mig 001_t.up.sql 'CREATE TABLE t (id int, x int);\nCREATE TABLE u (id int, y int);\nCREATE VIEW v AS SELECT id FROM t WHERE x > 1;\nCREATE VIEW w AS SELECT t.id FROM t JOIN u ON u.id = t.id;\n'
    mig 001_t.down.sql 'DROP VIEW w;\nDROP VIEW v;\nDROP TABLE u;\nDROP TABLE t;\n'
    mig 002_v.up.sql 'CREATE OR REPLACE VIEW v AS SELECT id FROM t WHERE x > 2;\nCREATE OR REPLACE VIEW w AS SELECT u.id FROM t JOIN u ON u.id = t.id;\n'
    mig 002_v.down.sql 'CREATE OR REPLACE VIEW v AS SELECT t.id FROM public.t AS t WHERE t.x > 1;\nCREATE OR REPLACE VIEW w AS SELECT t.id FROM t JOIN u ON u.id = t.id;\n'
    mig 003_w.up.sql 'CREATE OR REPLACE VIEW v AS SELECT id FROM t WHERE x > 3;\n'
    mig 003_w.down.sql 'CREATE OR REPLACE VIEW v AS SELECT t.id FROM t WHERE t.x > 5;\n'
    ml check --format gcc m
    expect_no_out "002_v.down.sql"
    expect_out "m/003_w.down.sql:1:1: warning: after up and down, view v is defined by another query than before the up step [down-does-not-reverse]"
}
