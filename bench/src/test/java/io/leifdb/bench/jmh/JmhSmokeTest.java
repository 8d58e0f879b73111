package io.leifdb.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;

/**
 * Runs every micro-benchmark once, briefly and in this JVM, so a benchmark that throws or no
 * longer runs breaks the build. It checks that each ran and did work (a positive score), never
 * how fast: figures come from {@link JmhMain}.
 */
class JmhSmokeTest {
    private static final List<Class<?>> BENCHMARKS = List.of(CoreBench.class, WalBench.class, HttpCodecBench.class);

    @Test
    void everyBenchmarkRunsOnceAndDoesWork() throws Exception {
        JmhArgs brief = JmhArgs.parse("-f", "0", "-wi", "1", "-w", "0.1", "-i", "1", "-r", "0.1", "-q");
        Collection<RunResult> results = new Runner(JmhMain.options(brief).build()).run();

        Map<String, Integer> runs = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            runs.merge(name, 1, Integer::sum);
            assertThat(r.getPrimaryResult().getScore()).as("score of %s %s", name, r.getParams()).isPositive();
            r.getSecondaryResults().forEach((label, secondary) ->
                    assertThat(secondary.getScore()).as("%s of %s %s", label, name, r.getParams()).isPositive());
        }
        assertThat(runs).isEqualTo(expectedRuns());
    }

    /** Each @Benchmark method of each class, once per combination of its class's @Param values. */
    private static Map<String, Integer> expectedRuns() {
        Map<String, Integer> expected = new HashMap<>();
        for (Class<?> c : BENCHMARKS) {
            int combinations = Arrays.stream(c.getFields())
                    .filter(f -> f.isAnnotationPresent(Param.class))
                    .mapToInt(f -> f.getAnnotation(Param.class).value().length)
                    .reduce(1, (a, b) -> a * b);
            Set<String> methods = Arrays.stream(c.getMethods())
                    .filter(m -> m.isAnnotationPresent(Benchmark.class))
                    .map(Method::getName)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(methods).as("benchmarks of %s", c.getSimpleName()).isNotEmpty();
            methods.forEach(m -> expected.put(c.getName() + "." + m, combinations));
        }
        return expected;
    }
}
