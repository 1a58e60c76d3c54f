#!/usr/bin/env bash
# git_repo.sh DIR N COMMITS - makes a git repository in DIR whose
# migrations/ folder holds N golang-migrate migrations added over COMMITS
# commits (other commits touch app/), with `git fast-import` so 5,000
# commits take a second, then stages one new migration (for --staged).
set -euo pipefail
dir=$1 n=$2 commits=$3
rm -rf "$dir"
git init -q -b main "$dir"
{
    per=$(( (n + commits - 1) / commits )); m=1
    for ((c = 1; c <= commits; c++)); do
        echo "commit refs/heads/main"
        echo "committer bench <bench@migralint.invalid> $((1700000000 + c)) +0000"
        echo "data <<EOT"; echo "commit $c"; echo "EOT"
        if (( c % 2 == 1 && m <= n )); then
            for ((k = 0; k < per * 2 && m <= n; k++, m++)); do
                v=$(printf '%06d' "$m")
                up="CREATE TABLE t$m (id bigint PRIMARY KEY, note text);"
                echo "M 100644 inline migrations/${v}_t$m.up.sql"; echo "data ${#up}"; echo "$up"
                down="DROP TABLE t$m;"
                echo "M 100644 inline migrations/${v}_t$m.down.sql"; echo "data ${#down}"; echo "$down"
            done
        else
            echo "M 100644 inline app/file.txt"; echo "data ${#c}"; echo "$c"
        fi
    done
} | git -C "$dir" fast-import --quiet
git -C "$dir" checkout -q main
v=$(printf '%06d' $((n + 1)))
printf 'ALTER TABLE t1 ADD COLUMN x int;\n' >"$dir/migrations/${v}_x.up.sql"
printf 'ALTER TABLE t1 DROP COLUMN x;\n' >"$dir/migrations/${v}_x.down.sql"
git -C "$dir" add migrations
