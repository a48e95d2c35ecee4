#!/usr/bin/env bash
# G1 (shared/BENCH.md): generate benches/g1.toml at scale 1 to CSV, JSON Lines and Parquet,
# and run `tpchgen-cli` (TPC-H SF1 lineitem CSV) side by side as the reference.
# Prints rows/s, MB/s and peak memory; medians of RUNS runs (default 3).
#
#   benches/g1.sh            # scale 1
#   SCALE=5 RUNS=1 benches/g1.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/synthgate/target}"
SCALE=${SCALE:-1}
RUNS=${RUNS:-3}
TOOLS=${TOOLS:-$HOME/.cache/synthgate/tools}
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/synthgate"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Runs "$@" RUNS times; prints: median seconds, max RSS (KB).
measure() {
    local secs=() rss=()
    for _ in $(seq "$RUNS"); do
        rm -rf "$work/out"; mkdir -p "$work/out"
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null 2> "$work/err" || { cat "$work/err"; exit 1; }
        read -r s m < "$work/time"
        secs+=("$s"); rss+=("$m")
    done
    printf '%s %s\n' "$(printf '%s\n' "${secs[@]}" | median)" "$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)"
}

echo "G1 at scale $SCALE, $RUNS run(s) each, $(nproc) cores"
printf '%-22s %12s %10s %12s %10s %10s\n' "run" "rows" "seconds" "rows/s" "MB/s" "peak MB"
for fmt in csv jsonl parquet; do
    read -r s m < <(measure "$bin" generate benches/g1.toml --out "$work/out" --format "$fmt" --scale "$SCALE" --quiet)
    rows=$("$bin" schema check benches/g1.toml --scale "$SCALE" | awk '/ — / {gsub(",", "", $3); n += $3} END {print n}')
    "$bin" generate benches/g1.toml --out "$work/out" --format "$fmt" --scale "$SCALE" --quiet
    bytes=$(du -cb "$work/out" | tail -1 | cut -f1)
    awk -v f="synthgate $fmt" -v r="$rows" -v s="$s" -v b="$bytes" -v m="$m" \
        'BEGIN { printf "%-22s %12d %10.2f %12.0f %10.1f %10.1f\n", f, r, s, r / s, b / s / 1e6, m / 1024 }'
done

tpch="$TOOLS/bin/tpchgen-cli"
if [ ! -x "$tpch" ]; then
    echo "installing tpchgen-cli into $TOOLS (once)…"
    cargo install --quiet --root "$TOOLS" tpchgen-cli
fi
read -r s m < <(measure "$tpch" csv -s "$SCALE" --tables=lineitem --output-dir "$work/out")
"$tpch" csv -s "$SCALE" --tables=lineitem --output-dir "$work/out" > /dev/null 2>&1
bytes=$(du -cb "$work/out" | tail -1 | cut -f1)
rows=$(find "$work/out" -name '*.csv' -exec cat {} + | wc -l)
awk -v f="tpchgen-cli lineitem" -v r="$rows" -v s="$s" -v b="$bytes" -v m="$m" \
    'BEGIN { printf "%-22s %12d %10.2f %12.0f %10.1f %10.1f\n", f, r, s, r / s, b / s / 1e6, m / 1024 }'
