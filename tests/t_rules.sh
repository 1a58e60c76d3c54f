# t_rules.sh - every rule against its documentation and fixtures.
#
# fixtures/rules/<id>/ holds, for each rule <id> documented in rules/<id>.md:
#   bad.sql     a migration that triggers the rule (and maybe others), or
#   bad/        a migrations folder, for rules about whole migrations;
#   bad.expect  every finding it produces, written by hand: "LINE:COL rule-id"
#               for bad.sql, "bad/FILE:LINE:COL rule-id" for bad/ (1-based
#               lines; columns count code points, a tab counts 1);
#   good.sql    (or good/) the safe version and the quiet cases: no finding.
# fixtures/rules/ignore/ holds the same for inline ignore comments.
# A fixture folder may hold flags: extra command-line arguments for both
# fixtures (--pg-version 13 for requires-newer-postgres).
# History rules also have base/: the folder as the base branch has it. The
# fixture is then a git repository: base/ committed on main as bad/ (or
# good/), the fixture committed over it on a branch, linted with --base main.
#
# Each fixture is linted from a copy in a folder of its own, so no repository
# configuration leaks in. An opt-in rule is enabled (--rule ID) for its own
# fixtures.

# Prints the default level (error, warning, note) of rule $1.
rule_level() {
    sed -n 's/^level: *//p' "$ROOT/rules/$1.md" | head -1
}

# --rule ID when rule $1 is opt-in.
rule_flags() {
    if [ -f "$ROOT/rules/$1.md" ] && grep -qx 'opt-in: true' "$ROOT/rules/$1.md"; then
        echo "--rule $1"
    fi
}

# Ids of rules/*.md, sorted, one a line.
doc_ids() {
    local f
    for f in "$ROOT"/rules/*.md; do basename "$f" .md; done | LC_ALL=C sort
}

# The finding lines of an expect file, comments and blanks removed.
expect_lines() {
    grep -vE '^\s*(#|$)' "$1" | sed 's/[[:space:]]*#.*$//'
}

# Copies fixture $2 (bad or good) of fixture folder $1 into a folder of its
# own under $T and cds there; sets FIXTURE_TARGET to what to lint (bad.sql,
# good.sql or the bad/ or good/ folder). Returns 1 when there is no such
# fixture.
stage_fixture() {
    local dir=$1 kind=$2 id
    id=$(basename "$dir")
    mkdir -p "$T/fixtures/$id.$kind"
    cd "$T/fixtures/$id.$kind" || exit 1
    FIXTURE_FLAGS=
    if [ -d "$dir/base" ] && [ -d "$dir/$kind" ]; then
        git_repo .
        cp -R "$dir/base" "$kind"
        git add -A && git commit -qm base && git checkout -qb branch
        rm -rf "$kind" && cp -R "$dir/$kind" "$kind"
        git add -A && git commit --allow-empty -qm branch
        FIXTURE_TARGET=$kind
        FIXTURE_FLAGS="--base main"
    elif [ -d "$dir/$kind" ]; then
        cp -R "$dir/$kind" "$kind"
        FIXTURE_TARGET=$kind
    elif [ -f "$dir/$kind.sql" ]; then
        cp "$dir/$kind.sql" "$kind.sql"
        FIXTURE_TARGET=$kind.sql
    else
        cd "$T" || exit 1
        return 1
    fi
    if [ -f "$dir/flags" ]; then
        FIXTURE_FLAGS="$FIXTURE_FLAGS $(cat "$dir/flags")"
    fi
}

test_bad_fixtures() {
    local dir id want_rc rule n=0
    for dir in "$FIXTURES"/rules/*/; do
        dir=${dir%/}
        id=$(basename "$dir")
        [ -f "$dir/bad.expect" ] || continue
        stage_fixture "$dir" bad || continue
        n=$((n + 1))
        # shellcheck disable=SC2046
        expect_findings "$dir/bad.expect" $(rule_flags "$id") $FIXTURE_FLAGS "$FIXTURE_TARGET"
        # Default --fail-on error: 1 only when an error-level finding exists.
        want_rc=0
        for rule in $(expect_lines "$dir/bad.expect" | awk '{print $2}' | sort -u); do
            [ -f "$ROOT/rules/$rule.md" ] || fail "$id/bad.expect names unknown rule '$rule'"
            [ "$(rule_level "$rule")" = error ] && want_rc=1
        done
        [ "$RC" -eq "$want_rc" ] || fail "$id/$FIXTURE_TARGET: exit code $RC, want $want_rc (stderr: ${ERR:0:300})"
        # With any finding at all, --fail-on note exits 1.
        # shellcheck disable=SC2046
        ml --format gcc --fail-on note $(rule_flags "$id") $FIXTURE_FLAGS "$FIXTURE_TARGET"
        [ "$RC" -eq 1 ] || fail "$id/$FIXTURE_TARGET: --fail-on note: exit code $RC, want 1"
        cd "$T" || exit 1
    done
    [ "$n" -gt 0 ] || fail "no fixtures found under $FIXTURES/rules"
}

test_good_fixtures() {
    local dir id n=0
    for dir in "$FIXTURES"/rules/*/; do
        dir=${dir%/}
        id=$(basename "$dir")
        stage_fixture "$dir" good || continue
        n=$((n + 1))
        # shellcheck disable=SC2046
        ml --format gcc --fail-on note $(rule_flags "$id") $FIXTURE_FLAGS "$FIXTURE_TARGET"
        if [ -n "$OUT" ] || [ "$RC" -ne 0 ]; then
            fail "$id/$FIXTURE_TARGET: want no finding and exit code 0, got exit code $RC and:"
            echo "$OUT" | sed 's/^/      /' | head -20
            [ -z "$ERR" ] || echo "    stderr: ${ERR:0:300}"
        fi
        cd "$T" || exit 1
    done
    [ "$n" -gt 0 ] || fail "no fixtures found under $FIXTURES/rules"
}

test_every_rule_has_doc_and_fixtures() {
    local id dir
    for id in $(doc_ids); do
        dir=$FIXTURES/rules/$id
        [ -f "$dir/bad.sql" ] || [ -d "$dir/bad" ] || fail "rule $id: no fixtures/rules/$id/bad.sql (or bad/)"
        [ -f "$dir/good.sql" ] || [ -d "$dir/good" ] || fail "rule $id: no fixtures/rules/$id/good.sql (or good/)"
        [ -f "$dir/bad.expect" ] || {
            fail "rule $id: no fixtures/rules/$id/bad.expect"
            continue
        }
        expect_lines "$dir/bad.expect" | grep -qE "(^|:)[0-9]+:[0-9]+ $id\$" ||
            fail "rule $id: fixtures/rules/$id/bad.expect expects no $id finding"
    done
    # No fixture folder without its rule (ignore/ tests the ignore comments).
    for dir in "$FIXTURES"/rules/*/; do
        id=$(basename "$dir")
        [ "$id" = ignore ] || [ -f "$ROOT/rules/$id.md" ] ||
            fail "fixtures/rules/$id/ has no rules/$id.md"
    done
    # Every rule in the registry has a document (registry.def names C identifiers).
    local c
    for c in $(sed -nE 's/^RULE\(([a-z0-9_]+)\)$/\1/p' "$ROOT/src/rules/registry.def"); do
        [ -f "$ROOT/rules/${c//_/-}.md" ] || fail "registry rule ${c//_/-} has no rules/${c//_/-}.md"
    done
    # `migralint rules` lists exactly the documented rules.
    ml rules
    expect_rc 0
    local listed
    listed=$(awk 'NF {print $1}' <<<"$OUT" | LC_ALL=C sort)
    if [ "$listed" != "$(doc_ids)" ]; then
        fail "\`migralint rules\` does not list exactly the ids of rules/*.md"
        diff <(doc_ids) <(echo "$listed") | sed 's/^/    /'
    fi
}

# The front matter is parsed line by line by the binary and by
# tools/rules-table.sh: keep it exactly in this shape.
test_rule_docs_are_well_formed() {
    local f id
    for f in "$ROOT"/rules/*.md; do
        id=$(basename "$f" .md)
        awk -v id="$id" '
            function bad(msg) { printf "  assertion failed: rules/%s.md: %s\n", id, msg; status = 1 }
            NR == 1 && $0 != "---" { bad("line 1 is not ---") }
            NR == 2 && $0 != "id: " id { bad("line 2 is not \"id: " id "\"") }
            NR == 3 && $0 !~ /^category: (reversibility|destructive|locking|correctness|style|history|drift|meta)$/ { bad("line 3: bad category: " $0) }
            NR == 4 && $0 !~ /^level: (error|warning|note)$/ { bad("line 4: bad level: " $0) }
            NR == 5 && $0 !~ /^opt-in: (true|false)$/ { bad("line 5: bad opt-in: " $0) }
            NR == 6 && ($0 !~ /^summary: [^ ]/ || $0 ~ /\.$/ || $0 ~ /^summary: .*: /) { bad("line 6: summary must be one line, no trailing period: " $0) }
            NR == 7 && $0 != "---" { bad("line 7 is not ---") }
            NR == 8 && $0 != "# " id { bad("line 8 is not \"# " id "\"") }
            /^```/ { fences++ }
            /^## Why it hurts$/ { s1 = 1 } /^## Safe alternative$/ { s2 = 1 } /^## Examples$/ { s3 = 1 }
            /^### Bad$/ { s4 = 1 } /^### Good$/ { s5 = 1 } /^## Ignoring$/ { s6 = 1 }
            END {
                if (!s1) bad("no \"## Why it hurts\" section")
                if (!s2) bad("no \"## Safe alternative\" section")
                if (!s3 || !s4 || !s5) bad("no \"## Examples\" with \"### Bad\" and \"### Good\"")
                if (!s6) bad("no \"## Ignoring\" section")
                if (fences % 2) bad("unbalanced ``` fences")
                exit status
            }
        ' "$f" || __failed=1
    done
}

test_explain() {
    ml explain drop-column
    expect_rc 0
    expect_out "# drop-column"
    expect_out "Safe alternative"
    expect_out "-- migralint-ignore drop-column: "
    ml explain no-such-rule
    expect_rc 2
    grep -qF "no-such-rule" <<<"$OUT$ERR" || fail "explain no-such-rule: message does not name the id: ${ERR:0:300}"
    local id
    for id in $(doc_ids); do
        ml explain "$id"
        if [ "$RC" -ne 0 ] || ! grep -qxF "# $id" <<<"$OUT"; then
            fail "explain $id: exit code $RC, or no '# $id' line"
        fi
    done
}

test_readme_rule_table_is_up_to_date() {
    local readme=$ROOT/README.md
    if [ ! -f "$readme" ]; then
        fail "README.md does not exist (it holds the rule table; see tools/rules-table.sh)"
        return
    fi
    if ! grep -qxF '<!-- rules-table:begin -->' "$readme" || ! grep -qxF '<!-- rules-table:end -->' "$readme"; then
        fail "README.md lacks the <!-- rules-table:begin --> and <!-- rules-table:end --> lines"
        return
    fi
    local want got
    want=$(bash "$ROOT/tools/rules-table.sh") || {
        fail "tools/rules-table.sh failed"
        return
    }
    got=$(sed -n '/^<!-- rules-table:begin -->$/,/^<!-- rules-table:end -->$/p' "$readme" | sed '1d;$d' | grep -v '^[[:space:]]*$')
    if [ "$want" != "$got" ]; then
        fail "the rule table in README.md is out of date: run tools/rules-table.sh --update"
        diff <(echo "$want") <(echo "$got") | sed 's/^/    /' | head -20
    fi
}

# The table itself: sorted by id, one row per rule, opt-in rules marked.
test_rules_table_tool() {
    local out rows
    out=$(bash "$ROOT/tools/rules-table.sh")
    expect_eq "| Rule | Category | Level | Summary |" "$(sed -n 1p <<<"$out")" "table header"
    rows=$(sed -n '3,$p' <<<"$out" | sed -E 's/^\| \[([a-z0-9-]+)\].*/\1/')
    expect_eq "$(doc_ids)" "$rows" "table rows (ids, sorted)"
    grep -qF '| [drop-column](rules/drop-column.md) | destructive | error | Dropping a column breaks application code that still reads or writes it |' <<<"$out" ||
        fail "no drop-column row in: ${out:0:600}"
    local f id
    for f in "$ROOT"/rules/*.md; do
        grep -qx 'opt-in: true' "$f" || continue
        id=$(basename "$f" .md)
        grep -qE "^\| \[$id\]\([^)]*\) \| [a-z]+ \| [a-z]+ \(opt-in\) \|" <<<"$out" || fail "opt-in rule $id is not marked (opt-in)"
    done
}

# Destructive and locking rules judge the up step: a down step is expected to
# undo it, so dropping what the up step created is its job. Parse errors are
# still reported there.
test_destructive_and_locking_rules_are_quiet_in_down_steps() {
    mkdir -p m
    printf 'CREATE TABLE coupons (id bigint PRIMARY KEY);\nCREATE INDEX coupons_id ON coupons (id);\n' >m/001_coupons.up.sql
    printf 'DROP INDEX coupons_id;\nDROP TABLE coupons;\nSELEC 1;\n' >m/001_coupons.down.sql
    ml check --format gcc m
    expect_no_out "[drop-table]"
    expect_no_out "[non-concurrent-drop-index]"
    expect_out "m/001_coupons.down.sql:3:1: error: syntax error at or near \"SELEC\" [parse-error]"
}

# One ALTER TABLE, several columns, one cause: one finding per statement at
# the first column, naming every column, with a related location at each.
test_one_finding_per_statement_for_columns_of_one_cause() {
    mkdir -p m
    printf 'CREATE TABLE t (id int, a int, b int);\n' >m/001_t.sql
    printf "SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN c1 int NOT NULL,\n  ADD COLUMN c2 text NOT NULL,\n  ADD COLUMN c3 int DEFAULT 0 NOT NULL,\n  ADD COLUMN c4 bigint NOT NULL;\nALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER COLUMN b SET NOT NULL;\nALTER TABLE t ALTER COLUMN a DROP NOT NULL, ALTER COLUMN b DROP NOT NULL;\n" >m/002_cols.sql
    ml check --format json m
    python3 - "$OUT" <<'PY' || fail "json: $OUT"
import json, sys
f = json.loads(sys.argv[1])
by = {}
for d in f:
    by.setdefault(d["rule"], []).append(d)
a = by["add-column-not-null-no-default"]
assert len(a) == 1, a
a = a[0]
assert (a["line"], a["column"]) == (2, 33), a
assert a["message"].startswith("adding columns t.c1, t.c2 and t.c4 as NOT NULL without a DEFAULT fails as soon as t has a row"), a["message"]
assert [(r["line"], r["column"], r["message"]) for r in a["related"]] == [
    (2, 33, "column t.c1: NOT NULL without a DEFAULT"),
    (3, 22, "column t.c2: NOT NULL without a DEFAULT"),
    (5, 24, "column t.c4: NOT NULL without a DEFAULT")], a["related"]
s = by["set-not-null"]
assert len(s) == 1 and (s[0]["line"], s[0]["column"]) == (6, 28), s
assert s[0]["message"].startswith("setting NOT NULL on t.a and t.b scans every row"), s[0]["message"]
assert [r["line"] for r in s[0]["related"]] == [6, 6], s[0]["related"]
n = by["drop-not-null"]
assert len(n) == 1 and (n[0]["line"], n[0]["column"]) == (7, 28), n
assert n[0]["message"].startswith("dropping NOT NULL on t.a and t.b: code that assumes they are never NULL"), n[0]["message"]
PY
}
