"""compare.py - flattens a `migralint schema` JSON and the same shape read from PostgreSQL
(schema.sql) into one line per fact; run as a script (tests/t_catalog_pg.sh), it compares
two such files and prints what differs. tools/pg-oracle/oracle.py loads flatten() and canon()."""
import json, re, sys

# By design (docs/catalog.md): expressions in CHECK constraints, index keys
# and predicates and generated columns are compared without casts,
# parentheses, quotes and spaces. PostgreSQL prints the analyzed expression
# with every implicit cast it resolved ((price > (0)::numeric)); the replay
# works from the parse tree, without type analysis.
MULTI = (r"(?:character varying|double precision|bit varying"
         r"|timestamp(?:\(\d+\))? with(?:out)? time zone|time(?:\(\d+\))? with(?:out)? time zone)")
CAST = re.compile(r"::(?:" + MULTI + r"|\"[^\"]+\"|[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)"
                  r"(?:\(\d+(?:,\d+)?\))?(?:\[\])*")

def canon(expr):
    if expr is None:
        return None
    if expr.startswith("CHECK "):
        expr = expr[6:]
    if expr.endswith(" NOT VALID"):  # pg_get_constraintdef() says so; "validated" is compared
        expr = expr[:-10]
    return re.sub(r"[()\s\"]", "", CAST.sub("", expr))

ACTIONS = {"no action": "a", "restrict": "r", "cascade": "c", "set null": "n", "set default": "d"}

def volatile(expr, vol):
    # A default is volatile when it calls a function pg_proc marks volatile.
    return expr is not None and any(vol.get(f) == "v" for f in re.findall(r"([a-z_][a-z0-9_]*)\(", expr))

def add_indexes(out, table, indexes):
    for name, ix in indexes.items():
        out["index %s.%s" % (table, name)] = json.dumps(
            [[canon(c) for c in ix["columns"]], [canon(c) for c in ix["include"]], ix["unique"],
             ix["primary"], ix["method"], canon(ix["where"]), ix["constraint"]])

def flatten(d, pg):
    out = {}
    vol = d.get("volatility") or {}
    for s in d["schemas"]:
        out["schema " + s] = ""
    for e in d["extensions"]:
        out["extension " + e] = ""
    for name, t in d["types"].items():
        out["type " + name] = json.dumps([t["kind"], t.get("values"), t.get("base")])
    for name, s in d["sequences"].items():
        out["sequence " + name] = str(s["owned_by"])
    for name, t in d["tables"].items():
        pb = t["partition_by"]
        if pb:  # PostgreSQL writes the strategy in capitals
            strategy, rest = pb.split(" ", 1)
            pb = strategy.lower() + " " + rest
        out["table " + name] = json.dumps([t["kind"], t["partition_of"], pb])
        out["column order " + name] = " ".join(c["name"] for c in t["columns"])
        for c in t["columns"]:
            dv = volatile(c["default"], vol) if pg else c["default_volatile"]
            out["column %s.%s" % (name, c["name"])] = json.dumps(
                [c["type"], c["nullable"], c["default"], dv, c["identity"], canon(c["generated"])])
        for cn, k in t["constraints"].items():
            cols = k["columns"]
            if k["type"] == "check":  # PostgreSQL lists them in attnum order
                cols = sorted(cols)
            od, ou = k.get("on_delete"), k.get("on_update")
            if not pg and k["type"] == "foreign key":
                od, ou = ACTIONS[od], ACTIONS[ou]
            out["constraint %s.%s" % (name, cn)] = json.dumps(
                [k["type"], cols, k["validated"], canon(k.get("expression")), k.get("references"),
                 k.get("ref_columns"), od, ou])
        add_indexes(out, name, t["indexes"])
        for tg in t["triggers"]:
            out["trigger %s.%s" % (name, tg)] = ""
    for name, v in d["views"].items():
        out["view " + name] = json.dumps([v["materialized"], [c["name"] for c in v["columns"]], v["reads"]])
        for c in v["columns"]:
            out["view column %s.%s" % (name, c["name"])] = c["type"]
        add_indexes(out, name, v.get("indexes", {}))
    for f in d["functions"]:
        out["function " + f] = ""
    return out


if __name__ == "__main__":
    ml, pg = (flatten(json.load(open(p)), i == 1) for i, p in enumerate(sys.argv[1:3]))
    # By design: a view column whose type the replay cannot infer (an aggregate
    # over an expression, a CASE) is null and not compared.
    for k, v in ml.items():
        if k.startswith("view column ") and v is None and k in pg:
            pg[k] = None
    kinds = {}
    for k in pg:
        kind = " ".join(k.split(" ")[:2]) if k.startswith(("view column", "column order")) else k.split(" ")[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    print("compared %d facts: %s" % (len(pg), ", ".join("%d %s" % (n, k) for k, n in sorted(kinds.items()))))
    diffs = 0
    for k in sorted(set(ml) | set(pg)):
        a, b = ml.get(k, "<absent>"), pg.get(k, "<absent>")
        if a != b:
            diffs += 1
            print("DIFF %s\n    migralint:  %s\n    postgresql: %s" % (k, a, b))
    sys.exit(1 if diffs else 0)
