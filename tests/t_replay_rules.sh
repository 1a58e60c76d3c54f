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

test_down_quiet_about_enum_labels_and_validation_it_cannot_undo() {
    mig 001_t.up.sql "CREATE TYPE mood AS ENUM ('sad', 'ok');\nCREATE TABLE t (id bigint PRIMARY KEY, m mood);\nALTER TABLE t ADD CONSTRAINT t_id_positive CHECK (id > 0) NOT VALID;\n"
    mig 001_t.down.sql 'DROP TABLE t;\nDROP TYPE mood;\n'
    mig 002_more.up.sql "ALTER TYPE mood ADD VALUE 'happy';\nALTER TABLE t VALIDATE CONSTRAINT t_id_positive;\n"
    mig 002_more.down.sql '-- PostgreSQL cannot drop an enum label; nothing to undo\nSELECT 1;\n'
    ml check --format gcc m
    expect_no_out "[down-does-not-reverse]"
    # A label that disappears is still reported.
    mig 003_rename.up.sql "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';\n"
    mig 003_rename.down.sql 'SELECT 1;\n'
    ml check --format gcc m
    expect_out "m/003_rename.down.sql:1:1: warning: after up and down, type mood is enum ('sad', 'fine', 'happy'), was enum ('sad', 'ok', 'happy') [down-does-not-reverse]"
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
