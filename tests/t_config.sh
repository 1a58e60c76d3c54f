# t_config.sh - .migralint.json: found by walking up to the repository root,
# comments allowed, every mistake a configuration error (exit 2) naming the
# file, line and key; command-line flags beat it.

setup_repo() {
    git_repo repo
    mkdir -p repo/db/migrations repo/db/legacy repo/app/src
    printf 'DROP TABLE users;\n' >repo/db/migrations/001_drop.sql
    printf 'DROP TABLE old_stuff;\n' >repo/db/legacy/001_old.sql
}

test_levels_overrides_and_comments() {
    setup_repo
    cat >repo/.migralint.json <<'JSON'
{
  // the folders to lint when no PATHS are given
  "migrations": ["db/migrations", "db/legacy"],
  /* a block comment */
  "rules": { "drop-table": "warning", "missing-lock-timeout": "off" },
  "overrides": [
    { "paths": "^db/legacy/", "rules": { "drop-table": "off" } }
  ]
}
JSON
    cd repo/app/src
    ml check --format gcc
    expect_rc 0
    expect_out "db/migrations/001_drop.sql:1:12: warning: dropping table users [drop-table]"
    expect_no_out "old_stuff"
}

# A rule off for the first file of a folder and on by an override for the
# next: the linter's list of the rules that run is worked out again when a
# level changes (it is kept between files, not asked per statement).
test_override_turns_a_rule_on_after_a_file_without_it() {
    setup_repo
    printf 'DROP TABLE orders;\n' >repo/db/migrations/002_drop.sql
    cat >repo/.migralint.json <<'JSON'
{
  "migrations": ["db/migrations"],
  "rules": { "drop-table": "off", "missing-lock-timeout": "off" },
  "overrides": [
    { "paths": "002_drop", "rules": { "drop-table": "warning" } }
  ]
}
JSON
    cd repo
    ml check --format gcc
    expect_rc 0
    expect_out "db/migrations/002_drop.sql:1:12: warning: dropping table orders [drop-table]"
    expect_no_out "users"
}

test_command_line_beats_config() {
    setup_repo
    printf '{"rules": {"drop-table": "warning", "missing-lock-timeout": "off"}, "failOn": "warning"}\n' >repo/.migralint.json
    cd repo
    ml check --format gcc db/migrations
    expect_rc 1
    ml check --format gcc --fail-on error db/migrations
    expect_rc 0
    ml check --format gcc --disable-rule drop-table db/migrations
    expect_eq "" "$OUT" "stdout"
}

test_unknown_key_names_file_and_line() {
    setup_repo
    printf '{\n  "rules": {},\n  "colour": true\n}\n' >repo/.migralint.json
    cd repo
    ml check db/migrations
    expect_rc 2
    expect_err ".migralint.json:3: unknown key \"colour\""
}

test_wrong_types_and_unknown_rules() {
    setup_repo
    cd repo
    printf '{\n  "pgVersion": "fifteen"\n}\n' >.migralint.json
    ml check db/migrations
    expect_rc 2
    expect_err ".migralint.json:2: \"pgVersion\" must be a whole number"
    printf '{\n  "rules": {\n    "drop-tables": "error"\n  }\n}\n' >.migralint.json
    ml check db/migrations
    expect_rc 2
    expect_err ".migralint.json:3: unknown rule \"drop-tables\""
    printf '{"rules": {"drop-table": "fatal"}}\n' >.migralint.json
    ml check db/migrations
    expect_rc 2
    expect_err "\"drop-table\" must be one of"
}

test_bad_regex_is_reported_with_its_key() {
    setup_repo
    cd repo
    printf '{\n  "overrides": [\n    {"paths": "db/(legacy", "rules": {}}\n  ]\n}\n' >.migralint.json
    ml check db/migrations
    expect_rc 2
    expect_err ".migralint.json:3: \"paths\": bad regular expression"
}

test_invalid_json_names_the_line() {
    setup_repo
    cd repo
    printf '{\n  "rules": {\n    "drop-table": "off",\n  }\n}\n' >.migralint.json
    ml check db/migrations
    expect_rc 2
    expect_err ".migralint.json:4: invalid JSON"
}

test_explicit_config_file() {
    setup_repo
    cd repo
    printf '{"rules": {"drop-table": "note"}}\n' >strict.json
    ml check --format gcc --config strict.json db/migrations
    expect_rc 0
    expect_out ": note: dropping table users"
    ml check --config missing.json db/migrations
    expect_rc 2
    expect_err "missing.json: cannot read config"
    ml check --config db db/migrations
    expect_rc 2
    expect_err "db: cannot read config: Is a directory"
}

test_opt_in_rule_enabled_from_config() {
    setup_repo
    cd repo
    # Every rule can be set, and "off" turns a default rule off.
    printf '{"rules": {"drop-table": "off", "missing-lock-timeout": "off"}}\n' >.migralint.json
    ml check --format gcc db/migrations
    expect_rc 0
    expect_eq "" "$OUT" "stdout"
}

test_json_schema_accepts_what_the_loader_accepts() {
    cat >good.json <<'JSON'
{"migrations": [{"path": "db/migrations", "framework": "goose"}, "db/legacy"],
 "rules": {"drop-table": "warning"}, "failOn": "warning", "pgVersion": 14,
 "overrides": [{"paths": "^db/legacy/", "rules": {"drop-table": "off"}}]}
JSON
    printf '{"colour": true}\n' >bad.json
    python3 - "$ROOT/migralint.schema.json" good.json bad.json <<'PY' || fail "schema check"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
v = jsonschema.Draft7Validator(schema)
assert not list(v.iter_errors(json.load(open(sys.argv[2])))), "good.json rejected"
assert list(v.iter_errors(json.load(open(sys.argv[3])))), "bad.json accepted"
PY
    mkdir -p db/migrations db/legacy
    ml check --config good.json db/migrations
    expect_rc 0
}
