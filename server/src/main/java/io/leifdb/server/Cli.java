package io.leifdb.server;

import io.leifdb.server.cli.CertsCommand;
import io.leifdb.server.cli.BackupCommands;
import io.leifdb.server.cli.ClientCommands;
import io.leifdb.server.cli.MetricsCommand;
import io.leifdb.server.node.Version;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code leifdb help|--help|--version}, the command-line client ({@code get|put|delete|list|status|backup|member|leader}),
 * {@code restore} and {@code certs}.
 * The launcher runs {@code node}, {@code cluster}, {@code bench}, {@code test} and {@code simulate}
 * itself; this help lists them too, so that one page shows every command.
 */
@Command(name = "leifdb", mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class,
        description = "LeifDB, a clustered key-value store. Without a command, ./leifdb starts a node.",
        commandListHeading = "%nClient commands (against any node: --url URL, or $LEIFDB_URL, https with --cacert; restore and certs work on local directories):%n")
public final class Cli {
    static final String LAUNCHER_SECTION = "launcherCommands";
    static final String LAUNCHER_COMMANDS = """

            Commands:
              node         Start one node (the default), configured by the LEIFDB_* variables.
              cluster      Start a local 3-node demo cluster on ports 8080-8082 ([--tls]: HTTPS and mutual TLS); Ctrl-C stops it.
              bench        The load generator (./leifdb bench --help).
              test         Run every test: unit, simulation, integration and browser (mvn verify).
              simulate     Run the deterministic Raft simulation: [--seeds N] [--seed S] [--scenario NAME].
            """;

    private Cli() {
    }

    static int run(String[] args) {
        return commandLine(System.in).execute(args);
    }

    /** The whole command line; {@code put KEY -} reads {@code stdin}. Bad usage is one line on stderr and exit 2. */
    public static CommandLine commandLine(InputStream stdin) {
        CommandLine cl = new CommandLine(new Cli());
        ClientCommands.all(stdin).forEach(cl::addSubcommand);
        cl.addSubcommand(new MetricsCommand());
        io.leifdb.server.cli.AuthCommands.all(stdin).forEach(cl::addSubcommand);
        cl.addSubcommand(new BackupCommands.TakeBackup());
        cl.addSubcommand(new BackupCommands.RestoreBackup());
        cl.addSubcommand(new CertsCommand());
        cl.addSubcommand(new CommandLine.HelpCommand());
        // Each command has -V too; without this it would print nothing.
        cl.getSubcommands().values().forEach(Cli::giveVersion);
        cl.getHelpSectionMap().put(LAUNCHER_SECTION, help -> LAUNCHER_COMMANDS);
        List<String> keys = new ArrayList<>(cl.getHelpSectionKeys());
        keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING), LAUNCHER_SECTION);
        cl.setHelpSectionKeys(keys);
        cl.setParameterExceptionHandler(Cli::usageError);
        return cl;
    }

    private static void giveVersion(CommandLine sub) {
        sub.getCommandSpec().versionProvider(new VersionProvider());
        sub.getSubcommands().values().forEach(Cli::giveVersion);
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        boolean top = cl.getParent() == null;
        String message = e.getMessage();
        if (top && e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().getFirst().startsWith("-")) {
            message = "unknown command \"" + u.getUnmatched().getFirst() + "\"";
        }
        String hint = top ? "./leifdb help" : "./" + cl.getCommandSpec().qualifiedName() + " --help";
        PrintWriter err = cl.getErr();
        err.println("leifdb: " + message.replace('\n', ' ').strip() + " (see " + hint + ")");
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"leifdb " + Version.get()};
        }
    }
}
