package io.leifdb.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.server.http.HttpSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LEIFDB_BIND_ADDRESS and LEIFDB_CORS_ORIGINS: the original's behaviour by default, both ports on one address when set. */
class ExposureTest {
    @TempDir
    Path dir;

    private Config config(String... kv) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("LEIFDB_DATA_DIR", dir.toString(), "LEIFDB_HOST", "node-a"));
        for (int i = 0; i < kv.length; i += 2) env.put(kv[i], kv[i + 1]);
        return Config.fromEnv(env);
    }

    @Test
    void byDefaultHttpListensEverywhereRaftOnTheHostAndAnyOriginIsAllowed() {
        Config c = config();
        assertThat(HttpSettings.of(c).bindHost()).isEqualTo("0.0.0.0");
        assertThat(c.raftBindAddress()).isEqualTo("node-a:16990");
        assertThat(c.exposure().corsOrigins()).containsExactly("*");
        assertThat(c.tls()).isEqualTo(TlsSettings.NONE);
    }

    @Test
    void aBindAddressAppliesToBothPorts() {
        Config c = config("LEIFDB_BIND_ADDRESS", "127.0.0.1");
        assertThat(HttpSettings.of(c).bindHost()).isEqualTo("127.0.0.1");
        assertThat(c.raftBindAddress()).isEqualTo("127.0.0.1:16990");
        assertThat(c.self()).as("peers still dial the configured host").isEqualTo("node-a:16990");
        assertThat(config("LEIFDB_BIND_ADDRESS", "::1").raftBindAddress()).isEqualTo("[::1]:16990");
    }

    @Test
    void originsAreListedExactlyAndStarMustStandAlone() {
        assertThat(config("LEIFDB_CORS_ORIGINS", "https://app.example, http://localhost:3000").exposure().corsOrigins())
                .isEqualTo(List.of("https://app.example", "http://localhost:3000"));
        assertThatThrownBy(() -> config("LEIFDB_CORS_ORIGINS", "*,https://app.example"))
                .hasMessageStartingWith("LEIFDB_CORS_ORIGINS=").hasMessageContaining("* must stand alone");
        assertThatThrownBy(() -> config("LEIFDB_CORS_ORIGINS", "app.example"))
                .hasMessageContaining("\"app.example\" is not an origin");
    }
}
