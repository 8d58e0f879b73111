package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A lease's TTL as clients write it, and its bounds (1 s to 24 h). */
class LeaseTtlTest {
    @Test
    void secondsAndUnitsParse() {
        assertThat(LeaseTtl.parse("30")).isEqualTo(30_000);
        assertThat(LeaseTtl.parse("30s")).isEqualTo(30_000);
        assertThat(LeaseTtl.parse("1500ms")).isEqualTo(1_500);
        assertThat(LeaseTtl.parse("5m")).isEqualTo(300_000);
        assertThat(LeaseTtl.parse("24h")).isEqualTo(LeaseTtl.MAX_MILLIS);
        assertThat(LeaseTtl.parse(" 2H ")).isEqualTo(7_200_000);
        assertThat(LeaseTtl.ofSeconds(1.5)).isEqualTo(1_500);
        assertThat(LeaseTtl.ofSeconds(86_400)).isEqualTo(LeaseTtl.MAX_MILLIS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "-5", "999ms", "25h", "1441m", "8760h", "365d", "1y", "", "abc", "3.5s", "1e3",
            "99999999999999999999"})
    void zeroNegativeTooLongOrGarbageIsA400(String raw) {
        assertThatThrownBy(() -> LeaseTtl.parse(raw)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status.code()).isEqualTo(400);
            assertThat(e.code).isEqualTo("bad_ttl");
        });
    }

    @Test
    void jsonSecondsOutOfBoundsAreA400() {
        for (double s : new double[] {0, -1, 0.5, 86_400.5, 31_536_000, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> LeaseTtl.ofSeconds(s)).isInstanceOf(ApiError.class);
        }
    }
}
