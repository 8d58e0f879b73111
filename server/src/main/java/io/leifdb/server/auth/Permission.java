package io.leifdb.server.auth;

import java.util.Objects;

/** A role's grant: read (and, when {@code write}, also write) every key that starts with {@code prefix} ("" is every key). */
public record Permission(String prefix, boolean write) {
    public Permission {
        Objects.requireNonNull(prefix, "prefix");
    }

    boolean covers(String key) {
        return key.startsWith(prefix);
    }
}
