package io.slmgen.shared.jwt;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * What the verifier needs to know. Plain values so the verifier is usable (and testable) outside Quarkus.
 *
 * @param hmacSecret       the HS256 secret (SUPABASE_JWT_SECRET); empty to accept only JWKS keys
 * @param jwksUrl          where asymmetric (ES256/RS256) public keys are published, if any
 * @param leeway           clock skew allowed on exp/nbf/iat
 * @param jwksMinRefresh   floor between two JWKS fetches (unknown kid cannot hammer the issuer)
 * @param jwksMaxAge       how long a fetched key set is trusted before a background refresh
 * @param maxTokenLength   longer tokens are rejected before any parsing
 */
public record JwtSettings(Optional<String> hmacSecret, Optional<URI> jwksUrl, Duration leeway,
                          Duration jwksMinRefresh, Duration jwksMaxAge, int maxTokenLength) {

    public static JwtSettings hmac(String secret) {
        return new JwtSettings(Optional.of(secret), Optional.empty(), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofMinutes(10), 8192);
    }

    public JwtSettings withJwks(URI url) {
        return new JwtSettings(hmacSecret, Optional.of(url), leeway, jwksMinRefresh, jwksMaxAge, maxTokenLength);
    }

    public JwtSettings withJwksMinRefresh(Duration floor) {
        return new JwtSettings(hmacSecret, jwksUrl, leeway, floor, jwksMaxAge, maxTokenLength);
    }
}
