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
    /** host:port with a port of 1-65535; the host a name, an IPv4 address or a bracketed IPv6 one. */
    private static final Pattern MEMBER = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):([1-9][0-9]{0,4})");
    /** A DNS name, or a wildcard one ({@code *.example.com}); IP addresses are told apart first. */
    private static final Pattern DNS_NAME = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Directory to write into (created if missing; existing files are never overwritten).")
    Path out;

    @Option(names = "--hosts", paramLabel = "HOST", split = ",", defaultValue = "localhost,127.0.0.1",
            description = "Names and IP addresses clients and members dial, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> hosts;

    @Option(names = "--member", paramLabel = "HOST:RAFTPORT",
            description = {"Instead of a new set: issue one more peer certificate from the CA already in --out, naming"
                    + " this member (as LEIFDB_MEMBER_NODES or LEIFDB_RAFT_ADDRESS writes it) and --hosts.",
                    "Peers then check that this certificate's holder is that member."})
    String member;

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
        if (member != null) return issueMember(names);
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

    private int issueMember(List<String> names) {
        var err = spec.commandLine().getErr();
        if (!MEMBER.matcher(member.strip()).matches()) {
            err.println("leifdb: --member \"" + member + "\" is not valid: expected HOST:RAFTPORT, e.g. node4.example:7000");
            err.flush();
            return 2;
        }
        try {
            Path cert = CertificateSet.writeMember(out, member.strip(), names);
            String key = cert.getFileName().toString().replace(".pem", "-key.pem");
            Path d = cert.toAbsolutePath().normalize().getParent();
            spec.commandLine().getOut().println("# wrote a peer certificate for member " + member.strip() + "\n"
                    + "export LEIFDB_PEER_TLS_CERT=" + d.resolve(cert.getFileName()) + " LEIFDB_PEER_TLS_KEY=" + d.resolve(key)
                    + " LEIFDB_PEER_TLS_CA=" + d.resolve(CertificateSet.CA));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("leifdb: cannot issue the member certificate: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
