#!/usr/bin/env bash
# Compares LeifDB with etcd on this machine: a 3-member etcd cluster and a 3-node LeifDB cluster,
# both on loopback with data on the same disk, each driven by wrk with the same shape of load
# (16-byte keys from a fixed key space, 256-byte values, writes then linearizable reads, all to
# the leader). Prints both results side by side and the LeifDB/etcd ratios.
#
#   bench/compare-etcd.sh            # both systems
#   ONLY=etcd bench/compare-etcd.sh  # one of them (etcd or leifdb)
#
# Environment: DURATION (20s), WARMUP (30s, unmeasured, both systems), CONNECTIONS (64), THREADS (2),
# KEYS (10000), VALUE_SIZE (256), AOT (on: LeifDB's nodes start from the JVM's ahead-of-time cache
# that ./leifdb trains, on JDK 25+; off: without it, to see what it saves).
# Also printed: each cluster's time from launching its members to the first acknowledged write.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/find-java.sh
. "$ROOT/bench/find-java.sh"
DURATION="${DURATION:-20s}"
# Both systems get the same unmeasured write load first: a JVM compiles its hot paths under load,
# which took about 30 s of writes on 2 cores (C2's CPU use only fell to near zero after that), and
# a cold start would measure the JIT rather than the store. etcd gets the same. The warm-up figures
# are printed too, so the cold start is not hidden.
WARMUP="${WARMUP:-30s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
KEYS="${KEYS:-10000}"
VALUE_SIZE="${VALUE_SIZE:-256}"
ONLY="${ONLY:-both}"
AOT="${AOT:-on}"

ETCD_CLIENT_PORTS=(23790 23791 23792)
ETCD_PEER_PORTS=(23800 23801 23802)
LEIFDB_HTTP_PORTS=(28080 28081 28082)
LEIFDB_RAFT_PORTS=(26990 26991 26992)

die() { echo "compare-etcd: $*" >&2; exit 1; }

case "$ONLY" in both|etcd|leifdb) ;; *) die "ONLY=$ONLY is not allowed (allowed: both, etcd, leifdb)";; esac
case "$AOT" in on|off) ;; *) die "AOT=$AOT is not allowed (allowed: on, off)";; esac
[[ "$KEYS" =~ ^[1-9][0-9]{0,8}$ ]] || die "KEYS=$KEYS is not allowed (allowed: 1..999999999)"
[[ "$VALUE_SIZE" =~ ^[0-9]+$ ]] || die "VALUE_SIZE=$VALUE_SIZE is not allowed (allowed: a byte count)"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS=$CONNECTIONS is not allowed (allowed: 1 or more)"
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || die "THREADS=$THREADS is not allowed (allowed: 1 or more)"
[[ "$DURATION" =~ ^[1-9][0-9]*[smh]?$ ]] || die "DURATION=$DURATION is not allowed (allowed: e.g. 20s, 2m)"
[[ "$WARMUP" =~ ^[0-9]+[smh]?$ ]] || die "WARMUP=$WARMUP is not allowed (allowed: e.g. 10s, 0)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/leifdb-compare.XXXXXX")"
PIDS=()

stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
REPORTED=0
cleanup() {
  local rc=$?
  stop_all
  # A failure in the second half must not throw away the figures of the first.
  if [ "$REPORTED" = 0 ] && compgen -G "$WORK/*-read.out" >/dev/null; then report; fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- tools -------------------------------------------------------------------------------------

ensure_tools() {
  local missing=()
  if [ "$ONLY" != leifdb ]; then
    command -v etcd >/dev/null || missing+=(etcd-server)
    command -v etcdctl >/dev/null || missing+=(etcd-client)
  fi
  command -v wrk >/dev/null || missing+=(wrk)
  command -v curl >/dev/null || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] && return
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "compare-etcd: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y "${missing[@]}" >&2 \
    || die "apt-get install ${missing[*]} failed"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_ports_free() {
  local p
  for p in "$@"; do port_free "$p" || die "port $p on 127.0.0.1 is already in use"; done
}

# --- wrk scripts ---------------------------------------------------------------------------------

# Shared Lua: key i is "k" + zero-padded number, 16 bytes, as `leifdb bench` writes them.
write_lua_common() {
  cat >"$WORK/common.lua" <<EOF
KEYS = $KEYS
VALUE_SIZE = $VALUE_SIZE
local b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
-- Standard base64 with padding: 3 input bytes make 4 output characters.
function b64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local quad = {}
    for j = 1, 4 do
      local idx = math.floor(n / 64 ^ (4 - j)) % 64
      quad[j] = b64chars:sub(idx + 1, idx + 1)
    end
    if b == nil then quad[3] = "=" end
    if c == nil then quad[4] = "=" end
    out[#out + 1] = table.concat(quad)
  end
  return table.concat(out)
end
function key(i) return string.format("k%015d", i) end
function value(seed)
  math.randomseed(seed)
  local t = {}
  local alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
  for i = 1, VALUE_SIZE do
    local c = math.random(#alphabet)
    t[i] = alphabet:sub(c, c)
  end
  return table.concat(t)
end
-- Each wrk thread gets its own id so threads pick different random sequences.
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end
-- Preload mode walks this thread's share of the key space in order instead of picking at random.
function next_key()
  if SEQUENTIAL then
    local i = seq
    seq = seq + NTHREADS
    if seq >= KEYS then seq = tid - 1 end
    return i
  end
  return math.random(0, KEYS - 1)
end
function init(args)
  SEQUENTIAL = args[1] == "sequential"
  NTHREADS = $THREADS
  seq = tid - 1
  math.randomseed(os.time() * 1000 + tid)
  prepare()
  math.randomseed(os.time() * 7919 + tid)
end
EOF
  # etcd's v3 JSON gateway: bytes fields are base64; range is linearizable unless serializable.
  cat >"$WORK/etcd-put.lua" <<'EOF'
dofile(WORK .. "/common.lua")
function prepare()
  v = b64(value(tid))
  keys = {}
  for i = 0, KEYS - 1 do keys[i] = b64(key(i)) end
end
function request()
  local body = '{"key":"' .. keys[next_key()] .. '","value":"' .. v .. '"}'
  return wrk.format("POST", "/v3/kv/put", { ["Content-Type"] = "application/json" }, body)
end
EOF
  cat >"$WORK/etcd-range.lua" <<'EOF'
dofile(WORK .. "/common.lua")
function prepare()
  bodies = {}
  for i = 0, KEYS - 1 do bodies[i] = '{"key":"' .. b64(key(i)) .. '"}' end
end
function request()
  return wrk.format("POST", "/v3/kv/range", { ["Content-Type"] = "application/json" }, bodies[next_key()])
end
EOF
  cat >"$WORK/leifdb-put.lua" <<'EOF'
dofile(WORK .. "/common.lua")
function prepare()
  body = '{"value":"' .. value(tid) .. '"}'
end
function request()
  return wrk.format("PUT", "/db/" .. key(next_key()), { ["Content-Type"] = "application/json" }, body)
end
EOF
  cat >"$WORK/leifdb-get.lua" <<'EOF'
dofile(WORK .. "/common.lua")
function prepare() end
function request()
  return wrk.format("GET", "/db/" .. key(next_key()))
end
EOF
  local f
  for f in etcd-put etcd-range leifdb-put leifdb-get; do
    sed -i "1s|^|WORK = \"$WORK\"\n|" "$WORK/$f.lua"
  done
}

# Runs wrk; the full output goes to $WORK/<name>.out. Extra args after the URL go to the script.
run_wrk() {
  local name="$1" script="$2" url="$3" duration="$4"
  shift 4
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout 10s --latency -s "$WORK/$script.lua" \
    "$url" "$@" >"$WORK/$name.out" 2>&1 || { cat "$WORK/$name.out" >&2; die "wrk $name failed"; }
}

# Prints "requests_per_s p50_ms p99_ms non2xx socket_errors" from a wrk --latency output.
wrk_figures() {
  awk '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
      if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
      return v + 0
    }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "50%" && lat { p50 = ms($2) }
    $1 == "99%" && lat { p99 = ms($2) }
    /Latency Distribution/ { lat = 1 }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { gsub(",", ""); errs = $4 + $6 + $8 + $10 }
    END { printf "%s %.3f %.3f %d %d\n", rps, p50, p99, non2xx, errs }
  ' "$1"
}

# name, curl args for one write... -> records the milliseconds from $LAUNCHED to the first 2xx write
# (retried every 20 ms for up to 120 s) in $WORK/<name>-first-write.
first_write() {
  local name=$1 tries=0
  shift
  until curl -sf --max-time 2 -o /dev/null "$@" 2>/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -le 6000 ] || die "$name took no write within 120 s of its launch"
    sleep 0.02
  done
  echo $(( ($(date +%s%N) - LAUNCHED) / 1000000 )) >"$WORK/$name-first-write"
}

# Unmeasured writes of the same shape, for $WARMUP.
warmup() {
  local name=$1 script=$2 url=$3
  case "$WARMUP" in 0|0s|0m|0h) return ;; esac
  echo "== $name: warming up with writes for $WARMUP (not measured)" >&2
  run_wrk "$name-warmup" "$script" "$url" "$WARMUP"
}

# Writes every key once (sequentially per wrk thread) so that reads hit.
preload() {
  local name="$1" script="$2" url="$3"
  local seconds=$(( KEYS / 1000 + 3 ))
  run_wrk "$name-preload" "$script" "$url" "${seconds}s" -- sequential
}

# --- etcd ------------------------------------------------------------------------------------------

etcd_endpoints() {
  local p eps=()
  for p in "${ETCD_CLIENT_PORTS[@]}"; do eps+=("http://127.0.0.1:$p"); done
  (IFS=,; echo "${eps[*]}")
}

start_etcd() {
  require_ports_free "${ETCD_CLIENT_PORTS[@]}" "${ETCD_PEER_PORTS[@]}"
  local cluster="" i
  LAUNCHED=$(date +%s%N)
  for i in 0 1 2; do cluster+="${cluster:+,}e$i=http://127.0.0.1:${ETCD_PEER_PORTS[$i]}"; done
  for i in 0 1 2; do
    etcd --name "e$i" --data-dir "$WORK/etcd/e$i" \
      --listen-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORTS[$i]}" \
      --advertise-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORTS[$i]}" \
      --listen-peer-urls "http://127.0.0.1:${ETCD_PEER_PORTS[$i]}" \
      --initial-advertise-peer-urls "http://127.0.0.1:${ETCD_PEER_PORTS[$i]}" \
      --initial-cluster "$cluster" --initial-cluster-token leifdb-compare \
      --initial-cluster-state new --logger zap --log-level warn \
      >"$WORK/etcd-e$i.log" 2>&1 &
    PIDS+=($!)
  done
  local tries=0
  until etcdctl --endpoints="$(etcd_endpoints)" endpoint health >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ "$tries" -le 60 ] || { tail -n 5 "$WORK"/etcd-e*.log >&2; die "etcd cluster not healthy after 30 s"; }
    sleep 0.5
  done
}

# Prints the client URL of the etcd leader.
etcd_leader() {
  local ep
  ep=$(etcdctl --endpoints="$(etcd_endpoints)" endpoint status -w simple 2>/dev/null \
    | awk -F', ' '$5 == "true" { print $1; exit }')
  [ -n "$ep" ] || die "no etcd leader found"
  case "$ep" in http://*) echo "$ep" ;; *) echo "http://$ep" ;; esac
}

bench_etcd() {
  echo "== etcd $(etcd --version | awk '/etcd Version/ {print $3}'): starting 3 members" >&2
  start_etcd
  first_write etcd -X POST -d '{"key":"Zmlyc3Q=","value":"eA=="}' "http://127.0.0.1:${ETCD_CLIENT_PORTS[0]}/v3/kv/put"
  local leader
  leader=$(etcd_leader)
  warmup etcd etcd-put "$leader"
  echo "== etcd leader $leader; writes for $DURATION" >&2
  run_wrk etcd-write etcd-put "$leader" "$DURATION"
  echo "== etcd: preloading $KEYS keys, then linearizable reads for $DURATION" >&2
  preload etcd etcd-put "$leader"
  local count
  # Keys "k..." are the range [k, l); etcdctl 3.4 has no --count-only, the gateway does.
  count=$(curl -s -X POST -d '{"key":"aw==","range_end":"bA==","count_only":true}' \
    "$leader/v3/kv/range" | sed -n 's/.*"count":"\([0-9]*\)".*/\1/p' || true)
  [ "${count:-0}" -ge "$KEYS" ] || echo "compare-etcd: warning: etcd holds ${count:-0} of $KEYS keys" >&2
  run_wrk etcd-read etcd-range "$leader" "$DURATION"
  stop_all
}

# --- LeifDB ----------------------------------------------------------------------------------------

leifdb_jar() {
  local jar="$ROOT/server/target/leifdb-server.jar"
  # ./leifdb finds a JDK 21+ and rebuilds whatever is stale; --version then exits at once.
  "$ROOT/leifdb" bench --version >/dev/null || die "could not build LeifDB with ./leifdb"
  [ -f "$jar" ] || die "no $jar after the build"
  echo "$jar"
}

start_leifdb() {
  require_ports_free "${LEIFDB_HTTP_PORTS[@]}" "${LEIFDB_RAFT_PORTS[@]}"
  local jar java members="" i aot=()
  jar=$(leifdb_jar)
  java=$(find_java) || die "no JDK 21 or newer found (set JAVA_HOME)"
  if [ "$AOT" = on ]; then
    "$ROOT/leifdb" aot >&2 || die "./leifdb aot failed"
    [ -s "$ROOT/server/target/leifdb.aot" ] && aot=(-XX:AOTCache="$ROOT/server/target/leifdb.aot" "-Xlog:aot*=error")
  fi
  LEIFDB_AOT_USED="${aot[*]:+yes}"
  for i in 0 1 2; do members+="${members:+,}127.0.0.1:${LEIFDB_RAFT_PORTS[$i]}"; done
  LAUNCHED=$(date +%s%N)
  for i in 0 1 2; do
    LEIFDB_MODE=multi LEIFDB_MEMBER_NODES="$members" LEIFDB_HOST=127.0.0.1 \
      LEIFDB_HTTP_PORT="${LEIFDB_HTTP_PORTS[$i]}" LEIFDB_RAFT_PORT="${LEIFDB_RAFT_PORTS[$i]}" \
      LEIFDB_DATA_DIR="$WORK/leifdb/n$i" LEIFDB_LOG_LEVEL=warn \
      "$java" --enable-native-access=ALL-UNNAMED ${aot[@]+"${aot[@]}"} -jar "$jar" \
      >"$WORK/leifdb-n$i.log" 2>&1 &
    PIDS+=($!)
  done
}

# Prints the HTTP URL of the node whose /health says it is the leader, waiting up to 60 s.
leifdb_leader() {
  local tries=0 port body pid
  while [ "$tries" -lt 120 ]; do
    for pid in "${PIDS[@]}"; do
      kill -0 "$pid" 2>/dev/null || { tail -n 5 "$WORK"/leifdb-n*.log >&2; die "a LeifDB node exited at start-up"; }
    done
    for port in "${LEIFDB_HTTP_PORTS[@]}"; do
      body=$(curl -s --max-time 1 "http://127.0.0.1:$port/health" || true)
      if printf '%s' "$body" | grep -qiE '"role" *: *"leader"'; then
        echo "http://127.0.0.1:$port"
        return
      fi
    done
    tries=$((tries + 1))
    sleep 0.5
  done
  tail -n 5 "$WORK"/leifdb-n*.log >&2
  die "no LeifDB leader reported by /health after 60 s"
}

bench_leifdb() {
  echo "== LeifDB: starting 3 nodes" >&2
  start_leifdb
  first_write leifdb -L -X PUT -d '{"value":"x"}' "http://127.0.0.1:${LEIFDB_HTTP_PORTS[0]}/db/first"
  local leader
  leader=$(leifdb_leader)
  warmup leifdb leifdb-put "$leader"
  echo "== LeifDB leader $leader; writes for $DURATION" >&2
  run_wrk leifdb-write leifdb-put "$leader" "$DURATION"
  echo "== LeifDB: preloading $KEYS keys, then linearizable reads for $DURATION" >&2
  preload leifdb leifdb-put "$leader"
  run_wrk leifdb-read leifdb-get "$leader" "$DURATION"
  stop_all
}

# --- report ----------------------------------------------------------------------------------------

report() {
  REPORTED=1
  local cores
  cores=$(nproc 2>/dev/null || echo "?")
  echo
  echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency; $KEYS keys of 16 B, values of $VALUE_SIZE B;"
  echo "3 members on 127.0.0.1, all requests to the leader; $cores cores; $(date -u +%Y-%m-%d);"
  echo "load average before the run: $LOAD_BEFORE (other work on the machine skews the figures)"
  printf '%-8s %-7s %12s %10s %10s %8s %8s\n' system op "requests/s" "p50 ms" "p99 ms" non-2xx "sock err"
  local sys op f
  for sys in etcd leifdb; do
    for op in write read; do
      f="$WORK/$sys-$op.out"
      [ -f "$f" ] || continue
      # shellcheck disable=SC2046
      printf '%-8s %-7s %12.1f %10.3f %10.3f %8d %8d\n' "$sys" "$op" $(wrk_figures "$f")
    done
  done
  for sys in etcd leifdb; do
    f="$WORK/$sys-warmup.out"
    [ -f "$f" ] || continue
    # shellcheck disable=SC2046
    printf '%-8s %-7s %12.1f %10.3f %10.3f %8d %8d   (warm-up, first %s, not in the ratios)\n' "$sys" write $(wrk_figures "$f") "$WARMUP"
  done
  for sys in etcd leifdb; do
    f="$WORK/$sys-first-write"
    [ -f "$f" ] || continue
    printf '%-8s first acknowledged write %s ms after launching the members%s\n' "$sys" "$(cat "$f")" \
      "$([ "$sys" = leifdb ] && echo " (AOT cache: ${LEIFDB_AOT_USED:-no})")"
  done
  if [ -f "$WORK/etcd-write.out" ] && [ -f "$WORK/leifdb-write.out" ]; then
    echo
    for op in write read; do
      read -r e_rps e_p50 e_p99 _ _ < <(wrk_figures "$WORK/etcd-$op.out")
      read -r l_rps l_p50 l_p99 _ _ < <(wrk_figures "$WORK/leifdb-$op.out")
      awk -v op="$op" -v er="$e_rps" -v lr="$l_rps" -v e5="$e_p50" -v l5="$l_p50" -v e9="$e_p99" -v l9="$l_p99" \
        'function r(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "n/a" }
         BEGIN { printf "LeifDB/etcd %-5s throughput x%s  p50 x%s  p99 x%s\n", op, r(lr, er), r(l5, e5), r(l9, e9) }'
    done
  fi
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
ensure_tools
write_lua_common
[ "$ONLY" = leifdb ] || bench_etcd
[ "$ONLY" = etcd ] || bench_leifdb
report
