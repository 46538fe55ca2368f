#!/usr/bin/env bash
# Runs every example workload in workloads/ with short settings, and four of them on 160 cores,
# and compares every output but the two that record the run itself (manifest.json, with the
# version and wall time, and SHA256SUMS, which covers it) with a reference: summary.csv,
# lock_stat/, violations.txt, the latency histograms and logs, the time profile's stacks/,
# cpu.csv, tasks.csv, the lock and timeline tables and the report page.
#
#   scripts/same-results.sh --record REF_DIR    # write the reference (e.g. from a base commit's tree)
#   scripts/same-results.sh REF_DIR             # run this tree and diff against REF_DIR; exit 1 on any difference
#
# --faultsim PATH picks the launcher (default: the faultsim next to this script's tree), so a
# reference can be recorded from another checkout: give that checkout's launcher with --record.
# The settings are the same in both modes, so the outputs are comparable byte for byte.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
launcher="$here/faultsim"
record=0
while [ $# -gt 0 ]; do
  case "$1" in
    --record) record=1; shift ;;
    --faultsim) launcher="$2"; shift 2 ;;
    -*) echo "same-results: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -ne 1 ]; then
  echo "usage: scripts/same-results.sh [--record] [--faultsim PATH] REF_DIR" >&2
  exit 2
fi
ref="$1"
settings=(--replications 2 --threads 1)
# Runtime-bound workloads are cut to 1 ms; a workload with fixed work (passes, pages) refuses a
# runtime and runs as written.
short=(--set global.runtime=1ms)

# Keeps only the files whose bytes the run promises to repeat.
keep_deterministic() {
  local dir="$1"
  find "$dir" -type f \( -name manifest.json -o -name SHA256SUMS \) -delete
  find "$dir" -type d -empty -delete
}

# Runs workload $2 into directory $1 with the common settings and any further arguments, its log
# beside the directory; fails when the run does.
run_into() {
  local dir="$1" workload="$2"
  shift 2
  rm -rf "$dir"
  "$launcher" run "$workload" "${settings[@]}" "$@" --out "$dir" >"$dir.log" 2>&1
}

# Keeps a run's deterministic outputs and drops its log.
settle() {
  keep_deterministic "$1"
  rm -f "$1.log"
}

run_all() {
  local out="$1" name job n dir
  mkdir -p "$out"
  for w in "$here"/workloads/*.yaml; do
    name="$(basename "$w" .yaml)"
    run_into "$out/$name" "$w" "${short[@]}" || run_into "$out/$name" "$w" || {
      echo "same-results: $name failed (see $out/$name.log)" >&2
      return 1
    }
    settle "$out/$name"
  done
  # The examples run on 16 cores or fewer; a machine of more than 64 keeps its cache lines'
  # sharers differently, so four of them run again on 160 cores, with 150 or 160 tasks.
  local many=(shared-file-fault-storm:reader:150 fault-around-vs-truncate:reader:150
    anon-faults-vs-threads:fault:160 ext4-punch-vs-faults:reader:150)
  for spec in "${many[@]}"; do
    IFS=: read -r name job n <<<"$spec"
    dir="$out/$name@160cores"
    run_into "$dir" "$here/workloads/$name.yaml" --set machine.cores=160 \
      --set "jobs.$job.numjobs=$n" --set global.runtime=200us || {
      echo "same-results: $name on 160 cores failed (see $dir.log)" >&2
      return 1
    }
    settle "$dir"
  done
}

if [ "$record" = 1 ]; then
  rm -rf "$ref"
  run_all "$ref"
  echo "same-results: reference written to $ref ($(find "$ref" -type f | wc -l) files)"
  exit 0
fi

[ -d "$ref" ] || { echo "same-results: no reference directory $ref" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
run_all "$tmp/now"
if diff -r "$ref" "$tmp/now" >"$tmp/diff"; then
  echo "same-results: identical ($(find "$ref" -type f | wc -l) files)"
else
  head -50 "$tmp/diff"
  echo "same-results: outputs differ from $ref" >&2
  exit 1
fi
