#!/usr/bin/env bash
# run.sh - the GitHub Action's logic (action.yml runs it; tests run it
# locally with the variables a pull_request event sets).
#
# For each migrations folder: a SARIF file for code scanning whose
# runAutomationDetails.id ("migralint/<folder>/") is its category, so each
# folder's alerts are tracked apart; then one `--format github` run over
# every folder for the annotations, the job summary ($GITHUB_STEP_SUMMARY)
# and the exit code.
#
# With INPUT_COMMAND=drift (the scheduled workflow, examples/nightly-drift.yml)
# it runs `migralint drift --format github` instead: the ORM models or schema
# dump against the schema the migrations build, no base and no SARIF.
#
# Inputs (environment):
#   INPUT_COMMAND      check (default) | drift
#   INPUT_PATHS        folders, whitespace-separated; empty: those `migralint
#                      status` finds (.migralint.json, else the usual names)
#   INPUT_BASE         revision to compare with; empty: origin/$GITHUB_BASE_REF
#                      on pull_request events, nothing otherwise; "none": nothing
#   INPUT_CHANGED_ONLY true: report only migrations changed since the base
#   INPUT_FAIL_ON      error (default) | warning | note | none
#   INPUT_CONFIG       a .migralint.json to use instead of the nearest one
#   INPUT_ANNOTATIONS  false: no workflow commands (the summary stays)
#   INPUT_ARGS         more `migralint check` options, e.g. "--rule prefer-bigint"
#   INPUT_SARIF_DIR    where the SARIF files go (default $RUNNER_TEMP/migralint-sarif)
#   INPUT_DEFER_EXIT   true: exit 0 and leave the exit code in the outputs
#                      (action.yml fails the job after uploading the SARIF)
#   MIGRALINT          the binary (default: migralint on PATH)
# Outputs ($GITHUB_OUTPUT): findings, sarif-dir, exit-code.
set -uo pipefail

ml=${MIGRALINT:-migralint}
fail_on=${INPUT_FAIL_ON:-error}
sarif_dir=${INPUT_SARIF_DIR:-${RUNNER_TEMP:-/tmp}/migralint-sarif}

say() { printf 'migralint: %s\n' "$*" >&2; }
# A problem with the setup: an error annotation and exit 3 (input that could
# not be read), as `migralint check` itself does.
die() {
    printf '::error title=migralint::%s\n' "$*"
    say "$*"
    exit 3
}
output() {
    [ -n "${GITHUB_OUTPUT:-}" ] && printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
    return 0
}

common=()
[ -n "${INPUT_CONFIG:-}" ] && common+=(--config "$INPUT_CONFIG")
read -r -a extra <<<"${INPUT_ARGS:-}"

# --- drift: one run, found from the project's files or given in paths -------------
if [ "${INPUT_COMMAND:-check}" = drift ]; then
    read -r -a paths <<<"$(tr '\n' ' ' <<<"${INPUT_PATHS:-}")"
    json=${RUNNER_TEMP:-/tmp}/migralint-drift.json
    "$ml" drift "${common[@]}" "${extra[@]}" --format json --fail-on none --output "$json" "${paths[@]}"
    rc=$?
    [ $rc -eq 0 ] || die "migralint drift failed with exit code $rc (see the messages above)"
    findings=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$json") ||
        die "could not read $json"
    out=()
    [ "${INPUT_ANNOTATIONS:-true}" = false ] && out=(--output /dev/null)
    "$ml" drift "${common[@]}" "${extra[@]}" --format github --fail-on "$fail_on" "${out[@]}" "${paths[@]}"
    rc=$?
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
        {
            printf 'Drift: the declared schema against the migrations'
            if [ ${#paths[@]} -gt 0 ]; then printf ' (%s)' "$(printf '`%s` ' "${paths[@]}" | sed 's/ $//; s/` `/`, `/g')"; fi
            ref=$(git rev-parse --abbrev-ref HEAD 2>/dev/null) && printf ' on `%s`' "$ref"
            printf ' (fail on %s).\n\n' "$fail_on"
        } >>"$GITHUB_STEP_SUMMARY"
    fi
    output findings "$findings"
    output sarif-dir ""
    output exit-code "$rc"
    say "drift findings: $findings; exit code $rc"
    [ "${INPUT_DEFER_EXIT:-false}" = true ] && exit 0
    exit $rc
fi

# --- the base revision --------------------------------------------------------
base=${INPUT_BASE:-}
if [ -z "$base" ] && [[ "${GITHUB_EVENT_NAME:-}" == pull_request* ]]; then
    [ -n "${GITHUB_BASE_REF:-}" ] || die "GITHUB_BASE_REF is empty on a ${GITHUB_EVENT_NAME} event"
    base=origin/$GITHUB_BASE_REF
fi
[ "$base" = none ] && base=
if [ -n "$base" ]; then
    if [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
        die "the checkout is shallow, so the merge base with $base cannot be computed; check out with actions/checkout and fetch-depth: 0"
    fi
    git rev-parse --verify --quiet "$base^{commit}" >/dev/null ||
        die "the base revision $base is not in the checkout; check out with actions/checkout and fetch-depth: 0 (or fetch $base first)"
    common+=(--base "$base")
    [ "${INPUT_CHANGED_ONLY:-false}" = true ] && common+=(--changed-only)
fi

# --- the folders --------------------------------------------------------------
read -r -a folders <<<"$(tr '\n' ' ' <<<"${INPUT_PATHS:-}")"
if [ ${#folders[@]} -eq 0 ]; then
    status=$("$ml" status --format json ${INPUT_CONFIG:+--config "$INPUT_CONFIG"} 2>&1) ||
        die "could not list the migrations folders: $status"
    mapfile -t folders < <(python3 -c '
import json, sys
seen = []
for row in json.load(sys.stdin):
    if row["folder"] not in seen:
        seen.append(row["folder"])
print("\n".join(seen))' <<<"$status")
    [ ${#folders[@]} -gt 0 ] && [ -n "${folders[0]}" ] ||
        die "no migrations found; set the action's paths input or \"migrations\" in .migralint.json"
fi

# --- SARIF, one file per folder -----------------------------------------------
rm -rf "$sarif_dir" && mkdir -p "$sarif_dir" || die "cannot create $sarif_dir"
findings=0
for folder in "${folders[@]}"; do
    slug=$(printf '%s' "${folder%/}" | tr -c 'A-Za-z0-9._-' '-')
    file=$sarif_dir/${slug:-root}.sarif
    "$ml" check "${common[@]}" "${extra[@]}" --format sarif --fail-on none --output "$file" "$folder"
    rc=$?
    [ $rc -eq 0 ] || die "migralint check $folder failed with exit code $rc (see the messages above)"
    n=$(python3 - "$file" "${folder%/}" <<'PY'
import json, sys
path, folder = sys.argv[1], sys.argv[2]
log = json.load(open(path))
for run in log["runs"]:
    run["automationDetails"] = {"id": "migralint/%s/" % folder}
json.dump(log, open(path, "w"), indent=2)
print(sum(len(run.get("results", [])) for run in log["runs"]))
PY
) || die "could not read $file"
    findings=$((findings + n))
done

# --- annotations, job summary, exit code -----------------------------------------
out=()
[ "${INPUT_ANNOTATIONS:-true}" = false ] && out=(--output /dev/null)
"$ml" check "${common[@]}" "${extra[@]}" --format github --fail-on "$fail_on" "${out[@]}" "${folders[@]}"
rc=$?
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    {
        printf 'Checked %s' "$(printf '`%s` ' "${folders[@]}" | sed 's/ $//; s/` `/`, `/g')"
        if [ -n "$base" ]; then printf ' against `%s`' "$base"; fi
        printf ' (fail on %s).\n\n' "$fail_on"
    } >>"$GITHUB_STEP_SUMMARY"
fi
output findings "$findings"
output sarif-dir "$sarif_dir"
output exit-code "$rc"
say "findings: $findings; folders: ${#folders[@]}; SARIF: $sarif_dir; exit code $rc"
[ "${INPUT_DEFER_EXIT:-false}" = true ] && exit 0
exit $rc
