package io.leifdb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https with a CA file: the client trusts exactly the certificates in it, and a handshake failure is one clear error. */
class TlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    @Test
    void aCaFileIsTrustedAndWithoutItTheHandshakeFailsWithATlsError() throws Exception {
        Path keystore = dir.resolve("node.p12");
        keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD);
        }
        Path pem = dir.resolve("ca.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                        ks.getCertificate("node").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext serverSsl = SSLContext.getInstance("TLS");
        serverSsl.init(kmf.getKeyManagers(), null, null);

        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverSsl));
        server.createContext("/", ex -> FakeNode.json(ex, 200, "{\"status\":\"OK\"}"));
        server.start();
        String url = "https://127.0.0.1:" + server.getAddress().getPort();
        try (LeifClient trusting = LeifClient.builder(url).caFile(pem).build();
             LeifClient jdkDefaults = LeifClient.builder(url).maxAttempts(3).build()) {
            assertThat(trusting.admin().health().path("status").asText()).isEqualTo("OK");
            assertThatThrownBy(() -> jdkDefaults.admin().health()).isInstanceOfSatisfying(LeifException.class, e -> {
                assertThat(e.code()).isEqualTo("tls");
                assertThat(e.getMessage()).startsWith("TLS with " + url + " failed");
            });
        } finally {
            server.stop(0);
        }
        assertThatThrownBy(() -> Tls.trusting(dir.resolve("missing.pem"))).isInstanceOfSatisfying(LeifException.class,
                e -> assertThat(e.code()).isEqualTo("bad_tls"));
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("keytool did not finish");
        }
        if (p.exitValue() != 0) throw new IOException("keytool failed: " + out);
    }
}
