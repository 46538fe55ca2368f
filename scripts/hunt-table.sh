#!/usr/bin/env bash
# The per-race table: for each race of the example designs, the runs a hunt needs to find it
# against the plain replications needed to see it, over several seeds (faultsim.hunt.HuntTable).
# Usage: scripts/hunt-table.sh [--seeds 1,2,3,4,5] [--strategy pairs|pct|random] (default pairs)
#        [--schedules 50] [--plain 200] [--threads N] [workload:design:kind[:key=value;...] ...]
# With no race given, every race of the example workloads is measured.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
./faultsim --help >/dev/null # builds the simulator if the sources changed
races=()
for a in "$@"; do
  case "$a" in
    *:*:*) races+=("$a") ;;
  esac
done
opts=()
for a in "$@"; do
  case "$a" in
    *:*:*) ;;
    *) opts+=("$a") ;;
  esac
done
if [ ${#races[@]} -eq 0 ]; then
  races=(
    workloads/ext4-punch-vs-faults.yaml:linux_3_15:stale_data
    workloads/ext4-punch-vs-faults.yaml:punch_two_unmaps:stale_data
    "workloads/tmpfs-punch-vs-faults.yaml:shmem_punch_rescan:no_progress:global.runtime=400us;kernel.no_progress_time=150us"
    workloads/xfs-map-pages-mmaplock.yaml:xfs_map_pages_mmaplock:invalid_context
    workloads/dax-fault-vs-punch.yaml:dax_get_block_under_i_mmap:lock_order
    workloads/dax-fault-vs-punch.yaml:dax_get_block_under_i_mmap:stale_data
    workloads/dax-fault-vs-punch.yaml:dax_isize_recheck:stale_data
    "workloads/fault-around-vs-truncate.yaml:fa_isize_before_lock:beyond_eof:global.runtime=3ms"
  )
fi
exec java -XX:+UseParallelGC -cp "sim/target/classes:$(cat sim/target/classpath.txt)" \
  faultsim.hunt.HuntTable ${opts[@]+"${opts[@]}"} "${races[@]}"
