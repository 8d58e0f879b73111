package io.leifdb.server.http;

import io.helidon.http.Method;
import java.util.List;

/**
 * The API's routes, in one place: {@link HttpApi} registers exactly these, and a test checks that the
 * OpenAPI document lists exactly these (paths, methods, operation ids and query parameters).
 * Static assets (/swagger/, /ui/) are not API and are not listed here.
 */
enum Endpoint {
    OPENAPI(Method.GET, "/", "openapi"),
    HEALTH(Method.GET, "/health", "http-health"),
    LIVEZ(Method.GET, "/livez", "livez"),
    READYZ(Method.GET, "/readyz", "readyz"),
    CLUSTER(Method.GET, "/cluster", "cluster"),
    CLUSTER_MEMBERS(Method.GET, "/cluster/members", "cluster-members"),
    MEMBER_REMOVE(Method.DELETE, "/cluster/members/{id}", "cluster-member-remove", "force"),
    LEADER_TRANSFER(Method.POST, "/cluster/leader", "cluster-leader-transfer"),
    BACKUP(Method.GET, "/backup", "backup"),
    METRICS(Method.GET, "/metrics", "metrics"),
    DB_LIST(Method.GET, "/db", "db-list", "prefix", "after", "limit", "consistency", "keysOnly", "delimiter", "count"),
    DB_READ(Method.GET, "/db/{key}", "db-read", "consistency"),
    DB_WRITE(Method.PUT, "/db/{key}", "db-write", "value"),
    DB_DELETE(Method.DELETE, "/db/{key}", "db-delete"),
    TXN(Method.POST, "/txn", "txn"),
    WATCH(Method.GET, "/watch", "watch", "key", "prefix", "fromRevision"),
    // HEAD on every GET route (RFC 9110 §9.3.2): the GET's status and headers, no body.
    OPENAPI_HEAD(Method.HEAD, "/", "openapi-head"),
    HEALTH_HEAD(Method.HEAD, "/health", "http-health-head"),
    LIVEZ_HEAD(Method.HEAD, "/livez", "livez-head"),
    READYZ_HEAD(Method.HEAD, "/readyz", "readyz-head"),
    CLUSTER_HEAD(Method.HEAD, "/cluster", "cluster-head"),
    CLUSTER_MEMBERS_HEAD(Method.HEAD, "/cluster/members", "cluster-members-head"),
    BACKUP_HEAD(Method.HEAD, "/backup", "backup-head"),
    METRICS_HEAD(Method.HEAD, "/metrics", "metrics-head"),
    DB_LIST_HEAD(Method.HEAD, "/db", "db-list-head", "prefix", "after", "limit", "consistency", "keysOnly",
            "delimiter", "count"),
    DB_READ_HEAD(Method.HEAD, "/db/{key}", "db-read-head", "consistency");

    final Method method;
    /** The path as the OpenAPI document writes it. */
    final String path;
    final String operationId;
    final List<String> queryParams;

    Endpoint(Method method, String path, String operationId, String... queryParams) {
        this.method = method;
        this.path = path;
        this.operationId = operationId;
        this.queryParams = List.of(queryParams);
    }

    /** Whether this endpoint's path template covers {@code rawPath}; {key} takes the rest of the path, {id} one segment. */
    boolean matchesPath(String rawPath) {
        if (path.endsWith("/{id}")) {
            String prefix = path.substring(0, path.length() - "{id}".length());
            return rawPath.startsWith(prefix) && rawPath.length() > prefix.length()
                    && rawPath.indexOf('/', prefix.length()) < 0;
        }
        if (path.endsWith("/{key}")) {
            String prefix = path.substring(0, path.length() - "{key}".length());
            return rawPath.startsWith(prefix);
        }
        return rawPath.equals(path);
    }
}
