package io.leifdb.server;

import io.leifdb.server.cli.ClientCommands;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command-line client: {@code leifdb get|put|delete|status}. A bare {@code leifdb} runs a node. */
@Command(name = "leifdb", mixinStandardHelpOptions = true,
        description = "LeifDB command-line client. Without a command, ./leifdb starts a node.")
final class Cli {
    private Cli() {
    }

    static int run(String[] args) {
        CommandLine cl = new CommandLine(new Cli());
        ClientCommands.all().forEach(cl::addSubcommand);
        return cl.execute(args);
    }
}
