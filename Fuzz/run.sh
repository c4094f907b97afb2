#!/usr/bin/env bash
# Builds the libFuzzer harnesses (with AddressSanitizer) and runs each for a share of the time:
#   Fuzz/run.sh [seconds] [fuzzer ...]     default 60 seconds, every fuzzer
# With no fuzzer named, each runs for its share of the time (below); named ones share it equally.
# Fuzzers and their seeds:
#   FuzzCommandLine      a session on the corpus dumps driven by command lines (Fuzz/seeds/commandline)
#   FuzzMinidump         the minidump reader (the corpus dumps)
#   FuzzPEImage          the PE reader (Examples/bin)
#   FuzzPELoader         the simulated machine's PE loader (Examples/bin)
#   FuzzBreakpadSymbols  the Breakpad .sym parser (the corpus symbol store)
#   FuzzPDB              the PDB reader (the corpus's companion PDBs)
# Environment: XCDB_SHARED (location of shared/, default ../../shared), FUZZ_JOBS (parallel
# workers per fuzzer, default 1), FUZZ_SANITIZERS (default "fuzzer address"), FUZZ_TIMEOUT (seconds
# one input may take before it counts as a hang, default 10; raise it on a loaded machine).
# New interesting inputs accumulate in Fuzz/corpus-work/NAME/; crashes, timeouts and slow
# inputs are written to Fuzz/corpus-artifacts/NAME/ (both git-ignored). Exit status is non-zero
# when any fuzzer found a crash, a leak, a timeout or an out-of-memory input.
set -euo pipefail

seconds="${1:-60}"
shift || true
here="$(cd "$(dirname "$0")" && pwd)"
shared="${XCDB_SHARED:-$here/../../shared}"
export XCDB_SHARED="$shared"
sanitizers="${FUZZ_SANITIZERS:-fuzzer address}"
jobs="${FUZZ_JOBS:-1}"
timeout="${FUZZ_TIMEOUT:-10}"

# name, share of the time (percent), max input length, seed directories.
fuzzers=(
  "FuzzCommandLine 35 65536 $here/seeds/commandline"
  "FuzzMinidump 25 300000 $shared/corpus/dumps"
  "FuzzPEImage 10 65536 $here/../Examples/bin"
  "FuzzPELoader 10 1000000 $here/../Examples/bin"
  "FuzzBreakpadSymbols 10 65536 $shared/corpus/dumps/symbols $shared/corpus/dumps/companions"
  "FuzzPDB 10 1100000 $shared/corpus/dumps/companions"
)
selected=("$@")

cd "$here"
flags=()
for s in $sanitizers; do flags+=(--sanitize "$s"); done
# The Swift driver hands the compiler only the last -sanitize= option, so with two sanitizers
# the code would get AddressSanitizer but no coverage for libFuzzer: name them all in one.
flags+=(-Xswiftc "-sanitize=$(echo $sanitizers | tr ' ' ',')")
bin="$(swift build -c release "${flags[@]}" --show-bin-path)"

parallel=()
if [ "$jobs" -gt 1 ]; then parallel=(-fork="$jobs"); fi
status=0
for entry in "${fuzzers[@]}"; do
  read -r name share maxlen seeds <<<"$entry"
  if [ "${#selected[@]}" -gt 0 ] && [[ ! " ${selected[*]} " == *" $name "* ]]; then continue; fi
  if [ "${#selected[@]}" -gt 0 ]; then share=$(( 100 / ${#selected[@]} )); fi
  budget=$(( seconds * share / 100 ))
  if [ "$budget" -lt 1 ]; then budget=1; fi
  seed_dirs=()
  for dir in $seeds; do
    if [ -d "$dir" ]; then seed_dirs+=("$dir"); else echo "error: no seeds at $dir" >&2; exit 1; fi
  done
  echo "building: swift build -c release ${flags[*]} --product $name"
  swift build -c release "${flags[@]}" --product "$name"
  mkdir -p "corpus-work/$name" "corpus-artifacts/$name"
  echo "fuzzing $name for ${budget}s with $jobs job(s)"
  if ! ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" "$bin/$name" "corpus-work/$name" \
      "${seed_dirs[@]}" -max_total_time="$budget" -timeout="$timeout" -rss_limit_mb=2048 \
      -max_len="$maxlen" -print_final_stats=1 \
      -artifact_prefix="$here/corpus-artifacts/$name/" "${parallel[@]}"; then
    echo "FINDING: $name (see corpus-artifacts/$name/)" >&2
    status=1
  fi
done
exit "$status"
