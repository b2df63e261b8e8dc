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
 * @param cacheTtl         longest time a verified token is answered from the cache without being parsed
 *                         and verified again (never beyond its exp); zero disables the cache
 * @param cacheSize        most verified tokens kept (see {@link VerifiedTokenCache}); zero disables the cache
 */
public record JwtSettings(Optional<String> hmacSecret, Optional<URI> jwksUrl, Duration leeway,
                          Duration jwksMinRefresh, Duration jwksMaxAge, int maxTokenLength,
                          Duration cacheTtl, int cacheSize) {

    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
    public static final int DEFAULT_CACHE_SIZE = 4_096;

    /** Settings with the default verified-token cache. */
    public JwtSettings(Optional<String> hmacSecret, Optional<URI> jwksUrl, Duration leeway,
                       Duration jwksMinRefresh, Duration jwksMaxAge, int maxTokenLength) {
        this(hmacSecret, jwksUrl, leeway, jwksMinRefresh, jwksMaxAge, maxTokenLength, DEFAULT_CACHE_TTL,
                DEFAULT_CACHE_SIZE);
    }

    public static JwtSettings hmac(String secret) {
        return new JwtSettings(Optional.of(secret), Optional.empty(), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofMinutes(10), 8192);
    }

    public JwtSettings withJwks(URI url) {
        return new JwtSettings(hmacSecret, Optional.of(url), leeway, jwksMinRefresh, jwksMaxAge, maxTokenLength,
                cacheTtl, cacheSize);
    }

    public JwtSettings withJwksMinRefresh(Duration floor) {
        return new JwtSettings(hmacSecret, jwksUrl, leeway, floor, jwksMaxAge, maxTokenLength, cacheTtl, cacheSize);
    }

    public JwtSettings withJwksMaxAge(Duration maxAge) {
        return new JwtSettings(hmacSecret, jwksUrl, leeway, jwksMinRefresh, maxAge, maxTokenLength, cacheTtl, cacheSize);
    }

    /** The verified-token cache: {@code ttl} or {@code size} zero (or less) disables it. */
    public JwtSettings withCache(Duration ttl, int size) {
        return new JwtSettings(hmacSecret, jwksUrl, leeway, jwksMinRefresh, jwksMaxAge, maxTokenLength, ttl, size);
    }

    public JwtSettings withoutCache() {
        return withCache(Duration.ZERO, 0);
    }

    public boolean cacheEnabled() {
        return cacheTtl != null && cacheTtl.compareTo(Duration.ZERO) > 0 && cacheSize > 0;
    }
}
