package io.leifdb.server.cli;

import io.leifdb.client.LeifClient;
import io.leifdb.client.LeifException;
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
        } catch (LeifException e) {
            return failed(spec, e);
        } finally {
            spec.commandLine().getOut().flush();
        }
    }

    /** Prints the one error line a failed command ends with; returns the exit status. */
    static int failed(CommandSpec spec, LeifException e) {
        String hint = e.code().equals("tls")
                ? " (--cacert must be the CA that signed the node's certificate; --cert/--key if it requires one)" : "";
        spec.commandLine().getErr().println("leifdb: " + e.getMessage() + hint);
        spec.commandLine().getErr().flush();
        return FAILED;
    }

    abstract int run(LeifClient client, PrintWriter out);
}
