package io.leifdb.server.config;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's configuration, read from {@code LEIFDB_*} environment variables. Names and defaults follow
 * the original LeifDB (see REFERENCE.md); those after LEIFDB_LOG_LEVEL are ours.
 *
 * @param memberNodes       every member's {@code host:raftport}, this node included (just this node in single mode)
 * @param erasureK          LEIFDB_ERASURE_K when set; see {@link #effectiveErasureK()}
 * @param erasureAdaptive   LEIFDB_ERASURE_ADAPTIVE: off restores the fixed k, for comparisons
 * @param http              the client listener's connection, idle-time and page limits
 * @param exposure          the address both ports bind and the origins CORS admits
 * @param tls               HTTPS on the client port and mutual TLS between members, each when configured
 * @param backups           periodic backups (LEIFDB_BACKUP_*); {@link BackupSchedule#OFF} when not configured
 * @param autoPromote       LEIFDB_AUTO_PROMOTE: the leader promotes a caught-up learner to voter on its own
 * @param warnings          one line per ignored setting (unknown variable, setting unused in this mode)
 * @param join              LEIFDB_JOIN and its LEIFDB_JOIN_* companions: which member of the cluster this node joins, and how (issue 13)
 */
public record Config(int httpPort, int raftPort, String host, Path dataDir, Mode mode, List<String> memberNodes,
                     long snapshotThreshold, int retainSnapshots, LogLevel logLevel, int maxKeyBytes,
                     int maxValueBytes, boolean erasureCoding, OptionalInt erasureK, long erasureThreshold,
                     boolean erasureAdaptive, HttpLimits http, BackupSchedule backups, Exposure exposure, TlsSettings tls,
                     boolean autoPromote, List<String> warnings, Optional<JoinSettings> join) {

    public static final String HTTP_PORT = "LEIFDB_HTTP_PORT";
    public static final String RAFT_PORT = "LEIFDB_RAFT_PORT";
    public static final String HOST = "LEIFDB_HOST";
    public static final String DATA_DIR = "LEIFDB_DATA_DIR";
    public static final String MODE = "LEIFDB_MODE";
    public static final String MEMBER_NODES = "LEIFDB_MEMBER_NODES";
    public static final String SNAPSHOT_THRESHOLD = "LEIFDB_SNAPSHOT_THRESHOLD";
    public static final String RETAIN_N_SNAPSHOTS = "LEIFDB_RETAIN_N_SNAPSHOTS";
    public static final String LOG_LEVEL = "LEIFDB_LOG_LEVEL";
    public static final String MAX_KEY_BYTES = "LEIFDB_MAX_KEY_BYTES";
    public static final String MAX_VALUE_BYTES = "LEIFDB_MAX_VALUE_BYTES";
    public static final String ERASURE_CODING = "LEIFDB_ERASURE_CODING";
    public static final String ERASURE_K = "LEIFDB_ERASURE_K";
    public static final String ERASURE_THRESHOLD = "LEIFDB_ERASURE_THRESHOLD";
    public static final String JOIN = "LEIFDB_JOIN";
    /** For comparisons (benchmarks): off restores the fixed k of before issue 14. */
    public static final String ERASURE_ADAPTIVE = "LEIFDB_ERASURE_ADAPTIVE";
    public static final String AUTO_PROMOTE = "LEIFDB_AUTO_PROMOTE";

    /** Every variable we read, in the order the documentation lists them. */
    public static final List<String> VARIABLES = List.of(HTTP_PORT, RAFT_PORT, HOST, DATA_DIR, MODE, MEMBER_NODES,
            SNAPSHOT_THRESHOLD, RETAIN_N_SNAPSHOTS, LOG_LEVEL, MAX_KEY_BYTES, MAX_VALUE_BYTES, ERASURE_CODING,
            ERASURE_K, ERASURE_THRESHOLD, ERASURE_ADAPTIVE, JOIN, HttpLimits.IDLE_TIMEOUT_MS, HttpLimits.HEADER_TIMEOUT_MS,
            HttpLimits.MAX_CONNECTIONS, HttpLimits.PAGE_BYTES, BackupSchedule.DIR, BackupSchedule.INTERVAL,
            BackupSchedule.KEEP, Exposure.BIND_ADDRESS, Exposure.CORS_ORIGINS, TlsSettings.TLS_CERT, TlsSettings.TLS_KEY,
            TlsSettings.TLS_CLIENT_CA, TlsSettings.PEER_TLS_CERT, TlsSettings.PEER_TLS_KEY, TlsSettings.PEER_TLS_CA,
            AuthSettings.AUTH, AuthSettings.ROOT_PASSWORD_FILE, AUTO_PROMOTE, JoinSettings.JOIN_CA, JoinSettings.JOIN_CERT,
            JoinSettings.JOIN_KEY, JoinSettings.JOIN_USER, JoinSettings.JOIN_PASSWORD_FILE);

    /** The command-line client's variables: a shell that sets them may start a node too, which ignores them quietly. */
    public static final List<String> CLIENT_VARIABLES = List.of("LEIFDB_URL", "LEIFDB_CACERT", "LEIFDB_CERT", "LEIFDB_KEY",
            "LEIFDB_USER", "LEIFDB_PASSWORD", "LEIFDB_TOKEN");

    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final int DEFAULT_RAFT_PORT = 16990;
    public static final long DEFAULT_SNAPSHOT_THRESHOLD = 1L << 30;
    public static final int DEFAULT_RETAIN_N_SNAPSHOTS = 1;
    public static final int DEFAULT_MAX_KEY_BYTES = 4096;
    public static final int DEFAULT_MAX_VALUE_BYTES = 1 << 20;
    public static final long DEFAULT_ERASURE_THRESHOLD = 4096;
    /** Keys are percent-encoded into the request line, so they stay well below what a request line can carry. */
    public static final int MAX_KEY_BYTES_LIMIT = 65536;
    /** A value travels in one Raft entry; past this, a blob store is the better tool. */
    public static final int MAX_VALUE_BYTES_LIMIT = 64 << 20;
    /** Coding is on by default from this cluster size: with 3 nodes k = N - F = 2 saves too little to pay. */
    public static final int ERASURE_DEFAULT_MIN_MEMBERS = 4;
    /** Below this there is no (k, m) code with k > 1 and m > 0 that a majority can decode. */
    public static final int ERASURE_MIN_MEMBERS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(Config.class);

    public Config {
        memberNodes = List.copyOf(memberNodes);
        warnings = List.copyOf(warnings);
    }

    /** Reads the process environment, applies the log level and logs the warnings. */
    public static Config load() {
        Config config = fromEnv(System.getenv());
        Logging.apply(config.logLevel());
        config.warnings().forEach(LOG::warn);
        return config;
    }

    /** Parses and checks every variable; throws {@link ConfigException} on the first invalid one. */
    public static Config fromEnv(Map<String, String> env) {
        return fromEnv(env, Config::preferredHost);
    }

    static Config fromEnv(Map<String, String> env, Supplier<String> defaultHost) {
        EnvReader r = new EnvReader(env);
        List<String> warnings = new ArrayList<>();
        Set<String> known = new java.util.HashSet<>(VARIABLES);
        known.addAll(CLIENT_VARIABLES);
        for (String name : new TreeSet<>(env.keySet())) {
            if (name.startsWith("LEIFDB_") && !known.contains(name)) {
                warnings.add("unknown variable " + name + " is ignored (known: " + String.join(", ", VARIABLES) + ")");
            }
        }

        int httpPort = r.port(HTTP_PORT, DEFAULT_HTTP_PORT);
        int raftPort = r.port(RAFT_PORT, DEFAULT_RAFT_PORT);
        if (raftPort == httpPort) {
            throw ConfigException.invalid(RAFT_PORT, Integer.toString(raftPort),
                    "must differ from " + HTTP_PORT + " (" + httpPort + ")");
        }
        String host = r.value(HOST).orElseGet(defaultHost);
        if (!EnvReader.validHost(host)) {
            throw ConfigException.invalid(HOST, host, EnvReader.HOST_RULE);
        }
        Path dataDir = dataDir(r.value(DATA_DIR), env, host, raftPort);
        Mode mode = r.choice(MODE, Mode.class, Mode.SINGLE);
        Optional<JoinSettings> join = join(r, mode, warnings);
        List<String> members = members(r, mode, host, raftPort, warnings, join.isPresent(), dataDir);
        // One environment for every replica (a StatefulSet): the members listed bootstrap, the others join.
        if (join.isPresent() && r.value(MEMBER_NODES).isPresent() && members.contains(host + ":" + raftPort)) {
            join = Optional.empty();
        }

        long snapshotThreshold = r.number(SNAPSHOT_THRESHOLD, DEFAULT_SNAPSHOT_THRESHOLD, 1, Long.MAX_VALUE,
                "expected a positive integer number of bytes");
        int retain = (int) r.number(RETAIN_N_SNAPSHOTS, DEFAULT_RETAIN_N_SNAPSHOTS, 1, 1000,
                "expected an integer 1-1000");
        LogLevel logLevel = r.choice(LOG_LEVEL, LogLevel.class, LogLevel.INFO);
        int maxKey = (int) r.number(MAX_KEY_BYTES, DEFAULT_MAX_KEY_BYTES, 1, MAX_KEY_BYTES_LIMIT,
                "expected an integer number of bytes 1-" + MAX_KEY_BYTES_LIMIT);
        int maxValue = (int) r.number(MAX_VALUE_BYTES, DEFAULT_MAX_VALUE_BYTES, 1, MAX_VALUE_BYTES_LIMIT,
                "expected an integer number of bytes 1-" + MAX_VALUE_BYTES_LIMIT);

        int n = members.size();
        boolean coding = erasureCoding(r, n);
        OptionalInt k = erasureK(r, n, coding, warnings);
        long erasureThreshold = r.number(ERASURE_THRESHOLD, DEFAULT_ERASURE_THRESHOLD, 0, Long.MAX_VALUE,
                "expected a non-negative integer number of bytes");
        boolean adaptive = onOff(r, ERASURE_ADAPTIVE, true);
        HttpLimits http = HttpLimits.read(r);
        BackupSchedule backups = BackupSchedule.read(r, warnings);
        Exposure exposure = Exposure.read(r);
        TlsSettings tls = TlsSettings.read(r);
        boolean autoPromote = r.flag(AUTO_PROMOTE, true);
        return new Config(httpPort, raftPort, host, dataDir, mode, members, snapshotThreshold, retain, logLevel,
                maxKey, maxValue, coding, k, erasureThreshold, adaptive, http, backups, exposure, tls, autoPromote, warnings,
                join);
    }

    /** This node's {@code host:raftport}, as it appears in {@link #memberNodes()}. */
    public String self() {
        return host + ":" + raftPort;
    }

    /** The address the Raft port binds: LEIFDB_BIND_ADDRESS, else LEIFDB_HOST's (as before it existed). */
    public String raftBindAddress() {
        return exposure.bindAddress().map(b -> (b.indexOf(':') >= 0 ? "[" + b + "]" : b) + ":" + raftPort).orElse(self());
    }

    /** This node's client address, which followers put into redirects. */
    public String httpAddress() {
        return host + ":" + httpPort;
    }

    public int clusterSize() {
        return memberNodes.size();
    }

    /** F = ⌊(N−1)/2⌋, the crashes a majority quorum survives. */
    public int faultTolerance() {
        return (clusterSize() - 1) / 2;
    }

    /** The CRaft data-fragment count: LEIFDB_ERASURE_K, else N − F (the largest k a majority can decode). */
    public int effectiveErasureK() {
        if (!erasureCoding) {
            return 1;
        }
        return erasureK.orElse(clusterSize() - faultTolerance());
    }

    private static Path dataDir(Optional<String> value, Map<String, String> env, String host, int raftPort) {
        String raw = value.orElseGet(() -> {
            String home = env.getOrDefault("HOME", System.getProperty("user.home"));
            return Path.of(home, ".leifdb", hash(host + ":" + raftPort)).toString();
        });
        Path dir;
        try {
            dir = Path.of(raw).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw ConfigException.invalid(DATA_DIR, raw, "expected a directory path (" + e.getReason() + ")");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw ConfigException.invalid(DATA_DIR, raw, "it is a file; expected a directory, which may not exist yet");
        }
        for (Path p = dir.getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw ConfigException.invalid(DATA_DIR, raw, p + " is a file, so the directory cannot be created");
                }
                break;
            }
        }
        return dir;
    }

    /** LEIFDB_JOIN and, when it is set, the variables saying how to reach the member it names. */
    private static Optional<JoinSettings> join(EnvReader r, Mode mode, List<String> warnings) {
        Optional<String> value = r.value(JOIN);
        if (value.isEmpty()) {
            for (String name : JoinSettings.VARIABLES) {
                if (r.value(name).isPresent()) warnings.add(name + " is ignored because " + JOIN + " is not set");
            }
            return Optional.empty();
        }
        if (mode != Mode.MULTI) throw ConfigException.invalid(JOIN, value.get(), "needs " + MODE + "=multi; " + JoinSettings.RULE);
        return Optional.of(JoinSettings.read(r, value.get(), warnings));
    }

    private static List<String> members(EnvReader r, Mode mode, String host, int raftPort, List<String> warnings,
                                        boolean joining, Path dataDir) {
        Optional<String> value = r.value(MEMBER_NODES);
        String self = host + ":" + raftPort;
        if (mode == Mode.SINGLE) {
            value.ifPresent(v -> warnings.add(MEMBER_NODES + " is ignored because " + MODE + " is single"));
            return List.of(self);
        }
        String rule = "expected comma-separated host:port of every member, this node (" + self + ") included";
        if (value.isEmpty() && joining) return List.of(self); // the cluster tells a joining node its members
        if (value.isEmpty()) {
            throw ConfigException.invalid(MEMBER_NODES, "", "required when " + MODE + "=multi and " + JOIN
                    + " is not set; " + rule);
        }
        List<EnvReader.HostPort> parsed = new ArrayList<>();
        boolean selfSeen = false;
        for (String item : value.get().split(",", -1)) {
            EnvReader.HostPort hp = EnvReader.hostPort(item.strip());
            if (hp == null) {
                throw ConfigException.invalid(MEMBER_NODES, value.get(),
                        "\"" + ConfigException.oneLine(item.strip()) + "\" is not host:port; " + rule);
            }
            for (EnvReader.HostPort seen : parsed) {
                if (seen.sameAs(hp.host(), hp.port())) {
                    throw ConfigException.invalid(MEMBER_NODES, value.get(), hp + " appears twice; " + rule);
                }
            }
            selfSeen |= hp.sameAs(host, raftPort);
            parsed.add(hp);
        }
        // A member's id lives in its data directory (issue 13): one that moved to another address starts
        // with the list it was bootstrapped with; only a new directory must find itself in it.
        if (!selfSeen && !joining && !java.nio.file.Files.exists(dataDir.resolve("member-id"))) {
            throw ConfigException.invalid(MEMBER_NODES, value.get(), "this node (" + self + ", from " + HOST
                    + " and " + RAFT_PORT + ") is missing; " + rule);
        }
        return parsed.stream().map(EnvReader.HostPort::toString).toList();
    }

    private static boolean erasureCoding(EnvReader r, int n) {
        Optional<String> v = r.value(ERASURE_CODING);
        if (v.isEmpty()) {
            return n >= ERASURE_DEFAULT_MIN_MEMBERS;
        }
        boolean on = switch (v.get().toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw ConfigException.invalid(ERASURE_CODING, v.get(), "expected on or off");
        };
        if (on && n < ERASURE_MIN_MEMBERS) {
            throw ConfigException.invalid(ERASURE_CODING, v.get(), "erasure coding needs at least "
                    + ERASURE_MIN_MEMBERS + " members in " + MEMBER_NODES + " (this cluster has " + n + ")");
        }
        return on;
    }

    private static boolean onOff(EnvReader r, String name, boolean dflt) {
        Optional<String> v = r.value(name);
        if (v.isEmpty()) return dflt;
        return switch (v.get()) {
            case "on" -> true;
            case "off" -> false;
            default -> throw ConfigException.invalid(name, v.get(), "expected on or off");
        };
    }

    private static OptionalInt erasureK(EnvReader r, int n, boolean coding, List<String> warnings) {
        if (r.value(ERASURE_K).isEmpty()) {
            return OptionalInt.empty();
        }
        int maxK = n - (n - 1) / 2;
        int k = (int) r.number(ERASURE_K, 0, 1, maxK, "expected an integer 1-" + maxK
                + " (k <= N - F with N=" + n + " members)");
        if (!coding) {
            warnings.add(ERASURE_K + " is ignored because erasure coding is off");
        }
        return OptionalInt.of(k);
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The name this machine calls itself; reading it never leaves the machine when /etc/hosts lists it. */
    private static String preferredHost() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? "localhost" : name;
        } catch (java.io.IOException | SecurityException e) {
            return "localhost";
        }
    }
}
