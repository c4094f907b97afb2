#!/usr/bin/env bash
# Crash triage throughput: the corpus's dumps copied COPIES times (default 50), analysed on all
# cores by
#   1. xcdb-triage DIR (its own worker pool: one xcdb -z DUMP -json per dump),
#   2. GNU parallel running xcdb -z {} -json (the documented recipe),
#   3. GNU parallel running lldb-19 -c {} --batch -o "bt all",
#   4. GNU parallel running the Python `minidump` package's reader (minidump --all {}),
# each timed as a whole; then each tool once per corpus dump under /usr/bin/time for its peak
# resident memory per worker.
#
#   Benchmarks/Triage/triage_bench.sh [BIN-DIR]     (default: .build/release)
#   ONLY=peaks Benchmarks/Triage/triage_bench.sh     only the memory figures
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-.build/release}
copies=${COPIES:-50}
jobs=$(nproc)
corpus=../shared/corpus/dumps
work=$(mktemp -d /tmp/xcdb-triage-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
for ((i = 0; i < copies; i++)); do
  mkdir -p "$work/dumps/$i"
  cp "$corpus"/*.dmp "$work/dumps/$i/"
done
count=$(find "$work/dumps" -name '*.dmp' | wc -l)
echo "$count dumps ($copies copies of the corpus), $jobs jobs, $(uname -srm)"

timed() {
  local label=$1
  shift
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  awk -v l="$label" -v s="$start" -v e="$end" -v n="$count" \
    'BEGIN { t = e - s; printf "%-42s %8.2f s  %8.1f dumps/s\n", l, t, n / t }'
}

list() { find "$work/dumps" -name '*.dmp' -print0 | sort -z; }
if [[ "${ONLY:-}" != peaks ]]; then
timed "xcdb-triage -j $jobs" "$bin/xcdb-triage" "$work/dumps" -j "$jobs" -o /dev/null -q
timed "parallel xcdb -z {} -json" bash -c \
  "$(declare -f list); work='$work'; list | parallel -0 --will-cite -j $jobs '$bin/xcdb' -z {} -json"
timed "parallel lldb-19 -c {} --batch -o 'bt all'" bash -c \
  "$(declare -f list); work='$work'; list | parallel -0 --will-cite -j $jobs lldb-19 -c {} --batch -o \"'bt all'\""
timed "parallel minidump --all {}" bash -c \
  "$(declare -f list); work='$work'; list | parallel -0 --will-cite -j $jobs minidump --all {}"
fi

echo "peak RSS per worker over the corpus's dumps (KiB: median / max):"
peak() {
  local label=$1
  shift
  local values=()
  for dump in "$corpus"/*.dmp; do
    # A dump a tool cannot read still counts: its exit status is ignored.
    values+=("$({ /usr/bin/time -f %M "$@" "$dump" 2>&1 >/dev/null || true; } | tail -1)")
  done
  printf '%s\n' "${values[@]}" | sort -n | awk -v l="$label" \
    '{ v[NR] = $1 } END { printf "%-42s %8d / %d\n", l, v[int((NR + 1) / 2)], v[NR] }'
}
peak "xcdb -z DUMP -json" "$bin/xcdb" -json -z
peak "lldb-19 -c DUMP --batch -o 'bt all'" bash -c 'lldb-19 --batch -o "bt all" -c "$0"'
peak "minidump --all DUMP" minidump --all
