package io.leifdb.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PayloadsTest {
  @Test
  void keysHaveExactlyTheAskedSizeAndAreDistinct() {
    Payloads p = new Payloads(100_000, 16, 256, false, 1);

    assertThat(p.key(0)).isEqualTo("k000000000000000").hasSize(16);
    assertThat(p.key(99_999)).isEqualTo("k000000000099999").hasSize(16);
    assertThat(p.writeTarget(5)).isEqualTo("/db/k000000000000005");
  }

  @Test
  void bodiesAreJsonWithValuesOfTheAskedSize() {
    Payloads p = new Payloads(10, 16, 256, true, 1);
    String body = new String(p.body(new SplittableRandom(1)), StandardCharsets.UTF_8);

    assertThat(body).startsWith("{\"value\":\"").endsWith("\"}");
    assertThat(body.length() - "{\"value\":\"\"}".length()).isEqualTo(256);
    assertThat(p.readTarget(1)).isEqualTo("/db/k000000000000001?consistency=stale");
  }

  @Test
  void refusesKeySizeTooSmallForTheKeySpace() {
    assertThatThrownBy(() -> new Payloads(1000, 3, 10, false, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need 4");
  }

  @Test
  void durationsAcceptUnitsAndRejectNonsense() {
    BenchMain.DurationConverter c = new BenchMain.DurationConverter();
    assertThat(c.convert("500ms").toMillis()).isEqualTo(500);
    assertThat(c.convert("20s").toSeconds()).isEqualTo(20);
    assertThat(c.convert("1.5s").toMillis()).isEqualTo(1500);
    assertThat(c.convert("2m").toSeconds()).isEqualTo(120);
    assertThat(c.convert("PT3S").toSeconds()).isEqualTo(3);
    assertThat(c.convert("7").toSeconds()).isEqualTo(7);
    assertThatThrownBy(() -> c.convert("soon")).hasMessageContaining("not a duration");
  }
}
