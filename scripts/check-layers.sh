#!/usr/bin/env bash
# check-layers.sh [SRC] - fails when a file under SRC (default: src) includes
# a header of a layer above its own, or when cli/ or lsp/ go past the
# engine's facade (FACADE below). The layers, bottom first; the folders
# on one line are one layer and may include each other (docs/architecture.md
# draws them and says why each sits where it does):
LAYERS='
core
sql mysql vcs
catalog
layout code orm
rules
config report
engine
drift lsp
cli
'
# A folder under SRC that is in no layer fails too: place it above what it
# includes and below what includes it, here and in docs/architecture.md.
#
# The facade: the files of the folders named here may include, from other
# folders, only what their line names, a folder (all its headers) or one
# header. The CLI and the language server reach the analysis through the
# engine's door (engine/engine.h, the options, the language server's
# session), never through the pipeline, the catalog, the parsers, the
# layouts or Git; the rules only for their documentation (explain, rules,
# rule links). Only "quoted" includes are checked: <git2.h> and
# <pg_query.h> give `migralint version` the libraries' versions.
FACADE='
cli: core config report drift lsp engine/engine.h engine/options.h rules/ruledoc.h
lsp: core report engine/engine.h engine/options.h engine/session.h rules/ruledoc.h
'
set -euo pipefail
exec python3 - "${1:-src}" "$LAYERS" "$FACADE" <<'PY'
import os, re, sys

src, layers, facade = sys.argv[1], sys.argv[2], sys.argv[3]
rank = {m: r for r, line in enumerate(l for l in layers.splitlines() if l.strip())
        for m in line.split()}
door = {k.strip(): v.split() for k, v in
        (l.split(":", 1) for l in facade.splitlines() if l.strip())}
bad = False
for m in sorted(os.listdir(src)):
    if os.path.isdir(os.path.join(src, m)) and m not in rank:
        print("check-layers: %s/%s/ is in no layer: add it to scripts/check-layers.sh and "
              "docs/architecture.md" % (src, m))
        bad = True
include = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
for root, _, files in sorted(os.walk(src)):
    for name in sorted(files):
        if not name.endswith((".c", ".h")):
            continue
        f = os.path.join(root, name)
        frm = os.path.relpath(f, src).split(os.sep)[0]
        with open(f, encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh, 1):
                m = include.match(line)
                if not m:
                    continue
                target = os.path.relpath(os.path.normpath(os.path.join(root, m.group(1))), src)
                to = target.split(os.sep)[0]
                if frm in rank and to in rank and rank[to] > rank[frm]:
                    print("%s:%d: includes %s: %s/ is in a layer above %s/ (docs/architecture.md)"
                          % (f, n, m.group(1), to, frm))
                    bad = True
                elif frm in door and to != frm and to not in door[frm] and \
                        target.replace(os.sep, "/") not in door[frm]:
                    print("%s:%d: includes %s: %s/ takes from below only %s (the facade, "
                          "docs/architecture.md)" % (f, n, m.group(1), frm, " ".join(door[frm])))
                    bad = True
sys.exit(1 if bad else 0)
PY
