# t_report.sh - the output formats (--format text, gcc, json, sarif, github,
# junit):
# exact gcc lines, the text code frame and its carets, the JSON keys, the
# GitHub workflow-command escaping and job summary, and SARIF that validates
# against the official SARIF 2.1.0 JSON schema.
#
# The schema comes from the npm registry (@microsoft/jest-sarif ships it),
# pinned by version and sha512, and is cached under build/test-deps/; it is
# never committed. Validation needs python3-jsonschema (scripts/setup.sh).

# The github format appends to $GITHUB_STEP_SUMMARY; when the suite itself
# runs in GitHub Actions, tests must not write into the real job summary.
unset GITHUB_STEP_SUMMARY

SARIF_PKG=@microsoft/jest-sarif@1.0.0-beta.0
SARIF_PKG_SHA512=0357ce84f77a21ce620e4e05f583f0d6a341e1717eefe22f891ef197caf617a433424c7972963d2ec1a4dab1318852047016e3a559d29b058606e9004a4890f4
SARIF_SCHEMA_IN_PKG=package/lib/schemas/sarif-2.1.0-rtm.5.json

# mig FILE FORMAT [ARGS]: writes a migration whose line 1 sets lock_timeout,
# as a careful migration does (so missing-lock-timeout stays quiet and only
# the rule under test speaks), and whose body from line 2 on is printf's.
mig() {
    local f=$1
    shift
    { echo "SET lock_timeout = '5s';"; printf -- "$@"; } >"$f"
}

# The migration most tests use: drop-column on line 3 (the column name, at
# column 35) and non-concurrent-index on line 4 (the statement, column 1).
write_migration() {
    mig "$1" '-- 0002: drop the fax column and index orders\nALTER TABLE customers DROP COLUMN fax;\nCREATE INDEX idx ON orders (created_at);\n'
}

# Prints the path of the cached schema, fetching it once. Fails loudly
# rather than skipping: a SARIF test that validates nothing proves nothing.
sarif_schema() {
    local dir="$ROOT/build/test-deps" schema="$ROOT/build/test-deps/sarif-2.1.0-rtm.5.json"
    if [ ! -s "$schema" ]; then
        mkdir -p "$dir" || return 1
        local tmp
        tmp=$(mktemp -d "$dir/fetch.XXXXXX") || return 1
        (cd "$tmp" && npm pack --silent "$SARIF_PKG" >pack.log 2>&1) ||
            { echo "npm pack $SARIF_PKG failed: $(cat "$tmp/pack.log")" >&2; rm -rf "$tmp"; return 1; }
        local tgz sum
        tgz=$(ls "$tmp"/*.tgz)
        sum=$(sha512sum "$tgz" | cut -d' ' -f1)
        if [ "$sum" != "$SARIF_PKG_SHA512" ]; then
            echo "$SARIF_PKG: sha512 $sum, want $SARIF_PKG_SHA512" >&2
            rm -rf "$tmp"
            return 1
        fi
        tar -xzf "$tgz" -C "$tmp" "$SARIF_SCHEMA_IN_PKG" && mv "$tmp/$SARIF_SCHEMA_IN_PKG" "$schema"
        rm -rf "$tmp"
    fi
    [ -s "$schema" ] && echo "$schema"
}

# sarif_validate FILE: exit 0 when FILE is valid against the official
# schema; prints the errors otherwise. The validator class is the draft the
# schema declares in its "$schema" (draft-04 for this file).
sarif_validate() {
    local schema
    schema=$(sarif_schema) || { echo "cannot get the SARIF schema" >&2; return 2; }
    python3 - "$schema" "$1" <<'PY'
import json, sys
try:
    import jsonschema
except ImportError:
    sys.exit("python3-jsonschema is not installed (scripts/setup.sh installs it)")
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
v = cls(schema, format_checker=cls.FORMAT_CHECKER)
errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
for e in errors[:20]:
    print("%s: %s" % ("/".join(map(str, e.absolute_path)), e.message))
sys.exit(1 if errors else 0)
PY
}

# py CODE: runs Python with the last stdout ($OUT) on stdin; assertion
# failures come back as test failures.
py() {
    local msg
    msg=$(PYTHONUTF8=1 python3 -c "$1" <<<"$OUT" 2>&1) || fail "python check failed: $msg"
}

# --- gcc ---------------------------------------------------------------------

test_gcc_exact_lines() {
    write_migration m.sql
    ml check --format gcc m.sql
    expect_rc 1
    expect_eq "m.sql:3:35: error: dropping column customers.fax [drop-column]" \
        "$(sed -n 1p <<<"$OUT")" "line 1"
    grep -qE '^m\.sql:4:1: (error|warning|note): creating index idx on orders .* \[non-concurrent-index\]$' \
        <<<"$(sed -n 2p <<<"$OUT")" || fail "line 2: $(sed -n 2p <<<"$OUT")"
    expect_eq 2 "$(wc -l <<<"$OUT")" "line count (no summary line)"
}

test_gcc_keeps_one_finding_per_line() {
    # A quoted identifier may hold a line break; the line format must survive.
    mig m.sql 'DROP TABLE "a\nb";\n'
    ml check --format gcc m.sql
    expect_eq "m.sql:2:12: error: dropping table a b [drop-table]" "$OUT"
}

test_gcc_is_silent_when_clean() {
    printf 'SELECT 1;\n' >m.sql
    ml check --format gcc m.sql
    expect_rc 0
    expect_eq "" "$OUT" "stdout"
}

# --- text --------------------------------------------------------------------

# check_carets LINE WORD: in the text frame, the caret run under source line
# LINE starts under WORD and is as long as WORD, counting code points (a tab
# in the source is copied into the caret line, so it counts as one).
check_carets() {
    py "
import sys
out = sys.stdin.read().split('\n')
src = [i for i, l in enumerate(out) if l.startswith(' $1 | ')]
assert src, 'no source line $1 in output'
i = src[0]
line, carets = out[i][len(' $1 | '):], out[i + 1]
assert carets.startswith('   | '), 'caret line: %r' % carets
carets = carets[len('   | '):]
start = line.index('$2')
assert carets[:start] == ''.join(c if c == '\t' else ' ' for c in line[:start]), 'prefix %r' % carets
assert carets[start:] == '^' * len('$2'), 'carets %r under %r' % (carets, line)
"
}

test_text_frame_and_carets() {
    write_migration m.sql
    ml check --format text m.sql
    expect_rc 1
    expect_out "error[drop-column]: dropping column customers.fax"
    expect_out "  --> m.sql:3:35"
    expect_out " 3 | ALTER TABLE customers DROP COLUMN fax;"
    expect_out "   = help: "
    check_carets 3 fax
    expect_out "[non-concurrent-index]: creating index idx on orders"
    expect_out "  --> m.sql:4:1"
    py "
import sys
out = sys.stdin.read().split('\n')
i = out.index(' 4 | CREATE INDEX idx ON orders (created_at);')
assert out[i + 1].startswith('   | ^'), repr(out[i + 1])
"
}

test_text_carets_align_after_tabs_and_multibyte() {
    mig m.sql '\t\tDROP TABLE "wé";\n'
    ml check --format text m.sql
    check_carets 2 '"wé"'
    mig n.sql 'SELECT 2;\nSELECT 3;\nSELECT 4;\nSELECT 5;\nSELECT 6;\nSELECT 7;\nSELECT 8;\nSELECT 9;\n\tDROP TABLE "é";\n'
    ml check --format text n.sql
    expect_out "   --> n.sql:10:13"
    expect_out $' 10 | \tDROP TABLE "é";'
    py "
import sys
out = sys.stdin.read().split('\n')
i = [k for k, l in enumerate(out) if l.startswith(' 10 | ')][0]
assert out[i - 1] == '    |', repr(out[i - 1])
assert out[i + 1] == '    | \t           ^^^', repr(out[i + 1])
"
}

test_text_summary_wording() {
    mig one.sql 'ALTER TABLE customers DROP COLUMN fax;\n'
    ml check --format text one.sql
    expect_eq "1 file checked: 1 error, 0 warnings, 0 notes" "$(tail -1 <<<"$OUT")" "summary"
    mig two.sql 'DROP TABLE a;\nDROP TABLE b;\n'
    printf 'SELECT 1;\n' >clean.sql
    ml check --format text one.sql two.sql clean.sql
    expect_eq "3 files checked: 3 errors, 0 warnings, 0 notes" "$(tail -1 <<<"$OUT")" "summary"
    ml check --format text clean.sql
    expect_rc 0
    expect_eq "1 file checked: no findings" "$OUT" "clean output"
}

test_text_no_escape_bytes_unless_coloured() {
    write_migration m.sql
    # An escape sequence hidden in an identifier must not reach the terminal.
    mig evil.sql 'DROP TABLE "x\033[2Jy";\n'
    ml check --format text m.sql evil.sql
    case "$OUT" in *$'\033'*) fail "ESC byte in piped text output" ;; esac
    expect_out "dropping table x?[2Jy"
    NO_COLOR=1 ml check --format text m.sql
    case "$OUT" in *$'\033'*) fail "ESC byte with NO_COLOR" ;; esac
    command -v script >/dev/null || return 0
    script -qec "$MIGRALINT check --format text m.sql evil.sql" /dev/null >tty.out 2>&1
    grep -q $'\033\\[1;31merror\\[drop-column\\]' tty.out || fail "no bold red error on a tty: $(cat -v tty.out | head -3)"
    if grep -q $'x\033\\[2J' tty.out; then fail "identifier's escape sequence reached the tty"; fi
    NO_COLOR=1 script -qec "$MIGRALINT check --format text m.sql" /dev/null >tty2.out 2>&1
    if grep -q $'\033' tty2.out; then fail "colour despite NO_COLOR"; fi
    script -qec "$MIGRALINT check --format text --no-color m.sql" /dev/null >tty3.out 2>&1
    if grep -q $'\033' tty3.out; then fail "colour despite --no-color"; fi
}

# --- json --------------------------------------------------------------------

test_json_keys_and_values() {
    write_migration m.sql
    ml check --format json m.sql
    expect_rc 1
    py "
import json, re, sys
a = json.load(sys.stdin)
assert isinstance(a, list) and len(a) == 2, a
d = a[0]
assert list(d) == ['rule', 'level', 'path', 'line', 'column', 'end_line', 'end_column',
                   'message', 'help', 'fingerprint', 'risk', 'related'], list(d)
want = {'rule': 'drop-column', 'level': 'error', 'path': 'm.sql', 'line': 3, 'column': 35,
        'end_line': 3, 'end_column': 38, 'message': 'dropping column customers.fax',
        'related': []}
for k, v in want.items():
    assert d[k] == v, (k, d[k], v)
assert isinstance(d['help'], str) and d['help'], d['help']
assert re.fullmatch('[0-9a-f]{16}', d['fingerprint']), d['fingerprint']
assert a[1]['rule'] == 'non-concurrent-index' and (a[1]['line'], a[1]['column']) == (4, 1), a[1]
assert a[0]['fingerprint'] != a[1]['fingerprint']
"
}

test_json_empty_array_and_suppressed_left_out() {
    mig m.sql '-- migralint-ignore drop-table: archived table, unused since 2021\nDROP TABLE t;\n'
    ml check --format json m.sql
    expect_rc 0
    expect_eq "[]" "$OUT" "json"
}

test_json_strings_are_escaped() {
    mig m.sql 'DROP TABLE "q""x\nz";\n'
    ml check --format json m.sql
    py '
import json, sys
m = json.load(sys.stdin)[0]["message"]
assert "\"" in m and "\n" in m, repr(m)
'
}

# --- junit -------------------------------------------------------------------

test_junit_suites_cases_and_failures() {
    write_migration m.sql
    mig clean.sql 'CREATE TABLE t (id bigint);\n'
    ml check --format junit m.sql clean.sql
    expect_rc 1
    py '
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.read())
assert root.tag == "testsuites" and root.get("failures") == "2", root.attrib
assert root.get("tests") == "3", root.attrib
suites = {s.get("name"): s for s in root.findall("testsuite")}
assert sorted(suites) == ["clean.sql", "m.sql"], sorted(suites)
cases = suites["m.sql"].findall("testcase")
assert [c.get("name") for c in cases][0] == "drop-column at line 3, column 35", cases[0].attrib
f = cases[0].find("failure")
assert f.get("type") == "error", f.attrib
assert f.get("message") == "dropping column customers.fax [drop-column]", f.get("message")
assert f.text.startswith("m.sql:3:35: error: dropping column customers.fax\nhelp: "), f.text
assert cases[0].get("file") == "m.sql" and cases[0].get("line") == "3", cases[0].attrib
clean = suites["clean.sql"].findall("testcase")
assert len(clean) == 1 and clean[0].find("failure") is None, ET.tostring(suites["clean.sql"])
'
}

test_junit_escapes_markup_and_control_bytes() {
    mig m.sql 'DROP TABLE "a<b>&""c\001d";\n'
    ml check --format junit m.sql
    py '
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.read())
m = root.find("testsuite/testcase/failure").get("message")
assert "a<b>&\"c?d" in m, repr(m)
'
}

test_gcc_cleans_control_bytes_and_keeps_utf8() {
    # C0 controls, DEL and C1 controls (U+0085) become '?'; a tab, a
    # no-break space (U+00A0) and an e-acute stay as they are.
    mig m.sql 'DROP TABLE "a\001b\177c\302\205d\302\240e\303\251f\tg";\n'
    ml check --format gcc m.sql
    expect_rc 1
    expect_out "$(printf 'm.sql:2:12: error: dropping table a?b?c?d\302\240e\303\251f\tg [drop-table]')"
}

# --- github ------------------------------------------------------------------

test_github_annotations_and_escaping() {
    mkdir -p 'a,b:c'
    mig 'a,b:c/m.sql' 'DROP TABLE "50%%";\nDROP INDEX idx_old;\n'
    ml check --format github 'a,b:c/m.sql'
    expect_rc 1
    local first
    first=$(sed -n 1p <<<"$OUT")
    case "$first" in
    '::error file=a%2Cb%3Ac/m.sql,line=2,col=12,endLine=2,endColumn=17,title=drop-table::dropping table 50%25%0A'*) ;;
    *) fail "first annotation: $first" ;;
    esac
    grep -q '^::warning file=a%2Cb%3Ac/m.sql,line=3,col=1,.*title=non-concurrent-drop-index::' <<<"$OUT" ||
        fail "warning annotation missing: $OUT"
    expect_eq "migralint: 2 findings (1 error, 1 warning, 0 notes) in 1 file" "$(tail -1 <<<"$OUT")" "summary"
    expect_eq 3 "$(wc -l <<<"$OUT")" "line count"
}

test_github_escapes_line_breaks_in_messages() {
    mig m.sql 'DROP TABLE "x\ny";\n'
    ml check --format github m.sql
    expect_out "::error file=m.sql,line=2,col=12,endLine=3,endColumn=3,title=drop-table::dropping table x%0Ay%0A"
    expect_eq 2 "$(wc -l <<<"$OUT")" "line count"
}

test_github_step_summary() {
    mig a.sql 'DROP TABLE "x|y";\nDROP TABLE t;\n'
    mig b.sql 'ALTER TABLE customers DROP COLUMN fax;\n'
    printf 'earlier step\n' >summary.md
    GITHUB_STEP_SUMMARY=$T/summary.md ml check --format github a.sql b.sql
    expect_rc 1
    expect_eq "migralint: 3 findings (3 errors, 0 warnings, 0 notes) in 2 files" "$(tail -1 <<<"$OUT")"
    local url=https://github.com/migralint/migralint/blob/main/rules
    local want
    want=$(cat <<EOF
earlier step
## migralint

3 findings (3 errors, 0 warnings, 0 notes) in 2 files.

### a.sql (critical risk)

| Line | Level | Rule | Message |
| ---: | --- | --- | --- |
| 2 | error | [\`drop-table\`]($url/drop-table.md) | dropping table x\|y |
| 3 | error | [\`drop-table\`]($url/drop-table.md) | dropping table t |

### b.sql (critical risk)

| Line | Level | Rule | Message |
| ---: | --- | --- | --- |
| 2 | error | [\`drop-column\`]($url/drop-column.md) | dropping column customers.fax |
EOF
)
    expect_eq "$want" "$(cat summary.md)" "job summary"
}

test_github_without_findings_or_summary_file() {
    printf 'SELECT 1;\n' >a.sql
    ml check --format github a.sql
    expect_rc 0
    expect_eq "migralint: 0 findings (0 errors, 0 warnings, 0 notes) in 1 file" "$OUT"
    GITHUB_STEP_SUMMARY=$T/no/such/dir/summary.md ml check --format github a.sql
    expect_rc 0
    expect_err "GITHUB_STEP_SUMMARY"
}

# --- sarif -------------------------------------------------------------------

test_sarif_validates_against_the_official_schema() {
    write_migration m.sql
    mig 'n 2.sql' 'DROP TABLE "wé";\nDROP INDEX i;\n'
    ml check --format sarif --output out.sarif m.sql 'n 2.sql'
    expect_rc 1
    local msg
    msg=$(sarif_validate out.sarif) || fail "schema validation failed: $msg"
    # An empty run is valid too.
    printf 'SELECT 1;\n' >clean.sql
    ml check --format sarif --output clean.sarif clean.sql
    msg=$(sarif_validate clean.sarif) || fail "schema validation failed (no results): $msg"
}

test_sarif_validation_failure_is_detected() {
    write_migration m.sql
    ml check --format sarif --output good.sarif m.sql
    sarif_validate good.sarif >/dev/null || fail "valid SARIF rejected"
    python3 - <<'PY'
import json
d = json.load(open("good.sarif"))
del d["runs"][0]["results"][0]["message"]          # required by the schema
json.dump(d, open("no-message.sarif", "w"))
d = json.load(open("good.sarif"))
d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
json.dump(d, open("line-zero.sarif", "w"))
d = json.load(open("good.sarif"))
d["version"] = "2.0.0"
json.dump(d, open("old-version.sarif", "w"))
PY
    for f in no-message line-zero old-version; do
        local rc=0
        sarif_validate $f.sarif >$f.log || rc=$?
        [ "$rc" -eq 1 ] || fail "$f.sarif: validator exit $rc, want 1: $(cat $f.log)"
    done
}

test_sarif_rules_results_and_regions() {
    git_repo repo
    mkdir -p repo/db/migrations repo/app
    write_migration 'repo/db/migrations/0002 drop fax.sql'
    cd repo/app
    ml check --format sarif ../db/migrations
    expect_rc 1
    py "
import json, sys
log = json.load(sys.stdin)
assert log['version'] == '2.1.0'
assert log['\$schema'] == 'https://json.schemastore.org/sarif-2.1.0.json'
assert len(log['runs']) == 1
run = log['runs'][0]
drv = run['tool']['driver']
assert drv['name'] == 'migralint' and drv['version'] and drv['informationUri'].startswith('https://')
rules = drv['rules']
ids = [r['id'] for r in rules]
assert ids == sorted(ids) and len(set(ids)) == len(ids), ids
for must in ('drop-column', 'non-concurrent-index', 'parse-error', 'drop-table'):
    assert must in ids, must
for r in rules:
    for k in ('shortDescription', 'fullDescription'):
        assert r[k]['text'], (r['id'], k)
    assert r['help']['text'] and r['help']['markdown'], r['id']
    assert r['helpUri'].endswith('/' + r['id'] + '.md'), r['helpUri']
    assert r['defaultConfiguration']['level'] in ('error', 'warning', 'note')
    assert len(r['properties']['tags']) == 1, r['properties']
    assert 'security-severity' not in r['properties'], r['id']
assert rules[ids.index('drop-column')]['name'] == 'DropColumn'
assert run['columnKind'] == 'unicodeCodePoints'
assert '%SRCROOT%' in run['originalUriBaseIds']
res = run['results']
assert [r['ruleId'] for r in res] == ['drop-column', 'non-concurrent-index'], res
for r in res:
    assert rules[r['ruleIndex']]['id'] == r['ruleId'], r
    loc = r['locations'][0]['physicalLocation']
    assert loc['artifactLocation'] == {'uri': 'db/migrations/0002%20drop%20fax.sql',
                                       'uriBaseId': '%SRCROOT%'}, loc
    assert len(r['partialFingerprints']['migralintFingerprint/v1']) == 16
    assert 'suppressions' not in r
assert res[0]['level'] == 'error'
assert res[0]['message']['text'] == 'dropping column customers.fax'
assert res[0]['locations'][0]['physicalLocation']['region'] == {
    'startLine': 3, 'startColumn': 35, 'endLine': 3, 'endColumn': 38}, res[0]
reg = res[1]['locations'][0]['physicalLocation']['region']
assert (reg['startLine'], reg['startColumn']) == (4, 1), reg
"
}

test_sarif_fingerprints_survive_inserted_lines() {
    write_migration m.sql
    ml check --format sarif --output before.sarif m.sql
    { printf -- '-- an unrelated comment\nSELECT 1;\n\n'; cat m.sql; } >m2.sql
    mv m2.sql m.sql
    ml check --format sarif --output after.sarif m.sql
    py "
import json
def fp(name):
    res = json.load(open(name))['runs'][0]['results']
    return [(r['ruleId'], r['partialFingerprints'],
             r['locations'][0]['physicalLocation']['region']['startLine']) for r in res]
a, b = fp('before.sarif'), fp('after.sarif')
assert len(a) == 2, a
assert [x[:2] for x in a] == [x[:2] for x in b], (a, b)
assert [x[2] + 3 for x in a] == [x[2] for x in b], (a, b)
"
}

test_sarif_leaves_out_ignored_findings() {
    mig m.sql '-- migralint-ignore drop-column: fax was never read, see #123\nALTER TABLE customers DROP COLUMN fax;\nDROP TABLE t;\n'
    ml check --format sarif m.sql
    py "
import json, sys
res = json.load(sys.stdin)['runs'][0]['results']
assert [r['ruleId'] for r in res] == ['drop-table'], res
"
}

# --- all formats -------------------------------------------------------------

test_unknown_format_is_a_usage_error() {
    printf 'SELECT 1;\n' >a.sql
    ml check --format xml a.sql
    expect_rc 2
    expect_err "xml"
}

test_write_errors_are_reported() {
    [ -w /dev/full ] || return 0
    write_migration m.sql
    for f in text gcc json sarif github; do
        ml check --format $f --output /dev/full m.sql
        [ "$RC" -eq 3 ] || fail "--format $f to /dev/full: exit $RC, want 3"
    done
}

test_every_format_runs_clean_under_the_sanitizers() {
    write_migration m.sql
    mig n.sql 'DROP TABLE "wé";\n'
    for f in text gcc json sarif github; do
        ml check --format $f m.sql n.sql
        expect_rc 1
        [ -n "$OUT" ] || fail "--format $f printed nothing"
        [ -z "$ERR" ] || fail "--format $f wrote to stderr: $ERR"
    done
}
