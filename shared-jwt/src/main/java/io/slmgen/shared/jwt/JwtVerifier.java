package io.slmgen.shared.jwt;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

import io.slmgen.shared.jwt.VerifiedTokenCache.Entry;

/**
 * Verifies Supabase access tokens and API keys (SPEC §3).
 *
 * <p>HS256 tokens are checked only against the configured secret; ES256/RS256 tokens only against a
 * JWKS public key selected by {@code kid} whose type matches the algorithm. Nothing else is accepted:
 * {@code alg: none}, other algorithms, an HS256 token whose "secret" is someone's public key, and
 * unknown kids (after one rate-limited refresh) all fail.
 *
 * <p>Tokens that passed are remembered in a bounded {@link VerifiedTokenCache} (by the exact token
 * string, for at most {@link JwtSettings#cacheTtl()} and never past their exp). A hit skips parsing and
 * the signature check only: exp and nbf are checked again against this verifier's clock and leeway on
 * every hit, with the same arithmetic as the full path, so a token expires from the cache exactly when it
 * would be rejected uncached. An ES256/RS256 hit is only answered while the current JWKS (not older than
 * its max age) still maps the token's kid to the very key that verified it: once a refresh drops or
 * replaces that kid, the next use of the token goes through full verification again (and fails if the
 * kid is unknown), without waiting for the TTL. Entries are checked when used rather than swept when the
 * key set changes, so no verification racing a refresh can re-insert a stale entry unnoticed.
 */
public final class JwtVerifier {

    public static final Set<String> ROLES = Set.of("anon", "authenticated", "service_role");
    private static final AlgorithmConstraints ALLOWED = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT,
            AlgorithmIdentifiers.HMAC_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.RSA_USING_SHA256);

    private final JwtSettings settings;
    private final Optional<HmacKey> hmacKey;
    private final Optional<JwksKeySource> jwks;
    private final Clock clock;
    private final int leewaySeconds;
    private final VerifiedTokenCache cache;
    private final long cacheTtlMillis;

    public JwtVerifier(JwtSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public JwtVerifier(JwtSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.leewaySeconds = (int) settings.leeway().toSeconds();
        this.cache = settings.cacheEnabled() ? new VerifiedTokenCache(settings.cacheSize()) : null;
        this.cacheTtlMillis = settings.cacheEnabled() ? settings.cacheTtl().toMillis() : 0;
        this.hmacKey = settings.hmacSecret().filter(s -> !s.isEmpty())
                .map(s -> new HmacKey(s.getBytes(StandardCharsets.UTF_8)));
        this.jwks = settings.jwksUrl().map(u -> new JwksKeySource(u, settings.jwksMinRefresh(),
                settings.jwksMaxAge(), clock));
    }

    /** Visible for tests and for services that publish their own keys. */
    public Optional<JwksKeySource> jwks() {
        return jwks;
    }

    /** The verified-token cache, if enabled (tests, metrics). */
    public Optional<VerifiedTokenCache> cache() {
        return Optional.ofNullable(cache);
    }

    /** Verifies synchronously; only usable when no JWKS fetch is needed (HS256 or a cached kid). */
    public VerifiedToken verify(String token) throws InvalidTokenException {
        try {
            return verifyAsync(token).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof InvalidTokenException ite) {
                throw ite;
            }
            throw new InvalidTokenException("invalid JWT");
        }
    }

    /** Verifies, fetching the JWKS asynchronously when an unknown kid calls for it. */
    public CompletableFuture<VerifiedToken> verifyAsync(String token) {
        try {
            checkLength(token);
            VerifiedToken hit = cached(token);
            if (hit != null) {
                return CompletableFuture.completedFuture(hit);
            }
        } catch (InvalidTokenException e) {
            return CompletableFuture.failedFuture(e);
        }
        return verifyUncached(token);
    }

    /**
     * The cached verification of exactly this token, or null to verify it in full. Throws what the full
     * path would for a token that has expired (or is not yet valid) since it was cached.
     */
    private VerifiedToken cached(String token) throws InvalidTokenException {
        if (cache == null) {
            return null;
        }
        Entry e = cache.get(token);
        if (e == null) {
            return null;
        }
        long now = clock.millis();
        if (now >= e.deadlineMillis()
                || e.kid() != null && (jwks.isEmpty() || jwks.get().currentKey(e.kid()) != e.key())) {
            cache.remove(token, e);
            return null;
        }
        try {
            checkTimes(e.exp(), e.nbf(), now);
        } catch (InvalidTokenException expired) {
            cache.remove(token, e);
            throw expired;
        }
        return e.token();
    }

    /**
     * exp and nbf against {@code nowMillis} with the leeway, with jose4j's NumericDateValidator arithmetic
     * (whole seconds of the evaluation time; expired when now - leeway >= exp; not yet valid when
     * now + leeway < nbf), so a cached token fails exactly when the full verification would.
     */
    private void checkTimes(long exp, long nbf, long nowMillis) throws InvalidTokenException {
        long now = nowMillis / 1000;
        if (now - leewaySeconds >= exp) {
            throw new InvalidTokenException("JWT expired");
        }
        if (nbf != Long.MIN_VALUE && now + leewaySeconds < nbf) {
            throw new InvalidTokenException("JWT not yet valid");
        }
    }

    private CompletableFuture<VerifiedToken> verifyUncached(String token) {
        try {
            JsonWebSignature header = parseHeader(token);
            String alg = header.getAlgorithmHeaderValue();
            if (AlgorithmIdentifiers.HMAC_SHA256.equals(alg)) {
                Key key = hmacKey.orElseThrow(() -> new InvalidTokenException("HS256 tokens are not accepted here"));
                return CompletableFuture.completedFuture(check(token, key, null));
            }
            if (AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256.equals(alg)
                    || AlgorithmIdentifiers.RSA_USING_SHA256.equals(alg)) {
                String kid = header.getKeyIdHeaderValue();
                if (kid == null || kid.isEmpty()) {
                    throw new InvalidTokenException("asymmetric token without kid");
                }
                if (jwks.isEmpty()) {
                    throw new InvalidTokenException("no JWKS configured for " + alg + " tokens");
                }
                return jwks.get().key(kid).thenApply(key -> {
                    try {
                        Key k = key.orElseThrow(() -> new InvalidTokenException("unknown signing key"));
                        boolean matches = alg.startsWith("ES") ? k instanceof ECPublicKey : k instanceof RSAPublicKey;
                        if (!matches) {
                            throw new InvalidTokenException("key type does not match alg");
                        }
                        return check(token, k, kid);
                    } catch (InvalidTokenException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
            }
            throw new InvalidTokenException("unsupported alg");
        } catch (InvalidTokenException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Before anything else, the cache lookup included: an over-long token is never even hashed. */
    private void checkLength(String token) throws InvalidTokenException {
        if (token == null || token.isEmpty()) {
            throw new InvalidTokenException("missing token");
        }
        if (token.length() > settings.maxTokenLength()) {
            throw new InvalidTokenException("token too long");
        }
    }

    /**
     * Exactly three non-empty segments of base64url characters ({@code [A-Za-z0-9_-]+}, no padding),
     * separated by dots. A loop rather than a regular expression: it runs on every uncached request.
     */
    static boolean isCompactJws(String token) {
        int dots = 0;
        int segment = 0;
        for (int i = 0, n = token.length(); i < n; i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (segment == 0 || ++dots > 2) {
                    return false;
                }
                segment = 0;
            } else if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
                segment++;
            } else {
                return false;
            }
        }
        return dots == 2 && segment > 0;
    }

    /** After {@link #checkLength} (verifyAsync runs it before the cache lookup). */
    private JsonWebSignature parseHeader(String token) throws InvalidTokenException {
        if (!isCompactJws(token)) {
            throw new InvalidTokenException("malformed JWT");
        }
        try {
            // decode the header ourselves first: jose4j would otherwise accept padding quirks
            String headerJson = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                    StandardCharsets.UTF_8);
            if (!headerJson.trim().startsWith("{")) {
                throw new InvalidTokenException("malformed JWT header");
            }
            JsonWebSignature jws = new JsonWebSignature();
            jws.setCompactSerialization(token);
            if (jws.getAlgorithmHeaderValue() == null) {
                throw new InvalidTokenException("missing alg");
            }
            if (jws.getHeaders().getObjectHeaderValue("crit") != null) {
                throw new InvalidTokenException("unsupported critical header");
            }
            return jws;
        } catch (JoseException | IllegalArgumentException e) {
            throw new InvalidTokenException("malformed JWT");
        }
    }

    /** Full verification with {@code key}; a token that passes is cached ({@code kid} null for HS256). */
    private VerifiedToken check(String token, Key key, String kid) throws InvalidTokenException {
        long now = clock.millis();
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(ALLOWED)
                .setJwsProviderContext(NativeSignatures.context())
                .setVerificationKey(key)
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(leewaySeconds)
                .setEvaluationTime(NumericDate.fromMilliseconds(now))
                .setSkipDefaultAudienceValidation()
                .build();
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            if (e.hasExpired()) {
                throw new InvalidTokenException("JWT expired");
            }
            throw new InvalidTokenException(describe(e));
        }
        VerifiedToken verified;
        long nbf;
        try {
            verified = toVerified(claims);
            NumericDate notBefore = claims.getNotBefore();
            nbf = notBefore == null ? Long.MIN_VALUE : notBefore.getValue();
        } catch (MalformedClaimException e) {
            throw new InvalidTokenException("malformed claim");
        }
        if (cache != null) {
            long exp = verified.expiresAt();
            long expMillis = exp > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : exp * 1000;
            long deadline = Math.min(now + cacheTtlMillis, expMillis);
            if (deadline > now) {
                cache.put(token, new Entry(verified, deadline, exp, nbf, kid, kid == null ? null : key));
            }
        }
        return verified;
    }

    private static String describe(InvalidJwtException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("signature")) {
            return "invalid JWT signature";
        }
        if (m.contains("nbf") || m.contains("not before")) {
            return "JWT not yet valid";
        }
        if (m.contains("expiration")) {
            return "JWT has no valid exp";
        }
        return "invalid JWT";
    }

    private VerifiedToken toVerified(JwtClaims claims) throws MalformedClaimException, InvalidTokenException {
        Object roleValue = claims.getClaimValue("role");
        if (!(roleValue instanceof String role) || !ROLES.contains(role)) {
            throw new InvalidTokenException("JWT role is missing or not allowed");
        }
        if (claims.hasClaim("iat") && claims.getIssuedAt() == null) {
            throw new InvalidTokenException("malformed iat");
        }
        UUID subject = null;
        String sub = claims.hasClaim("sub") ? claims.getSubject() : null;
        if (sub != null && !sub.isEmpty()) {
            try {
                subject = UUID.fromString(sub);
            } catch (IllegalArgumentException e) {
                if ("authenticated".equals(role)) {
                    throw new InvalidTokenException("JWT sub is not a user id");
                }
            }
        }
        if ("authenticated".equals(role)) {
            if (subject == null) {
                throw new InvalidTokenException("JWT has no sub");
            }
            List<String> aud = claims.hasAudience() ? claims.getAudience() : List.of();
            if (!aud.contains("authenticated")) {
                throw new InvalidTokenException("JWT audience is not authenticated");
            }
        }
        Object email = claims.getClaimValue("email");
        boolean anonymous = Boolean.TRUE.equals(claims.getClaimValue("is_anonymous"));
        Map<String, Object> map = claims.getClaimsMap();
        return new VerifiedToken(role, subject, email instanceof String s && !s.isEmpty() ? s : null, anonymous,
                claims.getExpirationTime().getValue(), map, claims.toJson());
    }
}
