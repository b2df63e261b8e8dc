package io.slmgen.shared.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.jwt.JwtSettings;
import io.slmgen.shared.jwt.JwtVerifier;
import io.slmgen.shared.jwt.VerifiedToken;
import io.slmgen.shared.testing.TokenMinter;

class ActingCallersTest {

    static final String SECRET = "acting-callers-test-secret-0123456789abcdef";

    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final HandClock clock = new HandClock();
    final JwtVerifier verifier = new JwtVerifier(JwtSettings.hmac(SECRET).withoutCache(), clock);

    ActingCallers acting(Optional<String> secret, Optional<String> serviceKey, Optional<String> anonKey) {
        return new ActingCallers(secret, serviceKey, anonKey, "http://127.0.0.1:8080", verifier, clock);
    }

    @Test
    void theConfiguredServiceKeyIsUsedAsIs() {
        String hosted = TokenMinter.hs256(TokenMinter.keyClaims("service_role"), SECRET);
        ActingCallers a = acting(Optional.of(SECRET), Optional.of(" " + hosted + "\n"), Optional.empty());
        assertEquals(hosted, a.serviceRoleKey());
        // also without a secret: a project with asymmetric keys only
        assertEquals(hosted, acting(Optional.empty(), Optional.of(hosted), Optional.empty()).serviceRoleKey());
    }

    @Test
    void withoutAConfiguredKeyAServiceKeyIsMintedAndReusedForAWhile() throws Exception {
        ActingCallers a = acting(Optional.of(SECRET), Optional.empty(), Optional.of(""));
        String first = a.serviceRoleKey();
        VerifiedToken t = verifier.verify(first);
        assertEquals("service_role", t.role());
        assertEquals(clock.instant().getEpochSecond() + 300, t.expiresAt());
        clock.now = clock.now.plus(Duration.ofSeconds(119));
        assertEquals(first, a.serviceRoleKey(), "reused, so receivers answer it from their token cache");
        clock.now = clock.now.plus(Duration.ofSeconds(2));
        String second = a.serviceRoleKey();
        assertNotEquals(first, second);
        // whoever takes a key still has at least three minutes of it
        assertTrue(verifier.verify(second).expiresAt() - clock.instant().getEpochSecond() >= 180);
    }

    @Test
    void theAnonKeyIsTheConfiguredOneOrMinted() throws Exception {
        String configured = TokenMinter.hs256(TokenMinter.keyClaims("anon"), SECRET);
        assertEquals(configured, acting(Optional.of(SECRET), Optional.empty(), Optional.of(configured)).anonKey());
        assertEquals("anon", verifier.verify(acting(Optional.of(SECRET), Optional.empty(), Optional.empty()).anonKey()).role());
    }

    @Test
    void actsForAnAnonymousSessionsOwnerWithAMintedUserToken() {
        UUID owner = UUID.randomUUID();
        Caller c = acting(Optional.of(SECRET), Optional.empty(), Optional.empty()).anonymousOwner(owner);
        assertEquals(owner, c.userId());
        assertTrue(c.isUser() && c.anonymous());
        assertTrue(c.bearer() != null && c.apikey() != null);
    }

    @Test
    void withoutASecretMintingAnswers503NamingTheSetting() {
        ActingCallers jwksOnly = acting(Optional.empty(), Optional.empty(), Optional.empty());
        ApiException e = assertThrows(ApiException.class, () -> jwksOnly.anonymousOwner(UUID.randomUUID()));
        assertEquals(503, e.status());
        assertEquals("not_configured", e.code());
        assertTrue(e.getMessage().contains("SUPABASE_JWT_SECRET"), e.getMessage());
        ApiException k = assertThrows(ApiException.class, jwksOnly::serviceRoleKey);
        assertTrue(k.getMessage().contains("SUPABASE_SERVICE_KEY"), k.getMessage());
        assertEquals(503, assertThrows(ApiException.class, jwksOnly::issuer).status());
        assertEquals(false, jwksOnly.canMint());
    }
}
