package io.leifdb.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTest {
    @TempDir
    Path home;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void baseEnvironment() {
        env.put("HOME", home.toString());
        env.put("PATH", "/usr/bin");
    }

    /** The default host is fixed here so tests never depend on (or query) the machine's name. */
    private Config parse() {
        return Config.fromEnv(env, () -> "node-a.local");
    }

    private Config multi(String members) {
        env.put("LEIFDB_MODE", "multi");
        env.put("LEIFDB_HOST", "localhost");
        env.put("LEIFDB_MEMBER_NODES", members);
        return parse();
    }

    @Test
    void defaultsMatchTheOriginal() {
        Config c = parse();
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.raftPort()).isEqualTo(16990);
        assertThat(c.host()).isEqualTo("node-a.local");
        assertThat(c.mode()).isEqualTo(Mode.SINGLE);
        assertThat(c.memberNodes()).containsExactly("node-a.local:16990");
        assertThat(c.snapshotThreshold()).isEqualTo(1073741824L);
        assertThat(c.retainSnapshots()).isEqualTo(1);
        assertThat(c.logLevel()).isEqualTo(LogLevel.INFO);
        assertThat(c.maxKeyBytes()).isEqualTo(4096);
        assertThat(c.maxValueBytes()).isEqualTo(1048576);
        assertThat(c.erasureCoding()).isFalse();
        assertThat(c.erasureK()).isEmpty();
        assertThat(c.effectiveErasureK()).isEqualTo(1);
        assertThat(c.erasureThreshold()).isEqualTo(4096);
        assertThat(c.warnings()).isEmpty();
        assertThat(c.self()).isEqualTo("node-a.local:16990");
        assertThat(c.httpAddress()).isEqualTo("node-a.local:8080");
    }

    @Test
    void defaultDataDirIsUnderHomeAndDependsOnHostAndRaftPort() {
        Path a = parse().dataDir();
        assertThat(a.getParent()).isEqualTo(home.resolve(".leifdb"));
        assertThat(a.getFileName().toString()).matches("[0-9a-f]{16}");
        assertThat(parse().dataDir()).as("stable").isEqualTo(a);
        env.put("LEIFDB_RAFT_PORT", "16991");
        assertThat(parse().dataDir()).isNotEqualTo(a);
        assertThat(Files.exists(a)).as("parsing creates nothing").isFalse();
    }

    @Test
    void everyVariableIsRead() {
        env.put("LEIFDB_HTTP_PORT", "8081");
        env.put("LEIFDB_RAFT_PORT", " 16991 ");
        env.put("LEIFDB_HOST", "localhost");
        env.put("LEIFDB_DATA_DIR", home.resolve("b").toString());
        env.put("LEIFDB_MODE", "MULTI");
        env.put("LEIFDB_MEMBER_NODES", "localhost:16990, localhost:16991 ,localhost:16992,localhost:16993");
        env.put("LEIFDB_SNAPSHOT_THRESHOLD", "1048576");
        env.put("LEIFDB_RETAIN_N_SNAPSHOTS", "3");
        env.put("LEIFDB_LOG_LEVEL", "Debug");
        env.put("LEIFDB_MAX_KEY_BYTES", "100");
        env.put("LEIFDB_MAX_VALUE_BYTES", "2000");
        env.put("LEIFDB_ERASURE_CODING", "on");
        env.put("LEIFDB_ERASURE_K", "2");
        env.put("LEIFDB_ERASURE_THRESHOLD", "0");
        Config c = parse();
        assertThat(c.httpPort()).isEqualTo(8081);
        assertThat(c.raftPort()).isEqualTo(16991);
        assertThat(c.host()).isEqualTo("localhost");
        assertThat(c.dataDir()).isEqualTo(home.resolve("b"));
        assertThat(c.mode()).isEqualTo(Mode.MULTI);
        assertThat(c.memberNodes()).containsExactly("localhost:16990", "localhost:16991", "localhost:16992",
                "localhost:16993");
        assertThat(c.snapshotThreshold()).isEqualTo(1048576);
        assertThat(c.retainSnapshots()).isEqualTo(3);
        assertThat(c.logLevel()).isEqualTo(LogLevel.DEBUG);
        assertThat(c.maxKeyBytes()).isEqualTo(100);
        assertThat(c.maxValueBytes()).isEqualTo(2000);
        assertThat(c.erasureCoding()).isTrue();
        assertThat(c.erasureK()).isEqualTo(OptionalInt.of(2));
        assertThat(c.effectiveErasureK()).isEqualTo(2);
        assertThat(c.erasureThreshold()).isZero();
        assertThat(c.warnings()).isEmpty();
        assertThat(c.clusterSize()).isEqualTo(4);
        assertThat(c.faultTolerance()).isEqualTo(1);
    }

    @Test
    void blankValuesMeanTheDefaultAsInTheOriginal() {
        env.put("LEIFDB_HTTP_PORT", "");
        env.put("LEIFDB_LOG_LEVEL", "  ");
        Config c = parse();
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.logLevel()).isEqualTo(LogLevel.INFO);
    }

    @Test
    void theReadmeThreeNodeClusterParses() {
        env.put("LEIFDB_HTTP_PORT", "8082");
        env.put("LEIFDB_RAFT_PORT", "16992");
        env.put("LEIFDB_DATA_DIR", home.resolve("c").toString());
        Config c = multi("localhost:16990,localhost:16991,localhost:16992");
        assertThat(c.memberNodes()).hasSize(3);
        assertThat(c.self()).isEqualTo("localhost:16992");
        assertThat(c.erasureCoding()).as("off by default below 4 members").isFalse();
    }

    @Test
    void erasureCodingDefaultsOnFromFourMembersWithKEqualToNMinusF() {
        Config c = multi("localhost:16990,localhost:16991,localhost:16992,localhost:16993,localhost:16994");
        assertThat(c.erasureCoding()).isTrue();
        assertThat(c.effectiveErasureK()).isEqualTo(3);
        env.put("LEIFDB_ERASURE_CODING", "off");
        assertThat(parse().erasureCoding()).isFalse();
    }

    @Test
    void ipv6MembersInBracketsAreAccepted() {
        env.put("LEIFDB_MODE", "multi");
        env.put("LEIFDB_HOST", "[::1]");
        env.put("LEIFDB_MEMBER_NODES", "[::1]:16990,[::1]:16991");
        assertThat(parse().memberNodes()).containsExactly("[::1]:16990", "[::1]:16991");
    }

    @Test
    void unknownLeifdbVariablesWarnOnALineEachButOthersAreIgnored() {
        env.put("LEIFDB_HTTP_PROT", "8081");
        env.put("LEIFDB_FOO", "1");
        env.put("OTHER_THING", "x");
        List<String> warnings = parse().warnings();
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).contains("LEIFDB_FOO").doesNotContain("\n");
        assertThat(warnings.get(1)).contains("LEIFDB_HTTP_PROT").doesNotContain("\n");
    }

    @Test
    void settingsUnusedInThisModeWarn() {
        env.put("LEIFDB_MEMBER_NODES", "a:1,b:2");
        env.put("LEIFDB_ERASURE_K", "1");
        assertThat(parse().warnings()).anyMatch(w -> w.contains("LEIFDB_MEMBER_NODES"))
                .anyMatch(w -> w.contains("LEIFDB_ERASURE_K"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            LEIFDB_HTTP_PORT          | abc        | expected an integer port 1-65535
            LEIFDB_HTTP_PORT          | 0          | expected an integer port 1-65535
            LEIFDB_HTTP_PORT          | 65536      | expected an integer port 1-65535
            LEIFDB_HTTP_PORT          | 80.5       | expected an integer port 1-65535
            LEIFDB_RAFT_PORT          | -1         | expected an integer port 1-65535
            LEIFDB_RAFT_PORT          | 8080       | must differ from LEIFDB_HTTP_PORT
            LEIFDB_HOST               | two words  | expected a host name
            LEIFDB_HOST               | host:80    | expected a host name
            LEIFDB_HOST               | a..b       | expected a host name
            LEIFDB_MODE               | cluster    | expected one of single, multi
            LEIFDB_SNAPSHOT_THRESHOLD | 0          | expected a positive integer
            LEIFDB_SNAPSHOT_THRESHOLD | 1GB        | expected a positive integer
            LEIFDB_RETAIN_N_SNAPSHOTS | 0          | expected an integer 1-1000
            LEIFDB_RETAIN_N_SNAPSHOTS | many       | expected an integer 1-1000
            LEIFDB_LOG_LEVEL          | verbose    | expected one of panic, fatal, error, warn, info, debug, trace
            LEIFDB_MAX_KEY_BYTES      | 0          | expected an integer number of bytes 1-65536
            LEIFDB_MAX_KEY_BYTES      | 65537      | expected an integer number of bytes 1-65536
            LEIFDB_MAX_VALUE_BYTES    | -5         | expected an integer number of bytes 1-67108864
            LEIFDB_MAX_VALUE_BYTES    | 1e6        | expected an integer number of bytes 1-67108864
            LEIFDB_ERASURE_CODING     | yes        | expected on or off
            LEIFDB_ERASURE_CODING     | on         | needs at least 3 members
            LEIFDB_ERASURE_K          | 2          | expected an integer 1-1
            LEIFDB_ERASURE_K          | x          | expected an integer 1-1
            LEIFDB_ERASURE_THRESHOLD  | -1         | expected a non-negative integer
            """)
    void invalidValuesFailWithOneLineNamingVariableValueAndRule(String variable, String value, String rule) {
        env.put(variable, value);
        assertInvalid(variable, value, rule);
    }

    @ParameterizedTest(name = "members={0}")
    @CsvSource(delimiter = '|', textBlock = """
            localhost:16991,localhost:16992          | this node (localhost:16990
            localhost:16990,localhost                | is not host:port
            localhost:16990,localhost:0              | is not host:port
            localhost:16990,:16991                   | is not host:port
            localhost:16990,,localhost:16991         | is not host:port
            localhost:16990,LOCALHOST:16990          | appears twice
            """)
    void invalidMemberListsFailWithOneLine(String members, String rule) {
        env.put("LEIFDB_MODE", "multi");
        env.put("LEIFDB_HOST", "localhost");
        env.put("LEIFDB_MEMBER_NODES", members);
        assertInvalid("LEIFDB_MEMBER_NODES", members, rule);
    }

    @Test
    void multiModeRequiresMembers() {
        env.put("LEIFDB_MODE", "multi");
        assertInvalid("LEIFDB_MEMBER_NODES", "", "required when LEIFDB_MODE=multi");
    }

    @Test
    void joinNeedsNoMemberListAndAcceptsAnHttpUrl() {
        env.put("LEIFDB_MODE", "multi");
        env.put("LEIFDB_JOIN", "http://node-b.local:8081/");
        Config c = parse();
        assertThat(c.join()).hasValueSatisfying(j -> assertThat(j.target()).hasToString("http://node-b.local:8081"));
        assertThat(c.memberNodes()).containsExactly(c.self());
        assertThat(c.erasureCoding()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            node-b.local          | expected the HTTP address host:port
            ftp://node-b:8081     | expected the HTTP address host:port
            https://node-b        | expected the HTTP address host:port
            node-b:0              | expected the HTTP address host:port
            """)
    void malformedJoinFailsWithOneLine(String join, String rule) {
        env.put("LEIFDB_MODE", "multi");
        env.put("LEIFDB_JOIN", join);
        assertInvalid("LEIFDB_JOIN", join, rule);
    }

    @Test
    void joinNeedsMultiMode() {
        env.put("LEIFDB_JOIN", "node-b:8081");
        assertInvalid("LEIFDB_JOIN", "node-b:8081", "needs LEIFDB_MODE=multi");
    }

    @Test
    void aNodeTheListNamesBootstrapsAndIgnoresJoin_anotherJoins() {
        env.put("LEIFDB_MODE", "multi");
        env.put("LEIFDB_HOST", "node-a");
        env.put("LEIFDB_RAFT_PORT", "16990");
        env.put("LEIFDB_MEMBER_NODES", "node-a:16990,node-b:16990,node-c:16990");
        env.put("LEIFDB_JOIN", "leifdb:8080");
        assertThat(parse().join()).isEmpty();
        env.put("LEIFDB_HOST", "node-d");
        Config joiner = parse();
        assertThat(joiner.join()).hasValueSatisfying(j -> assertThat(j.target()).hasToString("http://leifdb:8080"));
        assertThat(joiner.memberNodes()).containsExactly("node-a:16990", "node-b:16990", "node-c:16990");
    }

    @Test
    void aMemberWithAnIdInItsDataDirectoryMayBeMissingFromTheList(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        env.put("LEIFDB_MODE", "multi");
        env.put("LEIFDB_HOST", "localhost");
        env.put("LEIFDB_RAFT_PORT", "17000");
        env.put("LEIFDB_DATA_DIR", dir.toString());
        env.put("LEIFDB_MEMBER_NODES", "localhost:16990,localhost:16991");
        assertInvalid("LEIFDB_MEMBER_NODES", "localhost:16990,localhost:16991", "is missing");
        java.nio.file.Files.writeString(dir.resolve("member-id"), "42\n"); // it moved from one of them
        assertThat(parse().memberNodes()).containsExactly("localhost:16990", "localhost:16991");
    }

    @Test
    void erasureKMayNotExceedNMinusF() {
        env.put("LEIFDB_ERASURE_K", "4");
        assertThatThrownBy(() -> multi("localhost:16990,localhost:16991,localhost:16992,localhost:16993,localhost:16994"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("LEIFDB_ERASURE_K=\"4\" is not valid: expected an integer 1-3 (k <= N - F with N=5 members)");
    }

    @Test
    void dataDirThatIsAFileIsRefused() throws IOException {
        Path file = Files.writeString(home.resolve("a-file"), "x");
        env.put("LEIFDB_DATA_DIR", file.toString());
        assertInvalid("LEIFDB_DATA_DIR", file.toString(), "it is a file");
        env.put("LEIFDB_DATA_DIR", file.resolve("sub").toString());
        assertInvalid("LEIFDB_DATA_DIR", file.resolve("sub").toString(), "is a file, so the directory cannot be created");
    }

    @Test
    void dataDirThatDoesNotExistYetIsFine() {
        env.put("LEIFDB_DATA_DIR", home.resolve("x/y/z").toString());
        assertThat(parse().dataDir()).isEqualTo(home.resolve("x/y/z"));
    }

    @Test
    void multiLineValuesStayOnOneLineInTheMessage() {
        env.put("LEIFDB_HTTP_PORT", "80\n80");
        assertInvalid("LEIFDB_HTTP_PORT", "80\\n80", "expected an integer port");
    }

    @Test
    void exampleMessageFromTheBriefIsExact() {
        env.put("LEIFDB_HTTP_PORT", "abc");
        assertThatThrownBy(this::parse).isInstanceOf(ConfigException.class)
                .hasMessage("LEIFDB_HTTP_PORT=\"abc\" is not valid: expected an integer port 1-65535");
    }

    @Test
    void autoPromoteIsOnByDefaultAndTakesTrueOrFalse() {
        assertThat(parse().autoPromote()).isTrue();
        env.put("LEIFDB_AUTO_PROMOTE", "false");
        assertThat(parse().autoPromote()).isFalse();
        env.put("LEIFDB_AUTO_PROMOTE", "TRUE");
        assertThat(parse().autoPromote()).isTrue();
        env.put("LEIFDB_AUTO_PROMOTE", "yes");
        assertInvalid("LEIFDB_AUTO_PROMOTE", "yes", "expected true or false");
    }

    private void assertInvalid(String variable, String shownValue, String rule) {
        assertThatThrownBy(this::parse)
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .startsWith(variable + "=\"" + shownValue + "\" is not valid: ")
                        .contains(rule)
                        .doesNotContain("\n")
                        .doesNotContain("\r"))
                .satisfies(e -> assertThat(e.getStackTrace()).as("no stack trace to show").isEmpty());
    }
}
