#!/usr/bin/env bash
# What a write (or a linearizable read) costs the leader and a follower in CPU time and context
# switches (issue 18): figures that other load on the machine skews far less than throughput. A
# 3-node cluster on loopback runs `leifdb bench` for WARMUP, then for DURATION while every thread's
# counters in /proc are read before and after; prints per 1,000 operations the CPU seconds (utime +
# stime) and per operation the voluntary and involuntary context switches of each member, and the
# threads that switch most.
#
#   bench/handoffs.sh                              # after ./leifdb has built the jars
#   JAR=/tmp/old-server.jar bench/handoffs.sh      # another build, to compare in the same session
#   WORKLOAD=read bench/handoffs.sh                # linearizable reads (every key written first)
#
# Environment: WORKLOAD (write|read), JAR (server/target/leifdb-server.jar), DURATION (20s), WARMUP (20s), CONNECTIONS (64),
# KEYS (100000), VALUE_SIZE (256), TOP (6 threads per member), JVM_OPTS (more options for the members).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORKLOAD="${WORKLOAD:-write}"
JAR="${JAR:-$ROOT/server/target/leifdb-server.jar}"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-20s}"
CONNECTIONS="${CONNECTIONS:-64}"
KEYS="${KEYS:-100000}"
VALUE_SIZE="${VALUE_SIZE:-256}"
TOP="${TOP:-6}"
die() { echo "handoffs: $*" >&2; exit 1; }
# shellcheck source=bench/local-cluster.sh
. "$ROOT/bench/local-cluster.sh"
need WORKLOAD '^(write|read)$' 'write, read'
need DURATION '^[1-9][0-9]*s$' 'seconds, e.g. 20s'
need WARMUP '^[0-9]+s$' 'seconds, e.g. 20s'
need CONNECTIONS '^[1-9][0-9]*$' '1 or more'
need KEYS '^[1-9][0-9]{0,8}$' '1..999999999'
need VALUE_SIZE '^[0-9]+$' 'a byte count'
need TOP '^[0-9]+$' 'a thread count'

# shellcheck source=bench/find-java.sh
. "$ROOT/bench/find-java.sh"
JAVA=$(find_java) || die "no JDK 21 or newer found (set JAVA_HOME)"
JCMD="$(dirname "$JAVA")/jcmd"
BENCH="$ROOT/bench/target/leifdb-bench.jar"
[ -f "$JAR" ] && [ -f "$BENCH" ] || die "build first: ./leifdb --version (or mvn -q -DskipTests package)"
HTTP=(28780 28781 28782)
RAFT=(27780 27781 27782)
WORK="$(mktemp -d)"
trap 'stop_all; rm -rf "$WORK"' EXIT
# shellcheck disable=SC2086 # JVM_OPTS is a list of options
start_cluster "$JAVA" "$JAR" ${JVM_OPTS:-}
leader=$(await_leader) || die "no leader within 120 s (logs: $WORK)"
follower=$(( (leader + 1) % 3 ))

bench() { # duration [more options]
  "$JAVA" -jar "$BENCH" -u "http://127.0.0.1:${HTTP[$leader]}" -w "$WORKLOAD" -c "$CONNECTIONS" -k "$KEYS" \
    -s "$VALUE_SIZE" -d "$1" --warmup 0 --json --no-progress "${@:2}"
}
# One line per thread: pid tid name utime+stime (ticks) voluntary involuntary.
snapshot() {
  local pid t
  for pid in "${PIDS[$leader]}" "${PIDS[$follower]}"; do
    for t in /proc/"$pid"/task/*; do
      # The name sits in parentheses and may hold spaces; the ticks are fields 14 and 15 after it.
      awk -v pid="$pid" -v tid="${t##*/}" -v name="$(cat "$t/comm" 2>/dev/null)" \
        'FNR == 1 && FILENAME ~ /stat$/ { sub(/^.*\) /, ""); cpu = $12 + $13 }
         /^voluntary_ctxt_switches/ { v = $2 } /^nonvoluntary_ctxt_switches/ { n = $2 }
         END { gsub(/[ \t]/, "_", name); if (cpu != "") printf "%s %s %s %d %d %d\n", pid, tid, name == "" ? "?" : name, cpu, v, n }' \
        "$t/stat" "$t/status" 2>/dev/null || true
    done
  done
}
if [ "$WORKLOAD" = read ]; then bench "$WARMUP" --preload >/dev/null; else bench "$WARMUP" >/dev/null; fi
snapshot >"$WORK/before"
# The keys were written during the warm-up: the bench's note about --preload does not apply.
bench "$DURATION" >"$WORK/bench.json" 2> >(grep -v -- '--preload' >&2)
snapshot >"$WORK/after"
# Whole thread names (the kernel keeps 15 characters), by native id, when the JDK has jcmd.
for pid in "${PIDS[$leader]}" "${PIDS[$follower]}"; do
  [ -x "$JCMD" ] && "$JCMD" "$pid" Thread.print 2>/dev/null | sed -nE 's/^"([^"]+)".* nid=(0x[0-9a-f]+|[0-9]+).*/\2 \1/p'
done >"$WORK/names" || true

echo "handoffs: ${WORKLOAD}s, $CONNECTIONS connections, $KEYS keys, values $VALUE_SIZE B, $DURATION after $WARMUP warm-up;" \
  "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK/before" "$WORK/after" "$WORK/names" "$WORK/bench.json" "${PIDS[$leader]}" "${PIDS[$follower]}" "$TOP" \
  "$(getconf CLK_TCK)" <<'PY'
import collections, json, re, sys
before, after, names, report, leader, follower, top, hz = sys.argv[1:]
names = {str(int(n, 0)): v for n, v in (line.rstrip("\n").split(" ", 1) for line in open(names) if " " in line)}
def load(path):
    rows = {}
    for line in open(path):
        pid, tid, name, cpu, vol, inv = line.split()
        rows[(pid, tid)] = (name, int(cpu), int(vol), int(inv))
    return rows
b, a = load(before), load(after)
r = json.load(open(report))
writes = r["ops"]  # or reads
print("%d operations, %.0f per second, p99 %.1f ms" % (writes, r["throughput"], r["latencyMs"]["all"]["p99"]))
print("%-9s %12s %14s %10s %10s" % ("member", "cpu s / 1k", "(without JIT)", "vol cs/op", "invol cs/op"))
for role, pid in (("leader", leader), ("follower", follower)):
    # A thread born during the run counts from zero; one that ended took its counts with it.
    by = collections.defaultdict(lambda: [0, 0, 0])
    for key, (name, cpu, vol, inv) in a.items():
        if key[0] != pid: continue
        _, cpu0, vol0, inv0 = b.get(key, (name, 0, 0, 0))
        # One row per pool: ForkJoinPool-1-worker-3 -> ForkJoinPool-1-worker.
        group = re.sub(r"([-#]?\d+)+$", "", names.get(key[1], name)) or name
        d = by[group]; d[0] += cpu - cpu0; d[1] += vol - vol0; d[2] += inv - inv0
    cpu = sum(d[0] for d in by.values()); vol = sum(d[1] for d in by.values()); inv = sum(d[2] for d in by.values())
    jit = sum(d[0] for g, d in by.items() if "CompilerThre" in g or "CompilerThread" in g)
    per_k = lambda ticks: ticks / float(hz) * 1000 / writes
    print("%-9s %12.3f %14.3f %10.2f %10.2f" % (role, per_k(cpu), per_k(cpu - jit), vol / writes, inv / writes))
    for group, d in sorted(by.items(), key=lambda kv: -(kv[1][1] + kv[1][2]))[:int(top)]:
        print("  %-24s %9.3f %14s %10.2f %10.2f" % (group[:24], per_k(d[0]), "", d[1] / writes, d[2] / writes))
PY
