package io.leifdb.server.http;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.Status;
import java.io.EOFException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;

/**
 * Sorts what went wrong while reading a request body into the client's fault, never ours: the client
 * went away (one debug line, nobody to answer) or its framing is malformed (400, then the connection
 * closes because nobody knows where the next request starts).
 */
final class BodyFailure {
    private BodyFailure() {
    }

    /** The client closed or reset the connection before its body was complete. */
    static final class ClientGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClientGone(Throwable cause) {
            super(cause.toString(), null, false, false);
        }
    }

    static RuntimeException of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketException || t instanceof EOFException || t instanceof ClosedChannelException
                    || t instanceof DataReader.InsufficientDataAvailableException) {
                return new ClientGone(t);
            }
        }
        return new ApiError(Status.BAD_REQUEST_400, "malformed_body",
                "the request body could not be read (malformed chunked encoding?): " + oneLine(e));
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse("").strip();
    }
}
