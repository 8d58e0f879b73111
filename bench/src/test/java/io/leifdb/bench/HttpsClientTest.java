package io.leifdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.leifdb.bench.http.Endpoint;
import io.leifdb.server.tls.CertificateAuthority;
import io.leifdb.server.tls.ClientSsl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator over https: keep-alive requests with the CA it is given, a "tls" error without it. */
class HttpsClientTest {
  private HttpsServer server;
  private Endpoint endpoint;
  private SSLContext trusting;

  @BeforeEach
  void start() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("bench test CA", Duration.ofDays(1));
    CertificateAuthority.Issued id = ca.issue("bench-server", CertificateAuthority.Use.SERVER,
        List.of("127.0.0.1"), List.of(), Duration.ofDays(1));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", id.key(), new char[0], new X509Certificate[] {id.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    server.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
    endpoint = Endpoint.parse("https://127.0.0.1:" + server.getAddress().getPort());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ClientSsl.trustStore(List.of(ca.certificate())));
    trusting = SSLContext.getInstance("TLS");
    trusting.init(null, tmf.getTrustManagers(), null);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void requestsGoOverTlsWithTheCa() {
    try (KvClient c = new KvClient(endpoint, new Routing(), 5000, trusting)) {
      assertThat(c.put("/db/k", "{\"value\":\"v\"}".getBytes()).ok()).isTrue();
      assertThat(c.get("/db/k").ok()).isTrue();
    }
  }

  @Test
  void withoutTheCaTheHandshakeFailsAsATlsError() {
    try (KvClient c = new KvClient(endpoint, new Routing(), 5000, null)) {
      assertThat(c.get("/db/k").error()).isEqualTo("tls");
    }
  }
}
