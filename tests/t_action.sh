# t_action.sh - the GitHub Action: github-action/run.sh run locally with the
# variables a pull_request event sets, its SARIF files validated against the
# official 2.1.0 schema, its job summary and outputs checked by content;
# and action.yml's wiring of inputs, outputs and steps.
#
# test_action_pull_request needs `check --base` (the git branch, issue 5).

# sarif_validate comes from t_report.sh (schema fetched once, cached);
# sourced when called, so its tests are not collected twice.
action_sarif_validate() {
    (source "$ROOT/tests/t_report.sh" && sarif_validate "$1")
}

# origin (bare) has main with users; the clone has a feature branch that
# adds a destructive migration and a locking one.
action_repo() {
    git_repo seed
    mkdir -p seed/migrations
    echo 'CREATE TABLE users (id bigint PRIMARY KEY, email text, fax text);' \
        >seed/migrations/000001_users.up.sql
    echo 'DROP TABLE users;' >seed/migrations/000001_users.down.sql
    git -C seed add -A && git -C seed commit -qm users
    git clone -q --bare seed origin.git
    git clone -q "file://$T/origin.git" work
    cd work || return 1
    git config user.name tests && git config user.email tests@migralint.invalid
    git checkout -q -b feature
    printf "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN fax;\n" \
        >migrations/000002_drop_fax.up.sql
    echo 'ALTER TABLE users ADD COLUMN fax text;' >migrations/000002_drop_fax.down.sql
    printf "SET lock_timeout = '2s';\nCREATE INDEX users_email ON users (email);\n" \
        >migrations/000003_email_index.up.sql
    echo 'DROP INDEX users_email;' >migrations/000003_email_index.down.sql
    git add -A && git commit -qm feature
}

# Runs the action's script as a pull_request job would; $OUT, $ERR, $RC.
run_action() {
    : >"$T/summary.md" && : >"$T/output.txt"
    OUT=$(env GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request GITHUB_BASE_REF=main \
        GITHUB_HEAD_REF=feature GITHUB_REF=refs/pull/7/merge GITHUB_WORKSPACE="$PWD" \
        GITHUB_STEP_SUMMARY="$T/summary.md" GITHUB_OUTPUT="$T/output.txt" RUNNER_TEMP="$T/tmp" \
        "$@" bash "$ROOT/github-action/run.sh" 2>"$T/.stderr")
    RC=$?
    ERR=$(cat "$T/.stderr")
}

outputs() { cat "$T/output.txt"; }

test_action_pull_request() {
    action_repo
    run_action
    expect_rc 1
    expect_out "::error file=migrations/000002_drop_fax.up.sql,line=2,col=31,endLine=2,endColumn=34,title=drop-column::dropping column users.fax"
    expect_out "::error file=migrations/000003_email_index.up.sql,line=2,col=1,"
    expect_out "migralint: 2 findings (2 errors, 0 warnings, 0 notes) in 6 files"
    expect_no_out "000001_users"
    expect_eq "findings=2
sarif-dir=$T/tmp/migralint-sarif
exit-code=1" "$(outputs)" "outputs"
    local msg
    msg=$(action_sarif_validate "$T/tmp/migralint-sarif/migrations.sarif") || fail "SARIF: $msg"
    local s
    s=$(cat "$T/summary.md")
    grep -qF '### migrations/000002\_drop\_fax.up.sql (critical risk)' <<<"$s" || fail "summary: $s"
    grep -qF '### migrations/000003\_email\_index.up.sql (high risk)' <<<"$s" || fail "summary: $s"
    grep -qF '| 2 | error | [`drop-column`](https://github.com/migralint/migralint/blob/main/rules/drop-column.md) | dropping column users.fax |' <<<"$s" || fail "summary row: $s"
    grep -qF 'Checked `migrations` against `origin/main` (fail on error).' <<<"$s" || fail "summary: $s"
}

# Two folders from .migralint.json, no base: one SARIF file (and category)
# per folder, each valid; the summary lists each migration with its risk.
test_action_sarif_per_folder() {
    git_repo repo
    cd repo || return
    mkdir -p db/migrations reports/migrations
    printf -- '-- +goose Up\nCREATE INDEX a_x ON accounts (x);\n-- +goose Down\nDROP INDEX a_x;\n' \
        >db/migrations/20240101000000_index.sql
    echo 'ALTER TABLE reports RENAME TO old_reports;' >reports/migrations/000001_rename.up.sql
    echo 'ALTER TABLE old_reports RENAME TO reports;' >reports/migrations/000001_rename.down.sql
    echo '{"migrations": ["db/migrations", "reports/migrations"]}' >.migralint.json
    git add -A && git commit -qm init
    run_action INPUT_BASE=none INPUT_FAIL_ON=warning INPUT_DEFER_EXIT=true
    expect_rc 0 # deferred: action.yml fails the job after the upload
    expect_eq "findings=3
sarif-dir=$T/tmp/migralint-sarif
exit-code=1" "$(outputs)" "outputs"
    expect_eq "db-migrations.sarif
reports-migrations.sarif" "$(ls "$T/tmp/migralint-sarif")" "SARIF files"
    local f msg
    for f in "$T"/tmp/migralint-sarif/*.sarif; do
        msg=$(action_sarif_validate "$f") || fail "SARIF $f: $msg"
    done
    expect_eq '"migralint/db/migrations/" ["non-concurrent-index"]' \
        "$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]; print(json.dumps(r["automationDetails"]["id"]), json.dumps([x["ruleId"] for x in r["results"]]))' "$T/tmp/migralint-sarif/db-migrations.sarif")" "db category"
    expect_eq '"migralint/reports/migrations/" ["missing-lock-timeout", "rename-table"]' \
        "$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]; print(json.dumps(r["automationDetails"]["id"]), json.dumps(sorted(x["ruleId"] for x in r["results"])))' "$T/tmp/migralint-sarif/reports-migrations.sarif")" "reports category"
    local s
    s=$(cat "$T/summary.md")
    grep -qF '3 findings (2 errors, 1 warning, 0 notes) in 3 files.' <<<"$s" || fail "totals: $s"
    grep -qF '### db/migrations/20240101000000\_index.sql (high risk)' <<<"$s" || fail "summary: $s"
    grep -qF '### reports/migrations/000001\_rename.up.sql (critical risk)' <<<"$s" || fail "summary: $s"
    grep -qF 'Checked `db/migrations`, `reports/migrations` (fail on warning).' <<<"$s" || fail "summary: $s"
    # annotations off: no workflow commands, the summary stays
    run_action INPUT_BASE=none INPUT_ANNOTATIONS=false INPUT_PATHS=db/migrations
    expect_rc 1
    expect_no_out "::"
    grep -qF '### db/migrations/20240101000000\_index.sql (high risk)' "$T/summary.md" ||
        fail "no summary without annotations"
    expect_eq "findings=1" "$(head -1 "$T/output.txt")" "findings for one folder"
}

test_action_shallow_checkout() {
    action_repo
    cd "$T" && git clone -q --depth 1 "file://$T/origin.git" shallow && cd shallow || return
    run_action
    expect_rc 3
    expect_out "::error title=migralint::the checkout is shallow, so the merge base with origin/main cannot be computed; check out with actions/checkout and fetch-depth: 0"
    [ ! -s "$T/output.txt" ] || fail "outputs written: $(outputs)"
}

test_action_base_branch_not_fetched() {
    action_repo
    run_action GITHUB_BASE_REF=release
    expect_rc 3
    expect_out "::error title=migralint::the base revision origin/release is not in the checkout; check out with actions/checkout and fetch-depth: 0 (or fetch origin/release first)"
}

test_action_no_migrations() {
    git_repo repo
    cd repo || return
    run_action INPUT_BASE=none
    expect_rc 3
    expect_out "::error title=migralint::"
}

# action.yml: a composite action whose inputs all reach run.sh, whose
# outputs come from its outputs, and which uploads before it fails.
test_action_yml_wiring() {
    python3 - "$ROOT/github-action" <<'PY' || fail "action.yml"
import os, re, sys, yaml
d = sys.argv[1]
a = yaml.safe_load(open(os.path.join(d, "action.yml")))
run = open(os.path.join(d, "run.sh")).read()
assert a["runs"]["using"] == "composite"
steps = a["runs"]["steps"]
names = [s.get("id") or s.get("uses", "").split("@")[0] or s["name"] for s in steps]
check = next(s for s in steps if s.get("id") == "check")
assert "github-action/run.sh" in check["run"], check["run"]
for name in a["inputs"]:
    if name == "upload-sarif":
        continue
    var = "INPUT_" + name.upper().replace("-", "_")
    assert check["env"].get(var) == "${{ inputs.%s }}" % name, (name, check["env"])
    assert var in run, var
    assert "-e " + var in check["run"], var
for out, key in [("findings", "findings"), ("sarif", "sarif-dir"), ("exit-code", "exit-code")]:
    assert a["outputs"][out]["value"] == "${{ steps.check.outputs.%s }}" % key, out
    assert "output %s " % key in run, key
upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
fail = steps[-1]
assert steps.index(upload) < steps.index(fail) and "always()" in upload["if"], upload
assert upload["with"]["sarif_file"] == "${{ steps.check.outputs.sarif-dir }}"
assert "exit-code" in fail["if"] and 'exit "${CODE' in fail["run"]
cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
assert "steps.version.outputs.version" in cache["with"]["key"]
assert os.path.exists(os.path.join(d, "Dockerfile"))
PY
}
