package io.leifdb.server.auth;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Users, roles and the auth switch: replicated state, the same on every member at one applied index.
 * Immutable; {@link #apply} returns the next state. The role {@link Role#ROOT} always exists and
 * grants everything; it cannot be redefined.
 *
 * @param enabled whether requests must authenticate (set by {@link AuthCommand.Enable} or {@link AuthCommand.Bootstrap})
 * @param secret  the HMAC key every member signs and checks tokens with; empty until enabled
 */
public record AuthState(boolean enabled, byte[] secret, Map<String, User> users, Map<String, Role> roles) {
    public static final AuthState EMPTY = new AuthState(false, new byte[0], Map.of(), Map.of());
    private static final byte STATE_VERSION = 1;

    public AuthState {
        users = Map.copyOf(users);
        roles = Map.copyOf(roles);
        secret = secret.clone();
    }

    public Optional<User> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    public boolean roleExists(String name) {
        return Role.ROOT.equals(name) || roles.containsKey(name);
    }

    public boolean isRoot(User u) {
        return u.roles().contains(Role.ROOT);
    }

    /** Whether {@code u} may read {@code key}. */
    public boolean canRead(User u, String key) {
        return isRoot(u) || permissions(u).stream().anyMatch(p -> p.covers(key));
    }

    /** Whether {@code u} may write {@code key}. */
    public boolean canWrite(User u, String key) {
        return isRoot(u) || permissions(u).stream().anyMatch(p -> p.write() && p.covers(key));
    }

    /** Whether every key a listing of {@code prefix} can return is readable: one grant's prefix covers it. */
    public boolean canReadAll(User u, String prefix) {
        return canRead(u, prefix);
    }

    private List<Permission> permissions(User u) {
        List<Permission> all = new ArrayList<>();
        for (String r : u.roles()) {
            Role role = roles.get(r);
            if (role != null) all.addAll(role.permissions());
        }
        return all;
    }

    /**
     * The state after {@code c}; deterministic, so every replica reaches the same state.
     *
     * @throws AuthRefusedException if {@code c} does not apply (nothing changes then)
     */
    public AuthState apply(AuthCommand c) {
        Map<String, User> u = new TreeMap<>(users);
        Map<String, Role> r = new TreeMap<>(roles);
        switch (c) {
            case AuthCommand.AddUser a -> {
                if (u.containsKey(a.name())) throw new AuthRefusedException("conflict", "user \"" + a.name() + "\" already exists");
                u.put(a.name(), new User(a.name(), a.hash(), List.of()));
            }
            case AuthCommand.SetPassword p -> u.put(p.name(), existing(p.name()).withHash(p.hash()));
            case AuthCommand.DeleteUser d -> {
                User gone = existing(d.name());
                if (enabled && isRoot(gone) && users.values().stream().filter(this::isRoot).count() == 1) {
                    throw new AuthRefusedException("conflict", "\"" + d.name() + "\" is the last root user; auth is on");
                }
                u.remove(d.name());
            }
            case AuthCommand.GrantRoles g -> {
                for (String role : g.roles()) {
                    if (!roleExists(role)) throw new AuthRefusedException("unknown_role", "role \"" + role + "\" does not exist");
                }
                User target = existing(g.name());
                if (enabled && isRoot(target) && !g.roles().contains(Role.ROOT)
                        && users.values().stream().filter(this::isRoot).count() == 1) {
                    throw new AuthRefusedException("conflict", "\"" + g.name() + "\" is the last root user; auth is on");
                }
                u.put(g.name(), target.withRoles(g.roles()));
            }
            case AuthCommand.AddRole a -> {
                if (roleExists(a.role().name())) {
                    throw new AuthRefusedException("conflict", "role \"" + a.role().name() + "\" already exists");
                }
                r.put(a.role().name(), a.role());
            }
            case AuthCommand.UpdateRole a -> {
                existingRole(a.role().name());
                r.put(a.role().name(), a.role());
            }
            case AuthCommand.DeleteRole d -> {
                existingRole(d.name());
                r.remove(d.name());
                for (User x : users.values()) {
                    if (x.roles().contains(d.name())) {
                        u.put(x.name(), x.withRoles(x.roles().stream().filter(n -> !n.equals(d.name())).toList()));
                    }
                }
            }
            case AuthCommand.Enable e -> {
                if (enabled) return this;
                if (users.values().stream().noneMatch(this::isRoot)) {
                    throw new AuthRefusedException("no_root", "add a user with the root role before enabling auth");
                }
                return new AuthState(true, e.secret(), u, r);
            }
            case AuthCommand.Bootstrap b -> {
                if (enabled) return this;
                User root = u.getOrDefault(Role.ROOT, new User(Role.ROOT, b.rootHash(), List.of(Role.ROOT)));
                u.put(Role.ROOT, root.withHash(b.rootHash()).withRoles(List.of(Role.ROOT)));
                return new AuthState(true, b.secret(), u, r);
            }
        }
        return new AuthState(enabled, secret, u, r);
    }

    /** The role named {@code name}; root cannot be changed or deleted. */
    private Role existingRole(String name) {
        if (Role.ROOT.equals(name)) throw new AuthRefusedException("conflict", "the root role cannot be changed or deleted");
        Role r = roles.get(name);
        if (r == null) throw new AuthRefusedException("not_found", "role \"" + name + "\" does not exist");
        return r;
    }

    private User existing(String name) {
        User u = users.get(name);
        if (u == null) throw new AuthRefusedException("not_found", "user \"" + name + "\" does not exist");
        return u;
    }

    /** The stored form, kept under the state machine's reserved meta key. */
    public byte[] encode() {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(STATE_VERSION);
            out.writeBoolean(enabled);
            AuthCodec.writeBytes(out, secret);
            out.writeInt(users.size());
            for (User x : new TreeMap<>(users).values()) {
                out.writeUTF(x.name());
                out.writeUTF(x.passwordHash());
                AuthCodec.writeStrings(out, x.roles());
            }
            out.writeInt(roles.size());
            for (Role x : new TreeMap<>(roles).values()) AuthCodec.writeRole(out, x);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IOException if {@code data} is not a stored auth state */
    public static AuthState decode(byte[] data) throws IOException {
        try (var in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readByte() != STATE_VERSION) throw new IOException("unknown auth state version");
            boolean enabled = in.readBoolean();
            byte[] secret = AuthCodec.readBytes(in);
            Map<String, User> users = new TreeMap<>();
            for (int i = 0, n = in.readInt(); i < n; i++) {
                User x = new User(in.readUTF(), in.readUTF(), AuthCodec.readStrings(in));
                users.put(x.name(), x);
            }
            Map<String, Role> roles = new TreeMap<>();
            for (int i = 0, n = in.readInt(); i < n; i++) {
                Role x = AuthCodec.readRole(in);
                roles.put(x.name(), x);
            }
            return new AuthState(enabled, secret, users, roles);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthState s && java.util.Arrays.equals(s.encode(), encode());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "AuthState{enabled=" + enabled + ", users=" + users.keySet() + ", roles=" + roles.keySet() + "}";
    }
}
