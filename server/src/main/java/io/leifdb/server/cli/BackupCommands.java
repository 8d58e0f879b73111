package io.leifdb.server.cli;

import io.leifdb.client.LeifClient;
import io.leifdb.client.LeifException;
import io.leifdb.server.backup.BackupManifest;
import io.leifdb.server.backup.BackupReader;
import io.leifdb.server.config.LogLevel;
import io.leifdb.server.config.Logging;
import io.leifdb.server.node.Restore;
import io.leifdb.server.transport.ClusterIds;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code leifdb backup FILE} (from a running node) and {@code leifdb restore FILE} (into new data directories). */
public final class BackupCommands {
    private BackupCommands() {
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = {"Write a consistent backup of the node's applied state to FILE, then verify it.",
                    "Any member will do; the backup holds every write acknowledged before it began.",
                    "--timeout bounds the wait until the node starts sending (raise it for large stores)."})
    public static final class TakeBackup extends ClientCommand {
        @Parameters(index = "0", paramLabel = "FILE", description = "Where to write the backup (a ZIP archive).")
        Path file;

        @Override
        int run(LeifClient client, PrintWriter out) {
            Path target = file.toAbsolutePath();
            Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
            try {
                client.admin().backup(tmp);
                BackupManifest m = BackupReader.verify(tmp);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                out.println("wrote " + file + ": " + m.summary() + "; verified");
                return 0;
            } catch (IOException e) {
                throw new LeifException(0, "backup", "backup to " + file + " failed: " + e.getMessage());
            } finally {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the error above says what failed; a stray .part file is harmless
                }
            }
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Prepare the data directories of a NEW cluster from a backup FILE.",
                    "Give the new cluster's member list and one --data-dir per member, in the same order,",
                    "or --member HOST:PORT with the one --data-dir of that member (prepare members one by one).",
                    "The new cluster gets a cluster id of its own; the backup is checked whole before anything",
                    "is written, and a directory that exists must be empty."})
    public static final class RestoreBackup implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "A backup written by ./leifdb backup or GET /backup.")
        Path file;

        @Option(names = "--members", paramLabel = "HOST:PORT,...", defaultValue = "${env:LEIFDB_MEMBER_NODES}",
                description = "The new cluster's LEIFDB_MEMBER_NODES (default: $LEIFDB_MEMBER_NODES); "
                        + "one node alone is LEIFDB_HOST:LEIFDB_RAFT_PORT.")
        String members;

        @Option(names = "--data-dir", paramLabel = "DIR", required = true,
                description = "A member's new LEIFDB_DATA_DIR; repeat it once per member, in --members order.")
        List<Path> dataDirs;

        @Option(names = "--member", paramLabel = "HOST:PORT",
                description = "Prepare only this member, into the one --data-dir.")
        String member;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Logging.apply(LogLevel.WARN); // the store's INFO lines are for a node's log, not this command's output
            try {
                List<String> list = memberList();
                List<Restore.Target> targets = targets(list);
                Restore.Result r = Restore.prepare(file, list, targets);
                out.println("restored " + r.backup().summary() + " as the new cluster "
                        + ClusterIds.format(r.clusterId()) + ":");
                for (var t : targets) out.println("  " + t.member() + " -> " + t.dataDir());
                out.println("start each member with LEIFDB_MODE=" + (list.size() > 1 ? "multi" : "single")
                        + (list.size() > 1 ? " LEIFDB_MEMBER_NODES=" + String.join(",", list) : "")
                        + " and its LEIFDB_HOST, LEIFDB_RAFT_PORT and LEIFDB_DATA_DIR");
                return 0;
            } catch (IllegalArgumentException e) {
                err.println("leifdb: restore: " + e.getMessage() + " (see ./leifdb restore --help)");
                return 2;
            } catch (IOException | RuntimeException e) {
                err.println("leifdb: restore refused: " + String.valueOf(e.getMessage()).replace('\n', ' '));
                return 1;
            } finally {
                out.flush();
                err.flush();
            }
        }

        private List<String> memberList() {
            if (members == null || members.isBlank()) {
                throw new IllegalArgumentException("--members is required (or set LEIFDB_MEMBER_NODES)");
            }
            return Arrays.stream(members.split(",", -1)).map(String::strip).toList();
        }

        private List<Restore.Target> targets(List<String> list) {
            List<Restore.Target> out = new ArrayList<>();
            if (member != null) {
                if (dataDirs.size() != 1) throw new IllegalArgumentException("--member takes exactly one --data-dir");
                out.add(new Restore.Target(member.strip(), dataDirs.getFirst()));
                return out;
            }
            if (dataDirs.size() != list.size()) {
                throw new IllegalArgumentException(list.size() + " members but " + dataDirs.size()
                        + " --data-dir; give one per member, in --members order, or use --member");
            }
            for (int i = 0; i < list.size(); i++) {
                out.add(new Restore.Target(list.get(i), dataDirs.get(i)));
            }
            return out;
        }
    }
}
