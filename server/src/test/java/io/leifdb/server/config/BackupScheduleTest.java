package io.leifdb.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LEIFDB_BACKUP_DIR, LEIFDB_BACKUP_INTERVAL and LEIFDB_BACKUP_KEEP as the node reads them. */
class BackupScheduleTest {
    @TempDir
    Path home;

    private Config parse(String... kv) {
        Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString()));
        for (int i = 0; i < kv.length; i += 2) env.put(kv[i], kv[i + 1]);
        return Config.fromEnv(env, () -> "node-a.local");
    }

    @Test
    void offUnlessADirectoryIsGiven() {
        assertThat(parse().backups()).isEqualTo(BackupSchedule.OFF);
        Config c = parse("LEIFDB_BACKUP_INTERVAL", "5m", "LEIFDB_BACKUP_KEEP", "3");
        assertThat(c.backups().dir()).isEmpty();
        assertThat(c.warnings()).containsExactly(
                "LEIFDB_BACKUP_INTERVAL is ignored because LEIFDB_BACKUP_DIR is not set",
                "LEIFDB_BACKUP_KEEP is ignored because LEIFDB_BACKUP_DIR is not set");
    }

    @Test
    void intervalTakesAUnitAndDefaultsToAnHour() {
        String dir = home.resolve("b").toString();
        assertThat(parse("LEIFDB_BACKUP_DIR", dir).backups())
                .isEqualTo(new BackupSchedule(java.util.Optional.of(home.resolve("b")), Duration.ofHours(1), 7));
        assertThat(parse("LEIFDB_BACKUP_DIR", dir, "LEIFDB_BACKUP_INTERVAL", "90").backups().interval())
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(parse("LEIFDB_BACKUP_DIR", dir, "LEIFDB_BACKUP_INTERVAL", "30m").backups().interval())
                .isEqualTo(Duration.ofMinutes(30));
        assertThat(parse("LEIFDB_BACKUP_DIR", dir, "LEIFDB_BACKUP_INTERVAL", "2D").backups().interval())
                .isEqualTo(Duration.ofDays(2));
        assertThat(parse("LEIFDB_BACKUP_DIR", dir, "LEIFDB_BACKUP_KEEP", "2").backups().keep()).isEqualTo(2);
    }

    @Test
    void badValuesStopTheNodeWithOneLineNamingTheVariable() throws IOException {
        String dir = home.resolve("b").toString();
        for (String bad : new String[] {"0", "1w", "-5m", "31d", "1.5h", "soon"}) {
            assertThatThrownBy(() -> parse("LEIFDB_BACKUP_DIR", dir, "LEIFDB_BACKUP_INTERVAL", bad))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("LEIFDB_BACKUP_INTERVAL=\"" + bad + "\" is not valid: expected a duration")
                    .hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> parse("LEIFDB_BACKUP_DIR", dir, "LEIFDB_BACKUP_KEEP", "0"))
                .hasMessage("LEIFDB_BACKUP_KEEP=\"0\" is not valid: expected an integer 1-1000");
        Path file = Files.writeString(home.resolve("f"), "x");
        assertThatThrownBy(() -> parse("LEIFDB_BACKUP_DIR", file.toString()))
                .hasMessageStartingWith("LEIFDB_BACKUP_DIR=\"" + file + "\" is not valid: it is a file");
    }
}
