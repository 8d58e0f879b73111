#!/usr/bin/env bash
# Compares LeifDB with Apache ZooKeeper, the consensus store Java users already run: 3 ZooKeeper
# servers (Debian's zookeeperd) and a 3-node LeifDB cluster, both on loopback, each driven the same
# way: closed-loop connections, KEYS keys of 16 B, values of VALUE_SIZE B; writes (ZooKeeper
# setData, LeifDB PUT), then linearizable reads (ZooKeeper sync + getData through its official Java
# client, bench/.../zk/ZkBench; LeifDB GET, ReadIndex, through `leifdb bench`). Both get WARMUP of
# unmeasured writes first. Prints both and the LeifDB/ZooKeeper ratios.
#
#   bench/compare-zookeeper.sh
#
# Environment: DURATION (20s), WARMUP (20s), CONNECTIONS (64), KEYS (10000), VALUE_SIZE (256).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/find-java.sh
. "$ROOT/bench/find-java.sh"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-20s}"
CONNECTIONS="${CONNECTIONS:-64}"
KEYS="${KEYS:-10000}"
VALUE_SIZE="${VALUE_SIZE:-256}"
die() { echo "compare-zookeeper: $*" >&2; exit 1; }
[[ "$DURATION" =~ ^[1-9][0-9]*s$ ]] || die "DURATION=$DURATION is not allowed (allowed: seconds, e.g. 20s)"
[[ "$WARMUP" =~ ^[0-9]+s$ ]] || die "WARMUP=$WARMUP is not allowed (allowed: seconds, e.g. 20s or 0s)"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS=$CONNECTIONS is not allowed (allowed: 1 or more)"
[[ "$KEYS" =~ ^[1-9][0-9]{0,6}$ ]] || die "KEYS=$KEYS is not allowed (allowed: 1..9999999)"
[[ "$VALUE_SIZE" =~ ^[0-9]+$ ]] && [ "$VALUE_SIZE" -le 1000000 ] || die "VALUE_SIZE=$VALUE_SIZE is not allowed (allowed: 0..1000000, under ZooKeeper's jute.maxbuffer)"

ZK_JAR=/usr/share/java/zookeeper.jar
if [ ! -f "$ZK_JAR" ]; then
  command -v apt-get >/dev/null || die "ZooKeeper is missing ($ZK_JAR) and there is no apt-get to install zookeeperd"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "compare-zookeeper: installing zookeeperd" >&2
  "${sudo[@]}" apt-get install -y -qq zookeeperd >/dev/null || die "could not install zookeeperd"
fi
JAVA=$(find_java) || die "no JDK 21 or newer found (set JAVA_HOME)"
"$ROOT/leifdb" aot >&2 || die "could not build LeifDB with ./leifdb"
BENCH_JAR="$ROOT/bench/target/leifdb-bench.jar"
SERVER_JAR="$ROOT/server/target/leifdb-server.jar"
SECONDS_RUN="${DURATION%s}"
SECONDS_WARMUP="${WARMUP%s}"

ZK_CLIENT=(22181 22182 22183)
ZK_QUORUM=(22888 22889 22890)
ZK_ELECTION=(23888 23889 23890)
LEIFDB_HTTP=(28680 28681 28682)
LEIFDB_RAFT=(27680 27681 27682)
WORK="$(mktemp -d)"
# shellcheck source=bench/local-cluster.sh
. "$ROOT/bench/local-cluster.sh"
trap 'stop_all; rm -rf "$WORK"' EXIT
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "${ZK_CLIENT[@]}" "${ZK_QUORUM[@]}" "${ZK_ELECTION[@]}" "${LEIFDB_HTTP[@]}" "${LEIFDB_RAFT[@]}"; do
  port_in_use "$p" && die "port $p is in use"
done

# json file -> "ops/s p50 p99 errors"
figures() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); l=r["latencyMs"]["all"]
print("%.1f %.2f %.2f %d" % (r["throughput"], l["p50"], l["p99"], r["errors"]["total"]))' "$1"
}

# --- ZooKeeper: 3 servers, data and logs on the same disk as LeifDB's ------------------------------
zk_start() {
  local i servers=""
  for i in 0 1 2; do servers+="server.$((i + 1))=127.0.0.1:${ZK_QUORUM[$i]}:${ZK_ELECTION[$i]}"$'\n'; done
  for i in 0 1 2; do
    mkdir -p "$WORK/zk$i"
    echo $((i + 1)) >"$WORK/zk$i/myid"
    # forceSync=yes (the default) makes each write durable before it is acknowledged, as LeifDB's are.
    cat >"$WORK/zk$i.cfg" <<EOF
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$WORK/zk$i
clientPort=${ZK_CLIENT[$i]}
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=srvr
$servers
EOF
    /usr/bin/java -Xmx1g -cp "/etc/zookeeper/conf:$ZK_JAR" org.apache.zookeeper.server.quorum.QuorumPeerMain "$WORK/zk$i.cfg" \
      >"$WORK/zk$i.log" 2>&1 &
    PIDS+=($!)
  done
  local tries=0 mode
  while :; do
    mode=$( (exec 3<>"/dev/tcp/127.0.0.1/${ZK_CLIENT[0]}"; printf 'srvr' >&3; cat <&3) 2>/dev/null | awk '/^Mode/ {print $2}' || true)
    [ "$mode" = leader ] || [ "$mode" = follower ] && break
    tries=$((tries + 1))
    [ "$tries" -le 120 ] || die "ZooKeeper formed no quorum within 60 s (logs: $WORK/zk*.log)"
    sleep 0.5
  done
}

zk_bench() { # workload seconds -> json file path
  "$JAVA" -cp "$BENCH_JAR" io.leifdb.bench.zk.ZkBench \
    "127.0.0.1:${ZK_CLIENT[0]},127.0.0.1:${ZK_CLIENT[1]},127.0.0.1:${ZK_CLIENT[2]}" \
    "$1" "$CONNECTIONS" "$2" "$KEYS" "$VALUE_SIZE" >"$WORK/zk-$1-$2.out" 2>"$WORK/zk-bench.err" \
    || { tail -5 "$WORK/zk-$1-$2.out" "$WORK/zk-bench.err" >&2; die "ZkBench $1 failed"; }
  # The client's own log lines share stdout with the result.
  grep '^{"system":"zookeeper"' "$WORK/zk-$1-$2.out" | tail -n 1 >"$WORK/zk-$1-$2.json"
  echo "$WORK/zk-$1-$2.json"
}

# --- LeifDB ----------------------------------------------------------------------------------------
leifdb_start() {
  local i members="" aot=()
  [ -s "$ROOT/server/target/leifdb.aot" ] && aot=(-XX:AOTCache="$ROOT/server/target/leifdb.aot" "-Xlog:aot*=error")
  for i in 0 1 2; do members+="${members:+,}127.0.0.1:${LEIFDB_RAFT[$i]}"; done
  for i in 0 1 2; do
    LEIFDB_MODE=multi LEIFDB_MEMBER_NODES="$members" LEIFDB_HOST=127.0.0.1 LEIFDB_HTTP_PORT="${LEIFDB_HTTP[$i]}" \
      LEIFDB_RAFT_PORT="${LEIFDB_RAFT[$i]}" LEIFDB_DATA_DIR="$WORK/leifdb$i" LEIFDB_LOG_LEVEL=warn \
      "$JAVA" --enable-native-access=ALL-UNNAMED ${aot[@]+"${aot[@]}"} -jar "$SERVER_JAR" >"$WORK/leifdb$i.log" 2>&1 &
    PIDS+=($!)
  done
  for _ in $(seq 240); do
    for i in 0 1 2; do
      if curl -sf "http://127.0.0.1:${LEIFDB_HTTP[$i]}/health" 2>/dev/null | grep -q '"role":"LEADER"'; then
        LEADER="http://127.0.0.1:${LEIFDB_HTTP[$i]}"
        return 0
      fi
    done
    sleep 0.5
  done
  die "LeifDB elected no leader within 120 s (logs: $WORK/leifdb*.log)"
}

leifdb_bench() { # workload seconds extra... -> json file path
  local w=$1 s=$2
  shift 2
  "$JAVA" -jar "$BENCH_JAR" -u "$LEADER" -w "$w" -c "$CONNECTIONS" -k "$KEYS" -s "$VALUE_SIZE" -d "${s}s" --warmup 0 \
    --json --no-progress "$@" >"$WORK/leifdb-$w-$s.json" 2>"$WORK/leifdb-bench.err" \
    || { cat "$WORK/leifdb-bench.err" >&2; die "leifdb bench $w failed"; }
  echo "$WORK/leifdb-$w-$s.json"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== ZooKeeper $(dpkg-query -W -f='${Version}' zookeeper 2>/dev/null || echo '?'): 3 servers" >&2
zk_start
[ "$SECONDS_WARMUP" -gt 0 ] && zk_bench write "$SECONDS_WARMUP" >/dev/null
read -r zw zw50 zw99 zwe < <(figures "$(zk_bench write "$SECONDS_RUN")")
read -r zr zr50 zr99 zre < <(figures "$(zk_bench read "$SECONDS_RUN")")
stop_all
echo "== LeifDB: 3 nodes" >&2
leifdb_start
[ "$SECONDS_WARMUP" -gt 0 ] && leifdb_bench write "$SECONDS_WARMUP" >/dev/null
read -r lw lw50 lw99 lwe < <(figures "$(leifdb_bench write "$SECONDS_RUN")")
read -r lr lr50 lr99 lre < <(figures "$(leifdb_bench read "$SECONDS_RUN" --preload)")
stop_all

echo "$CONNECTIONS connections, $DURATION measured after $WARMUP of writes; $KEYS keys of 16 B, values of $VALUE_SIZE B;"
echo "3 members each on 127.0.0.1; $(nproc) cores; $(date -u +%Y-%m-%d); load average before: $LOAD_BEFORE"
printf '%-10s %-6s %12s %9s %9s %7s\n' system op "requests/s" "p50 ms" "p99 ms" errors
printf '%-10s %-6s %12s %9s %9s %7s\n' zookeeper write "$zw" "$zw50" "$zw99" "$zwe" zookeeper read "$zr" "$zr50" "$zr99" "$zre" \
  leifdb write "$lw" "$lw50" "$lw99" "$lwe" leifdb read "$lr" "$lr50" "$lr99" "$lre"
awk -v a="$lw" -v b="$zw" -v c="$lw99" -v d="$zw99" -v e="$lr" -v f="$zr" -v g="$lr99" -v h="$zr99" 'BEGIN {
  printf "LeifDB/ZooKeeper write throughput x%.2f  p99 x%.2f\n", a / b, c / d
  printf "LeifDB/ZooKeeper read  throughput x%.2f  p99 x%.2f\n", e / f, g / h }'
