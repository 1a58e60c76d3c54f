#!/usr/bin/env bash
# gen.sh DIR N - writes N golang-migrate migrations (NNNNNN_name.up.sql and
# .down.sql) into DIR, for benchmarks.
#
# Deterministic: the same N gives byte-identical files on every machine. The
# mix is drawn from a seeded Park-Miller generator (exact in awk's doubles),
# never from the clock. It keeps a model of the schema it has built so every
# statement refers to tables and columns that exist:
#   ~22% CREATE TABLE with 5-15 columns (sometimes with an index on it)
#   ~20% ALTER TABLE ... ADD COLUMN (one to three)
#   ~14% CREATE INDEX on an existing table, ~10% CREATE INDEX CONCURRENTLY
#    ~8% ALTER TABLE ... DROP COLUMN
#   ~14% batched UPDATE ... WHERE (a data fix)
#   ~12% several of the above in one file
# Every file starts with a comment; the down files undo the up files.
set -euo pipefail

if [ $# -ne 2 ] || ! [[ $2 =~ ^[0-9]+$ ]]; then
    echo "usage: $0 DIR N" >&2
    exit 2
fi
dir=$1 n=$2
mkdir -p "$dir"

LC_ALL=C awk -v dir="$dir" -v n="$n" -v Q="'" '
function rnd(k) { seed = (seed * 16807) % 2147483647; return int(seed / 2147483647 * k) }
function pick(list, cnt) { return list[rnd(cnt) + 1] }

function new_column(t,    c) {
    ncolseq++
    c = pick(words, nwords) "_" ncolseq
    return c
}

function col_type() { return pick(types, ntypes) }

function default_for(ty) {
    if (ty ~ /int|numeric/) return "0"
    if (ty == "boolean") return "false"
    if (ty == "timestamptz") return "now()"
    if (ty == "date") return "CURRENT_DATE"
    if (ty == "uuid") return "gen_random_uuid()"
    if (ty == "jsonb") return Q "{}" Q
    return Q Q
}

function add_table(name,   k, ncol, c, cols, up, down, ty, i) {
    ntables++
    tables[ntables] = name
    ncol = 5 + rnd(11)
    up = "CREATE TABLE " name " (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    tcols[ntables] = ""
    for (i = 2; i <= ncol; i++) {
        c = new_column(name)
        ty = col_type()
        up = up ",\n    " c " " ty
        if (rnd(3) == 0) up = up " NOT NULL DEFAULT " default_for(ty)
        tcols[ntables] = tcols[ntables] " " c
    }
    if (ntables > 1 && rnd(2) == 0) {
        k = rnd(ntables - 1) + 1
        up = up ",\n    " tables[k] "_id bigint REFERENCES " tables[k] " (id)"
    }
    up = up ",\n    created_at timestamptz NOT NULL DEFAULT now()\n);\n"
    tcols[ntables] = tcols[ntables] " created_at"
    return up
}

function some_column(k,   a, m) {
    m = split(tcols[k], a, " ")
    if (m == 0) return ""
    return a[rnd(m) + 1]
}

function drop_column_from(k, c,   a, m, i, s) {
    m = split(tcols[k], a, " ")
    s = ""
    for (i = 1; i <= m; i++) if (a[i] != c) s = s " " a[i]
    tcols[k] = s
}

# Appends one operation to UP / DOWN (globals); the down parts are prepended
# so a multi-step file is undone in reverse order.
function op(kind,   k, t, c, c2, ty, idx, i, cnt) {
    if (kind == "create" || ntables == 0) {
        ntabseq++
        t = pick(nouns, nnouns) "_" ntabseq
        UP = UP add_table(t)
        if (rnd(3) == 0) {
            c = some_column(ntables)
            UP = UP "\nCREATE INDEX " t "_" c "_idx ON " t " (" c ");\n"
        }
        DOWN = "DROP TABLE " t ";\n" DOWN
        NAME = NAME "_create_" t
        return
    }
    k = rnd(ntables) + 1
    t = tables[k]
    if (kind == "add") {
        cnt = 1 + rnd(3)
        for (i = 0; i < cnt; i++) {
            c = new_column(t)
            ty = col_type()
            UP = UP "ALTER TABLE " t " ADD COLUMN " c " " ty (rnd(4) == 0 ? " NOT NULL DEFAULT " default_for(ty) : "") ";\n"
            DOWN = "ALTER TABLE " t " DROP COLUMN " c ";\n" DOWN
            tcols[k] = tcols[k] " " c
        }
        NAME = NAME "_add_columns_to_" t
    } else if (kind == "index" || kind == "cindex") {
        c = some_column(k)
        if (c == "") c = "id"
        nidx++
        idx = t "_" c "_" nidx "_idx"
        if (kind == "cindex") {
            UP = UP "-- Large table: build the index without blocking writes.\nCREATE INDEX CONCURRENTLY " idx " ON " t " (" c ");\n"
            DOWN = "DROP INDEX CONCURRENTLY " idx ";\n" DOWN
        } else {
            c2 = some_column(k)
            UP = UP "CREATE " (rnd(5) == 0 ? "UNIQUE " : "") "INDEX " idx " ON " t " (" c (c2 != "" && c2 != c && rnd(3) == 0 ? ", " c2 : "") ");\n"
            DOWN = "DROP INDEX " idx ";\n" DOWN
        }
        NAME = NAME "_index_" t "_" c
    } else if (kind == "drop") {
        c = some_column(k)
        if (c == "" || c == "created_at") { op("add"); return }
        UP = UP "-- " c " is no longer read by the application.\nALTER TABLE " t " DROP COLUMN " c ";\n"
        DOWN = "ALTER TABLE " t " ADD COLUMN " c " text;\n" DOWN
        drop_column_from(k, c)
        NAME = NAME "_drop_" c
    } else if (kind == "update") {
        c = some_column(k)
        if (c == "" || c == "created_at") { op("add"); return }
        cnt = 1 + rnd(4)
        for (i = 0; i < cnt; i++)
            UP = UP "UPDATE " t " SET " c " = DEFAULT WHERE id > " (i * 10000) " AND id <= " ((i + 1) * 10000) ";\n"
        DOWN = "-- Data fix on " t "." c ": nothing to undo.\nSELECT 1;\n" DOWN
        NAME = NAME "_backfill_" c
    }
}

BEGIN {
    seed = 20240601
    nwords = split("name email status amount price quantity note title code label score region country city zip phone kind level rank flag source target owner comment payload weight color size", words, " ")
    nnouns = split("users orders invoices payments products customers shipments carts reviews coupons accounts sessions events tickets projects tasks teams", nouns, " ")
    ntypes = split("bigint integer text varchar(255) boolean timestamptz numeric(12,2) jsonb uuid date", types, " ")
    kinds_n = split("add index cindex drop update", kinds, " ")
    for (m = 1; m <= n; m++) {
        UP = ""; DOWN = ""; NAME = ""
        r = rnd(100)
        if (m == 1 || r < 22) op("create")
        else if (r < 42) op("add")
        else if (r < 56) op("index")
        else if (r < 66) op("cindex")
        else if (r < 74) op("drop")
        else if (r < 88) op("update")
        else {
            steps = 2 + rnd(2)
            for (s = 0; s < steps; s++) { op(kinds[rnd(kinds_n) + 1]); UP = UP "\n" }
        }
        name = substr(NAME, 2)
        if (length(name) > 60) name = substr(name, 1, 60)
        base = sprintf("%s/%06d_%s", dir, m, name)
        printf "-- Migration %d: %s\n-- Generated by bench/gen.sh.\n\n%s", m, name, UP > (base ".up.sql")
        close(base ".up.sql")
        printf "-- Undo migration %d.\n%s", m, DOWN > (base ".down.sql")
        close(base ".down.sql")
    }
}'
