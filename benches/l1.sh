#!/usr/bin/env bash
# L1 (shared/BENCH.md): G1 at scale 1 loaded into an empty PostgreSQL database with primary
# and foreign keys, by `synthgate generate --out postgres://…` and, side by side, by
# `psql \copy` of the same data from CSV into the same tables. Also MariaDB (synthgate against
# `LOAD DATA LOCAL INFILE` of the same CSV) and SQLite (rows/s). Medians of RUNS runs.
#
#   benches/l1.sh                    # scale 1 (~6M rows)
#   SCALE=0.1 RUNS=1 benches/l1.sh   # quicker
#   BIN=path/to/synthgate benches/l1.sh
BENCH=l1
# shellcheck source=benches/db-common.sh
source "$(dirname "$0")/db-common.sh"
secs() { /usr/bin/time -f "%e" -o "$work/t" "$@" > /dev/null 2> "$work/err" || { cat "$work/err"; exit 1; }; tail -n 1 "$work/t"; }

"$bin" generate benches/g1.toml --scale "$SCALE" --out "$work/csv" --quiet
rows=$(( $(wc -l < "$work/csv/customers.csv") + $(wc -l < "$work/csv/orders.csv") - 2 ))
echo "L1: G1 at scale $SCALE, $rows rows (customers + orders), $RUNS run(s), $(nproc) cores"

# The tables, made by synthgate itself once (--create), then emptied before each load.
pg() { psql -h "$PGHOST" -U postgres -d "$db" -qAt -v ON_ERROR_STOP=1 "$@"; }
psql -h "$PGHOST" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
url="postgres://postgres@$PGHOST/$db"
"$bin" generate benches/g1.toml --scale 0.0001 --out "$url" --create --quiet
ours=(); theirs=()
for _ in $(seq "$RUNS"); do
    pg -c "TRUNCATE orders, customers"
    ours+=("$(secs "$bin" generate benches/g1.toml --scale "$SCALE" --out "$url" --if-exists truncate --quiet)")
    pg -c "TRUNCATE orders, customers"
    theirs+=("$(secs psql -h "$PGHOST" -U postgres -d "$db" -qAt -v ON_ERROR_STOP=1 -c "BEGIN" \
        -c "\\copy customers FROM '$work/csv/customers.csv' CSV HEADER" \
        -c "\\copy orders FROM '$work/csv/orders.csv' CSV HEADER" -c "COMMIT")")
done
s=$(printf '%s\n' "${ours[@]}" | median); r=$(printf '%s\n' "${theirs[@]}" | median)
awk -v n="$rows" -v s="$s" -v r="$r" 'BEGIN {
    printf "PostgreSQL  synthgate generate: %6.2f s  %9.0f rows/s (generation included)\n", s, n / s
    printf "PostgreSQL  psql \\copy of CSV:  %6.2f s  %9.0f rows/s\n", r, n / r
    printf "PostgreSQL  ratio (synthgate rows/s / psql rows/s): %.2f\n", r / s }'

if mariadb -h 127.0.0.1 -u root -e "CREATE DATABASE $db" 2>/dev/null; then
    murl="mysql://root@127.0.0.1/$db"
    "$bin" generate benches/g1.toml --scale 0.0001 --out "$murl" --create --quiet
    my() { mariadb -h 127.0.0.1 -u root --local-infile=1 "$db" -e "$1"; }
    ours=(); theirs=()
    for _ in $(seq "$RUNS"); do
        my "SET foreign_key_checks=0; TRUNCATE orders; TRUNCATE customers; SET foreign_key_checks=1"
        ours+=("$(secs "$bin" generate benches/g1.toml --scale "$SCALE" --out "$murl" --if-exists truncate --quiet)")
        my "SET foreign_key_checks=0; TRUNCATE orders; TRUNCATE customers; SET foreign_key_checks=1"
        theirs+=("$(secs mariadb -h 127.0.0.1 -u root --local-infile=1 "$db" -e "START TRANSACTION;
            LOAD DATA LOCAL INFILE '$work/csv/customers.csv' INTO TABLE customers FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' IGNORE 1 LINES
              (id, first_name, last_name, email, phone, street_address, city, postcode, country_code, date_of_birth, @c, balance, status) SET created_at = REPLACE(REPLACE(@c, 'T', ' '), 'Z', '');
            LOAD DATA LOCAL INFILE '$work/csv/orders.csv' INTO TABLE orders FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' IGNORE 1 LINES;
            COMMIT")")
    done
    s=$(printf '%s\n' "${ours[@]}" | median); r=$(printf '%s\n' "${theirs[@]}" | median)
    awk -v n="$rows" -v s="$s" -v r="$r" 'BEGIN {
        printf "MariaDB     synthgate generate: %6.2f s  %9.0f rows/s\n", s, n / s
        printf "MariaDB     LOAD DATA of CSV:   %6.2f s  %9.0f rows/s\n", r, n / r }'
else
    echo "MariaDB: not reachable, skipped"
fi

ours=()
for _ in $(seq "$RUNS"); do
    rm -f "$work/l1.db"
    ours+=("$(secs "$bin" generate benches/g1.toml --scale "$SCALE" --out "sqlite://$work/l1.db" --create --quiet)")
done
s=$(printf '%s\n' "${ours[@]}" | median)
awk -v n="$rows" -v s="$s" 'BEGIN { printf "SQLite      synthgate generate: %6.2f s  %9.0f rows/s\n", s, n / s }'
