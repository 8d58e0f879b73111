package io.leifdb.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The shape of every client command: run against a node, print the result, one error line on failure. */
abstract class ClientCommand implements Callable<Integer> {
    static final int FAILED = 1;

    @Mixin
    ClientOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try {
            return run(options.client(), spec.commandLine().getOut());
        } catch (LeifClientException e) {
            spec.commandLine().getErr().println("leifdb: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return FAILED;
        } finally {
            spec.commandLine().getOut().flush();
        }
    }

    abstract int run(LeifClient client, PrintWriter out);
}
