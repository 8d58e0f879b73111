package io.leifdb.server.auth;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The small binary pieces auth commands and the stored auth state share; counts are bounded so bad bytes fail fast. */
final class AuthCodec {
    private static final int MAX_COUNT = 1 << 16;

    private AuthCodec() {
    }

    static void writeStrings(DataOutputStream out, List<String> s) throws IOException {
        out.writeInt(s.size());
        for (String x : s) out.writeUTF(x);
    }

    static List<String> readStrings(DataInputStream in) throws IOException {
        int n = count(in);
        List<String> s = new ArrayList<>(n);
        for (int i = 0; i < n; i++) s.add(in.readUTF());
        return s;
    }

    static void writeRole(DataOutputStream out, Role r) throws IOException {
        out.writeUTF(r.name());
        out.writeInt(r.permissions().size());
        for (Permission p : r.permissions()) {
            out.writeUTF(p.prefix());
            out.writeBoolean(p.write());
        }
    }

    static Role readRole(DataInputStream in) throws IOException {
        String name = in.readUTF();
        int n = count(in);
        List<Permission> perms = new ArrayList<>(n);
        for (int i = 0; i < n; i++) perms.add(new Permission(in.readUTF(), in.readBoolean()));
        return new Role(name, perms);
    }

    static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        return in.readNBytes(count(in));
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_COUNT) throw new IOException("count " + n + " out of range");
        return n;
    }
}
