package io.leifdb.server.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code leifdb COMMAND ...} as users do: the packaged jar in its own process, bounded in time. */
final class LeifdbCommand {
    record Outcome(int exit, String output) {
    }

    private LeifdbCommand() {
    }

    /** Runs the command with {@code log} receiving its output; the process is always stopped. */
    static Outcome run(Path log, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar",
                Path.of("target", "leifdb-server.jar").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("LEIFDB_"));
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) throw new AssertionError("leifdb " + String.join(" ", args) + " hung");
            return new Outcome(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8).strip());
        } finally {
            p.destroyForcibly();
        }
    }
}
