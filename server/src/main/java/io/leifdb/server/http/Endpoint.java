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
    MEMBER_ADD(Method.POST, "/cluster/members", "cluster-member-add"),
    MEMBER_REMOVE(Method.DELETE, "/cluster/members/{id}", "cluster-member-remove", "force",
            "codingOffFirst"),
    MEMBER_PROMOTE(Method.POST, "/cluster/members/{id}/promote", "cluster-member-promote", "codingOffFirst"),
    LEADER_TRANSFER(Method.POST, "/cluster/leader", "cluster-leader-transfer"),
    CODING_GET(Method.GET, "/cluster/coding", "cluster-coding"),
    CODING_SET(Method.PUT, "/cluster/coding", "cluster-coding-set"),
    BACKUP(Method.GET, "/backup", "backup"),
    METRICS(Method.GET, "/metrics", "metrics"),
    METRICS_HISTORY(Method.GET, "/metrics/history", "metrics-history", "after"),
    DB_LIST(Method.GET, "/db", "db-list", "prefix", "after", "limit", "consistency", "keysOnly", "delimiter", "count"),
    DB_READ(Method.GET, "/db/{key}", "db-read", "consistency"),
    DB_WRITE(Method.PUT, "/db/{key}", "db-write", "value", "lease", "ttl"),
    DB_DELETE(Method.DELETE, "/db/{key}", "db-delete"),
    AUTH_USER_ADD(Method.POST, "/auth/users", "auth-user-add"),
    AUTH_USER_LIST(Method.GET, "/auth/users", "auth-user-list"),
    AUTH_USER_GET(Method.GET, "/auth/users/{name}", "auth-user-get"),
    AUTH_USER_DELETE(Method.DELETE, "/auth/users/{name}", "auth-user-delete"),
    AUTH_USER_PASSWORD(Method.PUT, "/auth/users/{name}/password", "auth-user-password"),
    AUTH_USER_ROLES(Method.PUT, "/auth/users/{name}/roles", "auth-user-roles"),
    AUTH_ROLE_ADD(Method.POST, "/auth/roles", "auth-role-add"),
    AUTH_ROLE_LIST(Method.GET, "/auth/roles", "auth-role-list"),
    AUTH_ROLE_GET(Method.GET, "/auth/roles/{name}", "auth-role-get"),
    AUTH_ROLE_UPDATE(Method.PUT, "/auth/roles/{name}", "auth-role-update"),
    AUTH_ROLE_DELETE(Method.DELETE, "/auth/roles/{name}", "auth-role-delete"),
    AUTH_TOKEN(Method.POST, "/auth/token", "auth-token", "ttl"),
    AUTH_ENABLE(Method.POST, "/auth/enable", "auth-enable"),
    TXN(Method.POST, "/txn", "txn"),
    WATCH(Method.GET, "/watch", "watch", "key", "prefix", "fromRevision"),
    LEASE_GRANT(Method.POST, "/leases", "lease-grant"),
    LEASE_LIST(Method.GET, "/leases", "lease-list"),
    LEASE_GET(Method.GET, "/leases/{id}", "lease-get"),
    LEASE_REVOKE(Method.DELETE, "/leases/{id}", "lease-revoke"),
    LEASE_KEEPALIVE(Method.POST, "/leases/{id}/keepalive", "lease-keepalive"),
    // HEAD on every GET route (RFC 9110 §9.3.2): the GET's status and headers, no body.
    OPENAPI_HEAD(Method.HEAD, "/", "openapi-head"),
    HEALTH_HEAD(Method.HEAD, "/health", "http-health-head"),
    LIVEZ_HEAD(Method.HEAD, "/livez", "livez-head"),
    READYZ_HEAD(Method.HEAD, "/readyz", "readyz-head"),
    CLUSTER_HEAD(Method.HEAD, "/cluster", "cluster-head"),
    CLUSTER_MEMBERS_HEAD(Method.HEAD, "/cluster/members", "cluster-members-head"),
    CODING_GET_HEAD(Method.HEAD, "/cluster/coding", "cluster-coding-head"),
    BACKUP_HEAD(Method.HEAD, "/backup", "backup-head"),
    METRICS_HEAD(Method.HEAD, "/metrics", "metrics-head"),
    METRICS_HISTORY_HEAD(Method.HEAD, "/metrics/history", "metrics-history-head", "after"),
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

    /**
     * Whether this endpoint's path template covers {@code rawPath}: a trailing {key} takes the rest of the
     * path, any other {param} exactly one non-empty segment.
     */
    boolean matchesPath(String rawPath) {
        if (path.endsWith("/{key}")) {
            return rawPath.startsWith(path.substring(0, path.length() - "{key}".length()));
        }
        String[] want = path.split("/", -1);
        String[] got = rawPath.split("/", -1);
        if (want.length != got.length) return false;
        for (int i = 0; i < want.length; i++) {
            boolean param = want[i].startsWith("{") && want[i].endsWith("}");
            if (param ? got[i].isEmpty() : !want[i].equals(got[i])) return false;
        }
        return true;
    }

    /** Whether the path names a parameter other than a trailing {key}. */
    boolean hasSegmentParam() {
        return !path.endsWith("/{key}") && path.contains("{");
    }
}
