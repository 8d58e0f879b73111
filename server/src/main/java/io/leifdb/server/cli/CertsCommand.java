package io.leifdb.server.cli;

import io.leifdb.server.tls.CertificateAuthority;
import io.leifdb.server.tls.CertificateSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code leifdb certs --out DIR --hosts h1,h2}: a demo CA and server, peer and client certificates. */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = {"Create a demo CA with server, peer and client certificates; print the TLS variables.",
                "PEM files, keys 0600. Not a PKI: use your own CA in production."})
public final class CertsCommand implements Callable<Integer> {
    /** A DNS name, or a wildcard one ({@code *.example.com}); IP addresses are told apart first. */
    private static final Pattern DNS_NAME = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Directory to write into (created if missing; existing files are never overwritten).")
    Path out;

    @Option(names = "--hosts", paramLabel = "HOST", split = ",", defaultValue = "localhost,127.0.0.1",
            description = "Names and IP addresses clients and members dial, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> hosts;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var stdout = spec.commandLine().getOut();
        for (String h : hosts) {
            String name = h.strip().replaceAll("^\\[(.*)]$", "$1");
            if (!CertificateAuthority.isIpLiteral(name) && !DNS_NAME.matcher(name).matches()) {
                err.println("leifdb: --hosts \"" + h + "\" is not valid: expected comma-separated host names or IP addresses");
                err.flush();
                return 2;
            }
        }
        List<String> names = hosts.stream().map(String::strip).toList();
        try {
            CertificateSet.write(out, names);
        } catch (IOException | RuntimeException e) {
            err.println("leifdb: cannot write certificates: " + e.getMessage());
            err.flush();
            return 1;
        }
        stdout.println("# wrote a CA and server, peer and client certificates naming " + String.join(", ", names)
                + " to " + out.toAbsolutePath().normalize());
        stdout.print(CertificateSet.variables(out));
        stdout.flush();
        return 0;
    }
}
