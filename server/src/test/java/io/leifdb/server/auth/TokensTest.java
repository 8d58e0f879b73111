package io.leifdb.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokensTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static AuthState enabled(byte secret) {
        AuthState s = AuthState.EMPTY.apply(new AuthCommand.AddUser("alice", "h"))
                .apply(new AuthCommand.GrantRoles("alice", List.of(Role.ROOT)));
        return s.apply(new AuthCommand.Enable(new byte[] {secret, 2, 3}));
    }

    @Test
    void aTokenIsValidUntilItsExpiryAndNotASecondLonger() {
        AuthState s = enabled((byte) 1);
        String token = new Tokens(Clock.fixed(T0, ZoneOffset.UTC)).issue(s, "alice", Duration.ofSeconds(60)).token();
        assertThat(new Tokens(Clock.fixed(T0.plusSeconds(59), ZoneOffset.UTC)).verify(s, token)).isPresent();
        assertThat(new Tokens(Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC)).verify(s, token)).isEmpty();
    }

    @Test
    void anotherClustersSecretOrADeletedUserEndsTheToken() {
        Tokens tokens = new Tokens(Clock.fixed(T0, ZoneOffset.UTC));
        AuthState s = enabled((byte) 1);
        String token = tokens.issue(s, "alice", Duration.ofMinutes(5)).token();
        assertThat(tokens.verify(enabled((byte) 9), token)).isEmpty();
        AuthState withBob = s.apply(new AuthCommand.AddUser("bob", "h")).apply(new AuthCommand.GrantRoles("bob", List.of(Role.ROOT)));
        String bobs = tokens.issue(withBob, "bob", Duration.ofMinutes(5)).token();
        assertThat(tokens.verify(withBob, bobs)).isPresent();
        assertThat(tokens.verify(withBob.apply(new AuthCommand.DeleteUser("bob")), bobs)).isEmpty();
    }

    @Test
    void theThrottleLocksAnAddressOutAfterFiveFailuresAndForgetsOnSuccess() {
        var now = new java.util.concurrent.atomic.AtomicLong(T0.toEpochMilli());
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId z) {
                return this;
            }

            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        LoginThrottle t = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) t.failed("a");
        assertThat(t.waitSeconds("a")).isZero();
        t.failed("a");
        assertThat(t.waitSeconds("a")).isEqualTo(1);
        t.failed("a");
        assertThat(t.waitSeconds("a")).isEqualTo(2);
        assertThat(t.waitSeconds("b")).as("other addresses are not affected").isZero();
        now.addAndGet(2_000);
        assertThat(t.waitSeconds("a")).isZero();
        t.succeeded("a");
        t.failed("a");
        assertThat(t.waitSeconds("a")).isZero();
    }

    @Test
    void theStateSurvivesItsStoredFormAndRefusesWhatCannotApply() throws Exception {
        AuthState s = enabled((byte) 1).apply(new AuthCommand.AddRole(new Role("reader", List.of(new Permission("pub/", false)))))
                .apply(new AuthCommand.AddUser("r", "h2")).apply(new AuthCommand.GrantRoles("r", List.of("reader")));
        assertThat(AuthState.decode(s.encode())).isEqualTo(s);
        User r = s.user("r").orElseThrow();
        assertThat(s.canRead(r, "pub/x")).isTrue();
        assertThat(s.canRead(r, "secret")).isFalse();
        assertThat(s.canWrite(r, "pub/x")).isFalse();
        assertThat(s.canReadAll(r, "")).isFalse();
        for (AuthCommand bad : List.<AuthCommand>of(new AuthCommand.AddUser("r", "x"), new AuthCommand.GrantRoles("r", List.of("ghost")),
                new AuthCommand.AddRole(new Role(Role.ROOT, List.of())), new AuthCommand.DeleteUser("alice"),
                new AuthCommand.SetPassword("nobody", "x"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.apply(bad)).isInstanceOf(AuthRefusedException.class);
        }
        for (AuthCommand c : List.<AuthCommand>of(new AuthCommand.Bootstrap("h", new byte[] {1}), new AuthCommand.DeleteUser("r"),
                new AuthCommand.AddRole(new Role("w", List.of(new Permission("", true)))))) {
            assertThat(AuthCommand.decode(c.encode())).usingRecursiveComparison().isEqualTo(c);
        }
    }
}
