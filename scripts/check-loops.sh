#!/usr/bin/env bash
# check-loops.sh [OBJDIR [SRC]] - fails when source files call each other
# in a circle: A calls a function B defines and B calls one of A's (a
# pair), or A -> B -> C -> A. Such files have no direction: none of them
# can be read, tested or replaced without the others (docs/architecture.md,
# "Loops"). The calls are read from the objects with nm: a file's undefined
# symbols that another file defines as a function. Data (the rule registry,
# tables of formats) does not count: a table that names functions calls
# down to them.
#
# OBJDIR is where `make` put the objects (default build/obj; the tests pass
# build/asan/obj). The unit tests' objects are left out, and so is an
# object whose source is no longer under SRC (default: the src/ beside this
# script), left behind by a file moved or removed. A file is named by its
# path under OBJDIR without the suffix ("catalog/replay").
#
# The calls that point back on purpose, each with its reason. Keep this
# list short: a new loop is opened (the shared helpers moved to a file
# below both, or a callback) rather than added here. An entry whose call is
# gone, or no longer closes a loop, fails too, so the list stays true.
# CHECK_LOOPS_ALLOW, when set, replaces the list (tests/t_loops.sh).
ALLOW=$(cat <<'LIST'
catalog/do_block -> catalog/replay    recursion: the statements of a DO block are replayed by catalog_apply like any other
LIST
)
ALLOW=${CHECK_LOOPS_ALLOW-$ALLOW}
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec python3 - "${1:-build/obj}" "${2:-$here/../src}" "$ALLOW" <<'PY'
import collections, os, subprocess, sys

objdir, srcdir, allow_text = sys.argv[1], sys.argv[2], sys.argv[3]
allow = {}
for line in allow_text.splitlines():
    parts = line.split(None, 3)
    if len(parts) == 4 and parts[1] == "->":
        allow[(parts[0], parts[2])] = parts[3]

objs = []
for root, dirs, files in os.walk(objdir):
    rel = os.path.relpath(root, objdir)
    if rel.split(os.sep)[0] == "unit":
        continue
    for f in files:
        name = os.path.normpath(os.path.join(rel, f))[:-2]
        if f.endswith(".o") and (name.split(os.sep)[0] == "gen" or
                                 os.path.exists(os.path.join(srcdir, name + ".c"))):
            objs.append((name, os.path.join(root, f)))
if not objs:
    print("check-loops: no objects under %s: build first (make)" % objdir)
    sys.exit(2)

# One nm for all: "-A" prefixes each line with its object's path and ": ".
objs.sort()
by_path = {path: name for name, path in objs}
used = {name: set() for name, _ in objs}
defined = {}
out = subprocess.run(["nm", "-A", "-P"] + [path for _, path in objs], check=True,
                     capture_output=True, text=True).stdout
for line in out.splitlines():
    path, _, rest = line.partition(": ")
    sym, kind = (rest.split() + ["", ""])[:2]
    name = by_path[path]
    if kind == "U":
        used[name].add(sym)
    elif kind in ("T", "W"):
        defined.setdefault(sym, name)

calls = {a: {} for a in used}  # a -> {b: [symbols of b that a calls]}
for a, syms in used.items():
    for s in sorted(syms):
        b = defined.get(s)
        if b and b != a:
            calls[a].setdefault(b, []).append(s)


def groups(edges):
    """Strongly connected files (Tarjan), each group of two or more sorted."""
    index, low, stack, on, out = {}, {}, [], set(), []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                g = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    g.append(w)
                    if w == v:
                        break
                if len(g) > 1:
                    out.append(sorted(g))
    return sorted(out)


def shortest_cycle(edges, g):
    """A shortest circle through g's first file, within g."""
    start, inside = g[0], set(g)
    prev, queue = {start: None}, collections.deque([start])
    while queue:
        v = queue.popleft()
        for w in sorted(edges[v]):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return list(reversed(path)) + [start]
            if w in inside and w not in prev:
                prev[w] = v
                queue.append(w)
    return g + [start]


def uses(a, b):
    s = calls[a][b]
    return ", ".join(s[:3]) + (", ..." if len(s) > 3 else "")


bad = 0
full = {a: set(bs) for a, bs in calls.items()}
kept = {a: {b for b in bs if (a, b) not in allow} for a, bs in calls.items()}
for g in groups(kept):
    pairs = [(a, b) for a in g for b in sorted(kept[a]) if a < b and a in kept[b]]
    bad += max(1, len(pairs))
    if len(g) > 2:
        print("check-loops: %d files in one loop: %s" % (len(g), ", ".join(g)))
    for a, b in pairs:
        print("check-loops: %s <-> %s call each other: %s calls %s; %s calls %s"
              % (a, b, a, uses(a, b), b, uses(b, a)))
    if not pairs:
        cyc = shortest_cycle(kept, g)
        print("check-loops: %s -> %s" % (" -> ".join(
            "%s (calls %s)" % (cyc[i], uses(cyc[i], cyc[i + 1])) for i in range(len(cyc) - 1)),
            cyc[0]))
looped = {f: i for i, g in enumerate(groups(full)) for f in g}
for (a, b), why in sorted(allow.items()):
    if b not in calls.get(a, {}) or a not in looped or looped.get(b) != looped[a]:
        print("check-loops: %s -> %s closes no loop any more: remove it from the list in "
              "scripts/check-loops.sh" % (a, b))
        bad += 1
if bad:
    print("check-loops: %d problem(s): move the shared helpers to a file below the files in "
          "the loop, or pass a callback (docs/architecture.md, \"Loops\")" % bad)
sys.exit(1 if bad else 0)
PY
