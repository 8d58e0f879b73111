package io.leifdb.server.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Periodic backups: every {@code interval} this member writes a backup into {@code dir} and keeps the
 * newest {@code keep}. Off when {@code dir} is empty (LEIFDB_BACKUP_DIR unset).
 */
public record BackupSchedule(Optional<Path> dir, Duration interval, int keep) {
    public static final String DIR = "LEIFDB_BACKUP_DIR";
    public static final String INTERVAL = "LEIFDB_BACKUP_INTERVAL";
    public static final String KEEP = "LEIFDB_BACKUP_KEEP";
    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
    public static final int DEFAULT_KEEP = 7;
    private static final Duration MAX_INTERVAL = Duration.ofDays(30);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd]?)");
    private static final String INTERVAL_RULE = "expected a duration such as 90s, 30m, 6h or 1d (a bare number is "
            + "seconds), from 1s to 30d";

    public static final BackupSchedule OFF = new BackupSchedule(Optional.empty(), DEFAULT_INTERVAL, DEFAULT_KEEP);

    static BackupSchedule read(EnvReader r, List<String> warnings) {
        Duration interval = r.value(INTERVAL).map(BackupSchedule::interval).orElse(DEFAULT_INTERVAL);
        int keep = (int) r.number(KEEP, DEFAULT_KEEP, 1, 1000, "expected an integer 1-1000");
        Optional<String> raw = r.value(DIR);
        if (raw.isEmpty()) {
            for (String unused : List.of(INTERVAL, KEEP)) {
                if (r.value(unused).isPresent()) warnings.add(unused + " is ignored because " + DIR + " is not set");
            }
            return OFF;
        }
        Path dir;
        try {
            dir = Path.of(raw.get()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw ConfigException.invalid(DIR, raw.get(), "expected a directory path (" + e.getReason() + ")");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw ConfigException.invalid(DIR, raw.get(), "it is a file; expected a directory, which may not exist yet");
        }
        return new BackupSchedule(Optional.of(dir), interval, keep);
    }

    private static Duration interval(String v) {
        Matcher m = DURATION.matcher(v.toLowerCase(Locale.ROOT));
        if (!m.matches()) throw ConfigException.invalid(INTERVAL, v, INTERVAL_RULE);
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero() || d.compareTo(MAX_INTERVAL) > 0) throw ConfigException.invalid(INTERVAL, v, INTERVAL_RULE);
        return d;
    }
}
