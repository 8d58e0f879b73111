package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.helidon.http.Method;
import io.leifdb.server.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No container engine or Kubernetes runs here, so this checks what can be checked of the Dockerfile
 * and deploy/kubernetes/: every LEIFDB_* variable they set is one the node reads and is valid for the
 * pod it reaches, the probe paths are API routes, and the ports agree everywhere.
 */
class DeployManifestsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path K8S = ROOT.resolve("deploy/kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern K8S_VAR = Pattern.compile("\\$\\(([A-Z_]+)\\)");

    private static JsonNode statefulSet;
    private static JsonNode container;
    private static Map<String, String> env;

    @BeforeAll
    static void read() throws IOException {
        statefulSet = yaml("statefulset.yaml");
        assertThat(statefulSet.path("kind").asText()).isEqualTo("StatefulSet");
        container = statefulSet.at("/spec/template/spec/containers/0");
        env = new HashMap<>();
        for (JsonNode e : container.path("env")) env.put(e.path("name").asText(), e.path("value").asText());
    }

    private static JsonNode yaml(String name) throws IOException {
        return YAML.readTree(K8S.resolve(name).toFile());
    }

    private static int containerPort(String name) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(name)) return p.path("containerPort").asInt();
        }
        throw new AssertionError("no container port named " + name);
    }

    /** The value Kubernetes gives the variable in pod {@code pod} of namespace {@code ns} ($(VAR) expanded). */
    private static String expanded(String value, String pod, String ns) {
        Matcher m = K8S_VAR.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = switch (m.group(1)) {
                case "POD_NAME" -> pod;
                case "POD_NAMESPACE" -> ns;
                default -> throw new AssertionError("$(" + m.group(1) + ") is not defined before its use");
            };
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        return m.appendTail(out).toString();
    }

    @Test
    void everyLeifdbVariableIsOneTheNodeReadsAndEveryPodsConfigurationIsValid() {
        List<String> leifdb = env.keySet().stream().filter(n -> n.startsWith("LEIFDB_")).toList();
        assertThat(leifdb).isNotEmpty();
        assertThat(Config.VARIABLES).containsAll(leifdb);
        String sts = statefulSet.at("/metadata/name").asText();
        int replicas = statefulSet.at("/spec/replicas").asInt();
        for (int i = 0; i < replicas; i++) {
            Map<String, String> podEnv = new HashMap<>();
            for (String name : leifdb) podEnv.put(name, expanded(env.get(name), sts + "-" + i, "prod"));
            Config c = Config.fromEnv(podEnv);
            assertThat(c.warnings()).as("pod %d", i).isEmpty();
            assertThat(c.memberNodes()).as("one member per replica").hasSize(replicas);
            assertThat(c.host()).startsWith(sts + "-" + i + "." + statefulSet.at("/spec/serviceName").asText() + ".");
            assertThat(c.join()).as("pod %d bootstraps from the list", i).isEmpty();
        }
    }

    /** Scaled past the list, a pod finds itself missing from it and joins through the client Service. */
    @Test
    void podsBeyondTheMemberListJoinThroughTheClientService() throws IOException {
        String sts = statefulSet.at("/metadata/name").asText();
        int replicas = statefulSet.at("/spec/replicas").asInt();
        Map<String, String> podEnv = new HashMap<>();
        for (String name : env.keySet()) {
            if (name.startsWith("LEIFDB_")) podEnv.put(name, expanded(env.get(name), sts + "-" + (replicas + 1), "prod"));
        }
        Config c = Config.fromEnv(podEnv);
        String clientService = yaml("client-service.yaml").at("/metadata/name").asText();
        assertThat(c.join()).hasValueSatisfying(j -> assertThat(j.target()).hasToString(
                "http://" + clientService + ".prod.svc.cluster.local:" + containerPort("http")));
        assertThat(c.memberNodes()).doesNotContain(c.self());
    }

    @Test
    void portsAgreeBetweenVariablesContainerAndServices() throws IOException {
        int http = containerPort("http");
        int raft = containerPort("raft");
        assertThat(Integer.parseInt(env.get(Config.HTTP_PORT))).isEqualTo(http);
        assertThat(Integer.parseInt(env.get(Config.RAFT_PORT))).isEqualTo(raft);
        for (String member : env.get(Config.MEMBER_NODES).split(",")) assertThat(member).endsWith(":" + raft);

        JsonNode peers = yaml("peers-service.yaml");
        assertThat(peers.at("/metadata/name").asText()).isEqualTo(statefulSet.at("/spec/serviceName").asText());
        assertThat(peers.at("/spec/clusterIP").asText()).isEqualTo("None");
        assertThat(peers.at("/spec/publishNotReadyAddresses").asBoolean())
                .as("members must find each other before they are ready").isTrue();
        JsonNode client = yaml("client-service.yaml");
        for (JsonNode svc : List.of(peers, client)) {
            assertThat(svc.at("/spec/selector")).isEqualTo(statefulSet.at("/spec/template/metadata/labels"));
            for (JsonNode p : svc.at("/spec/ports")) {
                String target = p.path("targetPort").asText();
                assertThat(target).isIn("http", "raft");
                assertThat(p.path("port").asInt()).isEqualTo(containerPort(target));
            }
        }
        JsonNode pdb = yaml("pod-disruption-budget.yaml");
        assertThat(pdb.at("/spec/selector/matchLabels")).isEqualTo(statefulSet.at("/spec/selector/matchLabels"));
        assertThat(pdb.at("/spec/maxUnavailable").asInt()).as("a majority of 3 stays up").isEqualTo(1);
    }

    @Test
    void probesAskRoutesTheApiServesAndDataLivesOnTheVolume() {
        List<String> gets = new ArrayList<>();
        for (Endpoint e : Endpoint.values()) if (e.method == Method.GET) gets.add(e.path);
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz").isIn(gets);
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/livez").isIn(gets);
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isIn(gets);
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/port").asText()).isEqualTo("http");
        }
        String mount = container.at("/volumeMounts/0/mountPath").asText();
        assertThat(container.at("/volumeMounts/0/name").asText())
                .isEqualTo(statefulSet.at("/spec/volumeClaimTemplates/0/metadata/name").asText());
        assertThat(env.get(Config.DATA_DIR)).startsWith(mount + "/");
        assertThat(statefulSet.at("/spec/podManagementPolicy").asText())
                .as("a member is ready only once a majority runs, so all must start together").isEqualTo("Parallel");
    }

    @Test
    void dockerfileSetsKnownVariablesExposesThePortsAndChecksReadiness() throws IOException {
        String docker = Files.readString(ROOT.resolve("Dockerfile"));
        Matcher set = Pattern.compile("(LEIFDB_[A-Z_]+)=(\\S+)").matcher(docker);
        Map<String, String> dockerEnv = new HashMap<>();
        while (set.find()) dockerEnv.put(set.group(1), set.group(2));
        assertThat(dockerEnv).isNotEmpty();
        assertThat(Config.VARIABLES).containsAll(dockerEnv.keySet());
        assertThat(Config.fromEnv(dockerEnv).warnings()).isEmpty();
        assertThat(docker).contains("EXPOSE " + dockerEnv.get(Config.HTTP_PORT) + " " + dockerEnv.get(Config.RAFT_PORT));
        assertThat(docker).contains("VOLUME /var/lib/leifdb").contains("USER leifdb");
        assertThat(dockerEnv.get(Config.DATA_DIR)).startsWith("/var/lib/leifdb/");
        // The health check is `leifdb status --ready`, which asks GET /readyz and exits 1 when not ready.
        assertThat(docker).containsPattern("HEALTHCHECK[^\\n]*\\n\\s+CMD [^\\n]*status --ready");
        assertThat(container.at("/image").asText()).startsWith("leifdb:");
    }
}
