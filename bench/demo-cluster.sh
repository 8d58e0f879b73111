#!/usr/bin/env bash
# Starts a local 3-node LeifDB cluster, as the original's `make testcluster` did: nodes a, b and c
# on HTTP ports 8080/8081/8082 and Raft ports 16990/16991/16992, with data under
# ${LEIFDB_DEMO_DIR:-$HOME/.leifdb/demo}/{a,b,c}. Each log line is prefixed with its node's name.
# Ctrl-C stops all three. Run it through `./leifdb cluster`, which finds a JDK and builds first.
# With --tls the client ports speak HTTPS and the members mutual TLS, with certificates that
# `leifdb certs` creates once under $DEMO_DIR/certs (kept and reused by later runs), and auth is on:
# the root user's password is drawn once into $DEMO_DIR/certs/root-password (0600).
#
# Environment: LEIFDB_DEMO_DIR, LEIFDB_LOG_LEVEL (info), LEIFDB_JAVA_OPTS (extra JVM flags),
# LEIFDB_HTTP_PORT and LEIFDB_RAFT_PORT (node a's ports, 8080 and 16990; b and c take the next two).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/server/target/leifdb-server.jar"
DEMO_DIR="${LEIFDB_DEMO_DIR:-$HOME/.leifdb/demo}"
# Split on blanks without glob expansion (flags such as -Xlog:aot*=error hold a '*').
read -r -a JAVA_OPTS_EXTRA <<<"${LEIFDB_JAVA_OPTS:-}"
HTTP_BASE="${LEIFDB_HTTP_PORT:-8080}"
RAFT_BASE="${LEIFDB_RAFT_PORT:-16990}"
# The nodes warn about LEIFDB_* variables they do not know; these two are ours, not theirs.
unset LEIFDB_DEMO_DIR LEIFDB_JAVA_OPTS

die() { echo "demo-cluster: $*" >&2; exit 1; }

TLS=0
for arg in "$@"; do
  case "$arg" in
    --tls) TLS=1 ;;
    *) die "unknown option \"$arg\"; expected --tls (or nothing)" ;;
  esac
done

check_base() { # variable name, value
  [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -ge 1 ] && [ "$2" -le 65533 ] \
    || die "$1 \"$2\" is not valid: expected 1-65533 (node a's port; b and c take the next two)"
}
check_base LEIFDB_HTTP_PORT "$HTTP_BASE"
check_base LEIFDB_RAFT_PORT "$RAFT_BASE"
NAMES=(a b c)
HTTP_PORTS=("$HTTP_BASE" $((HTTP_BASE + 1)) $((HTTP_BASE + 2)))
RAFT_PORTS=("$RAFT_BASE" $((RAFT_BASE + 1)) $((RAFT_BASE + 2)))

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
command -v "$JAVA" >/dev/null || die "no java found; run it as './leifdb cluster', which finds a JDK 21+"
major=$("$JAVA" -XshowSettings:properties -version 2>&1 \
  | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1)
[[ "$major" =~ ^[0-9]+$ ]] && [ "$major" -ge 21 ] \
  || die "$JAVA is Java ${major:-?}, LeifDB needs 21 or newer; run it as './leifdb cluster'"
[ -f "$JAR" ] || die "$JAR is missing; run './leifdb cluster', which builds it"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "${HTTP_PORTS[@]}" "${RAFT_PORTS[@]}"; do
  if port_in_use "$port"; then
    die "port $port is already in use (is another LeifDB node or demo cluster running?)"
  fi
done

if [ -t 1 ]; then COLORS=($'\e[36m' $'\e[35m' $'\e[33m'); RESET=$'\e[0m'; else COLORS=("" "" ""); RESET=""; fi

CERTS="$DEMO_DIR/certs"
TLS_ENV=()
SCHEME=http
CURL_TLS=""
if [ "$TLS" = 1 ]; then
  if [ ! -f "$CERTS/ca.pem" ]; then
    "$JAVA" -jar "$JAR" certs --out "$CERTS" --hosts localhost,127.0.0.1 >/dev/null \
      || die "could not create certificates in $CERTS"
  fi
  if [ ! -f "$CERTS/root-password" ]; then
    (umask 077 && head -c 18 /dev/urandom | base64 | tr '+/' '-_' > "$CERTS/root-password") \
      || die "could not write $CERTS/root-password"
  fi
  TLS_ENV=(LEIFDB_TLS_CERT="$CERTS/server.pem" LEIFDB_TLS_KEY="$CERTS/server-key.pem"
    LEIFDB_PEER_TLS_CERT="$CERTS/peer.pem" LEIFDB_PEER_TLS_KEY="$CERTS/peer-key.pem" LEIFDB_PEER_TLS_CA="$CERTS/ca.pem"
    LEIFDB_AUTH=on LEIFDB_ROOT_PASSWORD_FILE="$CERTS/root-password")
  SCHEME=https
  CURL_TLS="--cacert $CERTS/ca.pem "
fi

members=""
for port in "${RAFT_PORTS[@]}"; do members+="${members:+,}localhost:$port"; done

PIDS=()
stop_nodes() {
  trap - INT TERM
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
trap 'echo "demo-cluster: stopping..." >&2; stop_nodes; exit 0' INT TERM
trap stop_nodes EXIT

for i in 0 1 2; do
  name="${NAMES[$i]}"
  mkdir -p "$DEMO_DIR/$name" || die "cannot create $DEMO_DIR/$name"
  prefix="${COLORS[$i]}[$name]${RESET} "
  # The node is the background job (so $! is its PID); its output goes through sed for the prefix.
  env ${TLS_ENV[@]+"${TLS_ENV[@]}"} LEIFDB_MODE=multi LEIFDB_MEMBER_NODES="$members" LEIFDB_HOST=localhost \
    LEIFDB_HTTP_PORT="${HTTP_PORTS[$i]}" LEIFDB_RAFT_PORT="${RAFT_PORTS[$i]}" \
    LEIFDB_DATA_DIR="$DEMO_DIR/$name" LEIFDB_LOG_LEVEL="${LEIFDB_LOG_LEVEL:-info}" \
    "$JAVA" --enable-native-access=ALL-UNNAMED ${JAVA_OPTS_EXTRA[@]+"${JAVA_OPTS_EXTRA[@]}"} -jar "$JAR" \
    > >(sed -u "s/^/$prefix/") 2>&1 &
  PIDS+=($!)
done

cat <<EOF
LeifDB demo cluster, data in $DEMO_DIR
  a  $SCHEME://localhost:${HTTP_PORTS[0]}  (raft localhost:${RAFT_PORTS[0]})
  b  $SCHEME://localhost:${HTTP_PORTS[1]}  (raft localhost:${RAFT_PORTS[1]})
  c  $SCHEME://localhost:${HTTP_PORTS[2]}  (raft localhost:${RAFT_PORTS[2]})
  UI $SCHEME://localhost:${HTTP_PORTS[0]}/ui/
EOF
if [ "$TLS" = 1 ]; then
  # --location-trusted: curl sends credentials across a redirect only with it (a follower's 307 names another port).
  echo "Try: curl ${CURL_TLS}-u root:\$(cat $CERTS/root-password) --location-trusted -X PUT -d '{\"value\":\"hello\"}' $SCHEME://localhost:${HTTP_PORTS[0]}/db/greeting"
  echo "     LEIFDB_PASSWORD=\$(cat $CERTS/root-password) ./leifdb get greeting --user root --url https://localhost:${HTTP_PORTS[0]} --cacert $CERTS/ca.pem"
  echo "TLS on both ports and auth on (user root, password in $CERTS/root-password); certificates and keys in $CERTS."
else
  echo "Try: curl -L -X PUT -d '{\"value\":\"hello\"}' $SCHEME://localhost:${HTTP_PORTS[0]}/db/greeting"
fi
echo "Ctrl-C stops all three."

# Waits for each node's exit; a node that dies (or is killed to try a failover) leaves the
# others running, and the script ends once none is left.
alive=("${PIDS[@]}")
while [ ${#alive[@]} -gt 0 ]; do
  status=0
  done_pid=""
  wait -n -p done_pid "${alive[@]}" || status=$?
  [ -n "$done_pid" ] || continue
  next=()
  for i in 0 1 2; do
    if [ "${PIDS[$i]}" = "$done_pid" ]; then
      echo "demo-cluster: node ${NAMES[$i]} exited with status $status" >&2
    fi
  done
  for pid in "${alive[@]}"; do [ "$pid" = "$done_pid" ] || next+=("$pid"); done
  alive=("${next[@]}")
done
echo "demo-cluster: all nodes have exited" >&2
