#!/usr/bin/env bash
# rules-table.sh - prints the README's rule table from the front matter of
# rules/*.md; with --update, rewrites it in README.md between the
# <!-- rules-table:begin --> and <!-- rules-table:end --> markers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

table() {
    echo "| Rule | Category | Level | Summary |"
    echo "|---|---|---|---|"
    for doc in "$root"/rules/*.md; do
        awk '
            /^---$/ { n++; next }
            n == 1 { k = $1; sub(/:$/, "", k); v = $0; sub(/^[^:]*: */, "", v); f[k] = v }
            END {
                lvl = f["level"]
                if (f["opt-in"] == "true") lvl = lvl " (opt-in)"
                printf "| [`%s`](rules/%s.md) | %s | %s | %s |\n", f["id"], f["id"], f["category"], lvl, f["summary"]
            }' "$doc"
    done
}

if [ "${1:-}" = "--update" ]; then
    tmp=$(mktemp)
    table >"$tmp"
    awk -v t="$tmp" '
        /<!-- rules-table:end -->/ { skip = 0 }
        !skip { print }
        /<!-- rules-table:begin -->/ { while ((getline l < t) > 0) print l; skip = 1 }
    ' "$root/README.md" >"$root/README.md.new"
    mv "$root/README.md.new" "$root/README.md"
    rm -f "$tmp"
else
    table
fi
