#!/usr/bin/env bash
# Builds the minidump fuzzer (libFuzzer + AddressSanitizer) and runs it on the shared corpus.
#   Fuzz/run.sh [seconds]        default 60
# Environment: XCDB_SHARED (location of shared/, default ../../shared), FUZZ_JOBS (parallel
# workers, default 1), FUZZ_SANITIZERS (default "fuzzer address").
# New interesting inputs accumulate in Fuzz/corpus-work/; crashes, timeouts and slow inputs are
# written to Fuzz/corpus-artifacts/ (both git-ignored). Exit status is non-zero when the fuzzer
# found a crash, a leak, a timeout or an out-of-memory input.
set -euo pipefail

seconds="${1:-60}"
here="$(cd "$(dirname "$0")" && pwd)"
shared="${XCDB_SHARED:-$here/../../shared}"
seeds="$shared/corpus/dumps"
sanitizers="${FUZZ_SANITIZERS:-fuzzer address}"
jobs="${FUZZ_JOBS:-1}"

cd "$here"
flags=()
for s in $sanitizers; do flags+=(--sanitize "$s"); done
echo "building: swift build -c release ${flags[*]}"
swift build -c release "${flags[@]}" --product FuzzMinidump
binary="$(swift build -c release "${flags[@]}" --show-bin-path)/FuzzMinidump"

mkdir -p corpus-work corpus-artifacts
seed_dirs=()
if [ -d "$seeds" ]; then seed_dirs+=("$seeds"); else echo "warning: no seed corpus at $seeds"; fi

parallel=()
if [ "$jobs" -gt 1 ]; then parallel=(-fork="$jobs"); fi
echo "fuzzing for ${seconds}s with $jobs job(s): $binary"
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" "$binary" corpus-work "${seed_dirs[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=300000 \
    -print_final_stats=1 -artifact_prefix="$here/corpus-artifacts/" "${parallel[@]}"

# The simulated machine's PE loader, seeded with the example images, for as long.
swift build -c release "${flags[@]}" --product FuzzPELoader
mkdir -p corpus-work-pe
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" "$(swift build -c release "${flags[@]}" --show-bin-path)/FuzzPELoader" \
    corpus-work-pe "$here/../Examples/bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -max_len=1000000 -print_final_stats=1 -artifact_prefix="$here/corpus-artifacts/" "${parallel[@]}"
