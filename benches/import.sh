#!/usr/bin/env bash
# Schema import speed: `synthgate schema import` of a 70-table PostgreSQL schema
# (tests/fixtures/import/wide70.pg.sql: 780 columns, 128 foreign keys, composite keys, a
# cycle, enums, domains, checks) from the live catalogue and from the DDL file, plus the
# MariaDB and SQLite fixtures of the four domains. Goal: the 70 tables in under 2 seconds.
# Then the round trip: the imported schema generated into an empty copy (scale 0.1), rows/s.
# Medians of RUNS runs (default 5).
#
#   benches/import.sh
#   BIN=path/to/synthgate RUNS=9 benches/import.sh
BENCH=import
RUNS=${RUNS:-5}
# shellcheck source=benches/db-common.sh
source "$(dirname "$0")/db-common.sh"
secs() { /usr/bin/time -f "%e %M" -o "$work/t" "$@" > /dev/null 2> "$work/err" || { cat "$work/err"; exit 1; }; tail -n 1 "$work/t"; }
report() { # label, file of "secs rss" lines
    awk '{print $1}' "$2" | median | awk -v l="$1" '{printf "%-44s %6.3f s", l, $1}'
    awk '{if ($2 > m) m = $2} END {printf "  max RSS %4d MB\n", m / 1024}' "$2"
}
fixtures=tests/fixtures/import
echo "schema import: $RUNS run(s), $(nproc) cores, $("$bin" --version 2>/dev/null || echo synthgate)"

psql -h "$PGHOST" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
psql -h "$PGHOST" -U postgres -d "$db" -q -v ON_ERROR_STOP=1 -f "$fixtures/wide70.pg.sql" > /dev/null
url="postgres://postgres@$PGHOST/$db"
: > "$work/live"; : > "$work/ddl"
for _ in $(seq "$RUNS"); do
    rm -f "$work/live.toml" "$work/ddl.toml"
    secs "$bin" schema import "$url" --out "$work/live.toml" --quiet >> "$work/live"
    secs "$bin" schema import --ddl "$fixtures/wide70.pg.sql" --dialect postgres --out "$work/ddl.toml" --quiet >> "$work/ddl"
done
tables=$(grep -c '^\[tables\.[a-z_0-9]*\]$' "$work/live.toml")
report "PostgreSQL catalogue, $tables tables" "$work/live"
report "PostgreSQL DDL file, $(grep -c '^\[tables\.[a-z_0-9]*\]$' "$work/ddl.toml") tables" "$work/ddl"

if mariadb -h 127.0.0.1 -u root -e "CREATE DATABASE $db" 2>/dev/null; then
    for d in commerce hr healthcare ticketing; do mariadb -h 127.0.0.1 -u root -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db"; mariadb -h 127.0.0.1 -u root "$db" < "$fixtures/$d.mysql.sql"
        : > "$work/my"
        for _ in $(seq "$RUNS"); do rm -f "$work/my.toml"; secs "$bin" schema import "mysql://root@127.0.0.1/$db" --out "$work/my.toml" --quiet >> "$work/my"; done
        report "MariaDB catalogue, $d ($(grep -c '^\[tables\.[a-z_0-9]*\]$' "$work/my.toml") tables)" "$work/my"
    done
else
    echo "MariaDB: not reachable, skipped"
fi

: > "$work/lite"
python3 -c "import sqlite3, sys; sqlite3.connect(sys.argv[1]).executescript(open(sys.argv[2]).read())" "$work/lite.db" "$fixtures/healthcare.sqlite.sql"
for _ in $(seq "$RUNS"); do rm -f "$work/lite.toml"; secs "$bin" schema import "sqlite://$work/lite.db" --out "$work/lite.toml" --quiet >> "$work/lite"; done
report "SQLite file, healthcare ($(grep -c '^\[tables\.[a-z_0-9]*\]$' "$work/lite.toml") tables)" "$work/lite"

# The round trip at Dev scale: the 70 tables generated into an empty copy, constraints on.
copy="${db}_copy"
psql -h "$PGHOST" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $copy WITH (FORCE)" -c "CREATE DATABASE $copy"
trap 'psql -h "$PGHOST" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $copy WITH (FORCE)" >/dev/null 2>&1; cleanup' EXIT
psql -h "$PGHOST" -U postgres -d "$copy" -q -v ON_ERROR_STOP=1 -f "$fixtures/wide70.pg.sql" > /dev/null
start=$(date +%s.%N)
"$bin" generate "$work/live.toml" --out "postgres://postgres@$PGHOST/$copy" --scale 0.1 --quiet
end=$(date +%s.%N)
rows=$(psql -h "$PGHOST" -U postgres -d "$copy" -qAt -c "SELECT sum(n_live_tup) FROM pg_stat_user_tables WHERE relname <> 'synthgate_manifests'")
empty=$(psql -h "$PGHOST" -U postgres -d "$copy" -qAt -c "SELECT count(*) FROM pg_stat_user_tables WHERE n_live_tup = 0")
awk -v r="$rows" -v s="$(echo "$end - $start" | bc)" -v e="$empty" 'BEGIN {
    printf "round trip, 70 tables at scale 0.1: %d rows in %.2f s (%.0f rows/s), %d empty tables\n", r, s, r / s, e }'
