# t_oracle_real.sh - defects tools/pg-oracle found on real migration folders
# (issue 17, /work/oracle/findings.md), each as a small fixture modelled on
# the real files; every expectation here is what PostgreSQL 15 does.

mig() { mkdir -p m && printf '%b' "$2" >"m/$1"; }

# cratesio 2017-10-06-234455_fix_local_dbs_unique_gh_login: an up step whose
# statements are all no-ops on the schema (the index exists, the constraint
# and the other index are gone) changes nothing; its empty down step is right.
test_empty_down_quiet_when_up_step_is_a_no_op() {
    mig 001_users.up.sql 'CREATE TABLE users (id int, gh_login text);\nCREATE INDEX index_users_gh_login ON users (gh_login);\n'
    mig 001_users.down.sql 'DROP TABLE users;\n'
    mig 002_fix.up.sql "SET lock_timeout = '2s';\nCREATE INDEX IF NOT EXISTS index_users_gh_login ON users (gh_login);\nALTER TABLE users DROP CONSTRAINT IF EXISTS unique_gh_login;\nDROP INDEX IF EXISTS lower_gh_login;\n"
    mig 002_fix.down.sql '-- This file intentionally left blank; see the corresponding up.sql\n'
    # The same with a real change: still reported.
    mig 003_real.up.sql "SET lock_timeout = '2s';\nCREATE INDEX IF NOT EXISTS index_users_id ON users (id);\n"
    mig 003_real.down.sql '-- nothing\n'
    ml check --format gcc m
    expect_no_out "002_fix.down.sql"
    expect_out "m/003_real.down.sql:1:1: warning: the down step of migration 003_real.up.sql is empty [empty-down]"
}
