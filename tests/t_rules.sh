# t_rules.sh - every rule against its fixtures: fixtures/rules/<id>/ holds
# bad.sql (or a bad/ migrations folder for migration-level rules), bad.expect
# written by hand ("LINE:COL rule-id", or "PATH:LINE:COL rule-id" for
# folders), and good.sql (or good/) that must produce no finding at all.

# Opt-in rules are enabled for their own fixtures.
rule_flags() {
    if grep -q '^opt-in: true' "$ROOT/rules/$1.md"; then echo "--rule $1"; fi
}

test_bad_fixtures() {
    local dir id
    for dir in "$FIXTURES"/rules/*/; do
        id=$(basename "$dir")
        if [ -d "$dir/bad" ]; then
            rm -rf bad && cp -R "$dir/bad" bad
            # shellcheck disable=SC2046
            expect_findings "$dir/bad.expect" $(rule_flags "$id") bad
        else
            # shellcheck disable=SC2046
            expect_findings "$dir/bad.expect" $(rule_flags "$id") "$dir/bad.sql"
        fi
        grep -q " $id\$" "$dir/bad.expect" || fail "$id: bad.expect never names $id"
    done
}

test_good_fixtures() {
    local dir id target
    for dir in "$FIXTURES"/rules/*/; do
        id=$(basename "$dir")
        target="$dir/good.sql"
        if [ -d "$dir/good" ]; then
            rm -rf good && cp -R "$dir/good" good && target=good
        fi
        # shellcheck disable=SC2046
        ml check --format gcc $(rule_flags "$id") "$target"
        [ "$RC" -eq 0 ] && [ -z "$OUT" ] || fail "$id: good fixture not clean (rc $RC): $OUT"
    done
}

test_every_rule_has_doc_and_fixtures() {
    local doc id
    for doc in "$ROOT"/rules/*.md; do
        id=$(basename "$doc" .md)
        grep -q "^id: $id\$" "$doc" || fail "$doc: front matter id is not $id"
        [ -f "$FIXTURES/rules/$id/bad.expect" ] || fail "$id: no fixtures/rules/$id/bad.expect"
        [ -e "$FIXTURES/rules/$id/good.sql" ] || [ -d "$FIXTURES/rules/$id/good" ] ||
            fail "$id: no good fixture"
        for section in "## Why it hurts" "## Safe alternative" "## Examples"; do
            grep -qF "$section" "$doc" || fail "$id: doc lacks '$section'"
        done
    done
    ml rules
    local listed docs
    listed=$(awk '{print $1}' <<<"$OUT" | sort)
    docs=$(cd "$ROOT/rules" && ls -- *.md | sed 's/\.md$//' | sort)
    expect_eq "$docs" "$listed" "rules listed by \`migralint rules\`"
    # Every registered rule file has a document (the registry names C identifiers).
    local c
    for c in $(sed -nE 's/^RULE\(([a-z_]+)\)$/\1/p' "$ROOT/src/rules/registry.def"); do
        [ -f "$ROOT/rules/${c//_/-}.md" ] || fail "registry rule ${c//_/-} has no rules/${c//_/-}.md"
    done
}

test_explain() {
    ml explain drop-column
    expect_rc 0
    expect_out "# drop-column"
    expect_out "Safe alternative"
    ml explain no-such-rule
    expect_rc 2
    expect_err "unknown rule 'no-such-rule'"
}

test_readme_rule_table_is_current() {
    local want got
    want=$(bash "$ROOT/tools/rules-table.sh")
    got=$(sed -n '/<!-- rules-table:begin -->/,/<!-- rules-table:end -->/p' "$ROOT/README.md" | sed '1d;$d')
    [ "$want" = "$got" ] || fail "README.md rule table is stale: run tools/rules-table.sh --update"
}

test_destructive_and_locking_rules_are_quiet_in_down_steps() {
    mkdir -p m
    printf 'CREATE TABLE coupons (id bigint PRIMARY KEY);\nCREATE INDEX coupons_id ON coupons (id);\n' >m/001_coupons.up.sql
    printf 'DROP INDEX coupons_id;\nDROP TABLE coupons;\nSELEC 1;\n' >m/001_coupons.down.sql
    ml check --format gcc m
    expect_no_out "[drop-table]"
    expect_no_out "[non-concurrent-drop-index]"
    expect_out "m/001_coupons.down.sql:3:1: error: syntax error at or near \"SELEC\" [parse-error]"
}
