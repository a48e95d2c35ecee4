# Sourced by benches/l1.sh and benches/r1.sh: the settings, the binary, a scratch folder with a
# key of its own, a database named after the benchmark ($db) dropped again on exit, and
# `median` (of numbers on standard input).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/synthgate/target}"
SCALE=${SCALE:-1}
RUNS=${RUNS:-3}
PGHOST=${PGHOST:-127.0.0.1}
if [ -z "${BIN:-}" ]; then cargo build --release --quiet; fi
bin="${BIN:-$CARGO_TARGET_DIR/release/synthgate}"
work=$(mktemp -d)
export SYNTHGATE_HOME="$work/home"
db=synthgate_${BENCH}_$$
cleanup() {
    psql -h "$PGHOST" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    mariadb -h 127.0.0.1 -u root -e "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
