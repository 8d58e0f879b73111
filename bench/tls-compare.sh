#!/usr/bin/env bash
# Write and read throughput of the 3-node demo cluster with TLS and auth off and on, in one run:
# rounds alternate plain and TLS + auth (`cluster --tls`: HTTPS on the client ports, mutual TLS
# between members, users on), each on a fresh cluster with fresh data, driven by `leifdb bench`
# with the same load (a root bearer token when auth is on). Prints one line per measurement and
# the ratios of the medians to plain.
#
#   bench/tls-compare.sh     # after `mvn -q -DskipTests package` (./leifdb builds it too)
#
# Environment: ROUNDS (2), DURATION (15s), WARMUP (10s, unmeasured writes), CONNECTIONS (64),
# KEYS (10000), VALUE_SIZE (256), MODES ("plain tls"; also "https": the client port only, "peer":
# mutual TLS between members only, and "auth": users and tokens without TLS, to tell the costs apart).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-2}"
DURATION="${DURATION:-15s}"
WARMUP="${WARMUP:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
KEYS="${KEYS:-10000}"
VALUE_SIZE="${VALUE_SIZE:-256}"
MODES="${MODES:-plain tls}"
HTTP_BASE=28180
RAFT_BASE=27090

die() { echo "tls-compare: $*" >&2; exit 1; }
[[ "$ROUNDS" =~ ^[1-9][0-9]?$ ]] || die "ROUNDS=$ROUNDS is not allowed (allowed: 1..99)"
[[ "$DURATION" =~ ^[1-9][0-9]*[smh]?$ ]] || die "DURATION=$DURATION is not allowed (allowed: e.g. 15s, 1m)"
[[ "$WARMUP" =~ ^[0-9]+[smh]?$ ]] || die "WARMUP=$WARMUP is not allowed (allowed: e.g. 10s, 0)"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS=$CONNECTIONS is not allowed (allowed: 1 or more)"
[[ "$KEYS" =~ ^[1-9][0-9]{0,8}$ ]] || die "KEYS=$KEYS is not allowed (allowed: 1..999999999)"
[[ "$VALUE_SIZE" =~ ^[0-9]+$ ]] || die "VALUE_SIZE=$VALUE_SIZE is not allowed (allowed: a byte count)"
for m in $MODES; do
  case "$m" in plain|tls|https|peer|auth) ;; *) die "MODES=\"$MODES\" is not allowed (allowed: plain, tls, https, peer, auth)" ;; esac
done

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
BENCH_JAR="$ROOT/bench/target/leifdb-bench.jar"
[ -f "$BENCH_JAR" ] && [ -f "$ROOT/server/target/leifdb-server.jar" ] \
  || die "build first: mvn -q -DskipTests package (or run ./leifdb bench --help once)"

WORK="$(mktemp -d)"
CLUSTER_PID=""
stop_cluster() {
  if [ -n "$CLUSTER_PID" ]; then
    # TERM, not INT: a background job of a script ignores SIGINT.
    kill -TERM "$CLUSTER_PID" 2>/dev/null || true
    wait "$CLUSTER_PID" 2>/dev/null || true
    CLUSTER_PID=""
  fi
}
trap 'stop_cluster; rm -rf "$WORK"' EXIT

# mode (plain|tls), round -> starts the cluster and waits (bounded) until all three serve
start_cluster() {
  local dir="$WORK/$1-$2" flag=() half=()
  case "$1" in
    tls) flag=(--tls) ;;
    auth)
      mkdir -p "$dir"
      (umask 077 && head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$dir/root-password")
      half=(LEIFDB_AUTH=on LEIFDB_ROOT_PASSWORD_FILE="$dir/root-password") ;;
    https | peer) # one port only: the nodes inherit these variables through the demo script
      mkdir -p "$dir"
      "$JAVA" -jar "$ROOT/server/target/leifdb-server.jar" certs --out "$dir/certs" >/dev/null
      if [ "$1" = https ]; then
        half=(LEIFDB_TLS_CERT="$dir/certs/server.pem" LEIFDB_TLS_KEY="$dir/certs/server-key.pem")
      else
        half=(LEIFDB_PEER_TLS_CERT="$dir/certs/peer.pem" LEIFDB_PEER_TLS_KEY="$dir/certs/peer-key.pem"
          LEIFDB_PEER_TLS_CA="$dir/certs/ca.pem")
      fi ;;
  esac
  env ${half[@]+"${half[@]}"} LEIFDB_DEMO_DIR="$dir" LEIFDB_HTTP_PORT=$HTTP_BASE LEIFDB_RAFT_PORT=$RAFT_BASE \
    LEIFDB_LOG_LEVEL=warn "$ROOT/bench/demo-cluster.sh" ${flag[@]+"${flag[@]}"} >"$dir.log" 2>&1 &
  CLUSTER_PID=$!
  local url="http://localhost:$HTTP_BASE/health" tls=()
  if [ "$1" = tls ] || [ "$1" = https ]; then url="https://localhost:$HTTP_BASE/health"; tls=(--cacert "$dir/certs/ca.pem"); fi
  for _ in $(seq 240); do
    if [ -f "$dir/c/cluster-id" ] && curl -sf "${tls[@]+"${tls[@]}"}" "$url" 2>/dev/null | grep -q '"leader":[1-9]'; then
      TOKEN=""
      case "$1" in
        tls) TOKEN=$(token "$url" "$dir/certs/root-password" "${tls[@]}") ;;
        auth) TOKEN=$(token "$url" "$dir/root-password") ;;
      esac
      return 0
    fi
    sleep 0.5
  done
  die "the $1 cluster did not elect a leader within 120 s (log: $dir.log)"
}

# health url, root password file, curl tls args... -> a root token valid for an hour (bounded retries:
# the leader may still be committing the bootstrap of users)
token() {
  local base="${1%/health}" pw="$2" t; shift 2
  for _ in $(seq 60); do
    t=$(curl -sf "$@" -u "root:$(cat "$pw")" -X POST "$base/auth/token?ttl=3600" 2>/dev/null \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' 2>/dev/null) && [ -n "$t" ] && { echo "$t"; return 0; }
    sleep 0.5
  done
  die "no token from $base/auth/token within 30 s"
}

# mode, workload, extra bench args... -> prints "ops/s p99-ms errors"
bench() {
  local mode="$1" workload="$2"; shift 2
  local scheme=http tls=()
  if [ "$mode" = tls ] || [ "$mode" = https ]; then scheme=https; tls=(--cacert "$WORK/$mode-$round/certs/ca.pem"); fi
  LEIFDB_TOKEN="$TOKEN" "$JAVA" -jar "$BENCH_JAR" -u "$scheme://localhost:$HTTP_BASE" "${tls[@]+"${tls[@]}"}" -w "$workload" \
    -c "$CONNECTIONS" -k "$KEYS" -s "$VALUE_SIZE" -d "$DURATION" --json --no-progress "$@" \
    | python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.0f %.2f %d" % (r["throughput"], r["latencyMs"]["all"]["p99"], r["errors"]["total"]))'
}

echo "tls-compare: $ROUNDS rounds of: $MODES; $CONNECTIONS connections, $DURATION measured, $KEYS keys, values $VALUE_SIZE B; load $(cut -d' ' -f1-3 /proc/loadavg)"
RESULTS="$WORK/results"
for round in $(seq "$ROUNDS"); do
  for mode in $MODES; do
    start_cluster "$mode" "$round"
    read -r w wp99 werr < <(bench "$mode" write --warmup "$WARMUP")
    read -r r rp99 rerr < <(bench "$mode" read --preload --warmup 2s)
    stop_cluster
    echo "round $round $mode: writes $w/s (p99 $wp99 ms, $werr errors), linearizable reads $r/s (p99 $rp99 ms, $rerr errors)"
    echo "$mode $w $r" >>"$RESULTS"
  done
done
python3 - "$RESULTS" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = lambda mode, i: statistics.median(float(r[i]) for r in rows if r[0] == mode)
modes = list(dict.fromkeys(r[0] for r in rows))
for name, i in (("writes", 1), ("reads", 2)):
    line = ", ".join("%s %.0f/s" % (m, med(m, i)) for m in modes)
    if "plain" in modes:
        line += "; " + ", ".join("%s/plain x%.2f" % (m, med(m, i) / med("plain", i)) for m in modes if m != "plain")
    print("%s (medians): %s" % (name, line))
PY
