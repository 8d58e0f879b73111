#!/usr/bin/env bash
# Large values side by side: for each size in SIZES, bench/compare-etcd.sh runs etcd and LeifDB with
# full replication, then LeifDB again with erasure coding on (CRaft), all with the same load. Prints
# one line per system and size (writes and linearizable reads: throughput, p50, p99) and the ratios
# to etcd. etcd refuses requests over 1.5 MiB, so sizes stop at 1 MiB.
#
#   bench/large-values.sh
#
# Environment: SIZES ("65536 1048576"), DURATION (15s), WARMUP (10s), CONNECTIONS (16),
# KEYS (a few hundred MiB of data per size: 4000 keys at 64 KiB, 256 at 1 MiB unless set).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZES="${SIZES:-65536 1048576}"
export DURATION="${DURATION:-15s}" WARMUP="${WARMUP:-10s}" CONNECTIONS="${CONNECTIONS:-16}" THREADS="${THREADS:-2}"
die() { echo "large-values: $*" >&2; exit 1; }
for s in $SIZES; do
  [[ "$s" =~ ^[1-9][0-9]*$ ]] && [ "$s" -le 1048576 ] || die "SIZES item \"$s\" is not allowed (allowed: 1..1048576 bytes)"
done

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# label, size, env... -> compare-etcd's report for that system, kept in $OUT/<label>-<size>
run() {
  local label=$1 size=$2 keys
  shift 2
  keys="${KEYS:-$((268435456 / size))}"
  [ "$keys" -gt 10000 ] && keys=10000
  echo "== $label, values of $size B, $keys keys" >&2
  env "$@" VALUE_SIZE="$size" KEYS="$keys" "$ROOT/bench/compare-etcd.sh" >"$OUT/$label-$size" 2>"$OUT/$label-$size.err" \
    || { cat "$OUT/$label-$size.err" >&2; die "$label at $size B failed"; }
}

for size in $SIZES; do
  run both "$size" ONLY=both
  run coded "$size" ONLY=leifdb LEIFDB_ERASURE_CODING=on
done

echo "large values: $CONNECTIONS connections, $DURATION measured after $WARMUP of writes; 3 members each on loopback; $(nproc) cores; $(date -u +%Y-%m-%d); load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-22s %8s %-6s %12s %9s %9s\n' system size op "requests/s" "p50 ms" "p99 ms"
for size in $SIZES; do
  for op in write read; do
    awk -v size="$size" -v op="$op" '$2 == op && ($1 == "etcd" || $1 == "leifdb") && NF >= 7 && $3 ~ /^[0-9.]+$/ && !/warm-up/ {
      printf "%-22s %8s %-6s %12.1f %9.2f %9.2f\n", ($1 == "leifdb" ? "leifdb (full)" : $1), size, op, $3, $4, $5 }' "$OUT/both-$size"
    awk -v size="$size" -v op="$op" '$1 == "leifdb" && $2 == op && $3 ~ /^[0-9.]+$/ && !/warm-up/ {
      printf "%-22s %8s %-6s %12.1f %9.2f %9.2f\n", "leifdb (coded)", size, op, $3, $4, $5 }' "$OUT/coded-$size"
  done
done
