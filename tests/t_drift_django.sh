# t_drift_django.sh - `migralint drift` on a Django project
# (fixtures/drift/django-shop: two apps, a settings module, an AppConfig
# with its own default_auto_field, migrations written by Django 3.2's
# makemigrations from successive models plus one written by hand with
# RenameField, RenameModel, DeleteModel and SeparateDatabaseAndState, and a
# third app, notes, written as Django 1.x did: set([...]) together options,
# ("orders", "__first__") and swappable_dependency; its models inherit
# Meta from an abstract base).
# Oracles: Django itself (Debian's python3-django): its migrate on a
# throwaway PostgreSQL 15 gave fixtures/drift/django-shop-schema.sql (the
# test regenerates it), and its makemigrations --check says the models
# and the migrations agree.

PG_BIN=/usr/lib/postgresql/15/bin

__dj_pg_run() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

__dj_pg_stop() {
    [ -f "$T/pg/data/postmaster.pid" ] && __dj_pg_run "$PG_BIN/pg_ctl" -D "$T/pg/data" -m immediate stop >/dev/null 2>&1
    return 0
}

__dj_pg_start() {
    [ -x "$PG_BIN/initdb" ] || { fail "PostgreSQL 15 server binaries missing ($PG_BIN)"; return 1; }
    mkdir -p "$T/pg"
    if [ "$(id -u)" = 0 ]; then
        chmod o+x "$T" "$(dirname "$T")"
        chown postgres "$T/pg"
    fi
    trap __dj_pg_stop EXIT
    __dj_pg_run "$PG_BIN/initdb" -D "$T/pg/data" -A trust -U postgres -E UTF8 --locale=C --no-sync \
        >"$T/pg/initdb.log" 2>&1 || { fail "initdb failed: $(tail -5 "$T/pg/initdb.log")"; return 1; }
    __dj_pg_run "$PG_BIN/pg_ctl" -D "$T/pg/data" -w -l "$T/pg/server.log" \
        -o "-k $T/pg -c listen_addresses= -c fsync=off" start >/dev/null 2>&1 ||
        { fail "PostgreSQL did not start: $(tail -5 "$T/pg/server.log")"; return 1; }
    export PGHOST="$T/pg" PGUSER=postgres
}

# Copies the fixture project to $T/p as a git repository and enters it.
__dj_project() {
    cp -R "$FIXTURES/drift/django-shop" "$T/p"
    cd "$T/p" || return 1
    git_repo .
}

__dj_manage() {
    PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 manage.py "$@" 2>"$T/manage.err"
}

# The migrations replay as PostgreSQL has them after Django's migrate:
# columns (no default left by `default=`, serial ids), unique constraints,
# db_index and foreign key indexes with their _like twins, foreign keys,
# join tables, AlterField, RemoveField and AddIndex on a ForeignKey
# (owner_id), renames, AlterUniqueTogether, AddConstraint, AlterModelTable,
# SeparateDatabaseAndState. Only the foreign key to auth_user (Django's
# own app, not in the project) is not compared.
test_django_migrations_replay_as_django_runs_them() {
    __dj_project || return
    ml drift --format gcc . "$FIXTURES/drift/django-shop-schema.sql"
    expect_rc 0
    expect_eq "1" "$(grep -c . <<<"$OUT")" "lines of output"
    expect_out "note: this statement does not apply (table auth_user does not exist)"
}

# The committed dump is what Django's migrate writes (python3-django and
# PostgreSQL 15 as the oracle).
test_django_schema_dump_is_djangos() {
    __dj_project || return
    __dj_pg_start || return
    psql -X -q -d postgres -c "CREATE DATABASE shop" >/dev/null || { fail "createdb"; return; }
    PGDATABASE=shop __dj_manage migrate >/dev/null || { fail "migrate: $(tail -3 "$T/manage.err")"; return; }
    pg_dump -s --no-owner -d shop -T 'auth_*' -T 'django_*' | grep -v '^\\\(un\)\?restrict' >"$T/dump.sql"
    diff <(grep -v '^--' "$FIXTURES/drift/django-shop-schema.sql" | grep .) \
        <(grep -v '^--' "$T/dump.sql" | grep .) >"$T/dump.diff" ||
        fail "Django's migrate no longer gives django-shop-schema.sql: $(head -20 "$T/dump.diff")"
}

# With no argument: manage.py, the settings module (DEFAULT_AUTO_FIELD =
# AutoField: integer ids), orders' AppConfig (BigAutoField), the apps'
# models. Django finds no change; drift only notes what it leaves out (a
# project field class, a mixin of another file: no finding about the
# columns they add).
test_django_discovered_models_agree_with_migrations() {
    __dj_project || return
    __dj_manage makemigrations --check --dry-run >"$T/mm.out" ||
        fail "Django's makemigrations --check: $(cat "$T/mm.out") $(tail -3 "$T/manage.err")"
    expect_findings "$FIXTURES/drift/django-shop.clean.expect" drift
    expect_rc 0
}

# Seven model changes (makemigrations lists eight operations), each
# reported, also on tables whose mixin comes from another file.
test_django_model_edits_are_drift() {
    __dj_project || return
    sed -i -f "$FIXTURES/drift/django-shop.edit.sed" catalog/models.py orders/models.py notes/models.py
    __dj_manage makemigrations --dry-run >"$T/mm.out"
    expect_eq "8" "$(grep -c '^    - ' "$T/mm.out")" "operations Django would write"
    expect_findings "$FIXTURES/drift/django-shop.edited.expect" drift
    expect_rc 1
}

# DEFAULT_AUTO_FIELD decides the implicit id: BigAutoField in settings
# makes catalog's ids (and its foreign keys to them) bigint, which the
# migrations do not say (orders has its own AppConfig value already).
test_django_default_auto_field_from_settings() {
    __dj_project || return
    sed -i 's/db.models.AutoField"/db.models.BigAutoField"/' shop/settings.py
    ml drift --format gcc
    expect_rc 1
    expect_out "catalog/models.py:14:1: error: catalog_category.id is bigint in catalog/models.py, integer in the migrations [drift-column-type]"
    expect_out "catalog/models.py:29:5: error: catalog_product.category_id is bigint"
    expect_no_out "orders_supplier.id"
}

# `check` at the root runs drift too, with the settings read before the
# replay (a join table's id follows DEFAULT_AUTO_FIELD on both sides).
test_django_check_runs_drift_with_the_settings() {
    __dj_project || return
    ml check --format gcc .
    expect_out "notes/models.py:23:1: note: Memo: base class Audited"
    if grep -E ': (warning|error): .*\[drift-' <<<"$OUT"; then fail "drift findings in check"; fi
    # AlterOrderWithRespectTo adds _order with a default it drops at once
    expect_no_out "orders/migrations/0004_order_order.py:12:9: error: adding column shop_order._order"
}

# fixtures/drift/django-users (modelled on babybuddy and shynet, written by
# Django 3.2's makemigrations): manage.py takes the settings module from the
# environment, a custom user model on AbstractUser, an app whose ids move
# to BigAutoField in a later migration, and a package's many-to-many field
# class with through=.
__dj_users() {
    cp -R "$FIXTURES/drift/django-users" "$T/p"
    cd "$T/p" || return 1
    git_repo .
}

# The settings module is the root's one settings/ package when manage.py
# does not name it (journal's ids are AutoField: integer); Django finds no
# change and neither does drift.
test_django_settings_package_manage_py_does_not_name() {
    __dj_users || return
    DJANGO_SETTINGS_MODULE=diary.settings.test __dj_manage makemigrations --check --dry-run >"$T/mm.out" ||
        fail "Django's makemigrations --check: $(cat "$T/mm.out") $(tail -3 "$T/manage.err")"
    ml drift --format gcc
    expect_rc 0
    expect_no_out "journal_note.id is bigint"
    if grep -E ': (warning|error): ' <<<"$OUT"; then fail "drift findings on a project Django finds clean"; fi
}

# AbstractUser brings groups and user_permissions: their join tables are
# declared; a field class with through= (taggit's TaggableManager) has no
# column in the replay.
test_django_abstract_user_joins_and_through_fields() {
    __dj_users || return
    ml drift --format gcc
    expect_no_out "accounts_user_groups is created by the migrations"
    expect_no_out "accounts_user_user_permissions is created by the migrations"
    expect_no_out "journal_note.tags"
    expect_out "accounts/models.py:6:1: note: User: base class AbstractUser"
}

# AlterField of a primary key to BigAutoField retypes the columns pointing
# at it, as Django's _alter_field does: foreign keys of other apps and the
# join tables' columns. Oracle: Django's migrate on PostgreSQL 15, dumped.
# Django 3.2 then recreates the foreign keys of the models only, not those
# of auto-created join tables (newer Django recreates every one it
# dropped); the replay keeps them, as newer Django does, so the 3.2 dump
# lacks exactly those four.
test_django_pk_retype_reaches_fks() {
    __dj_users || return
    __dj_pg_start || return
    psql -X -q -d postgres -c "CREATE DATABASE users" >/dev/null || { fail "createdb"; return; }
    PGDATABASE=users DJANGO_SETTINGS_MODULE=diary.settings.base __dj_manage migrate >/dev/null ||
        { fail "migrate: $(tail -3 "$T/manage.err")"; return; }
    pg_dump -s --no-owner -d users -T 'auth_*' -T 'django_*' | grep -v '^\\\(un\)\?restrict' >"$T/dump.sql"
    grep -q 'user_id bigint NOT NULL' "$T/dump.sql" || fail "the oracle's join table keeps an integer user_id"
    ml drift --format gcc . "$T/dump.sql"
    expect_no_out "journal_note.author_id"
    expect_no_out "accounts_team_members.user_id"
    expect_eq "4" "$(grep -c 'warning: foreign key accounts_\(team_members\|user_groups\|user_user_permissions\) (\(user\|team\)_id) -> accounts_\(user\|team\)(id) is created by the migrations but not declared' <<<"$OUT")" "join-table foreign keys Django 3.2 loses"
    if grep -E ': (warning|error): ' <<<"$OUT" | grep -v 'drift-foreign-key'; then fail "the replay differs from Django's migrate"; fi
}
