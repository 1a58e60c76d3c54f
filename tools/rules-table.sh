#!/usr/bin/env bash
# rules-table.sh - the README's rule table, built from the front matter of
# rules/*.md (id, category, level, opt-in, summary), one row per rule, sorted
# by id. Opt-in rules show "(opt-in)" after their level.
#
#   tools/rules-table.sh            prints the table
#   tools/rules-table.sh --update   rewrites it in README.md, between the
#                                   <!-- rules-table:begin --> and
#                                   <!-- rules-table:end --> lines
#
# tests/t_rules.sh checks that README.md holds exactly what this prints.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
begin='<!-- rules-table:begin -->'
end='<!-- rules-table:end -->'

table() {
    tab=$(printf '\t')
    printf '| Rule | Category | Level | Summary |\n'
    printf '|---|---|---|---|\n'
    awk '
        function fail(msg) { printf "rules-table.sh: %s: %s\n", FILENAME, msg > "/dev/stderr"; bad = 1; exit 1 }
        function row(   level, summary) {
            for (k in need) if (!(k in m)) fail("front matter lacks " k)
            level = m["level"]
            if (m["opt-in"] == "true") level = level " (opt-in)"
            summary = m["summary"]
            gsub(/\|/, "\\|", summary)
            printf "%s\t| [%s](rules/%s.md) | %s | %s | %s |\n", m["id"], m["id"], m["id"], m["category"], level, summary
        }
        BEGIN { split("id category level opt-in summary", keys, " "); for (i in keys) need[keys[i]] = 1 }
        FNR == 1 {
            if (state == 1) fail("front matter has no closing ---")
            delete m
            if ($0 != "---") fail("does not start with a --- front matter line")
            state = 1
            next
        }
        state == 1 && $0 == "---" { row(); state = 0; next }
        state == 1 {
            i = index($0, ":")
            if (i == 0) fail("front matter line without a colon: " $0)
            v = substr($0, i + 1)
            sub(/^ +/, "", v)
            m[substr($0, 1, i - 1)] = v
        }
        END { if (!bad && state == 1) fail("front matter has no closing ---") }
    ' "$root"/rules/*.md | LC_ALL=C sort -t "$tab" -k1,1 | cut -f2-
}

case "${1:-}" in
"")
    table
    ;;
--update)
    readme=$root/README.md
    if ! grep -qxF "$begin" "$readme" || ! grep -qxF "$end" "$readme"; then
        echo "rules-table.sh: $readme lacks the lines $begin and $end" >&2
        exit 1
    fi
    t=$(table)
    tmp=$readme.tmp.$$
    awk -v begin="$begin" -v end="$end" -v table="$t" '
        $0 == begin { print; print ""; print table; print ""; skip = 1; next }
        $0 == end { skip = 0 }
        !skip { print }
    ' "$readme" >"$tmp"
    mv "$tmp" "$readme"
    ;;
*)
    echo "usage: tools/rules-table.sh [--update]" >&2
    exit 2
    ;;
esac
