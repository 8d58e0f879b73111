package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one sequence behind --coding-off-first and ?codingOffFirst=true: its bound and its promise to turn coding on again. */
class CodedChangeStepsTest {
    /** A cluster whose scrub never reaches storedK 1 unless told, and whose coding calls may fail. */
    static final class FakeCluster implements CodedChangeSteps.Cluster {
        boolean on = true;
        int storedK = 3;
        boolean wholeWhenOff;
        boolean failTurningOn;
        final List<String> lines = new ArrayList<>();
        final List<Boolean> changes = new ArrayList<>();

        @Override
        public boolean codingOn() {
            return on;
        }

        @Override
        public void setCodingOn(boolean on) {
            if (on && failTurningOn) throw new IllegalStateException("no leader");
            changes.add(on);
            this.on = on;
            if (!on && wholeWhenOff) storedK = 1;
        }

        @Override
        public int storedK() {
            return storedK;
        }

        @Override
        public String belowFullRedundancy() {
            return "?";
        }

        @Override
        public boolean refusedAsCoded(RuntimeException e) {
            return "coded".equals(e.getMessage());
        }

        @Override
        public RuntimeException failure(String code, String message) {
            return new IllegalStateException(code + ": " + message);
        }

        @Override
        public void report(String line) {
            lines.add(line);
        }

        /** A change refused as coded while storedK is above 1. */
        String change() {
            if (storedK > 1) throw new IllegalStateException("coded");
            return "done";
        }
    }

    @Test
    void aChangeThatGoesAtOnceTakesNoStep() {
        FakeCluster c = new FakeCluster();
        c.storedK = 1;
        assertThat(CodedChangeSteps.run(c, c::change, s -> s, Duration.ofSeconds(1))).isEqualTo("done");
        assertThat(c.changes).isEmpty();
        assertThat(c.lines).isEmpty();
    }

    @Test
    void storedKThatNeverReachesOneTimesOutChangesNothingAndTurnsCodingOnAgain() {
        FakeCluster c = new FakeCluster();
        assertThatThrownBy(() -> CodedChangeSteps.run(c, c::change, s -> s, Duration.ofMillis(600)))
                .hasMessageStartingWith("timeout: storedK is still 3 after 0 s");
        assertThat(c.changes).containsExactly(false, true);
        assertThat(c.lines).last().isEqualTo("coding turned on again");
    }

    @Test
    void codingThatWasOffStaysOff() {
        FakeCluster c = new FakeCluster();
        c.on = false;
        c.storedK = 3;
        c.wholeWhenOff = true;
        assertThatThrownBy(() -> CodedChangeSteps.run(c, c::change, s -> s, Duration.ofMillis(600)))
                .hasMessageStartingWith("timeout:");
        assertThat(c.changes).as("never turned on by the steps").isEmpty();
    }

    @Test
    void aFailureToTurnCodingOnAgainSaysItIsStillOff() {
        FakeCluster c = new FakeCluster();
        c.wholeWhenOff = true;
        c.failTurningOn = true;
        assertThatThrownBy(() -> CodedChangeSteps.run(c, c::change, s -> s, Duration.ofSeconds(5)))
                .hasMessageContaining("coding_still_off: the change went through, but turning coding on again failed"
                        + " (no leader): coding is still off");
        assertThat(c.lines).contains("changed: done");
    }
}
