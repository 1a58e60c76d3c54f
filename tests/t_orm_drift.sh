# t_orm_drift.sh - `migralint drift` with the SQLAlchemy, Django, TypeORM,
# db/schema.rb and GORM extractors: for each folder under
# fixtures/orm/drift/, the migrations match the models (no drift), then
# edit.sed changes the models by hand and drift must report exactly
# edited.expect. SQLAlchemy's and Django's migrations are the DDL the ORM
# itself writes (Debian's python3-sqlalchemy and python3-django, through
# tests/orm/*_ddl.py); the others are written as the ORM's migration
# generator writes them.

# Copies fixtures/orm/drift/$1 to $T/p as a git repository.
__orm_project() {
    cp -R "$FIXTURES/orm/drift/$1" "$T/p"
    cd "$T/p" || return 1
    git_repo .
}

# Writes migrations/000001_init.up.sql from the ORM's own DDL.
__orm_oracle_migration() {
    mkdir -p migrations
    PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 "$ROOT/tests/orm/$1_ddl.py" . "$2" \
        >migrations/000001_init.up.sql 2>"$T/oracle.log" ||
        { fail "$1 DDL failed: $(tail -5 "$T/oracle.log")"; return 1; }
    echo "-- nothing to undo in the test" >migrations/000001_init.down.sql
}

# Runs drift clean, edits the models, and checks the findings.
__orm_drift_edit() {
    local dir=$FIXTURES/orm/drift/$1 models=$2
    ml drift migrations "$models"
    expect_rc 0
    [ -z "$OUT" ] || fail "drift before the edit: $OUT"
    sed -i -f edit.sed "$models"
    expect_findings "$dir/edited.expect" drift migrations "$models"
    expect_rc 1
}

test_sqlalchemy_models_against_their_ddl() {
    __orm_project sqlalchemy || return
    __orm_oracle_migration sqlalchemy models || return
    __orm_drift_edit sqlalchemy models.py
}

test_django_models_against_their_ddl() {
    __orm_project django || return
    __orm_oracle_migration django blog || return
    __orm_drift_edit django blog/models.py
}

test_typeorm_entities_against_their_migration() {
    __orm_project typeorm || return
    __orm_drift_edit typeorm src/entities.ts
}

test_schema_rb_against_its_migration() {
    __orm_project rails || return
    __orm_drift_edit rails db/schema.rb
}

test_gorm_models_against_their_migration() {
    __orm_project gorm || return
    __orm_drift_edit gorm models/models.go
}
