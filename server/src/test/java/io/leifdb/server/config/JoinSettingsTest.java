package io.leifdb.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.server.tls.CertificateSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LEIFDB_JOIN on a secured cluster: the scheme, the CA, the certificate and the credentials a join uses. */
class JoinSettingsTest {
    @TempDir
    static Path certs;
    @TempDir
    Path home;
    private final Map<String, String> env = new HashMap<>();

    @BeforeAll
    static void makeCertificates() throws IOException {
        CertificateSet.write(certs, List.of("localhost", "127.0.0.1"));
    }

    @BeforeEach
    void joiningNode() {
        env.put("HOME", home.toString());
        env.put("LEIFDB_MODE", "multi");
        env.put("LEIFDB_HOST", "localhost");
    }

    private JoinSettings join(String value) {
        env.put("LEIFDB_JOIN", value);
        return parse().join().orElseThrow();
    }

    private Config parse() {
        return Config.fromEnv(env, () -> "localhost");
    }

    private void secured() {
        env.put("LEIFDB_TLS_CERT", certs.resolve(CertificateSet.SERVER).toString());
        env.put("LEIFDB_TLS_KEY", certs.resolve(CertificateSet.SERVER_KEY).toString());
        env.put("LEIFDB_PEER_TLS_CERT", certs.resolve(CertificateSet.PEER).toString());
        env.put("LEIFDB_PEER_TLS_KEY", certs.resolve(CertificateSet.PEER_KEY).toString());
        env.put("LEIFDB_PEER_TLS_CA", certs.resolve(CertificateSet.CA).toString());
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(home.resolve(name), content);
    }

    @Test
    void aBareAddressIsHttpOnAPlainNodeAndHttpsOnAnHttpsNode() {
        JoinSettings plain = join("node-b:8081");
        assertThat(plain.target()).hasToString("http://node-b:8081");
        assertThat(plain.tls()).isEmpty();
        assertThat(plain.user()).isEmpty();
        secured();
        JoinSettings tls = join("node-b:8081");
        assertThat(tls.target()).hasToString("https://node-b:8081");
        assertThat(tls.tls()).isPresent();
    }

    @Test
    void anExplicitSchemeWinsAndATrailingSlashIsDropped() {
        assertThat(join("https://node-b:8443/").target()).hasToString("https://node-b:8443");
        secured();
        assertThat(join("http://node-b:8080").target()).hasToString("http://node-b:8080");
    }

    @Test
    void httpsWithoutAnyCaTrustsTheJdksCertificateAuthorities() {
        JoinSettings j = join("https://node-b:8443");
        assertThat(j.tls()).isPresent();
        assertThat(parse().warnings()).isEmpty();
    }

    @Test
    void aJoinCaThatCannotBeReadStopsTheNodeNamingIt() throws IOException {
        env.put("LEIFDB_JOIN_CA", home.resolve("missing.pem").toString());
        assertInvalid("https://node-b:8443", "LEIFDB_JOIN_CA", "missing.pem");
        env.put("LEIFDB_JOIN_CA", file("junk.pem", "not a certificate\n").toString());
        assertInvalid("https://node-b:8443", "LEIFDB_JOIN_CA", "junk.pem");
    }

    @Test
    void aJoinCertificateNeedsItsKeyAndTheKeyMustMatch() {
        env.put("LEIFDB_JOIN_CERT", certs.resolve(CertificateSet.CLIENT).toString());
        env.put("LEIFDB_JOIN", "https://node-b:8443");
        assertThatThrownBy(this::parse).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("LEIFDB_JOIN_KEY is not set").hasMessageContaining("go together");
        env.put("LEIFDB_JOIN_KEY", certs.resolve(CertificateSet.PEER_KEY).toString());
        assertInvalid("https://node-b:8443", "LEIFDB_JOIN_KEY", "is not the key of the certificate");
        env.put("LEIFDB_JOIN_KEY", certs.resolve(CertificateSet.CLIENT_KEY).toString());
        assertThat(join("https://node-b:8443").tls()).isPresent();
    }

    @Test
    void credentialsComeFromAFileAsRootUnlessTold() throws IOException {
        secured();
        env.put("LEIFDB_JOIN_PASSWORD_FILE", file("pw", "s3cret-pass\n").toString());
        JoinSettings j = join("https://node-b:8443");
        assertThat(j.user()).hasValue("root");
        assertThat(j.password()).hasValue("s3cret-pass");
        assertThat(j.toString()).contains("(user root)").doesNotContain("s3cret");
        env.put("LEIFDB_JOIN_USER", "ops");
        assertThat(join("https://node-b:8443").user()).hasValue("ops");
    }

    @Test
    void theRootPasswordFileIsTheDefaultPasswordFile() throws IOException {
        env.put("LEIFDB_ROOT_PASSWORD_FILE", file("root-pw", "root-pass-1\n").toString());
        JoinSettings j = join("https://node-b:8443");
        assertThat(j.user()).hasValue("root");
        assertThat(j.password()).hasValue("root-pass-1");
    }

    @Test
    void badCredentialSettingsStopTheNodeNamingTheVariable() throws IOException {
        env.put("LEIFDB_JOIN_USER", "ops");
        assertInvalid("https://node-b:8443", "LEIFDB_JOIN_USER", "needs LEIFDB_JOIN_PASSWORD_FILE");
        env.put("LEIFDB_JOIN_PASSWORD_FILE", home.resolve("nope").toString());
        assertInvalid("https://node-b:8443", "LEIFDB_JOIN_PASSWORD_FILE", "no such file");
        env.put("LEIFDB_JOIN_PASSWORD_FILE", file("empty", "\n").toString());
        assertInvalid("https://node-b:8443", "LEIFDB_JOIN_PASSWORD_FILE", "the file is empty");
        env.put("LEIFDB_JOIN_PASSWORD_FILE", file("pw", "good-pass\n").toString());
        env.put("LEIFDB_JOIN_USER", "a:b");
        assertInvalid("https://node-b:8443", "LEIFDB_JOIN_USER", "without ':'");
    }

    @Test
    void aPasswordOverPlainHttpAndTlsFilesWithoutHttpsAreWarnedAbout() throws IOException {
        env.put("LEIFDB_JOIN_PASSWORD_FILE", file("pw", "good-pass\n").toString());
        env.put("LEIFDB_JOIN_CA", certs.resolve(CertificateSet.CA).toString());
        env.put("LEIFDB_JOIN", "http://node-b:8080");
        assertThat(parse().warnings()).anySatisfy(w -> assertThat(w).contains("travels unencrypted"))
                .anySatisfy(w -> assertThat(w).startsWith("LEIFDB_JOIN_CA is ignored"));
        env.remove("LEIFDB_JOIN");
        env.put("LEIFDB_MEMBER_NODES", "localhost:16990");
        assertThat(parse().warnings()).anySatisfy(w -> assertThat(w)
                .isEqualTo("LEIFDB_JOIN_PASSWORD_FILE is ignored because LEIFDB_JOIN is not set"));
    }

    private void assertInvalid(String join, String variable, String rule) {
        env.put("LEIFDB_JOIN", join);
        assertThatThrownBy(this::parse).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith(variable + "=").contains(rule).doesNotContain("\n"));
    }
}
