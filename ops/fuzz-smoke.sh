#!/usr/bin/env bash
# Fuzz smoke: builds the cargo-fuzz targets of fuzz/, replays each target's corpus and fuzzes
# it for a few seconds more. Fails on any panic, broken invariant or input slower than 1 s.
# Longer runs: `RUSTC_BOOTSTRAP=1 cargo fuzz run -s none <target> -- -max_total_time=300`.
#
# Usage: ops/fuzz-smoke.sh [seconds per target, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION="0.13.2"
SECONDS_PER_TARGET="${1:-20}"
TARGETS=(filter patch canonical bulk cursor)

# cargo fuzz passes nightly-only flags (-Z, sanitizer coverage); the stable toolchain accepts
# them with RUSTC_BOOTSTRAP. The domain forbids unsafe code, so AddressSanitizer would only
# halve the speed: `-s none`.
export RUSTC_BOOTSTRAP=1

if [ "$(cargo fuzz --version 2>/dev/null || true)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  echo "== installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

echo "== building fuzz targets"
cargo fuzz build -s none

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for target in "${TARGETS[@]}"; do
  echo "== fuzzing $target for ${SECONDS_PER_TARGET}s over fuzz/corpus/$target"
  mkdir -p "$scratch/$target"
  # New inputs go to the scratch directory (listed first), so the committed corpus stays as
  # it is; crashes go to fuzz/artifacts/<target>/.
  log="$scratch/$target.log"
  status=0
  cargo fuzz run -s none "$target" "$scratch/$target" "fuzz/corpus/$target" -- \
    -timeout=1 -rss_limit_mb=1024 -max_len=8192 \
    -dict="fuzz/dict/$target.dict" \
    -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 >"$log" 2>&1 || status=$?
  grep -E '^#[0-9]+\s+(INITED|DONE)' "$log" | sed -E 's/ lim:.*|exec\/s:.*//' || true
  if [ "$status" -ne 0 ]; then
    grep -v '^\s*\[' "$log" | grep -E -A3 'panicked|ERROR|SUMMARY|Reproduce with' | cut -c1-2000 || tail -n 40 "$log"
    echo "== fuzz target $target failed (exit $status)"
    exit 1
  fi
done
echo "== fuzz smoke passed"
