# t_rules_online.sh - the online-safety rules beyond their bad/good fixtures
# (tests/t_rules.sh runs those): state carried across statements (timeouts,
# transactions), framework transaction semantics, messages naming the lock,
# and the lock modes the messages claim, checked against a real
# PostgreSQL 15 when pg_virtualenv is installed.

# ---- missing-lock-timeout: what counts as "set" ----

test_lock_timeout_set_local_ends_with_the_transaction() {
    cat >m.sql <<'EOF'
BEGIN;
SET LOCAL lock_timeout = '1s';
COMMIT;
ALTER TABLE users ADD COLUMN bio text;
EOF
    printf '4:1 missing-lock-timeout\n' >want
    expect_findings want m.sql
}

test_lock_timeout_turned_off_again() {
    printf "SET lock_timeout = '2s';\nSET lock_timeout = 0;\nALTER TABLE users ADD COLUMN a text;\n" >zero.sql
    printf "SET lock_timeout = '2s';\nRESET lock_timeout;\nALTER TABLE users ADD COLUMN a text;\n" >reset.sql
    printf "SET lock_timeout = '2s';\nRESET ALL;\nALTER TABLE users ADD COLUMN a text;\n" >all.sql
    printf "SET lock_timeout TO '0ms';\nALTER TABLE users ADD COLUMN a text;\n" >zero_ms.sql
    printf 'zero.sql:3:1 missing-lock-timeout\nreset.sql:3:1 missing-lock-timeout\n' >want
    printf 'all.sql:3:1 missing-lock-timeout\nzero_ms.sql:2:1 missing-lock-timeout\n' >>want
    expect_findings want zero.sql reset.sql all.sql zero_ms.sql
}

test_lock_timeout_set_local_in_open_transaction() {
    printf "BEGIN;\nSET LOCAL lock_timeout = '1s';\nALTER TABLE users ADD COLUMN a text;\nCOMMIT;\n" >m.sql
    ml --format gcc m.sql
    expect_rc 0
    expect_no_out "[missing-lock-timeout]"
}

test_lock_timeout_references_in_create_table() {
    printf 'CREATE TABLE notes (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\n' >m.sql
    ml --format gcc m.sql
    expect_out "m.sql:1:1: warning: this statement waits for a SHARE ROW EXCLUSIVE lock on users"
    expect_out "every later INSERT, UPDATE and DELETE of users queues behind it"
}

test_lock_timeout_quiet_for_share_locks() {
    cat >m.sql <<'EOF'
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
ALTER TABLE users VALIDATE CONSTRAINT users_email_check;
ALTER INDEX users_email_idx RENAME TO users_email_ix;
ALTER TABLE users ALTER COLUMN email SET STATISTICS 500;
REFRESH MATERIALIZED VIEW CONCURRENTLY totals;
UPDATE users SET name = 'x' WHERE id = 1;
EOF
    ml --format gcc m.sql
    expect_no_out "[missing-lock-timeout]"
}

test_lock_timeout_one_finding_per_migration() {
    printf 'DROP INDEX CONCURRENTLY a_idx;\nTRUNCATE sessions;\nVACUUM FULL users;\n' >m.sql
    ml --format gcc m.sql
    expect_out "m.sql:2:1: warning: this statement waits for an ACCESS EXCLUSIVE lock on sessions"
    expect_eq 1 "$(grep -c '\[missing-lock-timeout\]' <<<"$OUT")" "missing-lock-timeout findings"
}

# Both timeout rules carry their state forward statement by statement: a
# long migration that sets the timeout first stays linear (quadratic would
# take minutes here).
test_timeout_rules_stay_linear_on_long_migrations() {
    python3 - <<'PY'
with open("long.sql", "w") as f:
    f.write("SET lock_timeout = '2s';\nSET statement_timeout = '1min';\n")
    for i in range(100000):
        f.write("ALTER TABLE t ADD COLUMN c%d integer;\n" % i)
PY
    local bin=${MIGRALINT_FAST:-$MIGRALINT}
    OUT=$(timeout 60 "$bin" check --format gcc --rule missing-statement-timeout long.sql 2>"$T/.stderr")
    RC=$?
    ERR=$(cat "$T/.stderr")
    expect_rc 0
    expect_eq "" "$OUT" "output"
}

test_statement_timeout_counts_share_locks() {
    printf "SET lock_timeout = '2s';\nCREATE INDEX users_email_idx ON users (email);\n" >m.sql
    ml --format gcc --rule missing-statement-timeout m.sql
    expect_out "m.sql:2:1: warning: this statement holds a SHARE lock on users"
}

# ---- messages name the lock and what it blocks ----

test_foreign_key_message_names_both_tables() {
    cat >m.sql <<'EOF'
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id, tenant_id) REFERENCES users (id, tenant_id);
ALTER TABLE employees ADD FOREIGN KEY (manager_id) REFERENCES employees (id);
EOF
    ml --format gcc m.sql
    expect_rc 1
    expect_out "adding foreign key orders(user_id, tenant_id) → users takes a SHARE ROW EXCLUSIVE lock on orders and users: blocks INSERT, UPDATE and DELETE on both while every row is checked [constraint-not-valid]"
    expect_out "adding foreign key employees.manager_id → employees takes a SHARE ROW EXCLUSIVE lock on employees: blocks INSERT, UPDATE and DELETE on it"
}

test_locking_messages_name_access_exclusive() {
    cat >m.sql <<'EOF'
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_amount_check CHECK (amount > 0);
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
ALTER TABLE events ADD PRIMARY KEY (id);
ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE measurements DETACH PARTITION measurements_2019;
VACUUM FULL users;
REFRESH MATERIALIZED VIEW totals;
EOF
    ml --format gcc m.sql
    for id in constraint-not-valid add-unique-constraint add-primary-key add-column-volatile-default \
        non-concurrent-detach-partition vacuum-full-or-cluster refresh-matview-blocking; do
        msg=$(grep -F "[$id]" <<<"$OUT" | head -1)
        case "$msg" in
        *"ACCESS EXCLUSIVE lock"*) ;;
        *) fail "$id: message does not name the ACCESS EXCLUSIVE lock: '$msg'" ;;
        esac
    done
}

test_help_names_the_safe_alternative() {
    printf "SET lock_timeout = '2s';\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n" >m.sql
    ml --format text --no-color m.sql
    expect_out "CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)"
    expect_out "ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key"
}

# ---- framework transactions ----

goose_migration() {
    mkdir -p db/migrations
    { [ -z "${2:-}" ] || echo "$2"; echo '-- +goose Up'; cat; echo; echo '-- +goose Down'; echo 'SELECT 1;'; } \
        >"db/migrations/$1"
}

test_validate_in_goose_transaction() {
    goose_migration 20240101000000_fk.sql <<'EOF'
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;
EOF
    ml --format gcc db/migrations
    expect_out "20240101000000_fk.sql:4:20: warning: validating orders_user_fk in the transaction that added it NOT VALID"
    expect_out "one transaction: goose runs this migration in a transaction"
}

test_validate_quiet_with_goose_no_transaction() {
    goose_migration 20240101000000_fk.sql '-- +goose NO TRANSACTION' <<'EOF'
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;
EOF
    ml --format gcc db/migrations
    expect_no_out "[validate-in-same-transaction]"
}

test_validate_in_golang_migrate_implicit_transaction() {
    mkdir -p migrations
    printf "SET lock_timeout = '2s';\nALTER TABLE orders ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT c;\n" \
        >migrations/000001_c.up.sql
    printf 'ALTER TABLE orders DROP CONSTRAINT c;\n' >migrations/000001_c.down.sql
    ml --format gcc migrations
    expect_out "000001_c.up.sql:3:20: warning: validating c in the transaction that added it NOT VALID: the ACCESS EXCLUSIVE lock"
}

test_validate_in_the_same_statement() {
    printf "SET lock_timeout = '2s';\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID, VALIDATE CONSTRAINT c;\n" >m.sql
    # a loose file runs statement by statement: only the same statement counts
    printf "ALTER TABLE t ADD CONSTRAINT d CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT d;\n" >>m.sql
    printf '2:57 validate-in-same-transaction\n' >want
    expect_findings want m.sql
}

test_begin_inside_goose_transaction() {
    goose_migration 20240101000000_t.sql <<'EOF'
BEGIN;
CREATE TABLE t (id bigint PRIMARY KEY);
EOF
    ml --format gcc db/migrations
    expect_out "20240101000000_t.sql:2:1: warning: BEGIN inside an open transaction"
    expect_out "the outer transaction: goose runs this migration in a transaction"
    # goose commits its own transaction: nothing is left uncommitted
    expect_no_out "[uncommitted-transaction]"
}

test_robust_stmts_quiet_in_goose_transaction() {
    goose_migration 20240101000000_t.sql <<'EOF'
CREATE TABLE t (id bigint PRIMARY KEY);
EOF
    goose_migration 20240102000000_u.sql '-- +goose NO TRANSACTION' <<'EOF'
CREATE TABLE u (id bigint PRIMARY KEY);
EOF
    ml --format gcc --rule prefer-robust-stmts db/migrations
    expect_no_out "20240101000000_t.sql:2:1"
    expect_out "20240102000000_u.sql:3:1: warning: CREATE TABLE u fails when the migration is run again"
}

# ---- ignores apply to these rules like to any other ----

test_inline_ignore_of_a_locking_rule() {
    cat >m.sql <<'EOF'
SET lock_timeout = '2s';
-- migralint-ignore drop-not-null: every reader handles NULL since 4.2
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
ALTER TABLE users ALTER COLUMN phone DROP NOT NULL;
EOF
    printf '4:32 drop-not-null\n' >want
    expect_findings want m.sql
}

# ---- the lock modes the messages claim, against PostgreSQL 15 ----

# Each case: the statement, linted alone; missing-lock-timeout's message says
# which lock it waits for on which relation, and PostgreSQL's pg_locks must
# show that lock on that relation while the statement's transaction is open.
LOCK_CASES=(
    "ALTER TABLE orders ADD COLUMN note text"
    "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID"
    "ALTER TABLE orders ADD CONSTRAINT orders_amount_check CHECK (amount > 0) NOT VALID"
    "ALTER TABLE orders ALTER COLUMN user_id DROP NOT NULL"
    "ALTER TABLE orders ADD CONSTRAINT orders_user_key UNIQUE (user_id)"
    "ALTER TABLE orders DISABLE TRIGGER USER"
    "CREATE TABLE notes (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id))"
    "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch()"
    "CREATE TABLE m2021 PARTITION OF measurements FOR VALUES FROM (2021) TO (2022)"
    "ALTER TABLE measurements DETACH PARTITION m2019"
    "ALTER TABLE measurements ATTACH PARTITION m_loose FOR VALUES FROM (2030) TO (2031)"
    "REFRESH MATERIALIZED VIEW totals"
    "CLUSTER orders USING orders_pkey"
    "TRUNCATE orders"
    "DROP TABLE users"
    "DROP INDEX orders_user_idx"
    "REINDEX INDEX orders_user_idx"
    "ALTER TABLE orders RENAME COLUMN amount TO total"
    "ALTER TABLE orders SET SCHEMA archive"
    "LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"
)

LOCK_SCHEMA="
CREATE SCHEMA archive;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, amount int);
CREATE INDEX orders_user_idx ON orders (user_id);
CREATE TABLE measurements (y int NOT NULL) PARTITION BY RANGE (y);
CREATE TABLE m2019 PARTITION OF measurements FOR VALUES FROM (2019) TO (2020);
CREATE TABLE m_loose (y int NOT NULL);
CREATE MATERIALIZED VIEW totals AS SELECT user_id, sum(amount) FROM orders GROUP BY user_id;
"

pg_mode() {
    case "$1" in
    "ACCESS EXCLUSIVE") echo AccessExclusiveLock ;;
    "EXCLUSIVE") echo ExclusiveLock ;;
    "SHARE ROW EXCLUSIVE") echo ShareRowExclusiveLock ;;
    "SHARE") echo ShareLock ;;
    *) echo "?" ;;
    esac
}

test_lock_modes_match_postgresql() {
    # pg_virtualenv comes with postgresql-15 (scripts/setup.sh): no skip.
    command -v pg_virtualenv >/dev/null || { fail "pg_virtualenv is not installed"; return; }
    local script=$T/locks.sql i=0 claims=()
    echo "$LOCK_SCHEMA" >"$script"
    for stmt in "${LOCK_CASES[@]}"; do
        echo "$stmt;" >case.sql
        ml --format gcc case.sql
        local msg mode rel
        msg=$(grep -F '[missing-lock-timeout]' <<<"$OUT" | sed -E 's/^[^ ]+ warning: //')
        mode=$(sed -nE 's/^this statement waits for an? (.*) lock on .* with no lock_timeout set.*/\1/p' <<<"$msg")
        rel=$(sed -nE 's/^this statement waits for an? .* lock on (the indexes of |index )?([a-z_0-9.]+)( and its table)? with no.*/\2/p' <<<"$msg")
        if [ -z "$mode" ] || [ -z "$rel" ]; then
            fail "no missing-lock-timeout finding for: $stmt (got: $msg)"
            continue
        fi
        claims+=("$mode|$rel|$stmt")
        # by OID: DROP removes the pg_class row inside the transaction
        printf "SELECT oid AS rel FROM pg_class WHERE relname = '%s' \\gset\nBEGIN;\n%s;\n" \
            "${rel##*.}" "$stmt" >>"$script"
        printf "SELECT 'CASE %d ' || coalesce(string_agg(mode, ','), '-') FROM pg_locks\n" "$i" >>"$script"
        printf "    WHERE pid = pg_backend_pid() AND relation = :rel;\nROLLBACK;\n" >>"$script"
        i=$((i + 1))
    done
    local pg_out
    pg_out=$(cd / && pg_virtualenv -v 15 psql -X -q -t -A -v ON_ERROR_STOP=1 -f "$script" 2>&1) ||
        { fail "PostgreSQL run failed: $pg_out"; return; }
    for ((i = 0; i < ${#claims[@]}; i++)); do
        IFS='|' read -r mode rel stmt <<<"${claims[$i]}"
        local got want
        got=$(sed -n "s/^CASE $i //p" <<<"$pg_out")
        want=$(pg_mode "$mode")
        case ",$got," in
        *",$want,"*) ;;
        *) fail "$stmt: migralint says $mode on $rel, PostgreSQL holds '$got'" ;;
        esac
    done
}

# Constant defaults stopped rewriting the table in PostgreSQL 11, below the
# oldest target (13): quiet on every target, and 10 is refused.
test_constant_default_quiet_on_every_target() {
    printf 'SET lock_timeout = %s;\nALTER TABLE t ADD COLUMN c int DEFAULT 0;\nALTER TABLE t ADD COLUMN d text DEFAULT NULL;\n' "'2s'" >v.sql
    local v
    for v in 13 14 15 16 17; do
        ml check --format gcc --pg-version $v v.sql
        expect_no_out "add-column-volatile-default"
    done
    ml check --format gcc --pg-version 10 v.sql
    expect_rc 2
}
