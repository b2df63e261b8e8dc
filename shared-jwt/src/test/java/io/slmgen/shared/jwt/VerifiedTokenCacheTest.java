package io.slmgen.shared.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.junit.jupiter.api.Test;

import io.slmgen.shared.testing.TokenMinter;

/** The verified-token cache: same answers as full verification, bounded, and never a way around a check. */
class VerifiedTokenCacheTest {

    static final UUID USER = UUID.fromString("6f1c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f");
    /** A whole second, so token times and the clock line up exactly. */
    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    /** Never fetched: key sets are loaded directly and the refresh floor is long. */
    static final URI NO_JWKS_SERVER = URI.create("http://127.0.0.1:9/jwks");

    static final class MutableClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(T0);

        void set(Instant i) {
            now.set(i);
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    static long t0() {
        return T0.getEpochSecond();
    }

    /** GoTrue's claims with iat/exp (and nbf, if not null) relative to T0, in seconds. */
    static Map<String, Object> claims(long iat, long exp, Long nbf) {
        Map<String, Object> c = new LinkedHashMap<>(TokenMinter.userClaims(USER, "ada@example.test"));
        c.put("iat", t0() + iat);
        c.put("exp", t0() + exp);
        if (nbf != null) {
            c.put("nbf", t0() + nbf);
        }
        return c;
    }

    static JwtSettings settings() {
        return JwtSettings.hmac(TokenMinter.SECRET).withJwks(NO_JWKS_SERVER).withJwksMinRefresh(Duration.ofHours(1));
    }

    @Test
    void aHitReturnsTheSameIdentityWithoutVerifyingAgain() throws Exception {
        MutableClock clock = new MutableClock();
        JwtVerifier v = new JwtVerifier(settings(), clock);
        String token = TokenMinter.hs256(claims(0, 3600, null));
        VerifiedToken first = v.verify(token);
        clock.advance(Duration.ofSeconds(10));
        VerifiedToken second = v.verify(token);
        VerifiedToken third = v.verifyAsync(token).join();
        assertSame(first, second, "answered from the cache");
        assertSame(first, third);
        assertEquals(USER, second.subject());
        assertEquals("authenticated", second.role());
        assertEquals(1, v.cache().orElseThrow().size());
    }

    @Test
    void withTheCacheDisabledEveryCallVerifiesInFull() throws Exception {
        JwtVerifier v = new JwtVerifier(settings().withoutCache(), new MutableClock());
        String token = TokenMinter.hs256(claims(0, 3600, null));
        assertNotSame(v.verify(token), v.verify(token));
        assertTrue(v.cache().isEmpty());
    }

    @Test
    void aCachedTokenExpiresExactlyWhenAnUncachedOneWould() throws Exception {
        // exp at T0+60, leeway 30 s: accepted up to T0+89, rejected from T0+90 on, cached or not
        String token = TokenMinter.hs256(claims(0, 60, null));
        MutableClock clock = new MutableClock();
        JwtVerifier cached = new JwtVerifier(settings(), clock);
        JwtVerifier uncached = new JwtVerifier(settings().withoutCache(), clock);
        cached.verify(token);
        for (long s = 0; s <= 150; s++) {
            clock.set(T0.plusSeconds(s).plusMillis(s % 2 == 0 ? 0 : 999));
            String expected = outcome(uncached, token);
            assertEquals(expected, outcome(cached, token), "at T0+" + s + "s");
            assertEquals(s < 90 ? "ok" : "JWT expired", expected, "at T0+" + s + "s");
        }
        // and once expired it stays rejected (nothing stale was re-inserted)
        assertThrows(InvalidTokenException.class, () -> cached.verify(token));
    }

    @Test
    void aClockGoingBackBeforeNbfRejectsACachedTokenAsUncachedWould() throws Exception {
        String token = TokenMinter.hs256(claims(0, 3600, 0L));
        MutableClock clock = new MutableClock();
        JwtVerifier cached = new JwtVerifier(settings(), clock);
        JwtVerifier uncached = new JwtVerifier(settings().withoutCache(), clock);
        VerifiedToken first = cached.verify(token);
        clock.set(T0.minusSeconds(30));
        assertSame(first, cached.verify(token), "nbf - 30 s is inside the leeway");
        clock.set(T0.minusSeconds(31));
        assertEquals("JWT not yet valid", outcome(uncached, token));
        assertEquals("JWT not yet valid", outcome(cached, token));
    }

    static String outcome(JwtVerifier v, String token) {
        try {
            v.verify(token);
            return "ok";
        } catch (InvalidTokenException e) {
            return e.getMessage();
        }
    }

    @Test
    void entriesLiveAtMostTheTtl() throws Exception {
        MutableClock clock = new MutableClock();
        JwtVerifier v = new JwtVerifier(settings().withCache(Duration.ofMinutes(1), 100), clock);
        String token = TokenMinter.hs256(claims(0, 3600, null));
        VerifiedToken first = v.verify(token);
        clock.advance(Duration.ofSeconds(59));
        assertSame(first, v.verify(token));
        clock.advance(Duration.ofSeconds(1));
        VerifiedToken again = v.verify(token);
        assertNotSame(first, again, "verified in full once the TTL is over");
        assertEquals(first.claimsJson(), again.claimsJson());
        assertSame(again, v.verify(token), "and cached anew");
    }

    @Test
    void entriesNeverOutliveTheTokensExp() throws Exception {
        MutableClock clock = new MutableClock();
        JwtVerifier v = new JwtVerifier(settings().withCache(Duration.ofHours(1), 100), clock);
        String token = TokenMinter.hs256(claims(0, 20, null));
        VerifiedToken first = v.verify(token);
        clock.advance(Duration.ofSeconds(19));
        assertSame(first, v.verify(token));
        clock.advance(Duration.ofSeconds(1));
        // past exp but inside the leeway: still valid, but only through full verification, never cached
        VerifiedToken late = v.verify(token);
        assertNotSame(first, late);
        assertNotSame(late, v.verify(token));
    }

    @Test
    void theSizeIsBoundedAndRecentTokensStay() throws Exception {
        MutableClock clock = new MutableClock();
        JwtVerifier v = new JwtVerifier(settings().withCache(Duration.ofMinutes(5), 10), clock);
        VerifiedTokenCache cache = v.cache().orElseThrow();
        List<String> tokens = new ArrayList<>();
        List<VerifiedToken> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Map<String, Object> c = claims(0, 3600, null);
            c.put("session_id", "s-" + i);
            String token = TokenMinter.hs256(c);
            tokens.add(token);
            answers.add(v.verify(token));
            assertTrue(cache.size() <= 10, "size " + cache.size() + " after " + (i + 1) + " tokens");
        }
        assertEquals(10, cache.capacity());
        assertSame(answers.get(199), v.verify(tokens.get(199)), "the newest token is still cached");
        assertNotSame(answers.get(0), v.verify(tokens.get(0)), "the oldest was evicted");

        // a token in use survives any number of others passing through
        String hot = tokens.get(100);
        VerifiedToken hotAnswer = v.verify(hot);
        for (int i = 0; i < 100; i++) {
            Map<String, Object> c = claims(0, 3600, null);
            c.put("session_id", "other-" + i);
            v.verify(TokenMinter.hs256(c));
            assertSame(hotAnswer, v.verify(hot), "hot token evicted after " + i + " others");
            assertTrue(cache.size() <= 10);
        }
    }

    @Test
    void failedVerificationsAreNotCached() throws Exception {
        MutableClock clock = new MutableClock();
        JwtVerifier v = new JwtVerifier(settings(), clock);
        VerifiedTokenCache cache = v.cache().orElseThrow();
        String good = TokenMinter.hs256(claims(0, 3600, null));
        v.verify(good);
        assertEquals(1, cache.size());
        String[] parts = good.split("\\.");
        char last = parts[2].charAt(parts[2].length() / 2);
        String badSignature = parts[0] + "." + parts[1] + "."
                + parts[2].substring(0, parts[2].length() / 2) + (last == 'A' ? 'B' : 'A')
                + parts[2].substring(parts[2].length() / 2 + 1);
        Map<String, Object> escalated = claims(0, 3600, null);
        escalated.put("role", "service_role");
        String badPayload = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(TokenMinter.toJson(escalated).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + parts[2];
        Map<String, Object> wrongRole = claims(0, 3600, null);
        wrongRole.put("role", "postgres");
        String validlySignedButRejected = TokenMinter.hs256(wrongRole);
        for (int round = 0; round < 3; round++) {
            assertEquals("invalid JWT signature", outcome(v, badSignature));
            assertEquals("invalid JWT signature", outcome(v, badPayload));
            assertEquals("JWT role is missing or not allowed", outcome(v, validlySignedButRejected));
            assertEquals("ok", outcome(v, good));
        }
        assertEquals(1, cache.size(), "only the good token is cached");
    }

    @Test
    void anAsymmetricTokenStopsBeingAcceptedOnceItsKidLeavesTheJwks() throws Exception {
        EllipticCurveJsonWebKey ec1 = TokenMinter.newEcKey("ec-1");
        EllipticCurveJsonWebKey ec2 = TokenMinter.newEcKey("ec-2");
        MutableClock clock = new MutableClock();
        JwtVerifier v = new JwtVerifier(settings(), clock);
        JwksKeySource jwks = v.jwks().orElseThrow();
        jwks.load(TokenMinter.jwks(ec1, ec2));
        String token = TokenMinter.es256(claims(0, 3600, null), ec1);
        String other = TokenMinter.es256(claims(0, 3600, null), ec2);
        VerifiedToken first = v.verify(token);
        VerifiedToken otherFirst = v.verify(other);
        assertSame(first, v.verify(token));

        // a refresh that still publishes the same keys: accepted (verified once more against the new set)
        jwks.load(TokenMinter.jwks(ec1, ec2));
        VerifiedToken afterSameSet = v.verify(token);
        assertNotSame(first, afterSameSet);
        assertSame(afterSameSet, v.verify(token));

        // ec-1 rotated out: the cached token fails at once, without waiting for the TTL; ec-2 tokens still pass
        jwks.load(TokenMinter.jwks(ec2));
        assertEquals("unknown signing key", outcome(v, token));
        assertEquals("unknown signing key", outcome(v, token));
        assertEquals(otherFirst.claimsJson(), v.verify(other).claimsJson());
    }

    @Test
    void anAsymmetricTokenFailsOnceItsKidNamesAnotherKey() throws Exception {
        EllipticCurveJsonWebKey ec1 = TokenMinter.newEcKey("ec-1");
        EllipticCurveJsonWebKey impostor = TokenMinter.newEcKey("ec-1");
        JwtVerifier v = new JwtVerifier(settings(), new MutableClock());
        JwksKeySource jwks = v.jwks().orElseThrow();
        jwks.load(TokenMinter.jwks(ec1));
        String token = TokenMinter.es256(claims(0, 3600, null), ec1);
        v.verify(token);
        jwks.load(TokenMinter.jwks(impostor));
        assertEquals("invalid JWT signature", outcome(v, token));
        assertEquals(0, v.cache().orElseThrow().size());
    }

    @Test
    void hs256TokensAreNotAnsweredFromTheCacheByAVerifierWithoutTheSecret() throws Exception {
        // one cache per verifier: a verifier configured for JWKS only never sees another's entries
        MutableClock clock = new MutableClock();
        JwtVerifier withSecret = new JwtVerifier(settings(), clock);
        JwtVerifier jwksOnly = new JwtVerifier(new JwtSettings(java.util.Optional.empty(),
                java.util.Optional.of(NO_JWKS_SERVER), Duration.ofSeconds(30), Duration.ofHours(1),
                Duration.ofMinutes(10), 8192), clock);
        String token = TokenMinter.hs256(claims(0, 3600, null));
        withSecret.verify(token);
        assertEquals("HS256 tokens are not accepted here", outcome(jwksOnly, token));
    }

    @Test
    void theCompactFormatCheckMatchesTheRegularExpressionItReplaced() {
        Pattern compact = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        char[] alphabet = "aZ09-_.=+/ \u00e9".toCharArray();
        Random random = new Random(42);
        int matches = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(9);
            for (int j = 0; j < len; j++) {
                // dots and base64url characters most of the time, so that valid shapes come up often
                sb.append(random.nextInt(4) == 0 ? '.' : random.nextInt(5) == 0
                        ? alphabet[random.nextInt(alphabet.length)] : alphabet[random.nextInt(6)]);
            }
            String s = sb.toString();
            boolean expected = compact.matcher(s).matches();
            matches += expected ? 1 : 0;
            assertEquals(expected, JwtVerifier.isCompactJws(s), "for \"" + s + "\"");
        }
        assertTrue(matches > 1000, "the sample holds valid shapes too: " + matches);
    }
}
