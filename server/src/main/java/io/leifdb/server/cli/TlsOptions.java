package io.leifdb.server.cli;

import io.leifdb.server.tls.ClientSsl;
import io.leifdb.server.tls.TlsFileException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Option;

/** {@code --cacert}, {@code --cert} and {@code --key}, for every command that speaks https (the client and the bench). */
public final class TlsOptions {
    @Option(names = "--cacert", paramLabel = "FILE", defaultValue = "${env:LEIFDB_CACERT}",
            description = "PEM CA certificate(s) to verify an https:// node with, instead of the JDK's (default: $LEIFDB_CACERT).")
    Path cacert;

    @Option(names = "--cert", paramLabel = "FILE", defaultValue = "${env:LEIFDB_CERT}",
            description = "PEM client certificate, for nodes that require one (default: $LEIFDB_CERT).")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", defaultValue = "${env:LEIFDB_KEY}",
            description = "PEM private key of --cert (default: $LEIFDB_KEY).")
    Path key;

    /**
     * The TLS context these options describe, or null (the JDK's defaults) when none is given.
     *
     * @throws TlsFileException naming the option or file that cannot be used
     */
    public SSLContext sslContext() throws TlsFileException {
        if (cacert == null && cert == null && key == null) return null;
        if ((cert == null) != (key == null)) {
            throw new TlsFileException((cert == null ? "--key" : "--cert") + " is set but "
                    + (cert == null ? "--cert" : "--key") + " is not: a client certificate needs both");
        }
        return ClientSsl.context(cacert, cert, key);
    }
}
