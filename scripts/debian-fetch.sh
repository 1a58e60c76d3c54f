#!/usr/bin/env bash
# debian-fetch.sh - downloads one file of Debian's package pool from the
# archive this machine's apt already uses, and checks its sha512.
#
#   scripts/debian-fetch.sh POOL_PATH SHA512_HEX DEST
#   scripts/debian-fetch.sh --archives      # the candidate base URLs, one a line
#
# POOL_PATH is relative to the archive root (pool/main/libp/libpg-query/...).
# No mirror is written down in the repository: the base URLs come from apt's
# own configuration, in apt's order (`apt-get indextargets`, which reads
# sources.list and sources.list.d/*.list and *.sources alike), else from
# those files directly; DEBIAN_ARCHIVE=URL puts one first. Each is tried in
# turn; the first download whose sha512 matches lands in DEST. Nothing is
# printed on success; on failure every URL tried is named on stderr and the
# exit status is 1.
set -euo pipefail

# Base URLs from apt's view of its sources (no downloaded lists needed).
archives_from_apt() {
    command -v apt-get >/dev/null 2>&1 || return 0
    # shellcheck disable=SC2016 # $(REPO_URI) is apt's field, not the shell's
    apt-get indextargets --no-release-info --format '$(REPO_URI)' 2>/dev/null || true
}

# Base URLs from the source files themselves: one-line "deb URI suite ..."
# entries (options in [...] skipped) and deb822 "URIs:" fields.
archives_from_files() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        awk '$1 == "deb" || $1 == "deb-src" {
            i = 2
            if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
            if (i <= NF) print $i }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$f"
    done
}

# Candidate archive roots, without duplicates, each ending in '/'. Only
# http(s) and ftp archives can be fetched with curl (not cdrom:, file: ...).
archives() {
    {
        [ -n "${DEBIAN_ARCHIVE:-}" ] && printf '%s\n' "$DEBIAN_ARCHIVE"
        archives_from_apt
        archives_from_files
    } | sed -e 's|/*$|/|' | grep -E '^(https?|ftp)://' | awk '!seen[$0]++'
}

if [ "${1:-}" = --archives ]; then
    archives
    exit 0
fi
[ $# -eq 3 ] || {
    echo "usage: $0 POOL_PATH SHA512_HEX DEST | --archives" >&2
    exit 2
}
pool_path=$1 want=$2 dest=$3
command -v curl >/dev/null 2>&1 || {
    echo "debian-fetch: curl is not installed (apt-get install curl)" >&2
    exit 1
}
mapfile -t bases < <(archives)
if [ ${#bases[@]} -eq 0 ]; then
    echo "debian-fetch: no http(s) Debian archive in apt's sources; set DEBIAN_ARCHIVE=URL" >&2
    exit 1
fi
part=$dest.part
tried=()
for base in "${bases[@]}"; do
    url=$base$pool_path
    if ! curl -sSfL --retry 2 -o "$part" "$url" 2>"$part.err"; then
        tried+=("$url: $(tr '\n' ' ' <"$part.err")")
        continue
    fi
    got=$(sha512sum "$part" | cut -d' ' -f1)
    if [ "$got" != "$want" ]; then
        tried+=("$url: sha512 $got, want $want")
        continue
    fi
    rm -f "$part.err"
    mv -f "$part" "$dest"
    exit 0
done
rm -f "$part" "$part.err"
echo "debian-fetch: could not get $pool_path with the pinned sha512; tried:" >&2
printf '  %s\n' "${tried[@]}" >&2
exit 1
