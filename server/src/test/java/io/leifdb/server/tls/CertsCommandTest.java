package io.leifdb.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.server.Cli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code leifdb certs}, run as a user runs it: files for every host, the variables printed, bad input in one line. */
class CertsCommandTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Cli.commandLine(new ByteArrayInputStream(new byte[0]));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void writesTheSetNamingEveryHostAndPrintsTheVariables() throws Exception {
        Path certs = dir.resolve("certs");
        assertThat(run("certs", "--out", certs.toString(), "--hosts", "localhost,127.0.0.1,[::1],db.example")).isZero();
        for (String v : List.of("LEIFDB_TLS_CERT=", "LEIFDB_TLS_KEY=", "LEIFDB_PEER_TLS_CERT=", "LEIFDB_PEER_TLS_KEY=",
                "LEIFDB_PEER_TLS_CA=", "LEIFDB_CACERT=", "LEIFDB_CERT=", "LEIFDB_KEY=")) {
            assertThat(out.toString()).contains("export ").contains(v + certs.toAbsolutePath());
        }
        X509Certificate server = PemFiles.certificates(certs.resolve(CertificateSet.SERVER)).getFirst();
        List<Object> names = new ArrayList<>();
        server.getSubjectAlternativeNames().forEach(n -> names.add(n.get(1)));
        assertThat(names).contains("localhost", "127.0.0.1", "db.example").hasSize(4);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aBadHostOrAnExistingSetIsOneLine() {
        assertThat(run("certs", "--out", dir.toString(), "--hosts", "localhost,bad host!")).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("leifdb: --hosts \"bad host!\" is not valid").doesNotContain("\n");
        assertThat(run("certs", "--out", dir.toString())).isZero();
        err.getBuffer().setLength(0);
        assertThat(run("certs", "--out", dir.toString())).isEqualTo(1);
        assertThat(err.toString().strip()).contains("already exists").doesNotContain("\n");
    }

    @Test
    void aMemberCertificateComesFromTheSameCaAndNamesItsMember() throws Exception {
        assertThat(run("certs", "--out", dir.toString())).isZero();
        out.getBuffer().setLength(0);
        assertThat(run("certs", "--out", dir.toString(), "--member", "Node4.example:7004", "--hosts", "node4.example")).isZero();
        Path cert = dir.resolve("peer-node4.example-7004.pem");
        assertThat(out.toString()).contains("LEIFDB_PEER_TLS_CERT=" + cert.toAbsolutePath());
        X509Certificate issued = PemFiles.certificates(cert).getFirst();
        X509Certificate ca = PemFiles.certificates(dir.resolve(CertificateSet.CA)).getFirst();
        issued.verify(ca.getPublicKey());
        assertThat(MemberIdentity.members(issued)).containsExactly("node4.example:7004");
        assertThat(run("certs", "--out", dir.toString(), "--member", "node4.example:7004")).as("never overwrites").isEqualTo(1);
    }

    @Test
    void aMemberCertificateNeedsACaAndAnAddress() {
        assertThat(run("certs", "--out", dir.toString(), "--member", "node4")).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("leifdb: --member \"node4\" is not valid").doesNotContain("\n");
        err.getBuffer().setLength(0);
        assertThat(run("certs", "--out", dir.resolve("empty").toString(), "--member", "node4:7004")).isEqualTo(1);
        assertThat(err.toString().strip()).contains("holds no CA").doesNotContain("\n");
    }
}
