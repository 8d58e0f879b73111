# Sourced by the bench scripts: find_java prints a java binary of JDK 21+ (JAVA_HOME first, then
# /usr/lib/jvm and /opt/java), or fails with one line, as ./leifdb looks for one.
find_java() {
  local c v
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    v=$("$c/bin/java" -XshowSettings:properties -version 2>&1 \
      | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1)
    if [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -ge 21 ]; then echo "$c/bin/java"; return; fi
  done
  echo "no JDK 21 or newer found (set JAVA_HOME)" >&2
  return 1
}
