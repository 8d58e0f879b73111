package io.leifdb.server.http;

import io.leifdb.server.kv.KeyValue;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A value read for an answer of raw bytes, which may still be arriving while it is written (CRaft:
 * a coded value decoded stripe by stripe). Its length is known before the first byte, so the answer
 * carries a Content-Length and a body cut short by a failure is seen as such by the client.
 */
public interface ValueStream {
    /** The key's metadata (revisions, lease); its value may be empty until written out. */
    KeyValue meta();

    /** The value's length in bytes. */
    int length();

    /**
     * Writes the whole value to {@code out}, blocking while parts of it are still on their way.
     *
     * @throws IOException when the value cannot be completed (after some of it may have been written)
     */
    void writeTo(OutputStream out) throws IOException;

    /** A value already held whole. */
    static ValueStream of(KeyValue kv) {
        return new ValueStream() {
            @Override
            public KeyValue meta() {
                return kv;
            }

            @Override
            public int length() {
                return kv.value().length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(kv.value());
            }
        };
    }
}
