# t_pg_version.sh - the target PostgreSQL version: where it comes from (the
# command line, the config, the repository's pins, the default 17), how
# status and version --verbose say it, and requires-newer-postgres on both
# sides of every version gate.

# The requires-newer-postgres findings of the last ml, as "line:col" lines.
newer_findings() {
    sed -nE 's/^[^:]+:([0-9]+):([0-9]+): error: .*\[requires-newer-postgres\]$/\1:\2/p' <<<"$OUT" | sort
}

# "SINCE COL SQL": the statement needs PostgreSQL SINCE; on SINCE-1 the only
# requires-newer-postgres finding is at 1:COL, on SINCE there is none.
GATES=$(cat <<'CASES'
14 8 CREATE OR REPLACE TRIGGER touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();
14 39 ALTER TABLE m DETACH PARTITION m_2019 CONCURRENTLY;
14 39 ALTER TABLE m DETACH PARTITION m_2019 FINALIZE;
14 30 CREATE TABLE docs (body text COMPRESSION lz4);
14 40 ALTER TABLE docs ALTER COLUMN body SET COMPRESSION pglz;
14 48 CREATE FUNCTION one() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;
14 48 CREATE FUNCTION two() RETURNS int LANGUAGE sql RETURN 2;
14 77 WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3) SEARCH DEPTH FIRST BY n SET ord SELECT * FROM t;
15 1 MERGE INTO stock USING deliveries d ON stock.item = d.item WHEN MATCHED THEN DO NOTHING;
15 43 CREATE UNIQUE INDEX tags_u ON tags (name) NULLS NOT DISTINCT;
15 38 CREATE TABLE tags (name text, UNIQUE NULLS NOT DISTINCT (name));
15 37 CREATE TABLE tags (name text UNIQUE NULLS NOT DISTINCT);
15 63 CREATE TABLE c (a int, b int, FOREIGN KEY (a, b) REFERENCES p ON DELETE SET NULL (b));
15 21 CREATE VIEW v WITH (security_invoker = true) AS SELECT 1;
15 19 ALTER VIEW v SET (security_invoker = true);
16 22 SELECT count(*) FROM (SELECT DISTINCT customer_id FROM orders);
16 15 SELECT * FROM (VALUES (1), (2));
16 8 SELECT JSON_OBJECT('a': 1);
16 8 SELECT JSON_ARRAY(1, 2);
16 8 SELECT JSON_ARRAYAGG(x) FROM t;
16 8 SELECT JSON_OBJECTAGG(k: v) FROM t;
16 13 SELECT '{}' IS JSON;
16 8 SELECT SYSTEM_USER;
16 32 GRANT app_reader TO alice WITH INHERIT TRUE;
16 8 SELECT 0x1F;
16 8 SELECT 1_000_000;
17 15 SELECT * FROM JSON_TABLE('[]'::jsonb, '$[*]' COLUMNS (a int PATH '$.a')) AS jt;
17 8 SELECT JSON_QUERY('{}'::jsonb, '$.a');
17 8 SELECT JSON_VALUE('{}'::jsonb, '$.a');
17 8 SELECT JSON_EXISTS('{}'::jsonb, '$.a');
17 8 SELECT JSON('{}');
17 8 SELECT JSON_SCALAR(1);
17 8 SELECT JSON_SERIALIZE('{}'::json);
17 85 MERGE INTO stock USING deliveries d ON stock.item = d.item WHEN MATCHED THEN DELETE RETURNING stock.item;
17 65 MERGE INTO stock USING deliveries d ON stock.item = d.item WHEN NOT MATCHED BY SOURCE THEN DELETE;
17 34 ALTER TABLE t ALTER COLUMN g SET EXPRESSION AS (a + 1);
CASES
)

test_every_gate_both_sides() {
    local since col sql n=0
    while read -r since col sql; do
        n=$((n + 1))
        printf '%s\n' "$sql" >gate.sql
        ml check --format gcc --pg-version $((since - 1)) gate.sql
        expect_eq "1:$col" "$(newer_findings)" "at $((since - 1)): $sql"
        ml check --format gcc --pg-version "$since" gate.sql
        expect_eq "" "$(newer_findings)" "at $since: $sql"
    done <<<"$GATES"
    [ "$n" -ge 30 ] || fail "only $n gates were read"
}

test_message_names_feature_versions_and_why() {
    printf 'MERGE INTO stock USING deliveries d ON stock.item = d.item WHEN MATCHED THEN DO NOTHING;\n' >m.sql
    ml check --format gcc --pg-version 14 m.sql
    expect_rc 1
    expect_out "m.sql:1:1: error: MERGE into stock needs PostgreSQL 15; the target is PostgreSQL 14 [requires-newer-postgres]"
    ml check --format text --no-color --pg-version 14 m.sql
    expect_out "the target comes from --pg-version"
    expect_out "INSERT ... ON CONFLICT"
}

# The default target is the newest grammar: nothing is newer than it.
test_default_target_is_17() {
    printf 'SELECT * FROM JSON_TABLE(%s, %s COLUMNS (a int PATH %s));\n' "'[]'::jsonb" "'\$[*]'" "'\$.a'" >j.sql
    ml check --format gcc j.sql
    expect_eq "" "$(newer_findings)" "findings at the default target"
    ml status .
    expect_out "target: PostgreSQL 17 (default: the repository pins no version)"
}

merge_migration() {
    mkdir -p migrations
    printf 'MERGE INTO stock USING deliveries d ON stock.item = d.item WHEN MATCHED THEN DO NOTHING;\n' \
        >migrations/001_merge.up.sql
    printf 'SELECT 1;\n' >migrations/001_merge.down.sql
}

test_compose_image_sets_target() {
    git_repo repo && cd repo || return
    merge_migration
    printf 'services:\n  db:\n    image: "postgres:14-alpine"  # the production version\n    ports:\n      - "5432:5432"\n' >docker-compose.yml
    ml check --format gcc migrations
    expect_out "migrations/001_merge.up.sql:1:1: error: MERGE into stock needs PostgreSQL 15; the target is PostgreSQL 14 [requires-newer-postgres]"
    ml status migrations
    expect_out "target: PostgreSQL 14 (docker-compose.yml:3: image postgres:14-alpine)"
    ml version --verbose
    expect_out "target: PostgreSQL 14 (docker-compose.yml:3: image postgres:14-alpine)"
    # the config beats the repository, the command line beats the config
    printf '{"pgVersion": 15}\n' >.migralint.json
    ml status migrations
    expect_out 'target: PostgreSQL 15 ("pgVersion" in .migralint.json)'
    ml check --format gcc migrations
    expect_eq "" "$(newer_findings)" "findings with pgVersion 15"
    ml check --format gcc --pg-version 13 migrations
    expect_eq "1:1" "$(newer_findings)" "findings with --pg-version 13"
    ml version --verbose --pg-version 13
    expect_out "target: PostgreSQL 13 (--pg-version)"
}

# The folders a run lints are not searched for a compose file (a folder of
# migrations costs milliseconds to list, and holds no project's compose
# file); the other folders one down still are, and so is the root.
test_the_linted_folder_is_not_searched_for_a_pin() {
    git_repo repo && cd repo || return
    merge_migration
    printf 'services:\n  db:\n    image: postgres:14\n' >migrations/docker-compose.yml
    ml status migrations
    expect_out "target: PostgreSQL 17 (default: the repository pins no version)"
    ml status
    expect_out "target: PostgreSQL 17 (default: the repository pins no version)"
    mkdir -p deploy
    printf 'services:\n  db:\n    image: postgres:15\n' >deploy/compose.yaml
    ml status "$PWD/migrations/"
    expect_out "target: PostgreSQL 15 (deploy/compose.yaml:3: image postgres:15)"
    # a run that lints one file of the folder lists the folder as before
    rm deploy/compose.yaml
    ml status migrations/001_merge.up.sql
    expect_out "target: PostgreSQL 14 (migrations/docker-compose.yml:3: image postgres:14)"
}

test_pins_real_projects_use() {
    git_repo repo && cd repo || return
    merge_migration
    # a compose file one folder down, with an image built on postgres
    mkdir -p docker
    printf 'services:\n  postgres:\n    image: pgautoupgrade/pgautoupgrade:16-alpine\n' >docker/docker-compose.yml
    ml status migrations
    expect_out "target: PostgreSQL 16 (docker/docker-compose.yml:3: image pgautoupgrade/pgautoupgrade:16-alpine)"
    # a CI workflow's service container comes before it
    mkdir -p .github/workflows
    printf 'jobs:\n  test:\n    services:\n      postgres:\n        image: postgis/postgis:15-3.4\n' >.github/workflows/ci.yml
    ml status migrations
    expect_out "target: PostgreSQL 15 (.github/workflows/ci.yml:5: image postgis/postgis:15-3.4)"
    # Supabase's config before both
    mkdir -p supabase
    printf '[api]\nmajor_version = 99\n\n[db]\nport = 54322\nmajor_version = 14\n' >supabase/config.toml
    ml status migrations
    expect_out "target: PostgreSQL 14 (supabase/config.toml:6: major_version = 14)"
    # and .tool-versions first of all
    printf 'nodejs 20.11.0\npostgres 16.2\n' >.tool-versions
    ml status migrations
    expect_out "target: PostgreSQL 16 (.tool-versions:2: postgres 16.2)"
}

test_pins_outside_the_range_are_clamped() {
    git_repo repo && cd repo || return
    merge_migration
    printf 'services:\n  db:\n    image: postgres:18\n' >compose.yaml
    ml status migrations
    expect_out "target: PostgreSQL 17 (compose.yaml:3: image postgres:18, above 17, the newest migralint parses)"
    printf 'services:\n  db:\n    image: postgres:12\n' >compose.yaml
    ml check --format gcc migrations
    expect_eq "1:1" "$(newer_findings)" "findings with postgres:12"
    ml status migrations
    expect_out "target: PostgreSQL 13 (compose.yaml:3: image postgres:12, below 13, the oldest migralint targets)"
    # images that name no version, or are not postgres, pin nothing
    printf 'services:\n  db:\n    image: postgres:latest\n  cache:\n    image: redis:7\n' >compose.yaml
    ml status migrations
    expect_out "target: PostgreSQL 17 (default: the repository pins no version)"
}

test_version_out_of_range_is_a_usage_error() {
    printf 'SELECT 1;\n' >v.sql
    ml check --pg-version 12 v.sql
    expect_rc 2
    expect_err "--pg-version: '12' is not a number from 13 to 17"
    ml check --pg-version 18 v.sql
    expect_rc 2
    printf '{\n  "pgVersion": 11\n}\n' >.migralint.json
    ml check v.sql
    expect_rc 2
    expect_err '.migralint.json:2: "pgVersion" must be a whole number from 13 to 17'
}

# DETACH PARTITION CONCURRENTLY came in 14: on 13 the help cannot offer it.
test_detach_partition_help_follows_target() {
    printf 'SET lock_timeout = %s;\nALTER TABLE m DETACH PARTITION m_2019;\n' "'2s'" >d.sql
    ml check --format text --no-color --pg-version 13 d.sql
    expect_out "has no DETACH PARTITION ... CONCURRENTLY (it came in 14)"
    ml check --format text --no-color --pg-version 14 d.sql
    expect_out "DETACH PARTITION m_2019 CONCURRENTLY (PostgreSQL 14+)"
}

# init writes the version the repository pins, and says where it found it.
test_init_writes_the_pinned_version() {
    git_repo repo && cd repo || return
    merge_migration
    printf 'services:\n  db:\n    image: postgres:15\n' >docker-compose.yml
    ml init
    expect_rc 0
    expect_out '  // the PostgreSQL major version production runs (docker-compose.yml:3: image postgres:15)'
    expect_out '  "pgVersion": 15,'
}
