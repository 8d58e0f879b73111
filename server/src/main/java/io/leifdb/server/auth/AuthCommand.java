package io.leifdb.server.auth;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A change to users, roles or the auth switch, as it travels through the Raft log. Its first byte,
 * {@link #FORMAT}, differs from every key command's version byte, so a replica tells the two apart.
 * Passwords arrive already hashed: the proposing node hashes, so no plaintext ever enters the log.
 */
public sealed interface AuthCommand {
    byte FORMAT = 2;

    /** Whether {@code data} is an encoded auth command rather than a key command. */
    static boolean isAuth(byte[] data) {
        return data != null && data.length > 1 && data[0] == FORMAT;
    }

    record AddUser(String name, String hash) implements AuthCommand {
    }

    record SetPassword(String name, String hash) implements AuthCommand {
    }

    record DeleteUser(String name) implements AuthCommand {
    }

    /** Replaces the user's roles with {@code roles}. */
    record GrantRoles(String name, List<String> roles) implements AuthCommand {
        public GrantRoles {
            roles = List.copyOf(roles);
        }
    }

    record AddRole(Role role) implements AuthCommand {
    }

    /** Replaces the grants of an existing role (not root). */
    record UpdateRole(Role role) implements AuthCommand {
    }

    /** Deletes a role (not root) and takes it from every user who holds it. */
    record DeleteRole(String name) implements AuthCommand {
    }

    /** Turns auth on with the cluster's token secret; only once a root user exists. */
    record Enable(byte[] secret) implements AuthCommand {
    }

    /** LEIFDB_AUTH=on at bootstrap: the root user, its role and the secret at once; a no-op once auth is on. */
    record Bootstrap(String rootHash, byte[] secret) implements AuthCommand {
    }

    default byte[] encode() {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            switch (this) {
                case AddUser a -> { out.writeByte(1); out.writeUTF(a.name()); out.writeUTF(a.hash()); }
                case SetPassword p -> { out.writeByte(2); out.writeUTF(p.name()); out.writeUTF(p.hash()); }
                case DeleteUser d -> { out.writeByte(3); out.writeUTF(d.name()); }
                case GrantRoles g -> { out.writeByte(4); out.writeUTF(g.name()); AuthCodec.writeStrings(out, g.roles()); }
                case AddRole r -> { out.writeByte(5); AuthCodec.writeRole(out, r.role()); }
                case Enable e -> { out.writeByte(6); AuthCodec.writeBytes(out, e.secret()); }
                case Bootstrap b -> { out.writeByte(7); out.writeUTF(b.rootHash()); AuthCodec.writeBytes(out, b.secret()); }
                case UpdateRole r -> { out.writeByte(8); AuthCodec.writeRole(out, r.role()); }
                case DeleteRole d -> { out.writeByte(9); out.writeUTF(d.name()); }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException if {@code data} is not an auth command this version reads */
    static AuthCommand decode(byte[] data) {
        if (!isAuth(data)) throw new IllegalArgumentException("not an auth command");
        try (var in = new DataInputStream(new ByteArrayInputStream(data, 1, data.length - 1))) {
            AuthCommand c = switch (in.readByte()) {
                case 1 -> new AddUser(in.readUTF(), in.readUTF());
                case 2 -> new SetPassword(in.readUTF(), in.readUTF());
                case 3 -> new DeleteUser(in.readUTF());
                case 4 -> new GrantRoles(in.readUTF(), AuthCodec.readStrings(in));
                case 5 -> new AddRole(AuthCodec.readRole(in));
                case 6 -> new Enable(AuthCodec.readBytes(in));
                case 7 -> new Bootstrap(in.readUTF(), AuthCodec.readBytes(in));
                case 8 -> new UpdateRole(AuthCodec.readRole(in));
                case 9 -> new DeleteRole(in.readUTF());
                default -> throw new IllegalArgumentException("unknown auth command");
            };
            if (in.available() > 0) throw new IllegalArgumentException("trailing bytes after auth command");
            return c;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated auth command", e);
        }
    }

    /** Names a command without its hash or secret, for logs. */
    static String describe(AuthCommand c) {
        return switch (c) {
            case AddUser a -> "add user " + a.name();
            case SetPassword p -> "set password of " + p.name();
            case DeleteUser d -> "delete user " + d.name();
            case GrantRoles g -> "grant " + new ArrayList<>(g.roles()) + " to " + g.name();
            case AddRole r -> "add role " + r.role().name();
            case Enable e -> "enable auth";
            case Bootstrap b -> "bootstrap auth";
            case UpdateRole r -> "update role " + r.role().name();
            case DeleteRole d -> "delete role " + d.name();
        };
    }
}
