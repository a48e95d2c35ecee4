#!/usr/bin/env bash
# Two builds side by side on the reference workloads (shared/BENCH.md): G1 generation (CSV,
# scale 1) and S1 scanning and scrubbing, the two binaries' runs interleaved so that a noisy
# machine slows both alike. Prints each median and the ratio new / base (time; < 1 is faster).
#
#   benches/compare.sh BASE_BIN NEW_BIN          # e.g. a build of the last release and of HEAD
#   RUNS=5 SCALE=1 benches/compare.sh a b        # S1 at scale 1 (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: benches/compare.sh BASE_BIN NEW_BIN}
new=${2:?usage: benches/compare.sh BASE_BIN NEW_BIN}
RUNS=${RUNS:-3}
SCALE=${SCALE:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SYNTHGATE_HOME="$work/home"

# S1's input, made once (by s1.sh, with the new binary, one run).
WORK="$work" RUNS=1 SCALE="$SCALE" BIN="$new" benches/s1.sh > "$work/s1.log"
size=$(stat -c %s "$work/s1.csv")

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A secs
run() { # name bin command...
    local name=$1 bin=$2; shift 2
    /usr/bin/time -f "%e" -o "$work/t" "$bin" "$@" > /dev/null 2> "$work/err" || [ $? -le 1 ] || { cat "$work/err"; exit 1; }
    secs[$name]+="$(tail -n 1 "$work/t") "
}
for _ in $(seq "$RUNS"); do
    for side in base new; do
        bin=${!side}
        rm -rf "$work/g1" "$work/share"
        run "g1-$side" "$bin" generate benches/g1.toml --out "$work/g1" --format csv --scale 1 --quiet
        run "scan-$side" "$bin" scan "$work/s1.csv" --format json
        run "scrub-$side" "$bin" scrub "$work/s1.csv" --policy benches/s1.policy.toml --out "$work/share/" \
            --key-file "$work/key"
    done
done
printf '%-8s %10s %10s %8s   (%s runs each, S1 %s MB, %s cores)\n' "" "base s" "new s" "new/base" \
    "$RUNS" "$((size / 1000000))" "$(nproc)"
for w in g1 scan scrub; do
    b=$(tr ' ' '\n' <<< "${secs[$w-base]}" | grep . | median)
    n=$(tr ' ' '\n' <<< "${secs[$w-new]}" | grep . | median)
    awk -v w="$w" -v b="$b" -v n="$n" -v sz="$size" 'BEGIN {
        extra = (w == "g1") ? "" : sprintf("   %.1f -> %.1f MB/s", sz / b / 1e6, sz / n / 1e6)
        printf "%-8s %10.2f %10.2f %8.2f%s\n", w, b, n, n / b, extra }'
done
