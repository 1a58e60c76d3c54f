#!/usr/bin/env bash
# check-layers.sh [SRC] - fails when a file under SRC (default: src) includes
# a header of a layer above its own. The layers, bottom first; the folders
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
set -euo pipefail
exec python3 - "${1:-src}" "$LAYERS" <<'PY'
import os, re, sys

src, layers = sys.argv[1], sys.argv[2]
rank = {m: r for r, line in enumerate(l for l in layers.splitlines() if l.strip())
        for m in line.split()}
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
sys.exit(1 if bad else 0)
PY
