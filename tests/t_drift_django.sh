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
