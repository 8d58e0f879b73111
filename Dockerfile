# LeifDB node image. Build: docker build -t leifdb . ; run: see README ("Container image").
# Stage 1 builds the server with Maven; stage 2 is a JRE with the jar, its libraries and nothing else.
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml ./
COPY proto proto
COPY raft raft
COPY client client
COPY server server
COPY bench/pom.xml bench/pom.xml
# -am builds what the server needs; -DskipTests still compiles raft's test-jar, which the reactor resolves.
RUN mvn -B -q -DskipTests -pl server -am package

FROM eclipse-temurin:21-jre
# A fixed non-root id, so a Kubernetes fsGroup or a host directory can be given to it.
RUN groupadd --system --gid 10001 leifdb \
 && useradd --system --uid 10001 --gid leifdb --home-dir /var/lib/leifdb --shell /usr/sbin/nologin leifdb \
 && mkdir -p /var/lib/leifdb && chown leifdb:leifdb /var/lib/leifdb && chmod 0700 /var/lib/leifdb
COPY --from=build /src/server/target/leifdb-server.jar /opt/leifdb/leifdb-server.jar
COPY --from=build /src/server/target/lib /opt/leifdb/lib
ENV LEIFDB_DATA_DIR=/var/lib/leifdb/data \
    LEIFDB_HTTP_PORT=8080 \
    LEIFDB_RAFT_PORT=16990
VOLUME /var/lib/leifdb
EXPOSE 8080 16990
USER leifdb
# Healthy means ready (GET /readyz): a leader is known and this member has applied what is committed.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD java -jar /opt/leifdb/leifdb-server.jar status --ready --url "http://127.0.0.1:${LEIFDB_HTTP_PORT}" >/dev/null || exit 1
# umask 077: the data directory's files are the owner's alone, as the launcher makes them. JVM options: JAVA_TOOL_OPTIONS.
ENTRYPOINT ["/bin/sh", "-c", "umask 077 && exec java --enable-native-access=ALL-UNNAMED -jar /opt/leifdb/leifdb-server.jar \"$@\"", "leifdb"]
