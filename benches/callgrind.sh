#!/usr/bin/env bash
# Two builds side by side by instructions executed (valgrind's callgrind), not seconds: the
# count is the same on a quiet or a loaded machine, so small differences show. S1's first
# 100,000 rows (scan, then scrub with benches/s1.policy.toml) and G1 customers at scale 0.05.
# Prints each count and the ratio new / base.
#
#   benches/callgrind.sh BASE_BIN NEW_BIN
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: benches/callgrind.sh BASE_BIN NEW_BIN}
new=${2:?usage: benches/callgrind.sh BASE_BIN NEW_BIN}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SYNTHGATE_HOME="$work/home"
WORK="$work" RUNS=1 SCALE=0.2 BIN="$new" benches/s1.sh > "$work/s1.log"
head -n 100001 "$work/s1.csv" > "$work/slice.csv"
count() { # bin args...
    local bin=$1; shift
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$bin" "$@" > /dev/null 2> "$work/cg.err" || [ $? -le 1 ] || { cat "$work/cg.err"; exit 1; }
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/cg.err"
}
printf '%-8s %16s %16s %9s\n' "" "base instr." "new instr." "new/base"
for w in scan scrub g1; do
    for side in base new; do
        bin=${!side}
        rm -rf "$work/out"
        case $w in
            scan) n=$(count "$bin" scan "$work/slice.csv" --format json) ;;
            scrub) n=$(count "$bin" scrub "$work/slice.csv" --policy benches/s1.policy.toml --out "$work/out/" --key-file "$work/key") ;;
            g1) n=$(count "$bin" generate benches/g1.toml --table customers --scale 0.05 --out "$work/out" --quiet) ;;
        esac
        declare "n_$side=$n"
    done
    awk -v w="$w" -v b="$n_base" -v n="$n_new" 'BEGIN { printf "%-8s %16d %16d %9.3f\n", w, b, n, n / b }'
done
