package io.leifdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.leifdb.server.Cli;
import io.leifdb.server.tls.CertificateAuthority;
import io.leifdb.server.tls.CertificateSet;
import io.leifdb.server.transport.ClusterIds;
import io.leifdb.server.transport.NodeIds;
import io.leifdb.server.transport.proto.NodeInfo;
import io.leifdb.server.transport.proto.RaftTransportGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 15's attacks on a real 3-node cluster with HTTPS on the client ports and mutual TLS between
 * members, certificates made by the code behind {@code ./leifdb certs}: the cluster serves clients
 * that trust its CA, and refuses plaintext, unverified clients, and peers of another CA or none; a
 * node with LEIFDB_TLS_CLIENT_CA also refuses clients without a certificate.
 */
class TlsClusterIT {
    @TempDir
    static Path dir;
    static TestCertificates certs;
    static TestCluster cluster;
    /** A single node that also requires client certificates (LEIFDB_TLS_CLIENT_CA), from the same CA. */
    static TestCluster strict;
    static HttpClient trusting;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create(dir.resolve("certs"));
        cluster = TestCluster.start(3, Files.createDirectories(dir.resolve("nodes")), certs.nodeEnv(), certs.trustingClient());
        trusting = client(certs.trustingClient());
        Map<String, String> env = new HashMap<>(certs.nodeEnv());
        env.put("LEIFDB_TLS_CLIENT_CA", certs.file(CertificateSet.CA).toString());
        strict = TestCluster.start(1, Files.createDirectories(dir.resolve("strict")), env, certs.certifiedClient());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
        if (strict != null) strict.close();
    }

    @Test
    void aTlsClusterElectsAndServesWritesAndReadsOverHttpsWithHttpsRedirects() throws Exception {
        int leader = cluster.awaitLeader();
        int follower = (leader + 1) % 3;
        HttpResponse<String> redirect = send(trusting, "PUT", cluster.url(follower) + "/db/greeting", "{\"value\":\"hello\"}");
        assertThat(redirect.statusCode()).isEqualTo(307);
        assertThat(redirect.headers().firstValue("Location")).contains(cluster.url(leader) + "/db/greeting");

        HttpResponse<String> put = send(trusting, "PUT", redirect.headers().firstValue("Location").orElseThrow(),
                "{\"value\":\"hello\"}");
        assertThat(put.statusCode()).isEqualTo(200);
        int other = (leader + 2) % 3;
        HttpResponse<String> read = send(trusting, "GET", cluster.url(other) + "/db/greeting", null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("\"value\":\"hello\"");
    }

    @Test
    void theCommandLineClientSpeaksHttpsWithTheCaAndFailsInOneLineWithout() {
        String url = cluster.url(cluster.awaitLeader());
        String ca = certs.file(CertificateSet.CA).toString();
        StringWriter out = new StringWriter();
        assertThat(cli(out, new StringWriter(), "put", "cli-key", "v1", "--url", url, "--cacert", ca)).isZero();
        assertThat(cli(out, new StringWriter(), "get", "cli-key", "--url", url, "--cacert", ca)).isZero();
        assertThat(out.toString()).contains("v1");

        StringWriter err = new StringWriter();
        assertThat(cli(new StringWriter(), err, "get", "cli-key", "--url", url)).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("leifdb: TLS with " + url + " failed").doesNotContain("\n");
    }

    @Test
    void plaintextHttpToTheHttpsPortGetsNoAnswer() {
        String plain = cluster.url(0).replace("https://", "http://") + "/health";
        assertThatThrownBy(() -> send(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), "GET", plain, null))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aClientWithoutTheCaFailsVerification() {
        assertThatThrownBy(() -> send(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), "GET",
                cluster.url(0) + "/health", null))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aPeerWithTheClustersCaGetsPastTheHandshake() throws Exception {
        // The control for the refusals below: the same raw call with the cluster's own peer certificate is answered.
        NodeInfo reply = hello(peerTls(certs.ca(), List.of()), 1, memberId(1));
        assertThat(reply.getId()).isEqualTo(NodeIds.idOf(cluster.raftAddress(0)));
    }

    @Test
    void aPeerWithAnotherCasCertificateIsRefusedAtTheHandshake() {
        CertificateAuthority stranger = CertificateAuthority.create("another CA", Duration.ofDays(1));
        assertThatThrownBy(() -> hello(peerTls(stranger, List.of()), 1, memberId(1)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void aPlaintextPeerIsRefusedAtTheHandshake() {
        assertThatThrownBy(() -> hello(null, 1, memberId(1)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void aCertificateNamingAMemberSpeaksOnlyAsThatMember() throws Exception {
        SslContext nonMember = peerTls(certs.ca(), List.of("127.0.0.1:1"));
        assertThatThrownBy(() -> hello(nonMember, 1, memberId(1)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        SslContext member1 = peerTls(certs.ca(), List.of(cluster.raftAddress(1)));
        assertThatThrownBy(() -> hello(member1, 1, memberId(2)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThat(hello(member1, 1, memberId(1)).getId()).isEqualTo(NodeIds.idOf(cluster.raftAddress(0)));
    }

    @Test
    void withAClientCaAClientWithoutACertificateIsRefused() throws Exception {
        assertThatThrownBy(() -> send(client(certs.trustingClient()), "GET", strict.url(0) + "/health", null))
                .isInstanceOf(IOException.class);
        assertThat(send(client(certs.certifiedClient()), "GET", strict.url(0) + "/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void withAClientCaTheCommandLineClientPresentsItsCertificate() {
        String ca = certs.file(CertificateSet.CA).toString();
        StringWriter out = new StringWriter();
        assertThat(cli(out, new StringWriter(), "put", "k", "v", "--url", strict.url(0), "--cacert", ca,
                "--cert", certs.file(CertificateSet.CLIENT).toString(),
                "--key", certs.file(CertificateSet.CLIENT_KEY).toString())).isZero();
        assertThat(out.toString()).contains("\"status\":\"OK\"");
        StringWriter err = new StringWriter();
        assertThat(cli(new StringWriter(), err, "get", "k", "--url", strict.url(0), "--cacert", ca)).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("leifdb: ").doesNotContain("\n");
    }

    private static long memberId(int i) {
        return NodeIds.idOf(cluster.raftAddress(i));
    }

    /** A raw gRPC Hello to node 0, as member {@code from} claims to be; {@code tls} null dials plaintext. */
    private static NodeInfo hello(SslContext tls, int self, long from) throws InterruptedException {
        String[] hp = cluster.raftAddress(0).split(":");
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(hp[0], Integer.parseInt(hp[1]));
        if (tls == null) b.usePlaintext();
        else b.sslContext(tls);
        ManagedChannel channel = b.build();
        try {
            long clusterId = ClusterIds.of(List.of(cluster.memberNodes().split(",")));
            return RaftTransportGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .hello(NodeInfo.newBuilder().setClusterId(clusterId).setId(from)
                            .setRaftAddress(cluster.raftAddress(self)).setHttpAddress(cluster.httpAddress(self)).build());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** A peer client context: a fresh certificate from {@code ca} naming {@code members}, trusting the cluster's CA. */
    private static SslContext peerTls(CertificateAuthority ca, List<String> members) throws IOException {
        CertificateAuthority.Issued id = ca.issue("test-peer", CertificateAuthority.Use.PEER, List.of("127.0.0.1"),
                members, Duration.ofDays(1));
        return GrpcSslContexts.forClient().keyManager(id.key(), id.certificate())
                .trustManager(certs.ca().certificate()).build();
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(tls).build();
    }

    private static HttpResponse<String> send(HttpClient client, String method, String url, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int cli(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = Cli.commandLine(new ByteArrayInputStream(new byte[0]));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }
}
