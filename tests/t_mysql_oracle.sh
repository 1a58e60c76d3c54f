# t_mysql_oracle.sh - the MySQL replay checked against a real server.
#
# A throwaway MariaDB (Debian's mariadb-server: mariadb-install-db and
# mariadbd, unix socket in $T, no TCP) runs each MySQL migration folder of
# the fixtures, and its information_schema (COLUMNS, STATISTICS,
# REFERENTIAL_CONSTRAINTS) is read back as lines in the shape of `migralint
# schema`: one per column (type, nullability, default, auto_increment), one
# per index (columns, unique), one per foreign key. Both sides must be
# equal; every difference is printed.
#
# MariaDB is not MySQL 8, and migralint models MySQL 8: what differs by
# design is normalised below, each with its reason (docs/mysql.md, "Held
# against MariaDB").

__my_stop() {
    [ -f "$T/my/pid" ] && kill "$(cat "$T/my/pid")" 2>/dev/null
    return 0
}

# Starts the server; sets MYSQL_SOCK. Stops it when the test's shell exits.
__my_start() {
    if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
        fail "mariadbd missing: install the mariadb-server package"
        return 1
    fi
    mkdir -p "$T/my"
    local user
    user=$(id -un)
    mariadb-install-db --no-defaults --datadir="$T/my/data" --user="$user" --skip-test-db \
        --auth-root-authentication-method=normal >"$T/my/install.log" 2>&1 ||
        { fail "mariadb-install-db failed: $(tail -5 "$T/my/install.log")"; return 1; }
    trap __my_stop EXIT
    /usr/sbin/mariadbd --no-defaults --datadir="$T/my/data" --socket="$T/my/sock" \
        --skip-networking --pid-file="$T/my/pid" --user="$user" --log-error="$T/my/err.log" \
        --explicit-defaults-for-timestamp=ON --innodb-buffer-pool-size=16M \
        --skip-log-bin --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci &
    local i
    for i in $(seq 1 100); do
        mariadb --no-defaults -S "$T/my/sock" -u root -e 'SELECT 1' >/dev/null 2>&1 && break
        sleep 0.2
    done
    MYSQL_SOCK=$T/my/sock
    mariadb --no-defaults -S "$MYSQL_SOCK" -u root -e 'SELECT 1' >/dev/null 2>&1 ||
        { fail "MariaDB did not start: $(tail -5 "$T/my/err.log")"; return 1; }
}

__my() {
    mariadb --no-defaults -S "$MYSQL_SOCK" -u root "$@"
}

# Applies the .sql files of folder $2 (in name order, Drizzle's folder by
# its journal order, which is the same) to a new database $1.
__my_apply() {
    local db=$1 dir=$2 f
    __my -e "DROP DATABASE IF EXISTS \`$db\`; CREATE DATABASE \`$db\`" || return 1
    for f in $(find "$dir" -maxdepth 2 -name '*.sql' | sort); do
        # drizzle-kit's breakpoints are where drizzle splits the file; the
        # server would read "-->" as an operator.
        # MariaDB refuses SERIAL AUTO_INCREMENT, which MySQL 8 takes (and
        # drizzle-kit writes): SERIAL says AUTO_INCREMENT already.
        sed -e 's/--> statement-breakpoint//' -e 's/ serial AUTO_INCREMENT / serial /' "$f" |
            __my "$db" >"$T/apply.log" 2>&1 ||
            { fail "MariaDB refused $f: $(cat "$T/apply.log")"; return 1; }
    done
}

# information_schema of database $1 as lines (see the head comment).
__my_schema_lines() {
    __my -N -B -e "
SELECT CONCAT(c.TABLE_NAME, '.', c.COLUMN_NAME, '|', c.COLUMN_TYPE, '|',
              IF(c.IS_NULLABLE = 'YES', 'null', 'not-null'), '|', IFNULL(c.COLUMN_DEFAULT, '<none>'),
              '|', c.EXTRA)
FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = '$1';
SELECT CONCAT('index|', s.TABLE_NAME, '|', s.INDEX_NAME, '|',
              GROUP_CONCAT(s.COLUMN_NAME ORDER BY s.SEQ_IN_INDEX SEPARATOR ','), '|', MIN(s.NON_UNIQUE))
FROM information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = '$1'
GROUP BY s.TABLE_NAME, s.INDEX_NAME;
SELECT CONCAT('fk|', k.TABLE_NAME, '|', k.CONSTRAINT_NAME, '|',
              GROUP_CONCAT(k.COLUMN_NAME ORDER BY k.ORDINAL_POSITION SEPARATOR ','))
FROM information_schema.KEY_COLUMN_USAGE k
WHERE k.TABLE_SCHEMA = '$1' AND k.REFERENCED_TABLE_NAME IS NOT NULL
GROUP BY k.TABLE_NAME, k.CONSTRAINT_NAME;" | python3 -c '
import re, sys
cols, idx, fks = [], {}, set()
for line in sys.stdin.read().splitlines():
    f = line.split("|")
    if f[0] == "index":
        idx[(f[1], f[2])] = (f[3], f[4] == "0")
    elif f[0] == "fk":
        fks.add((f[1], f[2], f[3]))
    else:
        name, typ, null, dflt, extra = f
        # MySQL 8 prints no display width but tinyint(1)s
        typ = re.sub(r"^(tinyint|smallint|mediumint|int|bigint)\((\d+)\)",
                     lambda m: m.group(0) if m.group(0) == "tinyint(1)" else m.group(1), typ)
        # a nullable column without a default: MariaDB says NULL
        dflt = "None" if dflt in ("<none>", "NULL") else dflt
        m = re.search(r"on update (\S+)", extra)
        cols.append("%s %s %s %s%s%s" % (name, typ, null, dflt,
                    " auto_increment" if "auto_increment" in extra else "",
                    " on-update " + m.group(1) if m else ""))
out = list(cols)
for (t, n), (c, u) in idx.items():
    out.append("%s index %s (%s)%s" % (t, "PRIMARY" if n == "PRIMARY" else n, c, " unique" if u else ""))
for t, n, c in fks:
    out.append("%s fk %s (%s)" % (t, n, c))
print("\n".join(sorted(out)))
'
}

# `migralint schema` of folder $1 in the same lines.
__ml_schema_lines() {
    ml schema "$1"
    [ "$RC" -eq 0 ] || { fail "migralint schema $1: rc $RC: $ERR"; return 1; }
    python3 -c '
import json, sys
d = json.load(sys.stdin)
out = []
for t, v in d["tables"].items():
    t = t.split(".", 1)[1]
    for c in v["columns"]:
        typ = c["type"]
        # MariaDB stores JSON as longtext (with a json_valid CHECK)
        typ = "longtext" if typ == "json" else typ
        out.append("%s.%s %s %s %s%s%s" % (t, c["name"], typ, "null" if c["nullable"] else "not-null",
                   c["default"], " auto_increment" if c["identity"] else "",
                   " on-update " + c["on_update"] if c.get("on_update") else ""))
    for n, i in v["indexes"].items():
        # a name another table had already is kept apart as table.name
        n = n[len(t) + 1:] if n.startswith(t + ".") else n
        out.append("%s index %s (%s)%s" % (t, "PRIMARY" if i["primary"] else n,
                   ",".join(i["columns"]), " unique" if i["unique"] else ""))
    for n, c in v["constraints"].items():
        if c["type"] == "foreign key":
            out.append("%s fk %s (%s)" % (t, n, ",".join(c["columns"])))
print("\n".join(sorted(out)))
' <<<"$OUT"
}

__my_compare() { # folder (relative to the cwd)
    local db
    db=m$(echo "$1" | tr -c 'a-z0-9\n' '_')
    __my_apply "$db" "$1" || return
    local want got
    want=$(__my_schema_lines "$db")
    got=$(__ml_schema_lines "$1")
    if [ "$want" != "$got" ]; then
        fail "$1: migralint schema differs from MariaDB's information_schema"
        diff <(echo "$want") <(echo "$got") | sed 's/^/    /' | head -40
    fi
    [ -n "$want" ] || fail "$1: MariaDB built nothing"
}

test_mysql_schema_matches_mariadb() {
    __my_start || return
    cp -R "$FIXTURES/mysql" "$T/f" && cd "$T/f" || return
    git_repo .
    __my_compare drizzle-app/drizzle
    cd handwritten || return
    __my_compare migrations
    # the index InnoDB added for books.author_id's foreign key goes when
    # books_author_title_idx can serve it; editor_id's stays
    cd ../innodb-fk || return
    __my_compare migrations
}

# drizzle-kit's output for the fixture schema, generated now: the server and
# migralint agree on it too.
test_mysql_drizzle_kit_generated_matches_mariadb() {
    drizzle_kit_install || return
    __my_start || return
    cp -R "$FIXTURES/mysql/drizzle-app" "$T/p" && cd "$T/p" || return
    git_repo .
    rm -rf drizzle
    ln -s "$DRIZZLE_MODULES" node_modules
    node_modules/.bin/drizzle-kit generate --name init >"$T/kit.log" 2>&1 ||
        { fail "drizzle-kit generate failed: $(tail -5 "$T/kit.log")"; return; }
    ml check --format gcc --fail-on none drizzle
    expect_no_out "[parse-error]"
    __my_compare drizzle
}
