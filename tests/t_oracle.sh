# t_oracle.sh - the PostgreSQL oracle (tools/pg-oracle) on a small fixture.
#
# fixtures/oracle/golang-migrate has four migrations; the down step of the
# second drops the index but forgets the column, so PostgreSQL's round trip
# leaves users.age behind. The oracle must say so, count migralint's
# down-does-not-reverse finding as a true alarm, and compare the final
# catalog. A doctored migralint (a column hidden from `schema`, the down-step
# findings removed from `check`) shows that the comparison catches both.
#
# Needs Debian's postgresql-15 and python3, like t_catalog_pg.sh.

__oracle() {
    PGHOST= "$ROOT/tools/pg-oracle/pg-oracle" --json "$T/report.json" "$@" \
        "$FIXTURES/oracle/golang-migrate" >"$T/oracle.out" 2>&1
    RC=$?
    OUT=$(cat "$T/oracle.out")
}

__report() {
    python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T/report.json" "$1"
}

test_oracle_round_trip_and_catalog() {
    if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then fail "postgresql-15 missing"; return; fi
    __oracle --migralint "$MIGRALINT"
    expect_rc 0
    expect_out "SUMMARY golang-migrate framework=golang-migrate migrations=4 tables=1/1 columns=3/3"
    expect_out "down_recall=1.00 down_precision=1.00 (checked 4, not reversing 1, neutral 0, alarms 1)"
    expect_no_out "REPLAY ERROR"
    expect_eq "[]" "$(__report 'r["diffs"]')" "catalog differences"
    expect_eq 0 "$(__report 'len(r["missed"]) + len(r["false"])')" "missed and false down steps"
}

test_oracle_catches_a_wrong_model() {
    if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then fail "postgresql-15 missing"; return; fi
    # schema: users.email vanishes; check: no down-step finding survives
    cat >"$T/fake-migralint" <<SH
#!/bin/bash
case \$1 in
    schema) "$MIGRALINT" "\$@" | python3 -c 'import json, sys
d = json.load(sys.stdin)
t = d["tables"]["public.users"]
t["columns"] = [c for c in t["columns"] if c["name"] != "email"]
print(json.dumps(d))' ;;
    check) "$MIGRALINT" "\$@" | python3 -c 'import json, sys
print(json.dumps([f for f in json.load(sys.stdin) if f["rule"] != "down-does-not-reverse"]))' ;;
    *) exec "$MIGRALINT" "\$@" ;;
esac
SH
    chmod +x "$T/fake-migralint"
    __oracle --migralint "$T/fake-migralint"
    expect_rc 0
    expect_out "tables=0/1 columns=2/3"
    expect_out "DIFF column public.users.email"
    expect_out "MISSED down step"
    expect_out "left by down: column public.users.age integer"
    expect_out "down_recall=0.00"
}

# --pg-cache: the second run reuses the PostgreSQL side (it needs no server:
# PGHOST points nowhere) and judges a new binary the same way.
test_oracle_pg_cache_reruns_without_postgres() {
    if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then fail "postgresql-15 missing"; return; fi
    __oracle --migralint "$MIGRALINT" --pg-cache "$T/pg.json"
    expect_rc 0
    [ -s "$T/pg.json" ] || fail "no cache written"
    PGHOST=/nonexistent python3 "$ROOT/tools/pg-oracle/oracle.py" --migralint "$MIGRALINT" \
        --pg-cache "$T/pg.json" "$FIXTURES/oracle/golang-migrate" >"$T/again.out" 2>&1
    RC=$?
    OUT=$(cat "$T/again.out")
    expect_rc 0
    expect_out "down_recall=1.00 down_precision=1.00 (checked 4, not reversing 1, neutral 0, alarms 1)"
}
