package io.leifdb.bench.jmh;

import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the JMH micro-benchmarks of this package and prints their figures:
 * {@code java -cp 'bench/target/leifdb-bench.jar:bench/target/lib/*' io.leifdb.bench.jmh.JmhMain [options] [regex...]}.
 * See {@link #USAGE}. A figure is printed, never judged: nothing here asserts a speed.
 */
public final class JmhMain {
    static final String USAGE = """
            usage: JmhMain [options] [regex...]
              regex        benchmarks to run, matched against e.g. io.leifdb.bench.jmh.CoreBench.single
                           (default: all of io.leifdb.bench.jmh)
              -f N         forks (default 1; 0 runs in this JVM, less trustworthy)
              -wi N        warmup iterations (default 3)
              -w SECONDS   warmup iteration time (default 2)
              -i N         measurement iterations (default 5)
              -r SECONDS   measurement iteration time (default 2)
              -p NAME=V,V  benchmark parameter values, e.g. -p batch=16,256
              --dir DIR    where disk benchmarks put scratch data (default: java.io.tmpdir)
              -q           print only the summary table, not JMH's progress
              -h           this help""";

    private JmhMain() {
    }

    public static void main(String[] args) {
        JmhArgs parsed;
        try {
            parsed = JmhArgs.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("JmhMain: " + e.getMessage() + " (-h for usage)");
            System.exit(2);
            return;
        }
        if (parsed.help()) {
            System.out.println(USAGE);
            return;
        }
        try {
            Collection<RunResult> results = new Runner(options(parsed).build()).run();
            System.out.println();
            System.out.print(ResultTable.render(results));
        } catch (NoBenchmarksException e) {
            System.err.println("JmhMain: no benchmark matches " + parsed.includes() + " (-h for usage)");
            System.exit(2);
        } catch (RunnerException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("JmhMain: benchmark run failed: " + cause);
            System.exit(1);
        }
    }

    /** The JMH options for these arguments; the smoke test builds on the same defaults. */
    static ChainedOptionsBuilder options(JmhArgs a) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .forks(a.forks())
                .warmupIterations(a.warmupIterations())
                .warmupTime(TimeValue.milliseconds(a.warmupMillis()))
                .measurementIterations(a.iterations())
                .measurementTime(TimeValue.milliseconds(a.iterationMillis()))
                .shouldFailOnError(true)
                .verbosity(a.quiet() ? VerboseMode.SILENT : VerboseMode.NORMAL);
        List<String> includes = a.includes().isEmpty() ? List.of(packageRegex()) : a.includes();
        for (String include : includes) {
            b.include(include);
        }
        a.params().forEach((name, values) -> b.param(name, values.toArray(String[]::new)));
        if (a.dir() != null) {
            // The forked JVM reads it; a non-forked run reads it from this JVM.
            System.setProperty(TempDirs.DIR_PROPERTY, a.dir());
            b.jvmArgsAppend("-D" + TempDirs.DIR_PROPERTY + "=" + a.dir());
        }
        return b;
    }

    /** Matches every benchmark of this package and nothing else on the class path. */
    static String packageRegex() {
        return "^" + JmhMain.class.getPackageName().replace(".", "\\.") + "\\.";
    }
}
