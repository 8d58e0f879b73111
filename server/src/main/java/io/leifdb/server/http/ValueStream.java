package io.leifdb.server.http;

import io.leifdb.server.kv.KeyValue;
import io.leifdb.server.kv.Utf8;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A value read for an answer, which may still be arriving while it is written (CRaft: a coded value
 * decoded stripe by stripe). Its length is known before the first byte, so a raw answer carries a
 * Content-Length and a body cut short by a failure is seen as such by the client.
 *
 * @param meta   the key's metadata (revisions, lease); its value may be empty until written out
 * @param length the value's length in bytes
 * @param kind   how the value reads as text when known before its bytes (a coded value whose entry
 *               recorded it), so that a JSON answer streams too; null otherwise
 * @param body   writes the whole value
 */
public record ValueStream(KeyValue meta, int length, Utf8.Kind kind, Body body) {
    /** Writes a value's bytes, blocking while parts of it are still on their way. */
    @FunctionalInterface
    public interface Body {
        /** @throws IOException when the value cannot be completed (after some of it may have been written) */
        void writeTo(OutputStream out) throws IOException;
    }

    /** A value still arriving, of no known kind. */
    public ValueStream(KeyValue meta, int length, Body body) {
        this(meta, length, null, body);
    }

    /** A value already held whole. */
    public static ValueStream of(KeyValue kv) {
        return new ValueStream(kv, kv.value().length, out -> out.write(kv.value()));
    }

    /** The same value, known to be of {@code kind}. */
    public ValueStream withKind(Utf8.Kind k) {
        return new ValueStream(meta, length, k, body);
    }

    void writeTo(OutputStream out) throws IOException {
        body.writeTo(out);
    }
}
