#!/usr/bin/env bash
# R1 (reading tables): `synthgate scan` of G1's orders table (about 5,000,000 rows at scale 1)
# straight from PostgreSQL, against `synthgate scan` of the same rows as a CSV file
# (`psql \copy … TO`), side by side. Also MariaDB and SQLite. The tables are loaded by
# `synthgate generate`, so their signed manifest row vouches for them and every read also
# checks the row digest (the real path); the CSV has no manifest. Medians of RUNS runs.
#
#   benches/r1.sh                    # scale 1
#   SCALE=0.1 RUNS=1 benches/r1.sh   # quicker
#   BIN=path/to/synthgate benches/r1.sh
#   PIN=1 benches/r1.sh              # the servers on the last core, synthgate on the first
#
# PIN=1 measures what a database on a host of its own would give: the database servers'
# processes are pinned to the last core, and every synthgate run (the CSV scan too) to core 0
# with one worker (`--threads 1`), so the server's work never takes synthgate's core. Without
# it, the servers share both cores with synthgate and their CPU counts against the table scans.
BENCH=r1
# shellcheck source=benches/db-common.sh
source "$(dirname "$0")/db-common.sh"
PIN=${PIN:-0}
run=()
if [ "$PIN" = 1 ]; then
    last=$(( $(nproc) - 1 ))
    [ "$last" -ge 1 ] || { echo "PIN=1 needs two cores"; exit 1; }
    pin_servers() { for p in $(pgrep -x postgres; pgrep -x mariadbd); do taskset -a -p -c "$1" "$p" > /dev/null; done; }
    pin_servers "$last"
    trap 'pin_servers 0-'"$last"'; cleanup' EXIT
    run=(taskset -c 0)
fi
secs() { /usr/bin/time -f "%e %M" -o "$work/t" "$@" > /dev/null 2> "$work/err" || [ $? -eq 1 ] || { cat "$work/err"; exit 1; }; tail -n 1 "$work/t"; }
# "seconds max-RSS-KB" lines → "median-seconds max-RSS-MB"
summary() { awk '{print $1}' "$1" | median | tr '\n' ' '; awk '{if ($2 > m) m = $2} END {printf "%.0f\n", m / 1024}' "$1"; }

psql -h "$PGHOST" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
url="postgres://postgres@$PGHOST/$db"
"$bin" generate benches/g1.toml --scale "$SCALE" --table orders --out "$url" --create --quiet
# Steady state: the load's autovacuum would otherwise run beside the first scans.
psql -h "$PGHOST" -U postgres -d "$db" -qAt -c "VACUUM (ANALYZE) orders"
psql -h "$PGHOST" -U postgres -d "$db" -qAt -c "\\copy orders TO '$work/orders.csv' CSV HEADER"
rows=$(( $(wc -l < "$work/orders.csv") - 1 ))
mb=$(du -m "$work/orders.csv" | cut -f1)
threads=()
where="the servers on the same cores"
if [ "$PIN" = 1 ]; then threads=(--threads 1); where="pinned: servers on core $last, synthgate on core 0 with one worker"; fi
echo "R1: G1 orders at scale $SCALE, $rows rows ($mb MB as CSV), $RUNS run(s), $(nproc) cores, $where"

report() { # label, file of "secs rss" lines, baseline seconds
    read -r s rss < <(summary "$2")
    awk -v l="$1" -v n="$rows" -v s="$s" -v m="$mb" -v rss="$rss" -v b="${3:-}" 'BEGIN {
        printf "%-30s %6.2f s  %9.0f rows/s  %6.1f MB/s  max RSS %4d MB", l, s, n / s, m / s, rss
        if (b != "") printf "  ratio to CSV %.2f", b / s
        printf "\n" }'
}
: > "$work/csv"; : > "$work/pg"
for _ in $(seq "$RUNS"); do
    secs "${run[@]}" "$bin" scan "$work/orders.csv" "${threads[@]}" --format json >> "$work/csv"
    secs "${run[@]}" "$bin" scan "$url" --table orders "${threads[@]}" --format json >> "$work/pg"
done
report "scan orders.csv" "$work/csv"
base=$(awk '{print $1}' "$work/csv" | median)
report "scan PostgreSQL table" "$work/pg" "$base"

if mariadb -h 127.0.0.1 -u root -e "CREATE DATABASE $db" 2>/dev/null; then
    murl="mysql://root@127.0.0.1/$db"
    "$bin" generate benches/g1.toml --scale "$SCALE" --table orders --out "$murl" --create --quiet
    : > "$work/my"
    for _ in $(seq "$RUNS"); do secs "${run[@]}" "$bin" scan "$murl" --table orders "${threads[@]}" --format json >> "$work/my"; done
    report "scan MariaDB table" "$work/my" "$base"
else
    echo "MariaDB: not reachable, skipped"
fi

"$bin" generate benches/g1.toml --scale "$SCALE" --table orders --out "sqlite://$work/r1.db" --create --quiet
: > "$work/lite"
for _ in $(seq "$RUNS"); do secs "${run[@]}" "$bin" scan "sqlite://$work/r1.db" --table orders "${threads[@]}" --format json >> "$work/lite"; done
report "scan SQLite table" "$work/lite" "$base"
