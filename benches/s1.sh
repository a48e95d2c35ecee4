#!/usr/bin/env bash
# S1 (shared/BENCH.md): G1 `customers` at scale 5 as CSV (~0.7 GB), with personal data
# injected into a copy: a real-format value (outside the reserved ranges, invented, valid
# check digits) in every 1,000th row of a free-text column, plus a column of valid card
# numbers. Scans it with the full default rule set, then scrubs it with benches/s1.policy.toml
# (every column) and checks that the result scans clean; prints MB/s of input and peak memory.
#
#   benches/s1.sh                 # scale 5
#   SCALE=1 benches/s1.sh         # quicker
#   BIN=path/to/synthgate benches/s1.sh   # measure that binary (no build)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/synthgate/target}"
SCALE=${SCALE:-5}
RUNS=${RUNS:-3}
if [ -z "${BIN:-}" ]; then cargo build --release --quiet; fi
bin="${BIN:-$CARGO_TARGET_DIR/release/synthgate}"
work=${WORK:-$(mktemp -d)}
trap '[ -z "${WORK:-}" ] && rm -rf "$work"' EXIT

"$bin" generate benches/g1.toml --table customers --scale "$SCALE" --out "$work/g1" --quiet
# Inject: `notes` (free text, a needle every 1,000th row) and `card` (16-digit, Luhn-valid,
# IIN 4539, never a published test number).
awk -F, -v OFS=, '
function luhn(s,    i, d, t, n) {
    t = 0; n = length(s)
    for (i = n; i >= 1; i--) { d = substr(s, i, 1) + 0; if ((n - i) % 2 == 0) { d *= 2; if (d > 9) d -= 9 } t += d }
    return (10 - t % 10) % 10
}
function nhs(s,    i, t, c) {
    t = 0
    for (i = 1; i <= 9; i++) t += (substr(s, i, 1) + 0) * (11 - i)
    c = 11 - t % 11; if (c == 11) c = 0
    return c
}
NR == 1 { print $0, "notes", "card"; next }
{
    n = NR - 1
    note = "delivered to the front desk, no issues"
    if (n % 1000 == 0) {
        k = (n / 1000) % 4
        if (k == 0) note = "customer asked to use jo.bloggs" n "@mailbox.co.uk instead"
        else if (k == 1) note = "call back on 07911 " sprintf("%06d", n % 1000000) " after 5pm"
        else if (k == 2) { p = sprintf("4%08d", n % 100000000); c = nhs(p); if (c == 10) { p = sprintf("5%08d", n % 100000000); c = nhs(p) } note = "NHS no " substr(p,1,3) " " substr(p,4,3) " " substr(p,7,3) c " on file" }
        else note = "SSN 123-" sprintf("%02d", 10 + n % 89) "-" sprintf("%04d", 1000 + n % 8999) " confirmed"
    }
    body = sprintf("4539%011d", n)
    print $0, "\"" note "\"", body luhn(body)
}' "$work/g1/customers.csv" > "$work/s1.csv"
size=$(stat -c %s "$work/s1.csv")
echo "S1: $(awk -v b="$size" 'BEGIN { printf "%.0f MB", b / 1e6 }'), $(($(wc -l < "$work/s1.csv") - 1)) rows, $(nproc) cores, $RUNS run(s)"
secs=()
for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin" scan "$work/s1.csv" --format json > "$work/report.json" || [ $? -eq 1 ]
    read -r s m < <(tail -n 1 "$work/time"); secs+=("$s")
done
s=$(printf '%s\n' "${secs[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
awk -v b="$size" -v s="$s" -v m="$m" 'BEGIN { printf "scan: %.2f s, %.1f MB/s, peak %.1f MB\n", s, b / s / 1e6, m / 1024 }'

# Scrub: every column by the policy, through the gate, into a staged output.
head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/key"
secs=()
for _ in $(seq "$RUNS"); do
    rm -rf "$work/test-share"
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin" scrub "$work/s1.csv" --policy benches/s1.policy.toml \
        --out "$work/test-share/" --key-file "$work/key" 2> "$work/scrub.log"
    read -r s m < <(tail -n 1 "$work/time"); secs+=("$s")
done
s=$(printf '%s\n' "${secs[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
awk -v b="$size" -v s="$s" -v m="$m" 'BEGIN { printf "scrub: %.2f s, %.1f MB/s of input, peak %.1f MB\n", s, b / s / 1e6, m / 1024 }'
"$bin" scan "$work/test-share/s1.csv" --format json --key-file "$work/key" > /dev/null && echo "scrubbed output: no personal data found"
