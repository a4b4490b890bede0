package com.oneclick.approval.security;

import org.springframework.security.crypto.password.PasswordEncoder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers, for a short time, that a password matched its hash, so an approver whose client sends
 * HTTP Basic with every call (a script, a burst of approvals) pays the deliberately slow BCrypt
 * check once per {@code ttl} rather than once per request.
 *
 * <p>Only successful matches are remembered, so a wrong password always costs a full check (no
 * help to guessing). Nothing reversible is kept: the key is an HMAC-SHA256, under a random key
 * made at start and never stored, of the password and the hash it matched, so a changed hash
 * misses. At most {@value #MAX_ENTRIES} entries, the oldest dropped first.
 */
public final class CachingPasswordEncoder implements PasswordEncoder {

    static final int MAX_ENTRIES = 1_000;

    private final PasswordEncoder delegate;
    private final Duration ttl;
    private final Clock clock;
    private final SecretKeySpec key;
    private final Map<String, Instant> matched = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    public CachingPasswordEncoder(PasswordEncoder delegate, Duration ttl, Clock clock) {
        this.delegate = delegate;
        this.ttl = ttl;
        this.clock = clock;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return delegate.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null || ttl.isZero() || ttl.isNegative()) {
            return delegate.matches(rawPassword, encodedPassword);
        }
        String fingerprint = fingerprint(rawPassword, encodedPassword);
        Instant now = clock.instant();
        synchronized (matched) {
            Instant until = matched.get(fingerprint);
            if (until != null && now.isBefore(until)) {
                return true;
            }
            matched.remove(fingerprint);
        }
        boolean matches = delegate.matches(rawPassword, encodedPassword);
        if (matches) {
            synchronized (matched) {
                matched.put(fingerprint, now.plus(ttl));
            }
        }
        return matches;
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return delegate.upgradeEncoding(encodedPassword);
    }

    private String fingerprint(CharSequence rawPassword, String encodedPassword) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(rawPassword.toString().getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getEncoder().encodeToString(mac.doFinal(encodedPassword.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
