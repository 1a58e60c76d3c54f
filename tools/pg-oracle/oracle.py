#!/usr/bin/env python3
"""oracle.py - holds migralint's model of a migrations folder against a real PostgreSQL.

Run through the pg-oracle wrapper, which starts a private PostgreSQL 15 and
sets PGHOST/PGUSER. For the folder given:

1. `migralint status --format json` gives the migrations, their order and
   framework; each one's up and down SQL is read here the way that framework
   reads it (see split_steps).
2. A database replays the folder migration by migration, each step sent the
   way the framework sends it (one query string, a transaction, or statement
   by statement through psql). For every migration with a down step, a copy
   of the database before it runs up, down, and up again: the catalog after
   down must equal the catalog before up, and the second up must succeed.
3. `migralint schema` is compared with the final catalog (tables, columns,
   constraints, indexes, views, types...), and migralint's down-step findings
   (down-does-not-reverse, empty-down, missing-down at warning or error) with
   the round trips: recall and precision.

Only the Python standard library and psql are used. See README.md.
"""
import argparse, collections, json, os, re, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
DOWN_RULES = ("down-does-not-reverse", "empty-down", "missing-down")
# A down step PostgreSQL refuses is also caught by these, at the down step itself.
DOWN_FAIL_RULES = ("parse-error", "replay-conflict", "concurrent-in-transaction")
# Frameworks that run down steps; the others have none to check.
DOWNFUL = {"golang-migrate", "goose", "dbmate", "sqitch", "diesel", "flyway", "prisma"}
# Schemas a platform stub creates: neither side is compared there.
STUB_SCHEMAS = {"auth", "storage", "extensions", "realtime", "graphql", "graphql_public", "vault",
                "supabase_functions"}
ARG_MAX_QUERY = 100000  # psql -c takes one argv string; larger steps go through -f

# ---------------------------------------------------------------- psql

def psql(db, args, stdin=None):
    cmd = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", db] + args
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, errors="replace")
    return p.returncode, p.stdout, p.stderr


def admin(sql):
    rc, out, err = psql("postgres", ["-c", sql])
    if rc:
        raise RuntimeError("%s: %s" % (sql, err.strip()))
    return out


def first_error(err):
    for line in err.splitlines():
        if "ERROR" in line or "FATAL" in line:
            return line.split("ERROR:", 1)[-1].strip()
    return err.strip()[:300]


class Step:
    """One up or down step: its SQL and how the framework sends it."""

    def __init__(self, sql, mode, where, line=0):
        # mode: query | tx | script; where: its file; line: the marker line a down section follows
        self.sql, self.mode, self.where, self.line = sql, mode, where, line


def step_args(step, path):
    """psql arguments that send a step the way its framework does."""
    if step.mode == "query" and len(step.sql) < ARG_MAX_QUERY:
        return ["-c", step.sql]  # one query string: PostgreSQL's implicit transaction
    with open(path, "w") as f:
        if step.mode in ("tx", "query"):
            f.write("BEGIN;\n%s\n;COMMIT;\n" % step.sql)
        else:
            f.write(step.sql)
    return ["-f", path]


TODAY = [time.strftime("%Y-%m-%d", time.localtime(time.time() + d)) for d in (-86400, 0, 86400)]
NOW_LITERAL = re.compile(r"'(?:%s) [0-9:.+-]+'::(timestamp|date)" % "|".join(TODAY))


def mask_now(line):
    """A view or default that says 'now'::timestamp stores the time it was created
    (lemmy's `'now'::timestamp - '1 month'::interval`): no down step can restore
    that, and the time of the run is masked (a date of today written in a migration
    would be too)."""
    return NOW_LITERAL.sub(r"'<now>'::\1", line) if "'20" in line else line


def run_session(db, items, tmpdir):
    """Runs steps and snapshots in one psql session (one connection is much cheaper
    than several). items: ("step", label, Step) or ("snap", label). Stops at the first
    error. Returns ({label: snapshot set}, failed label or None, error message)."""
    args = []
    for item in items:
        if item[0] == "step":
            if item[2] is not None and item[2].sql.strip():
                args += step_args(item[2], os.path.join(tmpdir, item[1] + ".sql"))
            args += ["-c", "\\echo @@done " + item[1]]
        else:
            # a fixed search_path: pg_get_*def() qualifies names by it
            args += ["-c", "\\echo @@snap " + item[1], "-c", "SET search_path = public",
                     "-f", os.path.join(HERE, "snapshot.sql"), "-c", "RESET search_path",
                     "-c", "\\echo @@done " + item[1]]
    rc, out, err = psql(db, args)
    snaps, done, cur = {}, set(), None
    for line in out.splitlines():
        if line.startswith("@@snap "):
            cur = line[7:]
            snaps[cur] = set()
        elif line.startswith("@@done "):
            done.add(line[7:])
            cur = None
        elif cur is not None and line and not in_stub(line):
            snaps[cur].add(mask_now(line))
    failed = next((it[1] for it in items if it[1] not in done), None)
    if failed is None:
        return snaps, None, None
    if failed in snaps or rc == 0:
        raise RuntimeError("snapshot of %s failed: %s" % (db, first_error(err)))
    return snaps, failed, first_error(err)


def run_step(db, step, tmpdir, retry=True):
    """Runs a step; returns None or PostgreSQL's error message."""
    _, failed, msg = run_session(db, [("step", "step", step)], tmpdir)
    m = re.search(r'role "([^"]+)" does not exist', msg or "")
    if m and retry:  # a role an operator creates: create it (documented) and run the step again
        admin('CREATE ROLE "%s"' % m.group(1).replace('"', '""'))
        return run_step(db, step, tmpdir, False)
    return msg


def snapshot(db):
    snaps, _, _ = run_session(db, [("snap", "s")], None)
    return snaps["s"]


def in_stub(line):
    """A fact about an object in a stub schema (the index line names its table after ON)."""
    words = line.split(" ")
    if words[0] == "index":
        m = re.search(r" ON (?:ONLY )?([^ .]+)\.", line)
        return bool(m) and m.group(1).strip('"') in STUB_SCHEMAS
    if words[0] == "trigger":
        m = re.search(r" ON ([^ .]+)\.", line)
        return bool(m) and m.group(1).strip('"') in STUB_SCHEMAS
    obj = words[1].split(".")[0].strip('"') if len(words) > 1 else ""
    return words[0] not in ("schema", "extension") and obj in STUB_SCHEMAS

# ---------------------------------------------------------------- reading migrations

def neutral(detail):
    """Round trips judged neither way: only enum labels left behind while the up
    step still re-applies (issue 17 wants a note there), or a down step failing on
    a role (roles are cluster-wide: the copy shares them with the main database)."""
    if any(l.startswith("down fails: ") and "role" in l for l in detail):
        return True
    if any(l.startswith("re-apply fails") for l in detail):
        return False
    facts = [l.split(": ", 1)[1] for l in detail]
    return all(f.startswith("type ") and " enum " in f for f in facts)


VARCHAR_ARRAY = re.compile(r"\(ARRAY\[((?:'(?:[^']|'')*'::character varying(?:, )?)+)\]\)::text\[\]")


def canon_fact(fact):
    """One spelling for facts that mean the same: a CHECK written `x IN ('a')` on a
    varchar column is stored as `(ARRAY['a'::character varying])::text[]`, the same
    list written `ARRAY['a']::text[]` as `ARRAY['a'::text]` (measure's apps check)."""
    if not fact.startswith("constraint ") or "::character varying" not in fact:
        return fact
    return VARCHAR_ARRAY.sub(lambda m: "ARRAY[" + m.group(1).replace("::character varying", "::text") + "]", fact)


def fact_table(fact):
    """schema.table a round-trip fact is about, or None."""
    words = fact.split(" ")
    if words[0] == "index":
        m = re.search(r" ON (?:ONLY )?(\S+) USING", fact)
        return m.group(1).replace('"', "") if m else None
    if words[0] in ("column", "constraint", "relation", "policy") and len(words) > 1:
        return ".".join(words[1].replace('"', "").split(".")[:2])
    return None


def judge(detail, rx):
    """(truth, detail) of a round trip: True when PostgreSQL says the down step does
    not reverse, False when it does, None when neutral. Facts about --exclude tables
    are dropped; so are pairs that mean the same (canon_fact). A constraint left
    validated where it was NOT VALID is neutral: no down step needs to undo a
    VALIDATE (migralint says nothing there on purpose, docs/catalog.md)."""
    if not detail:
        return False, detail
    lines = [l for l in detail if not (rx and fact_table(l.split(": ", 1)[1]) and rx.search(fact_table(l.split(": ", 1)[1])))]
    gone = ("not restored: ", "dropped by up: ")
    came = ("left by down: ", "left by up: ")
    lost = [l for l in lines if l.startswith(gone)]
    left = [l for l in lines if l.startswith(came)]
    rest = [l for l in lines if not l.startswith(gone + came)]
    nv = 0
    for l in list(lost):
        f = canon_fact(l.split(": ", 1)[1])
        for r in left:
            g = canon_fact(r.split(": ", 1)[1])
            if f == g or f == g + " NOT VALID" or g == f + " NOT VALID":
                nv += f != g
                lost.remove(l)
                left.remove(r)
                break
    kept = lost + left + rest
    if not kept:
        return (None if nv else False), detail
    return (None if neutral(kept) else True), kept


def resolve(p, folder):
    """migralint prints paths relative to the repository root (or the working
    directory): the ancestor of the folder under which the path exists."""
    if os.path.isabs(p):
        return p
    a = folder
    while True:
        if os.path.exists(os.path.join(a, p)):
            return os.path.join(a, p)
        if a == os.path.dirname(a):
            return os.path.abspath(p)
        a = os.path.dirname(a)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def marker_split(text, up_re, down_re):
    """Splits a goose or dbmate file at its marker lines: (up, down or None, up line, down line)."""
    up, down, cur = [], None, None
    up_line = down_line = 0
    for i, line in enumerate(text.splitlines(keepends=True), 1):
        if re.match(up_re, line, re.I):
            cur, up_line = up, i
            continue
        if re.match(down_re, line, re.I):
            down, down_line = [], i
            cur = down
            continue
        if cur is not None:
            cur.append(line)
        else:
            up.append("\n")  # keep line numbers of the part in the file
    return "".join(up), (None if down is None else "".join(down)), up_line, down_line


def split_steps(m, folder, uses_undo):
    """Returns (up Step, down Step or None, files of the migration) as the framework reads them."""
    fw, path = m["framework"], resolve(m["path"], folder)
    if fw == "golang-migrate":
        dpath = re.sub(r"\.up\.sql$", ".down.sql", path)
        down = Step(read(dpath), "query", dpath) if os.path.exists(dpath) else None
        return Step(read(path), "query", path), down, [path, dpath]
    if fw == "goose":
        text = read(path)
        mode = "script" if re.search(r"^--\s*\+goose\s+NO\s+TRANSACTION", text, re.I | re.M) else "tx"
        up, down, _, dl = marker_split(text, r"^--\s*\+goose\s+up\b", r"^--\s*\+goose\s+down\b")
        return Step(up, mode, path), (Step(down, mode, path, dl) if down is not None else None), [path]
    if fw == "dbmate":
        text = read(path)
        up, down, _, dl = marker_split(text, r"^-- migrate:up", r"^-- migrate:down")
        upm = "script" if re.search(r"^-- migrate:up.*transaction:false", text, re.M) else "query"
        dm = "script" if re.search(r"^-- migrate:down.*transaction:false", text, re.M) else "query"
        return Step(up, upm, path), (Step(down, dm, path, dl) if down is not None else None), [path]
    if fw == "diesel":
        meta = os.path.join(path, "metadata.toml")
        notx = os.path.exists(meta) and re.search(r"run_in_transaction\s*=\s*false", read(meta))
        mode = "script" if notx else "query"
        up, dn = os.path.join(path, "up.sql"), os.path.join(path, "down.sql")
        down = Step(read(dn), mode, dn) if os.path.exists(dn) else None
        return Step(read(up), mode, up), down, [up, dn]
    if fw == "prisma":
        up, dn = os.path.join(path, "migration.sql"), os.path.join(path, "down.sql")
        down = Step(read(dn), "query", dn) if os.path.exists(dn) else None
        return Step(read(up), "query", up), down, [up, dn]
    if fw == "sqitch":
        rel = os.path.relpath(path, os.path.join(folder, "deploy"))
        dn = os.path.join(folder, "revert", rel)
        down = Step(read(dn), "script", dn) if os.path.exists(dn) else None
        return Step(read(path), "script", path), down, [path, dn]
    if fw == "flyway":
        text = read(path)
        mode = "script" if re.search(r"executeInTransaction\s*=\s*false", text) or \
            (os.path.exists(path + ".conf") and "executeInTransaction=false" in read(path + ".conf")) else "tx"
        down = None
        files = [path]
        base = os.path.basename(path)
        if base.startswith("V") and uses_undo:
            ver = base[1:].split("__", 1)[0]
            for root, _, names in os.walk(folder):
                for n in names:
                    if n.startswith("U") and n.endswith(".sql") and n[1:].split("__", 1)[0] == ver:
                        down = Step(read(os.path.join(root, n)), mode, os.path.join(root, n))
                        files.append(os.path.join(root, n))
        return Step(text, mode, path), down, files
    # drizzle (one transaction for the run), supabase (one transaction per file), plain (psql)
    mode = {"drizzle": "tx", "supabase": "tx"}.get(fw, "script")
    return Step(read(path), mode, path), None, [path]

# ---------------------------------------------------------------- catalog comparison

def load_compare():
    """compare.py holds flatten() and canon(), shared with tests/t_catalog_pg.sh's rules."""
    ns = {"__name__": "compare"}
    with open(os.path.join(HERE, "compare.py")) as f:
        exec(compile(f.read(), "compare.py", "exec"), ns)
    return ns


def stub_key(key):
    words = key.split(" ")
    obj = words[2] if words[0] in ("view", "column") and words[1] in ("column", "order") else words[1]
    return obj.split(".")[0] in STUB_SCHEMAS or (words[0] == "schema" and words[1] in STUB_SCHEMAS)


def excluded(key, rx):
    """The key's table (schema.name) matches the --exclude expression."""
    if rx is None:
        return False
    obj = key.split(" ")[2] if key.startswith(("view column ", "column order ")) else key.split(" ", 1)[1]
    parts = obj.split(".")
    return bool(rx.search(".".join(parts[:2]))) if len(parts) >= 2 else False


def compare_catalog(ml_json, pg_json, cmp, baseline, rx=None):
    base = cmp["flatten"](baseline, True) if baseline else {}
    base = {k for k in base if not k.startswith("schema public")}
    ml = {k: v for k, v in cmp["flatten"](ml_json, False).items()
          if not stub_key(k) and k not in base and not excluded(k, rx)}
    pg = {k: v for k, v in cmp["flatten"](pg_json, True).items()
          if not stub_key(k) and k not in base and not excluded(k, rx)}
    for k, v in ml.items():  # a view column type the replay cannot infer is null by design
        if k.startswith("view column ") and v is None and k in pg:
            pg[k] = None
    tables = sorted(set(k[6:] for k in list(ml) + list(pg) if k.startswith("table ")))
    cols = sorted(set(k[7:] for k in list(ml) + list(pg) if k.startswith("column ") and not k.startswith("column order")))

    def colset(d, t):
        return set(k[7 + len(t) + 1:] for k in d if k.startswith("column " + t + "."))
    teq = [t for t in tables if ml.get("table " + t) == pg.get("table " + t) and "table " + t in pg
           and colset(ml, t) == colset(pg, t)]

    def core(d, c):
        v = d.get("column " + c)
        return None if v is None else json.loads(v)[:2]  # type, nullable
    ceq = [c for c in cols if core(ml, c) is not None and core(ml, c) == core(pg, c)]
    diffs = [(k, ml.get(k, "<absent>"), pg.get(k, "<absent>")) for k in sorted(set(ml) | set(pg))
             if ml.get(k, "<absent>") != pg.get(k, "<absent>")]
    return {"tables_equal": len(teq), "tables_total": len(tables), "columns_equal": len(ceq),
            "columns_total": len(cols), "facts_total": len(pg), "diffs": diffs}

# ---------------------------------------------------------------- main

def replay_pg(a, db, migs, folder, fw, any_down, roundtrip, stub):
    """The PostgreSQL side: replays the folder, runs the round trips, dumps the final
    catalog. Returns what the comparison needs (JSON-serializable: --pg-cache keeps it)."""
    tmpdir = tempfile.mkdtemp(prefix="pg-oracle-")
    for d in (db, db + "_rt"):
        admin("DROP DATABASE IF EXISTS %s" % d)
    admin("CREATE DATABASE %s TEMPLATE template0" % db)
    search_path = None
    if stub != "none":
        rc, _, err = psql(db, ["-f", os.path.join(HERE, "stubs", stub + ".sql")])
        if rc:
            raise RuntimeError("stub %s: %s" % (stub, first_error(err)))
        search_path = '"$user", public, extensions'

    if a.setup:
        rc, _, err = psql(db, ["-f", os.path.abspath(a.setup)])
        if rc:
            raise RuntimeError("setup %s: %s" % (a.setup, first_error(err)))
    search_path = a.search_path or search_path
    if search_path:  # not copied by CREATE DATABASE ... TEMPLATE: set on each copy too
        admin("ALTER DATABASE %s SET search_path = %s" % (db, search_path))

    # what the stub and setup made: compared on neither side
    rc, base_out, err = psql(db, ["-c", "SET search_path = public", "-f", os.path.join(HERE, "schema.sql")])
    baseline = json.loads(base_out) if rc == 0 else None

    folder_of_set = resolve(migs[0]["folder"], folder)
    truth, replay_errors, rt_detail = {}, [], {}
    files_of, downs = {}, {}
    before = snapshot(db) if roundtrip else None
    for i, m in enumerate(migs):
        if i % 25 == 0:  # long folders take minutes: say where we are
            print("pg-oracle: %s %d/%d %s" % (db, i, len(migs), m["path"]), file=sys.stderr, flush=True)
        up, down, files = split_steps(m, folder_of_set, any_down)
        if down is not None:
            downs[i] = (os.path.realpath(down.where), down.line)
        for f in files:
            files_of[os.path.realpath(f)] = i
        files_of[os.path.realpath(resolve(m["path"], folder))] = i
        snaps, failed, err = run_session(db, [("step", "up", up), ("snap", "after")], tmpdir)
        m_role = re.search(r'role "([^"]+)" does not exist', err or "")
        if m_role:  # a role an operator creates: create it (documented) and run the step again
            admin('CREATE ROLE "%s"' % m_role.group(1).replace('"', '""'))
            snaps, failed, err = run_session(db, [("step", "up", up), ("snap", "after")], tmpdir)
        if err:
            replay_errors.append((m["path"], err))
        if not roundtrip:
            continue
        after = snaps.get("after") or snapshot(db)
        detail = None
        if not err and (down is None or not down.sql.strip()):
            # nothing to run: the catalog is restored only if up changed nothing
            lost, left = sorted(before - after), sorted(after - before)
            if lost or left:
                detail = ["left by up: " + l for l in left] + ["dropped by up: " + l for l in lost]
        elif not err:
            # the copy starts where up left the database
            rdb = db + "_rt"
            admin("CREATE DATABASE %s TEMPLATE %s STRATEGY FILE_COPY" % (rdb, db))
            if search_path:
                admin("ALTER DATABASE %s SET search_path = %s" % (rdb, search_path))
            snaps, failed, e = run_session(rdb, [("step", "down", down), ("snap", "s2"), ("step", "reup", up)],
                                           tmpdir)
            if failed == "down":
                detail = ["down fails: " + e]
            else:
                s2 = snaps["s2"]
                lost, left = sorted(before - s2), sorted(s2 - before)
                if lost or left:
                    detail = ["not restored: " + l for l in lost] + ["left by down: " + l for l in left]
                if failed == "reup":
                    detail = (detail or []) + ["re-apply fails: " + e]
            admin("DROP DATABASE %s" % rdb)
        if not err:
            truth[i] = detail is not None
            rt_detail[i] = detail
            if detail and neutral(detail):
                truth[i] = None  # neither an alarm nor a miss (README: "Neutral")
        before = after

    rc, pgout, err = psql(db, ["-c", "SET search_path = public", "-f", os.path.join(HERE, "schema.sql")])
    shutil.rmtree(tmpdir, ignore_errors=True)
    if not os.environ.get("PG_ORACLE_KEEP"):
        admin("DROP DATABASE IF EXISTS %s" % db)
    return {"paths": [m["path"] for m in migs], "truth": truth, "rt_detail": rt_detail,
            "replay_errors": replay_errors, "files_of": files_of, "downs": downs,
            "baseline": baseline, "pgout": pgout}


def replay_pg_cached(a, db, migs, folder, fw, any_down, roundtrip, stub):
    """replay_pg, or its result kept in --pg-cache when that file is for the same
    migration list: the PostgreSQL side takes minutes, migralint's seconds."""
    paths = [m["path"] for m in migs]
    if a.pg_cache and os.path.exists(a.pg_cache):
        with open(a.pg_cache) as f:
            pg = json.load(f)
        def norm(ps):  # migralint prints paths relative to where it runs: compare the files
            return [os.path.realpath(resolve(p, folder)) for p in ps]
        if norm(pg["paths"]) == norm(paths) and pg.get("roundtrip") == roundtrip:
            int_keys = lambda d: {int(k): v for k, v in d.items()}
            pg["truth"], pg["rt_detail"], pg["downs"] = (int_keys(pg[k]) for k in ("truth", "rt_detail", "downs"))
            return pg
        print("pg-oracle: %s is for another migration list: replaying" % a.pg_cache, file=sys.stderr)
    pg = replay_pg(a, db, migs, folder, fw, any_down, roundtrip, stub)
    pg["roundtrip"] = roundtrip
    if a.pg_cache:
        with open(a.pg_cache, "w") as f:
            json.dump(pg, f)
    return pg


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder")
    ap.add_argument("--migralint", default=os.environ.get("MIGRALINT", "migralint"))
    ap.add_argument("--name", help="project name for the report (default: the folder's)")
    ap.add_argument("--stub", choices=["auto", "supabase", "none"], default="auto",
                    help="platform stub to load first (auto: supabase for a Supabase folder)")
    ap.add_argument("--setup", help="SQL file run before the first migration (what the deployment provides)")
    ap.add_argument("--search-path", help="the database's search_path (as a connection URL may set it)")
    ap.add_argument("--json", help="also write the report as JSON to this file")
    ap.add_argument("--no-roundtrip", action="store_true", help="replay forward only")
    ap.add_argument("--max-diffs", type=int, default=40)
    ap.add_argument("--exclude", help="regular expression: tables (and their columns, constraints, indexes) "
                    "whose schema.name matches are compared on neither side, for objects a migration creates "
                    "at run time through dynamic SQL (date-named partitions)")
    ap.add_argument("--pg-cache", help="JSON file keeping the PostgreSQL side's results: reused when it is for "
                    "the same migration list (rerunning a new migralint takes seconds), written otherwise")
    a = ap.parse_args()

    t0 = time.time()
    folder = os.path.abspath(a.folder)
    name = a.name or os.path.basename(folder)
    db = "oracle_" + re.sub(r"[^a-z0-9]", "_", name.lower())
    out = {"project": name, "folder": folder}

    st = subprocess.run([a.migralint, "status", folder, "--format", "json"], capture_output=True, text=True)
    if st.returncode not in (0, 1):
        print("migralint status exited %d: %s" % (st.returncode, st.stderr.strip()[:2000]))
        out["status_error"] = st.stderr.strip()[:2000]
    migs = [m for m in (json.loads(st.stdout) if st.stdout.strip() else []) if m.get("state") != "stray"]
    if not migs:
        print("no migrations found in %s" % folder)
        sys.exit(2)
    fw = migs[0]["framework"]
    out["framework"] = fw
    out["migrations"] = len(migs)
    any_down = any(m["has_down"] for m in migs)
    roundtrip = not a.no_roundtrip and fw in DOWNFUL and any_down
    stub = ("supabase" if fw == "supabase" else "none") if a.stub == "auto" else a.stub

    pg = replay_pg_cached(a, db, migs, folder, fw, any_down, roundtrip, stub)
    truth, rt_detail, replay_errors = pg["truth"], pg["rt_detail"], pg["replay_errors"]
    files_of, downs, baseline, pgout = pg["files_of"], pg["downs"], pg["baseline"], pg["pgout"]
    rx = re.compile(a.exclude) if a.exclude else None
    for i in truth:  # judged here, not in the cache: the rules can change without a replay
        truth[i], rt_detail[i] = judge(rt_detail[i], rx)

    # migralint's model of the final schema
    sc = subprocess.run([a.migralint, "schema", folder], capture_output=True, text=True)
    cmp = load_compare()
    if sc.returncode != 0 or not sc.stdout.strip():
        out["schema_error"] = "migralint schema exited %d: %s" % (sc.returncode, sc.stderr.strip()[:500])
        cat = None
    else:
        cat = compare_catalog(json.loads(sc.stdout), json.loads(pgout), cmp, baseline,
                              re.compile(a.exclude) if a.exclude else None)
        out["replay_conflicts_reported"] = sum(1 for l in sc.stderr.splitlines() if l.strip())

    # migralint's findings
    ck = subprocess.run([a.migralint, "check", folder, "--format", "json", "--fail-on", "none"],
                        capture_output=True, text=True)
    out["check_exit"] = ck.returncode
    findings = json.loads(ck.stdout) if ck.stdout.strip().startswith("[") else []
    out["findings"] = len(findings)
    alarms = collections.defaultdict(list)
    for f in findings:
        if f["level"] == "note" or f["rule"] not in DOWN_RULES + DOWN_FAIL_RULES:
            continue
        p = os.path.realpath(resolve(f["path"], folder))
        i = files_of.get(p)
        if i is None:
            i = next((j for q, j in files_of.items() if p.startswith(q + "/")), None)
        if i is None:
            continue
        if f["rule"] in DOWN_FAIL_RULES and not (i in downs and downs[i][0] == p and f["line"] > downs[i][1]):
            continue
        alarms[i].append(f)
    tp = sorted(i for i in truth if truth[i] and i in alarms)
    fn = sorted(i for i in truth if truth[i] and i not in alarms)
    fp = sorted(i for i in truth if truth[i] is False and i in alarms)
    neutral_ = sorted(i for i in truth if truth[i] is None)
    out.update({"roundtrip": roundtrip, "down_truth": sum(1 for v in truth.values() if v),
                "down_neutral": len(neutral_), "down_checked": len(truth),
                "down_alarms": sum(1 for i in truth if i in alarms and truth[i] is not None), "down_tp": len(tp)})
    out["down_recall"] = len(tp) / (len(tp) + len(fn)) if tp or fn else None
    out["down_precision"] = len(tp) / (len(tp) + len(fp)) if tp or fp else None
    out["replay_errors"] = replay_errors
    if cat:
        out.update({k: v for k, v in cat.items() if k != "diffs"})
        out["catalog_diffs"] = len(cat["diffs"])
    out["seconds"] = round(time.time() - t0, 1)

    # the report
    print("== %s (%s): %d migrations, %s" % (name, fw, len(migs), folder))
    for p, e in replay_errors:
        print("REPLAY ERROR %s: %s" % (p, e))
    if "schema_error" in out:
        print("SCHEMA ERROR " + out["schema_error"])
    if cat:
        for k, ml, pg in cat["diffs"][:a.max_diffs]:
            print("DIFF %s\n    migralint:  %s\n    postgresql: %s" % (k, ml, pg))
        if len(cat["diffs"]) > a.max_diffs:
            print("... %d more differences" % (len(cat["diffs"]) - a.max_diffs))
    for label, idx in (("MISSED", fn), ("FALSE", fp), ("NEUTRAL", neutral_)):
        for i in idx:
            m = migs[i]
            print("%s down step %s" % (label, m["path"]))
            for l in (rt_detail[i] or ["postgresql: the down step restores the catalog"])[:6]:
                print("    " + l)
            for f in alarms.get(i, [])[:3]:
                print("    migralint %s %s:%d: %s" % (f["rule"], f["path"], f["line"], f["message"][:200]))
    out["missed"] = [{"path": migs[i]["path"], "postgresql": rt_detail[i]} for i in fn]
    out["neutral"] = [{"path": migs[i]["path"], "postgresql": rt_detail[i]} for i in neutral_]
    out["false"] = [{"path": migs[i]["path"], "migralint": [(f["rule"], f["path"], f["line"], f["message"])
                                                            for f in alarms[i]]} for i in fp]
    if cat:
        out["diffs"] = cat["diffs"]

    def ratio(x):
        return "-" if x is None else "%.2f" % x
    print("SUMMARY %s framework=%s migrations=%d tables=%s/%s columns=%s/%s down_recall=%s down_precision=%s "
          "(checked %d, not reversing %d, neutral %d, alarms %d) replay_errors=%d check_exit=%d time=%.1fs" % (
              name, fw, len(migs), out.get("tables_equal", "-"), out.get("tables_total", "-"),
              out.get("columns_equal", "-"), out.get("columns_total", "-"), ratio(out["down_recall"]),
              ratio(out["down_precision"]), len(truth), out["down_truth"], len(neutral_), out["down_alarms"],
              len(replay_errors), ck.returncode, out["seconds"]))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
