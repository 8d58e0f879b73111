package io.leifdb.server.auth;

import java.util.List;

/** A user as replicated: its bcrypt hash (never the password) and the names of its roles. */
public record User(String name, String passwordHash, List<String> roles) {
    public User {
        roles = List.copyOf(roles);
    }

    User withRoles(List<String> r) {
        return new User(name, passwordHash, r);
    }

    User withHash(String h) {
        return new User(name, h, roles);
    }
}
