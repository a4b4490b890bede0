package com.oneclick.approval.security;

import com.oneclick.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CachingPasswordEncoderTest {

    private final CountingEncoder bcrypt = new CountingEncoder(new BCryptPasswordEncoder(4));
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final CachingPasswordEncoder encoder = new CachingPasswordEncoder(bcrypt, Duration.ofMinutes(5), clock);
    private final String hash = new BCryptPasswordEncoder(4).encode("s3cret-pass");

    @Test
    void aPasswordThatMatchedIsNotCheckedAgainWithinTheTtl() {
        // when
        boolean first = encoder.matches("s3cret-pass", hash);
        boolean second = encoder.matches("s3cret-pass", hash);

        // then
        assertThat(first).isTrue();
        assertThat(second).isTrue();
        assertThat(bcrypt.checks).isEqualTo(1);
    }

    @Test
    void aWrongPasswordIsCheckedInFullEveryTime() {
        // when
        boolean first = encoder.matches("guess-1", hash);
        boolean second = encoder.matches("guess-1", hash);

        // then
        assertThat(first).isFalse();
        assertThat(second).isFalse();
        assertThat(bcrypt.checks).isEqualTo(2);
    }

    @Test
    void aRememberedMatchExpiresAfterTheTtl() {
        // given
        encoder.matches("s3cret-pass", hash);

        // when
        clock.advance(Duration.ofMinutes(6));
        boolean later = encoder.matches("s3cret-pass", hash);

        // then
        assertThat(later).isTrue();
        assertThat(bcrypt.checks).isEqualTo(2);
    }

    @Test
    void aChangedHashIsNotMatchedFromMemory() {
        // given the password matched the old hash
        encoder.matches("s3cret-pass", hash);
        String newHash = new BCryptPasswordEncoder(4).encode("new-pass-123");

        // when
        boolean oldPasswordAgainstNewHash = encoder.matches("s3cret-pass", newHash);

        // then
        assertThat(oldPasswordAgainstNewHash).isFalse();
        assertThat(bcrypt.checks).isEqualTo(2);
    }

    @Test
    void aZeroTtlTurnsTheMemoryOff() {
        // given
        CachingPasswordEncoder off = new CachingPasswordEncoder(bcrypt, Duration.ZERO, clock);

        // when
        off.matches("s3cret-pass", hash);
        off.matches("s3cret-pass", hash);

        // then
        assertThat(bcrypt.checks).isEqualTo(2);
    }

    private static final class CountingEncoder implements PasswordEncoder {
        private final PasswordEncoder delegate;
        int checks;

        CountingEncoder(PasswordEncoder delegate) {
            this.delegate = delegate;
        }

        @Override
        public String encode(CharSequence rawPassword) {
            return delegate.encode(rawPassword);
        }

        @Override
        public boolean matches(CharSequence rawPassword, String encodedPassword) {
            checks++;
            return delegate.matches(rawPassword, encodedPassword);
        }
    }

}
