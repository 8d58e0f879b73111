package io.leifdb.server.auth;

import java.util.List;

/** A named set of grants. The role named {@link #ROOT} may also manage users, roles and the cluster. */
public record Role(String name, List<Permission> permissions) {
    public static final String ROOT = "root";

    public Role {
        permissions = List.copyOf(permissions);
    }
}
