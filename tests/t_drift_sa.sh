# t_drift_sa.sh - `migralint drift` on SQLAlchemy models and Alembic
# migrations (and GORM models spread over files). Alembic itself is the
# oracle for the migrations side: the SQL `alembic upgrade heads --sql`
# writes (offline, Debian's python3-alembic, tests/orm/alembic_sql.py) is
# the declaration, and the schema migralint replays from the revisions must
# equal it. The Flask fixture's models were checked against Flask-SQLAlchemy
# 3.0's create_all (Debian's python3-flask-sqlalchemy) when written.

# Copies fixtures/drift/$1 to $T/p as a git repository.
__sa_project() {
    cp -R "$FIXTURES/drift/$1" "$T/p"
    cd "$T/p" || return 1
    git_repo .
}

# Writes alembic.sql, what Alembic emits for the revisions in $1.
__alembic_sql() {
    PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 "$ROOT/tests/orm/alembic_sql.py" "$1" \
        >alembic.sql 2>"$T/alembic.log" ||
        { fail "alembic --sql failed (python3-alembic installed?): $(tail -5 "$T/alembic.log")"; return 1; }
}

# More than 15 columns, foreign keys (inline, table-level, use_alter, added
# later), alter_column's type_/server_default/nullable/new_column_name,
# indexes from index=True, unique constraints, an Enum's type, batch blocks,
# rename_table: the replay equals Alembic's own SQL.
test_alembic_revisions_replay_as_alembic_writes_them() {
    __sa_project sa-alembic || return
    __alembic_sql alembic/versions || return
    ml drift --format gcc --fail-on note alembic/versions alembic.sql
    expect_rc 0
    [ -z "$OUT$ERR" ] || fail "replay differs from alembic --sql: $OUT $ERR"
}

# Flask-SQLAlchemy models against their Alembic migration: implicit table
# names (ForumPost -> forum_post), db.Table without metadata, mixins and an
# enum class from other files of the project, a column overriding the
# mixin's; what cannot be read is a note and nothing else.
test_flask_models_against_alembic_migrations() {
    __sa_project sa-flask || return
    expect_findings "$FIXTURES/drift/sa-flask/clean.expect" drift migrations/versions app/models.py
    expect_rc 0
    sed -i -f edit.sed app/models.py
    # findings about the migrations point at the op call in the revision
    expect_findings "$FIXTURES/drift/sa-flask/edited.expect" drift migrations/versions app/models.py
    expect_rc 1
}

# `migralint drift` with no arguments: migrations/alembic.ini (Flask-Migrate)
# gives the versions folder; env.py's target_metadata its models' package;
# when env.py computes it, the project's files that declare tables.
test_alembic_discovery() {
    __sa_project sa-flask || return
    expect_findings "$FIXTURES/drift/sa-flask/clean.expect" drift
    expect_rc 0
    sed -i 's/^target_metadata = .*/target_metadata = current_app.extensions["migrate"].db.metadata/' \
        migrations/env.py
    mkdir -p tests && echo 'import sqlalchemy as sa
t = sa.Table("fixture_only", sa.MetaData(), sa.Column("id", sa.Integer))' >tests/conftest.py
    expect_findings "$FIXTURES/drift/sa-flask/clean.expect" drift
    expect_rc 0
}

# GORM models one struct per file, against the migration Atlas writes from
# them: relations to structs of other files (belongs-to, has-many with its
# constraint, many2many), a type: tag naming an enum the models do not
# create, a named type of another package, a serializer:json field.
test_gorm_models_across_files() {
    __sa_project gorm-files || return
    expect_findings "$FIXTURES/drift/gorm-files/clean.expect" \
        drift migrations models/team.go models/player.go models/tag.go
    expect_rc 0
}

# fixtures/drift/sa-ctfd, modelled on CTFd and ihatemoney: revisions that
# branch on the dialect (`if dialect == "mysql": ... elif ...startswith(
# "postgres")`, `if not ... == "sqlite": ... else`), an upgrade() under a
# decorator (@skip_if_sqlite), and an Integer primary key that a
# ForeignKeyConstraint lists (no SERIAL: SQLAlchemy's autoincrement skips
# columns with foreign keys), an Enum of the app's class (imported by the
# revision: its member names are the labels) held in a variable of
# upgrade(), a
# server_default from an imported constant (the column keeps its type; the
# default is a note). The replay equals Alembic's own SQL.
test_alembic_dialect_branches_and_decorated_upgrade() {
    __sa_project sa-ctfd || return
    __alembic_sql ctf/migrations/versions || return
    grep -q 'ALTER TABLE users ALTER COLUMN password TYPE VARCHAR(256)' alembic.sql ||
        fail "the oracle did not run the decorated upgrade"
    ml drift --format gcc --fail-on note ctf/migrations/versions alembic.sql
    expect_rc 0
    [ -z "$OUT$ERR" ] || fail "replay differs from alembic --sql: $OUT $ERR"
}

# Flask-SQLAlchemy makes a subclass of a mapped model that declares no
# primary key column single-table inheritance, even with a __tablename__
# (CTFd's Admins(Users)): no table admins. Oracle: Flask-SQLAlchemy 3.0's
# metadata of the same models.
test_flask_sti_subclass_without_primary_key() {
    __sa_project sa-ctfd || return
    tables=$(PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -c "
from flask import Flask
from ctf.models import db
app = Flask('fixture'); app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'; db.init_app(app)
print(' '.join(sorted(db.metadata.tables)))" 2>"$T/py.err") || { fail "flask-sqlalchemy: $(tail -3 "$T/py.err")"; return; }
    expect_eq "solves submissions users" "$tables" "Flask-SQLAlchemy's tables"
    ml drift --format gcc ctf/migrations/versions ctf/models.py
    expect_rc 0
    expect_no_out "admins"
    expect_no_out "solves.id"
}

# SQLAlchemy-Continuum's users_version (made at run time from __versioned__
# models) is not compared; Enum(Role) of a class in another file whose base
# is the project's own enum.Enum subclass is the enum role with its labels.
test_sa_continuum_and_project_enum_base() {
    __sa_project sa-ctfd || return
    ml drift --format gcc ctf/migrations/versions ctf/models.py
    expect_rc 0
    expect_out "ctf/models.py:14:1: note: SQLAlchemy-Continuum's <table>_version tables are made at run time; not compared [drift-skipped]"
    expect_no_out "users_version"
    expect_no_out "enum role"
    sed -i 's/sa.Enum(Role)/sa.Enum("ADMIN", name="role")/' ctf/migrations/versions/4d_versioning.py
    ml drift --format gcc ctf/migrations/versions ctf/models.py
    expect_out "warning: enum role"
}

# `flask db init`'s alembic.ini with `script_location = .` (ihatemoney): the
# versions folder is not a model folder (a revision's own sa.Table is no
# model); the models are found across the project.
test_alembic_discovery_script_location_dot() {
    __sa_project sa-ctfd || return
    ml drift --format gcc
    expect_rc 0
    expect_no_out "3c_password_length.py"
    sed -i 's/password = db.Column(db.String(256))/password = db.Column(db.String(300))/' ctf/models.py
    ml drift --format gcc
    expect_rc 1
    expect_out "ctf/models.py:18:5: error: users.password is character varying(300) in ctf/models.py, character varying(256) in the migrations [drift-column-type]"
}

# fixtures/drift/gorm-atlas, modelled on snipet and api-comparison: Atlas
# migrates the GORM models (atlas.hcl: atlas-provider-gorm --path, migration
# dir in golang-migrate format), a file of the models' package without GORM,
# a belongs-to of another file through CredentialId (GORM also looks up
# <Field>Id) whose column takes the referenced uuid key's type, default:guest
# on a `type Role string` field (quoted, as GORM writes a string default) and
# default:0.0 on a float64 (GORM writes the parsed number: 0).
test_gorm_atlas_discovery_and_defaults() {
    __sa_project gorm-atlas || return
    ml drift --format gcc
    expect_rc 0
    expect_out "internal/model/transaction.go:16:2: note: Transaction.Credential: belongs-to relation to Credential of another file"
    if grep -E ': (warning|error): ' <<<"$OUT"; then fail "drift findings on models Atlas wrote the migrations from"; fi
    sed -i 's/default:0.0"/default:1.50"/; s/default:guest"/default:user"/' internal/model/transaction.go
    ml drift --format gcc
    expect_rc 0
    expect_out "internal/model/transaction.go:14:2: warning: transactions.value has default 1.5 in internal/model/transaction.go, 0 in the migrations [drift-default]"
    expect_out "internal/model/transaction.go:15:2: warning: transactions.role has default 'user'::character varying in internal/model/transaction.go, 'guest'::character varying in the migrations [drift-default]"
}

# fixtures/drift/sa2-order (modelled on mealie's users_to_recipes): a
# SQLAlchemy 2 class mixing plain Column and mapped_column gets its plain
# Columns first, so its composite primary key is (user_id, recipe_id, id),
# as the revision autogenerate wrote says; `so.Mapped[...]` (sqlalchemy.orm
# imported as a module) and ForeignKey(User.id) are read as microblog
# writes them. (Debian's SQLAlchemy is 1.4, which has no mapped_column: the
# revision is the oracle.)
test_sa2_plain_columns_before_mapped_columns() {
    __sa_project sa2-order || return
    ml drift --format gcc alembic/versions app/models.py
    expect_rc 0
    expect_no_out "users_to_recipes_pkey"
    [ -z "$OUT" ] || fail "findings: $OUT"
}

# A class attribute built by a helper of a project file that does not use
# SQLAlchemy (ihatemoney's `currency_helper = CurrencyConverter()`) is no
# column: the columns only the migrations have on that table are still
# reported.
test_sa_plain_helper_attribute_is_no_column() {
    __sa_project sa-ctfd || return
    ml drift --format gcc ctf/migrations/versions ctf/models.py
    expect_rc 0
    expect_no_out "converter"
    sed -i '/    name = db.Column(db.String(128))/d' ctf/models.py
    ml drift --format gcc ctf/migrations/versions ctf/models.py
    expect_out "ctf/migrations/versions/1a_initial.py:14:5: warning: column users.name is created by the migrations but not declared in ctf/models.py [drift-extra-column]"
}

# fixtures/drift/sa-plugins, modelled on CTFd's plugins: the main chain
# creates dynamic_challenge; the plugin (app/plugins/dynamic/__init__.py, a
# joined-inheritance subclass of the app's model with no sqlalchemy import)
# changes it through its own revision chain (migrations/ beside it, its own
# base revision, `upgrade(op=None)`), which the application runs after the
# main chain. `migralint drift` with no arguments replays that chain after
# the main one and compares the plugin's model. Oracle (PostgreSQL 15, when
# the fixture was written): the main chain upgraded online, then the plugin
# chain as CTFd runs it, then pg_dump = sa-plugins.dump.sql; Flask-SQLAlchemy
# 3.0's create_all of the models dumped the same schema.
test_alembic_plugin_chain_after_main_chain() {
    __sa_project sa-plugins || return
    ml drift --format gcc
    expect_rc 0
    [ -z "$OUT$ERR" ] || fail "findings on a project whose chains build its models: $OUT $ERR"
    ml drift --format gcc --fail-on note migrations/versions app/plugins/dynamic/migrations \
        "$FIXTURES/drift/sa-plugins.dump.sql"
    expect_rc 0
    [ -z "$OUT$ERR" ] || fail "replay of both chains differs from PostgreSQL's: $OUT $ERR"
    sed -i 's/db.String(32), default=/db.String(64), default=/' app/plugins/dynamic/__init__.py
    ml drift --format gcc
    expect_rc 1
    expect_out "app/plugins/dynamic/__init__.py:15:5: error: dynamic_challenge.dynamic_function is character varying(64) in app/plugins/dynamic/__init__.py, character varying(32) in the migrations [drift-column-type]"
}
