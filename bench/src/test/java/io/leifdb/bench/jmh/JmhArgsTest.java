package io.leifdb.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JmhArgsTest {
    @Test
    void defaultsRunEveryBenchmarkWithOneFork() {
        JmhArgs a = JmhArgs.parse();
        assertThat(a.includes()).isEmpty();
        assertThat(a.forks()).isEqualTo(1);
        assertThat(a.warmupIterations()).isEqualTo(3);
        assertThat(a.iterations()).isEqualTo(5);
        assertThat(a.iterationMillis()).isEqualTo(2000);
    }

    @Test
    void flagsAndRegexesAreRead() {
        JmhArgs a = JmhArgs.parse("CoreBench", "-f", "0", "-wi", "2", "-w", "0.5", "-i", "3", "-r", "1.5",
                "-p", "batch=1,256", "--dir", "scratch", "-q", "Wal.*");
        assertThat(a.includes()).containsExactly("CoreBench", "Wal.*");
        assertThat(a.forks()).isZero();
        assertThat(a.warmupIterations()).isEqualTo(2);
        assertThat(a.warmupMillis()).isEqualTo(500);
        assertThat(a.iterations()).isEqualTo(3);
        assertThat(a.iterationMillis()).isEqualTo(1500);
        assertThat(a.params()).isEqualTo(Map.of("batch", List.of("1", "256")));
        assertThat(a.dir()).isEqualTo("scratch");
        assertThat(a.quiet()).isTrue();
    }

    @Test
    void badInputNamesTheFlagAndWhatIsAllowed() {
        assertThatThrownBy(() -> JmhArgs.parse("-i", "0")).hasMessage("-i 0: expected an integer >= 1");
        assertThatThrownBy(() -> JmhArgs.parse("-r", "soon")).hasMessageStartingWith("-r soon: expected seconds");
        assertThatThrownBy(() -> JmhArgs.parse("-f")).hasMessage("-f needs a value");
        assertThatThrownBy(() -> JmhArgs.parse("-p", "batch")).hasMessageContaining("NAME=VALUE");
        assertThatThrownBy(() -> JmhArgs.parse("--fast")).hasMessage("unknown option --fast");
        assertThatThrownBy(() -> JmhArgs.parse("Core(")).hasMessageStartingWith("benchmark regex Core( is not valid");
    }

    @Test
    void defaultIncludeMatchesOnlyThisPackage() {
        String regex = JmhMain.packageRegex();
        assertThat("io.leifdb.bench.jmh.CoreBench.single").containsPattern(regex);
        assertThat("io.leifdb.bench.wal.WalBench.main").doesNotContainPattern(regex);
    }
}
