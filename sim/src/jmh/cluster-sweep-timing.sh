#!/usr/bin/env bash
# Wall-clock time of the same sweep run locally (all cores) and on two workers started on this
# machine, REPS times each, with the median of each. The workers stay up across the cluster runs
# (as they would on real hosts); every sweep is a new JVM. Needs free ports PORT and PORT+1.
#
# Usage: sim/src/jmh/cluster-sweep-timing.sh [REPS] [RUNTIME] [WORKER_THREADS]
#   e.g. sim/src/jmh/cluster-sweep-timing.sh 3 50ms 1
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
reps=${1:-3}
runtime=${2:-50ms}
wthreads=${3:-1}
port=${PORT:-25701}
name="faultsim-timing-$$"
join="127.0.0.1:$port,127.0.0.1:$((port + 1))"
sweep=(sweep workloads/one-lock-mva.yaml --set machine.cores=1,2,4,8,16
  --set jobs.worker.numjobs=2,8 --set replications=4 --set "global.runtime=$runtime")
tmp="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

./faultsim --version >/dev/null   # build first, outside the timings

seconds() {   # seconds OUTDIR ARGS...: runs faultsim, prints wall-clock seconds
  local out="$1"; shift
  local t0 t1
  t0=$(date +%s.%N)
  ./faultsim "$@" --out "$out" >/dev/null
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}'
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

local_times=()
for i in $(seq "$reps"); do
  local_times+=("$(seconds "$tmp/local-$i" "${sweep[@]}")")
done

for p in "$port" "$((port + 1))"; do
  ./faultsim worker --port "$p" --join "$join" --cluster-name "$name" --threads "$wthreads" \
    >"$tmp/worker-$p.log" 2>&1 &
  pids+=($!)
done
for p in "$port" "$((port + 1))"; do
  until grep -q "members: .*:$port .*:$((port + 1))" "$tmp/worker-$p.log" 2>/dev/null; do
    sleep 0.2
  done
done

cluster_times=()
for i in $(seq "$reps"); do
  cluster_times+=("$(seconds "$tmp/cluster-$i" "${sweep[@]}" --cluster "$join" \
    --cluster-name "$name")")
  cmp -s "$tmp/cluster-$i/sweep.csv" "$tmp/local-1/sweep.csv" || echo "sweep.csv differs!" >&2
done

lm=$(median "${local_times[@]}")
cm=$(median "${cluster_times[@]}")
echo "sweep: 40 runs, global.runtime=$runtime; $(nproc) cores"
echo "local ($(nproc) threads):             ${local_times[*]}  median $lm s"
echo "two workers x $wthreads thread(s):       ${cluster_times[*]}  median $cm s"
echo "ratio cluster/local (medians):    $(awk -v c="$cm" -v l="$lm" 'BEGIN {printf "%.2f", c / l}')"
