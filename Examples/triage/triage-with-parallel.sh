#!/usr/bin/env bash
# Crash triage with GNU parallel: one `xcdb -z DUMP -json` per dump, on this machine or on many
# (`--sshlogin`), then one summary with `xcdb-triage --merge`.
#
#   Examples/triage/triage-with-parallel.sh DUMP-DIR OUT.jsonl [parallel options...]
#
#   # here, two jobs at a time:
#   Examples/triage/triage-with-parallel.sh crashes/ results.jsonl -j 2
#   # on three machines (xcdb installed on each, DUMP-DIR at the same path on each, e.g. NFS);
#   # ':' is this machine, 8/ runs eight jobs there:
#   Examples/triage/triage-with-parallel.sh /shared/crashes results.jsonl \
#       --sshlogin 8/build1,8/build2,:
#
# Environment: XCDB and XCDB_TRIAGE name the programs (default: on PATH); SYMBOLS is passed
# as -y; TIMEOUT (seconds, default 300) kills a job that runs longer (it leaves no line: see
# --joblog). The JSON lines arrive whole (parallel groups each job's output).
set -euo pipefail
if (($# < 2)); then
  sed -n '2,18p' "$0" >&2
  exit 1
fi
dir=$1
out=$2
shift 2
xcdb=${XCDB:-xcdb}
triage=${XCDB_TRIAGE:-xcdb-triage}
symbols=()
[[ -n "${SYMBOLS:-}" ]] && symbols=(-y "$SYMBOLS")

# xcdb exits 2 for a dump it cannot read (after printing its JSON error line), so parallel's
# own status counts those; the summary below reports them.
find "$dir" -type f \( -iname '*.dmp' -o -iname '*.mdmp' -o -iname '*.minidump' \) -print0 \
  | sort -z \
  | parallel -0 --will-cite --timeout "${TIMEOUT:-300}" "$@" "$xcdb" -z {} -json "${symbols[@]}" \
    > "$out" || true
"$triage" --merge "$out" -o /dev/null
