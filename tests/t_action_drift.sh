# t_action_drift.sh - the scheduled drift workflow
# (github-action/examples/nightly-drift.yml): its YAML parsed and checked
# (schedule trigger, default branch, the action with command: drift), then
# its drift step run the way action.yml runs it (github-action/run.sh with
# the step's `with:` as INPUT_* variables, on a schedule event) against a
# fixture project: clean, then with a hand edit, the exit code, outputs and
# job summary checked.

WORKFLOW=$ROOT/github-action/examples/nightly-drift.yml

# Prints the drift step's inputs as INPUT_NAME=value lines (action.yml's
# env mapping), after checking the workflow's shape.
__workflow_inputs() {
    python3 - "$WORKFLOW" "$ROOT/github-action/action.yml" <<'PY'
import re, sys, yaml
w = yaml.safe_load(open(sys.argv[1]))
a = yaml.safe_load(open(sys.argv[2]))
on = w.get("on", w.get(True))  # YAML 1.1 reads a bare `on` key as true
cron = on["schedule"][0]["cron"]
assert len(cron.split()) == 5, cron
assert "workflow_dispatch" in on
assert "pull_request" not in on and "push" not in on, on
assert w["permissions"] == {"contents": "read"}, w["permissions"]
(job,) = w["jobs"].values()
steps = job["steps"]
checkout = steps[0]
assert checkout["uses"].startswith("actions/checkout@")
assert checkout["with"]["ref"] == "${{ github.event.repository.default_branch }}"
drift = next(s for s in steps if "github-action@" in s.get("uses", ""))
assert drift["with"]["command"] == "drift", drift
assert a["inputs"]["command"]["default"] == "check"
for k, v in drift["with"].items():
    assert k in a["inputs"], k
    print("INPUT_%s=%s" % (k.upper().replace("-", "_"), v))
PY
}

# Runs the drift step as action.yml would (INPUT_DEFER_EXIT as it sets it
# is left to the caller); $OUT, $ERR, $RC.
__run_drift_step() {
    local inputs
    inputs=$(__workflow_inputs) || { fail "workflow: $inputs"; return 1; }
    : >"$T/summary.md" && : >"$T/output.txt"
    # shellcheck disable=SC2046
    OUT=$(env GITHUB_ACTIONS=true GITHUB_EVENT_NAME=schedule GITHUB_REF=refs/heads/main \
        GITHUB_WORKSPACE="$PWD" GITHUB_STEP_SUMMARY="$T/summary.md" GITHUB_OUTPUT="$T/output.txt" \
        RUNNER_TEMP="$T/tmp" MIGRALINT="$MIGRALINT" $inputs "$@" \
        bash "$ROOT/github-action/run.sh" 2>"$T/.stderr")
    RC=$?
    ERR=$(cat "$T/.stderr")
}

test_nightly_workflow_yaml() {
    local inputs
    inputs=$(__workflow_inputs) || fail "workflow: $inputs"
    grep -qx 'INPUT_COMMAND=drift' <<<"$inputs" || fail "inputs: $inputs"
    grep -qx 'INPUT_FAIL_ON=warning' <<<"$inputs" || fail "inputs: $inputs"
}

__prisma_repo() {
    mkdir -p "$T/tmp"
    cp -R "$FIXTURES/drift/prisma" "$T/p"
    cd "$T/p" || return 1
    rm -f edit.sed edited.expect
    git_repo .
    git add -A && git commit -qm init
}

test_nightly_drift_clean_then_edited() {
    __prisma_repo || return
    __run_drift_step
    expect_rc 0
    expect_eq "findings=0
sarif-dir=
exit-code=0" "$(cat "$T/output.txt")" "outputs (clean)"
    local s
    s=$(cat "$T/summary.md")
    grep -qF '0 findings (0 errors, 0 warnings, 0 notes)' <<<"$s" || fail "summary: $s"
    grep -qF 'Drift: the declared schema against the migrations on `main` (fail on warning).' <<<"$s" ||
        fail "summary: $s"
    # a hand edit of the schema on the default branch fails the job
    sed -i -f "$FIXTURES/drift/prisma/edit.sed" prisma/schema.prisma
    git commit -qam "edit the schema"
    __run_drift_step
    expect_rc 1
    expect_out "::error file=prisma/schema.prisma,line=14,col=3,"
    expect_out "title=drift-column-type::users.email is character varying(320) in prisma/schema.prisma"
    s=$(cat "$T/summary.md")
    grep -qF '### prisma/schema.prisma' <<<"$s" || fail "summary: $s"
    grep -qF '| 14 | error | [`drift-column-type`]' <<<"$s" || fail "summary row: $s"
    local n
    n=$(sed -n 's/^findings=//p' "$T/output.txt")
    [ "${n:-0}" -gt 0 ] || fail "outputs: $(cat "$T/output.txt")"
    grep -qx 'exit-code=1' "$T/output.txt" || fail "outputs: $(cat "$T/output.txt")"
    # as action.yml runs it: exit 0, the last step fails the job on exit-code
    __run_drift_step INPUT_DEFER_EXIT=true
    expect_rc 0
    grep -qx 'exit-code=1' "$T/output.txt" || fail "outputs: $(cat "$T/output.txt")"
}

# A project whose declaration cannot be found: the job fails with exit 3
# and an error annotation, never a silent pass.
test_nightly_drift_nothing_found() {
    mkdir -p "$T/tmp" "$T/e/migrations" && cd "$T/e" || return
    git_repo .
    echo 'CREATE TABLE t (id int);' >migrations/0001_t.sql
    __run_drift_step
    expect_rc 3
    expect_out "::error title=migralint::migralint drift failed with exit code 2"
}
