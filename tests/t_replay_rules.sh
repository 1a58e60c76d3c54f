# t_replay_rules.sh - rules that read the replayed catalog: what they stay
# quiet about (changes PostgreSQL makes without a rewrite, differences no
# down step can undo) and what they name (dependents, old types).

mig() { mkdir -p m && printf '%b' "$2" >"m/$1"; }

test_alter_column_type_quiet_for_precision_increases() {
    mig 001_t.up.sql 'CREATE TABLE t (id bigint, at timestamp(3), tz timestamptz(0), v varchar(10), n numeric(8,2));\n'
    mig 001_t.down.sql 'DROP TABLE t;\n'
    mig 002_widen.up.sql "SET lock_timeout = '2s';\nALTER TABLE t ALTER COLUMN at TYPE timestamp, ALTER COLUMN tz TYPE timestamptz(3),\n  ALTER COLUMN v TYPE text, ALTER COLUMN n TYPE numeric(10,2);\n"
    mig 002_widen.down.sql "SET lock_timeout = '2s';\nALTER TABLE t ALTER COLUMN at TYPE timestamp(3), ALTER COLUMN tz TYPE timestamptz(0),\n  ALTER COLUMN v TYPE varchar(10), ALTER COLUMN n TYPE numeric(8,2);\n"
    mig 003_shrink.up.sql "SET lock_timeout = '2s';\nALTER TABLE t ALTER COLUMN at TYPE timestamp(0);\nALTER TABLE t ALTER COLUMN tz TYPE timestamp;\n"
    mig 003_shrink.down.sql "SET lock_timeout = '2s';\nALTER TABLE t ALTER COLUMN at TYPE timestamp(3);\nALTER TABLE t ALTER COLUMN tz TYPE timestamptz(3);\n"
    ml check --format gcc m
    expect_no_out "002_widen.up.sql"
    # After 002 (up, as production runs it): at is timestamp, tz is timestamptz(3).
    expect_out "m/003_shrink.up.sql:2:28: error: changing t.at from timestamp without time zone to timestamp(0) without time zone"
    expect_out "m/003_shrink.up.sql:3:28: error: changing t.tz from timestamp(3) with time zone to timestamp without time zone"
}

test_down_quiet_about_validation_it_cannot_undo() {
    mig 001_t.up.sql "CREATE TABLE t (id bigint PRIMARY KEY);\nALTER TABLE t ADD CONSTRAINT t_id_positive CHECK (id > 0) NOT VALID;\n"
    mig 001_t.down.sql 'DROP TABLE t;\n'
    mig 002_more.up.sql "ALTER TABLE t VALIDATE CONSTRAINT t_id_positive;\n"
    mig 002_more.down.sql '-- a validated constraint cannot be made NOT VALID again\nSELECT 1;\n'
    ml check --format gcc m
    expect_no_out "[down-does-not-reverse]"
}

# PostgreSQL cannot drop an enum label: the down step of ADD VALUE leaves it.
# With IF NOT EXISTS the next deploy still runs the up step (a note); a plain
# ADD VALUE fails there ("enum label happy already exists"): an error.
test_down_enum_label_left_is_a_note_or_an_error_when_re_applying_fails() {
    mig 001_t.up.sql "CREATE TYPE mood AS ENUM ('sad', 'ok');\nCREATE TABLE t (id bigint PRIMARY KEY, m mood);\n"
    mig 001_t.down.sql 'DROP TABLE t;\nDROP TYPE mood;\n'
    mig 002_glad.up.sql "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'glad';\n"
    mig 002_glad.down.sql '-- PostgreSQL cannot drop an enum label\nSELECT 1;\n'
    mig 003_happy.up.sql "ALTER TYPE mood ADD VALUE 'happy';\n"
    mig 003_happy.down.sql 'SELECT 1;\n'
    ml check --format json m
    python3 - "$OUT" <<'PY' || fail "json: $OUT"
import json, sys
f = [d for d in json.loads(sys.argv[1]) if d["rule"] == "down-does-not-reverse"]
assert [(d["path"], d["level"]) for d in f] == [("m/002_glad.down.sql", "note"), ("m/003_happy.down.sql", "error")], f
assert f[0]["message"] == "after up and down, type mood keeps the label 'glad' that the up step added (PostgreSQL cannot drop an enum label); re-applying the up step still works", f[0]["message"]
assert f[1]["message"] == "after up and down, type mood is enum ('sad', 'ok', 'glad', 'happy'), was enum ('sad', 'ok', 'glad'), so re-applying the up step fails: enum label happy already exists in type mood", f[1]["message"]
assert f[1]["related"][0]["path"] == "m/003_happy.up.sql" and f[1]["related"][0]["line"] == 1, f[1]["related"]
assert "IF NOT EXISTS" in f[1]["help"], f[1]["help"]
PY
    # A label that disappears is still reported, and re-applying the rename fails.
    mig 004_rename.up.sql "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';\n"
    mig 004_rename.down.sql 'SELECT 1;\n'
    ml check --format gcc m
    expect_out "m/004_rename.down.sql:1:1: error: after up and down, type mood is enum ('sad', 'fine', 'glad', 'happy'), was enum ('sad', 'ok', 'glad', 'happy'), so re-applying the up step fails: ok is not an existing label of enum mood [down-does-not-reverse]"
}

test_drop_column_names_the_view_and_points_at_it() {
    mig 001_users.sql 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n\nCREATE VIEW active_users AS SELECT id, email FROM users;\n'
    mig 002_drop.sql "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN email CASCADE;\n"
    ml check --format json m
    python3 - "$OUT" <<'PY' || fail "json: $OUT"
import json, sys
d = [f for f in json.loads(sys.argv[1]) if f["rule"] == "drop-column"][0]
assert d["message"] == "dropping column users.email; view active_users reads it, and CASCADE drops them too", d["message"]
assert d["related"] == [{"path": "m/001_users.sql", "line": 3, "column": 1, "end_line": 3,
                          "end_column": 56, "message": "view active_users reads it"}], d["related"]
assert d["risk"] == "critical"
PY
}

test_replay_conflict_only_for_objects_the_migrations_built() {
    mig 001_a.sql 'CREATE TABLE a (id int);\n'
    mig 002_a.sql 'DROP TABLE a;\n'
    mig 003_use.sql "SET lock_timeout = '2s';\nALTER TABLE a ADD COLUMN y int;\nALTER TABLE from_a_dump ADD COLUMN y int;\n"
    ml check --format gcc m
    expect_out "m/003_use.sql:2:13: error: table a does not exist [replay-conflict]"
    expect_no_out "from_a_dump does not exist"
}

test_status_lists_risk_per_migration() {
    mig 001_t.up.sql 'CREATE TABLE t (id bigint PRIMARY KEY);\n'
    mig 001_t.down.sql 'DROP TABLE t;\n'
    mig 002_idx.up.sql "SET lock_timeout = '2s';\nCREATE INDEX t_id ON t (id);\n"
    mig 003_drop.up.sql "SET lock_timeout = '2s';\nDROP TABLE t;\n"
    ml status --format json m
    python3 - "$OUT" <<'PY' || fail "status json: $OUT"
import json, sys
rows = json.loads(sys.argv[1])
assert [(r["version"], r["name"], r["framework"], r["has_down"], r["risk"]) for r in rows] == [
    ("001", "t", "golang-migrate", True, "low"),
    ("002", "idx", "golang-migrate", False, "high"),
    ("003", "drop", "golang-migrate", False, "critical")], rows
PY
    ml status m
    expect_out "m: golang-migrate"
    expect_out "  002              idx                                  no    high"
}

# The down step leaves what the up step built: the next deploy after a
# rollback runs the up step again and stops at its first failing statement.
test_down_that_breaks_the_next_deploy_is_an_error() {
    mig 001_t.up.sql 'CREATE TABLE t (id bigint PRIMARY KEY);\n'
    mig 001_t.down.sql 'DROP TABLE t;\n'
    mig 002_orders.up.sql 'CREATE TABLE orders (id bigint PRIMARY KEY);\nCREATE INDEX orders_id ON orders (id);\n'
    mig 002_orders.down.sql 'DROP INDEX orders_id;\n'
    mig 003_col.up.sql "SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN note text;\n"
    mig 003_col.down.sql 'SELECT 1;\n'
    mig 004_idx.up.sql "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_note ON t (note);\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n"
    mig 004_idx.down.sql 'DROP INDEX CONCURRENTLY t_note;\n'
    # Re-applying works: a difference, not a broken deploy.
    mig 005_ok.up.sql "SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN IF NOT EXISTS flag boolean;\n"
    mig 005_ok.down.sql 'SELECT 1;\n'
    ml check --format gcc --disable-rule non-concurrent-index m
    expect_out "m/002_orders.down.sql:1:1: error: after up and down, table orders exists, was absent, so re-applying the up step fails: table orders already exists [down-does-not-reverse]"
    expect_out "m/003_col.down.sql:1:1: error: after up and down, column t.note exists (text), was absent, so re-applying the up step fails: column note of table t already exists [down-does-not-reverse]"
    expect_out "m/004_idx.down.sql:1:1: error: after up and down, index t_id exists (btree ON t (id)), was absent, so re-applying the up step fails: "
    expect_out "m/005_ok.down.sql:1:1: warning: after up and down, column t.flag exists (boolean), was absent [down-does-not-reverse]"
    ml check --format json m
    python3 - "$OUT" <<'PY' || fail "json: $OUT"
import json, sys
d = [f for f in json.loads(sys.argv[1]) if f["rule"] == "down-does-not-reverse" and f["path"] == "m/002_orders.down.sql"]
assert len(d) == 1, d
assert d[0]["related"] == [{"path": "m/002_orders.up.sql", "line": 1, "column": 14, "end_line": 1,
    "end_column": 20, "message": "re-applied after the down step, this statement fails: table orders already exists"}], d[0]["related"]
PY
    # An empty down step that leaves the table: empty-down says the same, as an error.
    mig 006_tags.up.sql 'CREATE TABLE tags (id bigint);\n'
    mig 006_tags.down.sql '-- TODO\n'
    ml check --format gcc m
    expect_out "m/006_tags.down.sql:1:1: error: the down step of migration 006_tags.up.sql is empty, so re-applying the up step after a rollback fails: table tags already exists [empty-down]"
}

# CREATE OR REPLACE keeps the object: its body or query is what changes.
test_down_compares_function_bodies_and_view_queries() {
    mig 001_t.up.sql 'CREATE TABLE t (id int, x int);\nCREATE FUNCTION add1(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a + 1 $$;\nCREATE VIEW v AS SELECT id FROM t;\n'
    mig 001_t.down.sql 'DROP VIEW v;\nDROP FUNCTION add1(integer);\nDROP TABLE t;\n'
    mig 002_change.up.sql 'CREATE OR REPLACE FUNCTION add1(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a + 2 $$;\nCREATE OR REPLACE VIEW v AS SELECT id FROM t WHERE x > 0;\n'
    mig 002_change.down.sql 'SELECT 1;\n'
    # The down step puts the old definitions back, with other spacing, a
    # comment, other case and schema-qualified names: the same definitions.
    mig 003_back.up.sql 'CREATE OR REPLACE FUNCTION add1(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a + 3 $$;\nCREATE OR REPLACE VIEW v AS SELECT id FROM t WHERE x > 1;\n'
    mig 003_back.down.sql 'CREATE OR REPLACE FUNCTION public.add1(a integer) RETURNS integer LANGUAGE sql AS $$\n  -- as before\n  SELECT A   + 2\n$$;\nCREATE OR REPLACE VIEW public.v AS SELECT id FROM public.t WHERE x > 0;\n'
    # Created by the up step, left by the down step.
    mig 004_new.up.sql 'CREATE FUNCTION f2(a integer, OUT b text) LANGUAGE plpgsql AS $$ BEGIN b := a::text; END $$;\nCREATE PROCEDURE p1(a int) LANGUAGE sql AS $$ SELECT 1 $$;\n'
    mig 004_new.down.sql 'DROP FUNCTION f2(integer);\n'
    ml check --format gcc m
    expect_out "m/002_change.down.sql:1:1: warning: after up and down, function add1(integer) is defined differently than before the up step (its body, return type or options) [down-does-not-reverse]"
    expect_out "m/002_change.down.sql:1:1: warning: after up and down, view v is defined by another query than before the up step [down-does-not-reverse]"
    expect_no_out "003_back.down.sql"
    expect_out "m/004_new.down.sql:1:1: error: after up and down, procedure p1(integer) exists, was absent, so re-applying the up step fails: function p1(integer) already exists [down-does-not-reverse]"
    expect_no_out "function f2"
}

# A backfill has no schema change to undo: its empty or missing down step is
# the honest choice, a note.
test_data_only_migration_without_down_is_a_note() {
    mig 001_t.up.sql 'CREATE TABLE t (id bigint PRIMARY KEY, status text);\nCREATE SEQUENCE ids;\n'
    mig 001_t.down.sql 'DROP SEQUENCE ids;\nDROP TABLE t;\n'
    # Where the sequence starts is its value, as setval() sets it.
    mig 005_restart.up.sql 'ALTER SEQUENCE ids RESTART WITH 10000000;\n'
    mig 005_restart.down.sql '\n'
    # Nothing to undo at all: quiet.
    mig 006_analyze.up.sql 'ANALYZE t;\n'
    mig 006_analyze.down.sql '\n'
    mig 002_backfill.up.sql "SET statement_timeout = '5min';\nUPDATE t SET status = 'x' WHERE status IS NULL;\nINSERT INTO t (id, status) VALUES (1, 'y');\nDELETE FROM t WHERE id = 2;\n"
    mig 002_backfill.down.sql '-- the data change is not undone\n'
    mig 003_seed.up.sql "INSERT INTO t (id, status) VALUES (3, 'z');\n"
    # DDL next to the data change: still a warning.
    mig 004_mixed.up.sql "INSERT INTO t (id) VALUES (4);\nCREATE TABLE u (id int);\n"
    mig 004_mixed.down.sql '\n'
    ml check --format gcc m
    expect_out "m/002_backfill.down.sql:1:1: note: the down step of migration 002_backfill.up.sql is empty: the data change of its up step is not undone [empty-down]"
    expect_out "m/003_seed.up.sql:1:1: note: migration 003_seed.up.sql has no down step: its data change is not undone [missing-down]"
    expect_out "m/005_restart.down.sql:1:1: note: the down step of migration 005_restart.up.sql is empty: the data change of its up step is not undone [empty-down]"
    expect_out "m/004_mixed.down.sql:1:1: error: the down step of migration 004_mixed.up.sql is empty, so re-applying the up step after a rollback fails: table u already exists [empty-down]"
    expect_no_out "down-does-not-reverse"
    expect_no_out "006_analyze"
}

# PostgreSQL stores f(x) with the cast to f's argument type it adds itself:
# f((x)::numeric) and f(x) are one index expression.
test_down_index_expression_with_implicit_cast_reverses() {
    mig 001_t.up.sql 'CREATE TABLE t (id int, x int);\nCREATE FUNCTION f(a numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT a * 2 $$;\nCREATE INDEX t_f ON t (f(x));\n'
    mig 001_t.down.sql 'DROP TABLE t;\nDROP FUNCTION f(numeric);\n'
    mig 002_b.up.sql "SET lock_timeout = '2s';\nDROP INDEX t_f;\nCREATE INDEX t_f ON t (f(x), id);\n"
    # As pg_dump prints the old index.
    mig 002_b.down.sql "SET lock_timeout = '2s';\nDROP INDEX t_f;\nCREATE INDEX t_f ON public.t USING btree (public.f((x)::numeric));\n"
    mig 003_c.up.sql "SET lock_timeout = '2s';\nDROP INDEX t_f;\nCREATE INDEX t_f ON t (f(x));\n"
    mig 003_c.down.sql "SET lock_timeout = '2s';\nDROP INDEX t_f;\nCREATE INDEX t_f ON t (f((x)::integer));\n"
    ml check --format gcc --disable-rule non-concurrent-index --disable-rule non-concurrent-drop-index m
    expect_no_out "002_b.down.sql"
    # A cast to another type than f takes is a real difference.
    expect_out "m/003_c.down.sql:1:1: warning: after up and down, index t_f is btree ON t (f((x)::integer)), was btree ON t (f(x), id) [down-does-not-reverse]"
}

# A folder where no migration has a down step: the project does not roll
# back (its runner may have no down at all); a warning per file is noise.
test_missing_down_quiet_when_no_migration_has_one() {
    mig 001_a.up.sql 'CREATE TABLE a (id int);\n'
    mig 002_b.up.sql 'CREATE TABLE b (id int);\n'
    ml check --format gcc m
    expect_no_out "[missing-down]"
    mig 002_b.down.sql 'DROP TABLE b;\n'
    ml check --format gcc m
    expect_out "m/001_a.up.sql:1:1: warning: migration 001_a.up.sql has no down step [missing-down]"
}

# The down step drops a table, then its index, which went with the table:
# PostgreSQL refuses the rollback. The up step built the index, so this is
# not an object from outside the migrations (closed world): an error.
test_down_step_postgresql_refuses_is_reported() {
    mig 1_s.up.sql 'CREATE TABLE s (id int);\nCREATE INDEX s_idx ON s (id);\n'
    mig 1_s.down.sql 'DROP TABLE s;\nDROP INDEX s_idx;\n'
    ml check --format gcc m
    expect_out "m/1_s.down.sql:2:12: error: index s_idx does not exist [replay-conflict]"
}

# PostgreSQL drops argument typmods: f(varchar(20)) is f(character varying).
test_down_function_identity_ignores_argument_typmods() {
    mig 001_f.up.sql 'CREATE FUNCTION g(x varchar(20), y numeric(20,0)) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n'
    mig 001_f.down.sql 'DROP FUNCTION g(varchar, numeric);\n'
    ml check --format gcc m
    expect_no_out "[down-does-not-reverse]"
    expect_no_out "[replay-conflict]"
}

# Spelled as PostgreSQL stores it or as written: one expression. A predicate
# reads its own table (t.active is active); x IN (1) is x = 1.
test_down_expressions_spelled_either_way_reverse() {
    mig 001_t.up.sql 'CREATE TABLE referral_codes (id int, is_active boolean, variant int);\nCREATE INDEX rc_active ON referral_codes (id) WHERE (referral_codes.is_active = TRUE);\nALTER TABLE referral_codes ADD CONSTRAINT rc_variant CHECK (variant IN (1));\n'
    mig 001_t.down.sql 'DROP TABLE referral_codes;\n'
    mig 002_x.up.sql "SET lock_timeout = '2s';\nDROP INDEX rc_active;\nALTER TABLE referral_codes DROP CONSTRAINT rc_variant;\n"
    mig 002_x.down.sql "SET lock_timeout = '2s';\nCREATE INDEX rc_active ON public.referral_codes USING btree (id) WHERE (is_active = true);\nALTER TABLE referral_codes ADD CONSTRAINT rc_variant CHECK ((variant = 1));\n"
    ml check --format gcc --disable-rule non-concurrent-index --disable-rule constraint-not-valid m
    expect_no_out "[down-does-not-reverse]"
}

# DROP FUNCTION ... CASCADE drops the triggers that execute it.
test_down_trigger_goes_with_its_function() {
    mig 1_t.up.sql 'CREATE TABLE versions (id int);\n'
    mig 1_t.down.sql 'DROP TABLE versions;\n'
    mig 2_trg.up.sql 'CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nCREATE TRIGGER trg_bump AFTER INSERT ON versions FOR EACH ROW EXECUTE FUNCTION bump();\n'
    mig 2_trg.down.sql 'DROP FUNCTION IF EXISTS bump CASCADE;\n'
    mig 3_t2.up.sql 'CREATE TRIGGER trg2 AFTER INSERT ON versions FOR EACH ROW EXECUTE FUNCTION bump();\n'
    mig 3_t2.down.sql 'SELECT 1;\n'
    ml check --format gcc --disable-rule missing-lock-timeout m
    expect_no_out "2_trg.down.sql"
    expect_out "m/3_t2.down.sql:1:1: warning: after up and down, trigger trg2 on table versions exists, was absent [down-does-not-reverse]"
}

# A CREATE TABLE AS column whose type the model cannot infer (max() of a
# column, in a real Lemmy migration) then given a default: no crash, the
# default is kept. (libpg_query 17 parses that migration's FROM subquery
# without alias, which 15 rejected, so the path is now reached.)
test_ctas_untyped_column_gets_a_default() {
    printf 'CREATE TABLE src (a int, b timestamptz);\nCREATE TABLE t AS SELECT max(b) AS m FROM (SELECT b FROM src);\nALTER TABLE t ALTER COLUMN m SET DEFAULT now();\n' >c.sql
    ml check --format gcc c.sql
    expect_rc 0
    ml schema c.sql
    expect_rc 0
    grep -qE '"default":[[:space:]]+"now\(\)"' <<<"$OUT" || fail "no now() default in: ${OUT:0:800}"
}
