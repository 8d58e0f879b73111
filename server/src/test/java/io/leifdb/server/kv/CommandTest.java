package io.leifdb.server.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CommandTest {

    private static Command roundTrip(Command c) {
        return Command.decode(c.encode());
    }

    @Test
    void putRoundTripsWithUnicodeAndSlashKeys() {
        for (String key : new String[] {"a", "users/42/name", "/leading/and/trailing/", "ключ/値/🔑", "a b?c=d&e"}) {
            Command put = new Command.Put(key, KvFixtures.utf8("value of " + key), Precondition.NONE);
            assertThat(roundTrip(put)).isEqualTo(put);
        }
    }

    @Test
    void emptyAndLargeValuesRoundTrip() {
        Command empty = new Command.Put("k", new byte[0]);
        assertThat(roundTrip(empty)).isEqualTo(empty);
        byte[] large = new byte[3 << 20];
        new Random(7).nextBytes(large);
        Command.Put big = (Command.Put) roundTrip(new Command.Put("big", large));
        assertThat(big.value()).isEqualTo(large);
    }

    @Test
    void preconditionsRoundTrip() {
        for (Precondition pre : new Precondition[] {Precondition.NONE, Precondition.IF_ABSENT,
                Precondition.ifRevision(1), Precondition.ifRevision(Long.MAX_VALUE)}) {
            assertThat(roundTrip(new Command.Put("k", new byte[] {1}, pre)).pre()).isEqualTo(pre);
            assertThat(roundTrip(new Command.Delete("k", pre))).isEqualTo(new Command.Delete("k", pre));
        }
    }

    @Test
    void encodingStartsWithTheVersionByteAndIsCompact() {
        byte[] bytes = new Command.Delete("key").encode();
        assertThat(bytes[0]).isEqualTo(CommandCodec.VERSION);
        assertThat(bytes).hasSize(1 + 1 + 1 + 1 + 3);
    }

    @Test
    void unknownVersionIsRejected() {
        byte[] bytes = new Command.Delete("key").encode();
        bytes[0] = 9;
        assertThatThrownBy(() -> Command.decode(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version");
    }

    @Test
    void truncatedOrPaddedBytesAreRejected() {
        byte[] bytes = new Command.Put("key", KvFixtures.utf8("value")).encode();
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = Arrays.copyOf(bytes, len);
            assertThatThrownBy(() -> Command.decode(cut)).isInstanceOf(IllegalArgumentException.class);
        }
        byte[] padded = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> Command.decode(padded)).hasMessageContaining("trailing");
    }

    @Test
    void malformedUtf8KeyIsRejected() {
        byte[] bytes = new Command.Delete("ab").encode();
        bytes[bytes.length - 1] = (byte) 0xC3; // a lead byte with no continuation
        assertThatThrownBy(() -> Command.decode(bytes)).hasMessageContaining("UTF-8");
    }

    @Test
    void emptyKeyAndRevisionZeroAreRefused() {
        assertThatThrownBy(() -> new Command.Delete("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Precondition.ifRevision(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void preconditionsHoldOnlyForTheirRevision() {
        assertThat(Precondition.NONE.holds(0)).isTrue();
        assertThat(Precondition.NONE.holds(5)).isTrue();
        assertThat(Precondition.IF_ABSENT.holds(0)).isTrue();
        assertThat(Precondition.IF_ABSENT.holds(5)).isFalse();
        assertThat(Precondition.ifRevision(5).holds(5)).isTrue();
        assertThat(Precondition.ifRevision(5).holds(6)).isFalse();
        assertThat(Precondition.ifRevision(5).holds(0)).isFalse();
    }
}
