package io.leifdb.server.tls;

/** A certificate or key file that cannot be used; the message is one line naming what is wrong. */
public final class TlsFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public TlsFileException(String message) {
        super(message);
    }
}
