# Sourced by bench scripts: a 3-member LeifDB cluster on loopback, its leader, and checked settings.
# The caller sets HTTP and RAFT (three ports each), WORK (a scratch directory) and die(); PIDS holds
# the members' process ids, in member order, and stop_all ends them.
PIDS=()

stop_all() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}

# java jar [JVM options...]: starts the three members, logs in $WORK/n<i>.log, data in $WORK/n<i>.
start_cluster() {
  local java=$1 jar=$2 members="" i
  shift 2
  for i in 0 1 2; do members+="${members:+,}127.0.0.1:${RAFT[$i]}"; done
  for i in 0 1 2; do
    LEIFDB_MODE=multi LEIFDB_MEMBER_NODES="$members" LEIFDB_HOST=127.0.0.1 LEIFDB_HTTP_PORT="${HTTP[$i]}" \
      LEIFDB_RAFT_PORT="${RAFT[$i]}" LEIFDB_DATA_DIR="$WORK/n$i" LEIFDB_LOG_LEVEL=warn \
      "$java" --enable-native-access=ALL-UNNAMED "$@" -jar "$jar" >"$WORK/n$i.log" 2>&1 &
    PIDS+=($!)
  done
}

# Prints the leader's member number (0 to 2) once one leads; fails after 120 s.
await_leader() {
  local i
  for _ in $(seq 240); do
    for i in 0 1 2; do
      if curl -sf "http://127.0.0.1:${HTTP[$i]}/health" 2>/dev/null | grep -q '"role":"LEADER"'; then
        echo "$i"
        return
      fi
    done
    sleep 0.5
  done
  return 1
}

# NAME REGEX ALLOWED: dies with one line unless the variable NAME matches REGEX.
need() {
  [[ "${!1}" =~ $2 ]] || die "$1=${!1} is not allowed (allowed: $3)"
}
