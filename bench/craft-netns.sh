#!/usr/bin/env bash
# CRaft against full replication when each node's network link is the bottleneck.
#
# Topology (all of it in namespaces this script creates; nothing reaches the host's network):
#
#   ns ...-n0 .. ...-n4 (one per node)   ns ...-hub            ns ...-cl (load generator)
#   eth0 10.99.0.10+i  <== veth ==>  n<i> --+                 eth0 10.99.0.100
#                                           +-- bridge br0 --+-- cl <== veth ==>
#
# Each node's link is shaped to RATE in both directions, as a full-duplex NIC would be: tc tbf on
# the node's eth0 (its egress) and on its bridge port n<i> (its ingress). The client's link is not
# shaped, so the load generator is never the bottleneck; the client's upload still enters the
# leader through the leader's shaped ingress, as it would on real hardware. The same workload
# runs twice, LEIFDB_ERASURE_CODING=off and then on with LEIFDB_ERASURE_K=K. Per mode it reports
# write throughput and latency, the bytes the leader's link carried per committed entry, CPU use,
# and the latency of GETs of 1 MiB values from a follower (?consistency=stale) and from the
# leader. Needs root (ip netns, tc), curl and the built jars
# (mvn -q -B -pl bench -am package -DskipTests).
#
# SLOW_LINK=1 measures something else: write throughput of full replication, fixed k
# (LEIFDB_ERASURE_ADAPTIVE=off) and adaptive k, each with all links at RATE and then with one
# follower's link at SLOW_RATE (a tenth of RATE), in the same cluster.
#
# Environment: RATE (100mbit), VALUE_BYTES (1048576), DURATION (30s), CONNECTIONS (8), K (3),
# READ_KEYS (32), READ_DURATION (15s), READ_CONNECTIONS (1), ONLY_CODED (unset), SLOW_LINK (unset),
# SLOW_RATE (RATE / 10), ADAPTIVE (unset: LEIFDB_ERASURE_ADAPTIVE for the coded run, e.g. off so
# that every preloaded read value is coded however far followers fell behind during the writes),
# READ_AS (raw: GETs ask for application/octet-stream, which a follower streams while it gathers a
# coded value's stripes; json: the JSON answer, gathered whole first).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVER_JAR="$ROOT/server/target/leifdb-server.jar"
BENCH_JAR="$ROOT/bench/target/leifdb-bench.jar"
RATE="${RATE:-100mbit}"
VALUE_BYTES="${VALUE_BYTES:-1048576}"
DURATION="${DURATION:-30s}"
CONNECTIONS="${CONNECTIONS:-8}"
K="${K:-3}"
READ_KEYS="${READ_KEYS:-32}"
READ_DURATION="${READ_DURATION:-15s}"
READ_CONNECTIONS="${READ_CONNECTIONS:-1}"
READ_AS="${READ_AS:-raw}"
case "$READ_AS" in raw) READ_FLAGS=(--raw-reads) ;; json) READ_FLAGS=() ;; *) echo "READ_AS must be raw or json, not $READ_AS" >&2; exit 2 ;; esac
# A tenth of RATE, in RATE's unit (tc takes "10mbit" as well as "100mbit").
SLOW_RATE="${SLOW_RATE:-$(awk -v r="$RATE" 'BEGIN {match(r, /^[0-9.]+/); printf "%g%s", substr(r, 1, RLENGTH) / 10, substr(r, RLENGTH + 1)}')}"
N=5
P="ldbc$$"                # prefix of every namespace, so cleanup finds exactly ours
HUB="$P-hub"
CLIENT="$P-cl"
NET=10.99.0
RAFT_PORT=17000
HTTP_PORT=18000

die() { echo "craft-netns: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root for ip netns and tc"
for tool in ip tc curl awk; do command -v "$tool" >/dev/null || die "needs $tool"; done
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
major=$("$JAVA" -XshowSettings:properties -version 2>&1 \
  | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1)
[[ "$major" =~ ^[0-9]+$ ]] && [ "$major" -ge 21 ] || die "$JAVA is Java ${major:-?}; set JAVA_HOME to a JDK 21+"
[ -f "$SERVER_JAR" ] && [ -f "$BENCH_JAR" ] || die "build first: mvn -q -B -pl bench -am package -DskipTests"

node_ns() { echo "$P-n$1"; }
node_ip() { echo "$NET.$((10 + $1))"; }
node_url() { echo "http://$(node_ip "$1"):$HTTP_PORT"; }

WORK="$(mktemp -d)"
PIDS=()
our_namespaces() { ip netns list | awk -v p="$P-" 'index($1, p) == 1 {print $1}'; }
alive() { local pid; for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 0; done; return 1; }
stop_nodes() {
  local pid ns tries
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for tries in $(seq 1 100); do alive "${PIDS[@]}" || break; sleep 0.1; done
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  # Anything still running in one of our namespaces was started by this script.
  for ns in $(our_namespaces); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  done
  PIDS=()
}
cleanup() {
  local rc=$? ns keep
  stop_nodes
  if [ "$rc" != 0 ] && compgen -G "$WORK/*.log" >/dev/null; then
    keep="$(mktemp -d "${TMPDIR:-/tmp}/craft-netns-logs.XXXXXX")"
    cp "$WORK"/*.log "$keep"/ && echo "craft-netns: failed (exit $rc); node logs kept in $keep" >&2
  fi
  for ns in $(our_namespaces); do
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A token bucket of RATE; the queue holds at most 100 ms of traffic, so TCP sees the link's rate
# rather than a deep buffer that would only add latency.
shape() { ip netns exec "$1" tc qdisc add dev "$2" root tbf rate "$RATE" burst 128kb latency 100ms; }

build_network() {
  local i ns
  ip netns add "$HUB"
  ip -n "$HUB" link set lo up
  ip -n "$HUB" link add br0 type bridge
  ip -n "$HUB" link set br0 up
  attach() { # $1 namespace, $2 bridge port name, $3 address
    ip netns add "$1"
    ip -n "$1" link set lo up
    ip -n "$HUB" link add "$2" type veth peer name eth0 netns "$1"
    ip -n "$HUB" link set "$2" master br0 up
    ip -n "$1" addr add "$3/24" dev eth0
    ip -n "$1" link set eth0 up
  }
  for i in $(seq 0 $((N - 1))); do
    ns=$(node_ns "$i")
    attach "$ns" "n$i" "$(node_ip "$i")"
    shape "$ns" eth0    # what node i sends
    shape "$HUB" "n$i"  # what node i receives
  done
  attach "$CLIENT" cl "$NET.100"
}

in_client() { ip netns exec "$CLIENT" "$@"; }
json_num() { grep -o "\"$1\":[0-9.eE+-]*" | head -1 | cut -d: -f2; }
# Bytes node i has sent / received so far, read at its bridge port (whose rx is the node's tx).
sent_bytes() { ip netns exec "$HUB" cat "/sys/class/net/n$1/statistics/rx_bytes"; }
received_bytes() { ip netns exec "$HUB" cat "/sys/class/net/n$1/statistics/tx_bytes"; }
# Packets the tbf on node i's egress has dropped so far (TCP resends those).
egress_drops() { ip netns exec "$(node_ns "$1")" tc -s qdisc show dev eth0 | grep -o 'dropped [0-9]*' | head -1 | cut -d' ' -f2; }
# Busy and total jiffies of the whole machine (first line of /proc/stat).
cpu_jiffies() { awk '/^cpu / {busy = $2 + $3 + $4 + $7 + $8; print busy, busy + $5 + $6; exit}' /proc/stat; }
proc_jiffies() { # summed over the given pids
  local pid sum=0 j
  for pid in "$@"; do j=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0); sum=$((sum + j)); done
  echo "$sum"
}

# Prints the index of the node that leads in the wanted replication mode, once there is one.
await_leader() {
  local mode="$1" tries i
  for tries in $(seq 1 600); do
    for i in $(seq 0 $((N - 1))); do
      if in_client curl -s --max-time 2 "$(node_url "$i")/health" | grep -q '"role":"LEADER"' \
        && in_client curl -s --max-time 2 "$(node_url "$i")/cluster" | grep -q "\"replication\":\"$mode\""; then
        echo "$i"; return 0
      fi
    done
    sleep 0.1
  done
  return 1
}

bench() { # $1 output file, then bench arguments
  local out="$1"; shift
  # The leader read run reuses the keys the follower run preloaded; its note about that is noise.
  in_client "$JAVA" -jar "$BENCH_JAR" -s "$VALUE_BYTES" --timeout 30s --no-progress --json "$@" \
    >"$out" 2> >(grep -v 'note: without --preload' >&2)
}

start_nodes() { # $1 name of the run (data and logs), then LEIFDB_ variables for every node
  local name="$1" i members=""; shift
  for i in $(seq 0 $((N - 1))); do members+="${members:+,}$(node_ip "$i"):$RAFT_PORT"; done
  for i in $(seq 0 $((N - 1))); do
    mkdir -p "$WORK/$name/$i"
    # Not through a function: a backgrounded function is a subshell, and $! would not be the node.
    ip netns exec "$(node_ns "$i")" env "$@" LEIFDB_MODE=multi LEIFDB_MEMBER_NODES="$members" \
      LEIFDB_HOST="$(node_ip "$i")" LEIFDB_HTTP_PORT=$HTTP_PORT LEIFDB_RAFT_PORT=$RAFT_PORT \
      LEIFDB_DATA_DIR="$WORK/$name/$i" LEIFDB_ERASURE_K="$K" \
      LEIFDB_MAX_VALUE_BYTES=$((2 * VALUE_BYTES)) LEIFDB_LOG_LEVEL=warn \
      "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx768m -jar "$SERVER_JAR" >"$WORK/$name-$i.log" 2>&1 &
    PIDS+=($!)
    disown $!  # stopped by stop_nodes; this keeps bash from reporting each one as killed
  done
}

leader_of() { # $1 name of the run, $2 replication mode; prints the leader's index or gives up
  local leader
  if ! leader=$(await_leader "$2"); then
    tail -n 20 "$WORK/$1-"*.log >&2
    die "no leader in $2 mode within 60 s"
  fi
  echo "$leader"
}

run_mode() {
  local coding="$1" mode="$2" i leader follower c0 c1 tx0 rx0 rx1 tx1 entries
  local cpu0 cpu1 cputot0 cputot1 lj0 lj1 aj0 aj1 d0 d1 lag t0 behind f catchup applied
  start_nodes "$coding" LEIFDB_ERASURE_CODING="$coding" ${ADAPTIVE:+LEIFDB_ERASURE_ADAPTIVE="$ADAPTIVE"}
  leader=$(leader_of "$coding" "$mode")
  follower=$(((leader + 1) % N))
  echo "== $mode replication: leader node $leader, $N nodes, k=$K, $VALUE_BYTES-byte values," \
    "$RATE per node link and direction, $CONNECTIONS connections"

  c0=$(in_client curl -s "$(node_url "$leader")/health" | json_num commitIndex)
  tx0=$(sent_bytes "$leader"); rx0=$(received_bytes "$leader"); d0=$(egress_drops "$leader")
  read -r cpu0 cputot0 < <(cpu_jiffies); lj0=$(proc_jiffies "${PIDS[$leader]}"); aj0=$(proc_jiffies "${PIDS[@]}")
  # A 5 s warm-up lets the JIT settle in all six JVMs before anything counts.
  bench "$WORK/$mode-write.json" -u "$(node_url "$leader")" -w write -c "$CONNECTIONS" -d "$DURATION" --warmup 5s
  c1=$(in_client curl -s "$(node_url "$leader")/health" | json_num commitIndex)
  tx1=$(sent_bytes "$leader"); rx1=$(received_bytes "$leader"); d1=$(egress_drops "$leader")
  read -r cpu1 cputot1 < <(cpu_jiffies); lj1=$(proc_jiffies "${PIDS[$leader]}"); aj1=$(proc_jiffies "${PIDS[@]}")
  cat "$WORK/$mode-write.json"
  # Full replication commits on a majority, so two followers may fall behind during the run;
  # coded commits need F + k acks, all five here. The lag shows how much of the full-mode figure
  # is data the leader still owes.
  lag=""
  for i in $(seq 0 $((N - 1))); do
    [ "$i" = "$leader" ] && continue
    lag+=" $((c1 - $(in_client curl -s "$(node_url "$i")/health" | json_num appliedIndex)))"
  done
  # A write is only fully replicated once every follower holds it: time the catch-up, so that
  # the summary can charge full replication for the data it still owed when the run ended.
  t0=$(date +%s.%N)
  for i in $(seq 1 1200); do
    behind=0
    for f in $(seq 0 $((N - 1))); do
      applied=$(in_client curl -s "$(node_url "$f")/health" | json_num appliedIndex)
      [ "${applied:-0}" -ge "$c1" ] || behind=1
    done
    [ "$behind" = 0 ] && break
    sleep 0.1
  done
  catchup=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
  echo "$catchup" >"$WORK/$mode-catchup"
  echo "$mode followers' applied index behind the leader's commit at the end of the writes:$lag entries;" \
    "all caught up ${catchup} s later" | tee "$WORK/$mode-lag.txt"
  entries=$((c1 - c0))
  awk -v e="$entries" -v tx=$((tx1 - tx0)) -v rx=$((rx1 - rx0)) -v drops=$((d1 - d0)) -v v="$VALUE_BYTES" \
    -v busy=$((cpu1 - cpu0)) -v tot=$((cputot1 - cputot0)) -v lj=$((lj1 - lj0)) -v aj=$((aj1 - aj0)) -v ncpu="$(nproc)" \
    -v mode="$mode" 'BEGIN {
      if (e < 1) e = 1
      printf "%s leader link per committed entry (%d entries): sent %.3f values, received %.3f values; %d packets dropped at its egress\n", mode, e, tx / e / v, rx / e / v, drops
      core = tot / ncpu
      printf "%s cpu while writing: machine %.0f%% busy (%d cores, other work included), 5 JVMs %.0f%% of one core, leader %.0f%%\n", mode, 100 * busy / tot, ncpu, 100 * aj / core, 100 * lj / core
    }' | tee "$WORK/$mode-link.txt"

  # Reads of 1 MiB values: preload READ_KEYS keys (through the follower, redirected to the
  # leader; a second of reads after it lets the follower learn who holds which share), then GET
  # them from a follower without the ReadIndex round and from the leader.
  bench "$WORK/$mode-preload.json" -u "$(node_url "$follower")" -w read-stale --preload \
    -k "$READ_KEYS" -c "$READ_CONNECTIONS" -d 1s
  rx0=$(received_bytes "$follower")
  bench "$WORK/$mode-read-follower.json" -u "$(node_url "$follower")" -w read-stale "${READ_FLAGS[@]}" \
    -k "$READ_KEYS" -c "$READ_CONNECTIONS" -d "$READ_DURATION"
  rx1=$(received_bytes "$follower")
  # What its link brought in per read: about (k - 1) / k of a value when the values are coded, next
  # to nothing when they are whole (adaptive k writes full copies while followers fall behind).
  awk -v b=$((rx1 - rx0)) -v n="$(json_num ops <"$WORK/$mode-read-follower.json")" -v v="$VALUE_BYTES" -v mode="$mode" \
    'BEGIN {if (n < 1) n = 1; printf "%s follower received %.3f values per read (%d reads)\n", mode, b / n / v, n}' \
    | tee "$WORK/$mode-read-link.txt"
  bench "$WORK/$mode-read-leader.json" -u "$(node_url "$leader")" -w read "${READ_FLAGS[@]}" \
    -k "$READ_KEYS" -c "$READ_CONNECTIONS" -d "$READ_DURATION"
  stop_nodes
}

# Sets node i's link to rate $2 in both directions (same queue as shape(), only the rate changes).
reshape() {
  ip netns exec "$(node_ns "$1")" tc qdisc change dev eth0 root tbf rate "$2" burst 128kb latency 100ms
  ip netns exec "$HUB" tc qdisc change dev "n$1" root tbf rate "$2" burst 128kb latency 100ms
}

# SLOW_LINK: one cluster setup measured with every link at RATE, then with one follower's link at
# SLOW_RATE, in the same cluster (issue 14: a slow member must not stall coded writes).
run_slow_link() { # $1 name, $2 replication mode to wait for, then LEIFDB_ variables
  local name="$1" mode="$2" leader slow healthy slowed k; shift 2
  start_nodes "$name" "$@"
  leader=$(leader_of "$name" "$mode")
  slow=$(((leader + 1) % N))
  bench "$WORK/$name-healthy.json" -u "$(node_url "$leader")" -w write -c "$CONNECTIONS" -d "$DURATION" --warmup 5s
  reshape "$slow" "$SLOW_RATE"
  bench "$WORK/$name-slowed.json" -u "$(node_url "$leader")" -w write -c "$CONNECTIONS" -d "$DURATION" --warmup 5s
  # The code the leader chose at the end of the slowed run (full replication has none).
  k=$(in_client curl -s "$(node_url "$leader")/cluster/coding" | json_num currentK)
  reshape "$slow" "$RATE"
  healthy=$(json_num throughput <"$WORK/$name-healthy.json")
  slowed=$(json_num throughput <"$WORK/$name-slowed.json")
  printf '%-9s %12.2f %12.2f %8.2f %8s\n' "$name" "$healthy" "$slowed" "$(awk -v a="$slowed" -v b="$healthy" 'BEGIN {print a / b}')" \
    "${k:--}" | tee -a "$WORK/slow-summary"
  stop_nodes
}

build_network
if [ -n "${SLOW_LINK:-}" ]; then
  echo "== $N nodes, k=$K, $VALUE_BYTES-byte values, $CONNECTIONS connections, $DURATION per run; links $RATE," \
    "then the follower after the leader at $SLOW_RATE"
  printf '%-9s %12s %12s %8s %8s\n' "setup" "healthy w/s" "slowed w/s" "ratio" "k after"
  run_slow_link full full LEIFDB_ERASURE_CODING=off
  run_slow_link fixed coded LEIFDB_ERASURE_CODING=on LEIFDB_ERASURE_ADAPTIVE=off
  run_slow_link adaptive coded LEIFDB_ERASURE_CODING=on
  awk '{w[$1] = $3} END {printf "slowed: adaptive / full %.2f, fixed / full %.2f, adaptive / fixed %.2f\n", w["adaptive"] / w["full"], w["fixed"] / w["full"], w["adaptive"] / w["fixed"]}' "$WORK/slow-summary"
  exit 0
fi
[ -n "${ONLY_CODED:-}" ] || run_mode off full
run_mode on coded

# p50 and p99 of the "all" latency of a bench JSON report, in ms.
latencies() { tr -d '\n ' <"$1" | grep -o '"all":{[^}]*}' | head -1 \
  | awk -F'[:,}]' '{for (i = 1; i < NF; i++) {if ($i ~ /"p50"/) p50 = $(i + 1); if ($i ~ /"p99"/) p99 = $(i + 1)}} END {printf "%9.0f %9.0f", p50, p99}'; }
summary_row() { # $1 label, $2 report
  local ops errs
  ops=$(json_num throughput <"$2"); errs=$(tr -d '\n ' <"$2" | grep -o '"errors":{"total":[0-9]*' | grep -o '[0-9]*$')
  printf '%-22s %9.2f %s %7s\n' "$1" "$ops" "$(latencies "$2")" "${errs:-?}"
}
echo
echo "== summary: $N nodes, k=$K, $VALUE_BYTES-byte values, $RATE per node link, $DURATION writes with $CONNECTIONS connections, reads as $READ_AS"
printf '%-22s %9s %9s %9s %7s\n' "run" "ops/s" "p50 ms" "p99 ms" "errors"
for mode in full coded; do
  [ -f "$WORK/$mode-write.json" ] || continue
  summary_row "$mode write" "$WORK/$mode-write.json"
  summary_row "$mode read follower" "$WORK/$mode-read-follower.json"
  summary_row "$mode read leader" "$WORK/$mode-read-leader.json"
done
# Writes per second once every follower holds them: the measured writes over the measured time
# plus the catch-up after it.
caught_up() { awk -v n="$(json_num ops <"$WORK/$1-write.json")" -v d="$(json_num durationSeconds <"$WORK/$1-write.json")" \
  -v c="$(cat "$WORK/$1-catchup")" 'BEGIN {printf "%.2f", n / (d + c)}'; }
for mode in full coded; do
  [ -f "$WORK/$mode-write.json" ] && echo "$mode writes/s counting the followers' catch-up: $(caught_up "$mode")"
done
if [ -f "$WORK/full-write.json" ]; then
  awk -v f="$(json_num throughput <"$WORK/full-write.json")" -v c="$(json_num throughput <"$WORK/coded-write.json")" \
    -v fc="$(caught_up full)" -v cc="$(caught_up coded)" \
    'BEGIN {printf "coded / full write throughput: %.2fx as acknowledged, %.2fx counting the catch-up\n", c / f, cc / fc}'
fi
# p50 of the "all" latency of a read report, in ms.
p50() { latencies "$1" | awk '{print $1}'; }
if [ -f "$WORK/full-read-follower.json" ] && [ -f "$WORK/coded-read-follower.json" ]; then
  # The fair baseline of a coded follower read is the same read of a fully replicated value (issue 14).
  awk -v c="$(p50 "$WORK/coded-read-follower.json")" -v f="$(p50 "$WORK/full-read-follower.json")" \
    -v l="$(p50 "$WORK/coded-read-leader.json")" \
    'BEGIN {printf "coded follower read p50 / full follower read p50: %.2fx (%.0f / %.0f ms); / coded leader read: %.2fx\n", c / f, c, f, c / l}'
fi
cat "$WORK"/*-link.txt "$WORK"/*-lag.txt
