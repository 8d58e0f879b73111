#!/usr/bin/env bash
# Resident memory of one cluster member, idle and under write load: a 3-node LeifDB cluster (once
# per heap setting in HEAPS) and a 3-member etcd cluster, on loopback, each driven by `leifdb bench`
# (etcd through its JSON gateway is not what the bench speaks, so etcd is driven by wrk instead, with
# the same keys and values as bench/compare-etcd.sh). Prints the leader's RSS after 10 s idle, its
# peak RSS during DURATION of writes, and the write throughput meanwhile.
#
#   bench/memory.sh                              # after ./leifdb has built the jars
#
# Environment: DURATION (20s), CONNECTIONS (64), KEYS (100000), VALUE_SIZE (256),
# HEAPS ("default 256m"; "default" = the JVM's own choice, a quarter of RAM; otherwise an -Xmx value),
# ETCD (on|off: also measure etcd when it is installed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-64}"
KEYS="${KEYS:-100000}"
VALUE_SIZE="${VALUE_SIZE:-256}"
HEAPS="${HEAPS:-default 256m}"
ETCD="${ETCD:-on}"
die() { echo "memory: $*" >&2; exit 1; }
[[ "$DURATION" =~ ^[1-9][0-9]*s$ ]] || die "DURATION=$DURATION is not allowed (allowed: seconds, e.g. 20s)"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS=$CONNECTIONS is not allowed (allowed: 1 or more)"
[[ "$KEYS" =~ ^[1-9][0-9]{0,8}$ ]] || die "KEYS=$KEYS is not allowed (allowed: 1..999999999)"
[[ "$VALUE_SIZE" =~ ^[0-9]+$ ]] || die "VALUE_SIZE=$VALUE_SIZE is not allowed (allowed: a byte count)"
for h in $HEAPS; do [[ "$h" =~ ^(default|[1-9][0-9]*[mg])$ ]] || die "HEAPS item \"$h\" is not allowed (allowed: default or e.g. 256m, 1g)"; done
case "$ETCD" in on|off) ;; *) die "ETCD=$ETCD is not allowed (allowed: on, off)";; esac

# shellcheck source=bench/find-java.sh
. "$ROOT/bench/find-java.sh"
JAVA=$(find_java) || die "no JDK 21 or newer found (set JAVA_HOME)"
JAR="$ROOT/server/target/leifdb-server.jar"
BENCH="$ROOT/bench/target/leifdb-bench.jar"
[ -f "$JAR" ] && [ -f "$BENCH" ] || die "build first: ./leifdb --version (or mvn -q -DskipTests package)"
SECONDS_LOAD="${DURATION%s}"
HTTP=(28480 28481 28482)
RAFT=(27480 27481 27482)
WORK="$(mktemp -d)"
# shellcheck source=bench/local-cluster.sh
. "$ROOT/bench/local-cluster.sh"
trap 'stop_all; rm -rf "$WORK"' EXIT

rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo 0; }
# pid, seconds -> the highest RSS in MB seen, sampled every 200 ms
peak_rss() {
  local pid=$1 end=$((SECONDS + $2)) peak=0 r
  while [ "$SECONDS" -lt "$end" ]; do
    r=$(rss_mb "$pid")
    [ "$r" -gt "$peak" ] && peak=$r
    sleep 0.2
  done
  echo "$peak"
}

leifdb_round() { # heap
  local heap=$1 opts=() members="" i leader_port="" leader_pid="" aot=()
  [ "$heap" = default ] || opts=(-Xmx"$heap")
  [ -s "$ROOT/server/target/leifdb.aot" ] && aot=(-XX:AOTCache="$ROOT/server/target/leifdb.aot" "-Xlog:aot*=error")
  for i in 0 1 2; do members+="${members:+,}127.0.0.1:${RAFT[$i]}"; done
  for i in 0 1 2; do
    LEIFDB_MODE=multi LEIFDB_MEMBER_NODES="$members" LEIFDB_HOST=127.0.0.1 LEIFDB_HTTP_PORT="${HTTP[$i]}" \
      LEIFDB_RAFT_PORT="${RAFT[$i]}" LEIFDB_DATA_DIR="$WORK/$heap-$i" LEIFDB_LOG_LEVEL=warn \
      "$JAVA" --enable-native-access=ALL-UNNAMED ${aot[@]+"${aot[@]}"} ${opts[@]+"${opts[@]}"} -jar "$JAR" >"$WORK/$heap-$i.log" 2>&1 &
    PIDS+=($!)
  done
  for _ in $(seq 240); do
    for i in 0 1 2; do
      if curl -sf "http://127.0.0.1:${HTTP[$i]}/health" 2>/dev/null | grep -q '"role":"LEADER"'; then
        leader_port=${HTTP[$i]}; leader_pid=${PIDS[$i]}
      fi
    done
    [ -n "$leader_port" ] && break
    sleep 0.5
  done
  [ -n "$leader_port" ] || die "LeifDB ($heap) elected no leader within 120 s"
  sleep 10
  local idle ops peak
  idle=$(rss_mb "$leader_pid")
  "$JAVA" -jar "$BENCH" -u "http://127.0.0.1:$leader_port" -w write -c "$CONNECTIONS" -k "$KEYS" -s "$VALUE_SIZE" \
    -d "$DURATION" --warmup 0 --json --no-progress >"$WORK/bench.json" &
  local bench=$!
  peak=$(peak_rss "$leader_pid" "$SECONDS_LOAD")
  wait "$bench"
  ops=$(python3 -c 'import json,sys; print("%.0f" % json.load(open(sys.argv[1]))["throughput"])' "$WORK/bench.json")
  stop_all
  printf '%-22s %10s %10s %12s\n' "leifdb (heap $heap)" "$idle" "$peak" "$ops"
}

etcd_round() {
  local cluster="" i
  for i in 0 1 2; do cluster+="${cluster:+,}e$i=http://127.0.0.1:$((RAFT[i] + 10))"; done
  for i in 0 1 2; do
    etcd --name "e$i" --data-dir "$WORK/etcd-$i" --listen-client-urls "http://127.0.0.1:$((HTTP[i] + 10))" \
      --advertise-client-urls "http://127.0.0.1:$((HTTP[i] + 10))" --listen-peer-urls "http://127.0.0.1:$((RAFT[i] + 10))" \
      --initial-advertise-peer-urls "http://127.0.0.1:$((RAFT[i] + 10))" --initial-cluster "$cluster" \
      --initial-cluster-state new --log-level warn --logger zap >"$WORK/etcd-$i.log" 2>&1 &
    PIDS+=($!)
  done
  local eps="http://127.0.0.1:$((HTTP[0] + 10)),http://127.0.0.1:$((HTTP[1] + 10)),http://127.0.0.1:$((HTTP[2] + 10))" leader=""
  for _ in $(seq 120); do
    leader=$(etcdctl --endpoints="$eps" endpoint status -w simple 2>/dev/null | awk -F', ' '$5 == "true" { print $1; exit }')
    [ -n "$leader" ] && break
    sleep 0.5
  done
  [ -n "$leader" ] || die "etcd elected no leader within 60 s"
  local pid="" port="${leader##*:}"
  for i in 0 1 2; do [ "$((HTTP[i] + 10))" = "$port" ] && pid=${PIDS[$i]}; done
  sleep 10
  local idle peak ops
  idle=$(rss_mb "$pid")
  cat >"$WORK/put.lua" <<LUA
local n, size = $KEYS, $VALUE_SIZE
local value = string.rep("v", size)
local A = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
-- Base64 for etcd's JSON gateway; both keys (16 bytes) and values are padded as needed.
local function b64(s)
  local parts = {}
  for i = 1, #s, 3 do
    local x, y, z = s:byte(i, i + 2)
    local bits = x * 65536 + (y or 0) * 256 + (z or 0) -- wrk runs LuaJIT: no bit operators
    local four = ""
    for shift = 18, 0, -6 do
      local c = math.floor(bits / 2 ^ shift) % 64 + 1
      four = four .. A:sub(c, c)
    end
    if not y then four = four:sub(1, 2) .. "==" elseif not z then four = four:sub(1, 3) .. "=" end
    parts[#parts + 1] = four
  end
  return table.concat(parts)
end
local v64 = b64(value)
request = function()
  local key = string.format("k%015d", math.random(0, n - 1))
  return wrk.format("POST", "/v3/kv/put", { ["Content-Type"] = "application/json" }, '{"key":"' .. b64(key) .. '","value":"' .. v64 .. '"}')
end
LUA
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s "$WORK/put.lua" "$leader" >"$WORK/wrk.out" 2>&1 &
  local w=$!
  peak=$(peak_rss "$pid" "$SECONDS_LOAD")
  wait "$w" || true
  ops=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$WORK/wrk.out")
  stop_all
  printf '%-22s %10s %10s %12s\n' "etcd $(etcd --version | awk '/etcd Version/ {print $3}')" "$idle" "$peak" "${ops:-?}"
}

echo "memory: leader RSS after 10 s idle and its peak over $DURATION of writes ($CONNECTIONS connections, $KEYS keys, values $VALUE_SIZE B); $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-22s %10s %10s %12s\n' member "idle MB" "peak MB" "writes/s"
for h in $HEAPS; do leifdb_round "$h"; done
if [ "$ETCD" = on ] && command -v etcd >/dev/null && command -v wrk >/dev/null; then etcd_round; fi
