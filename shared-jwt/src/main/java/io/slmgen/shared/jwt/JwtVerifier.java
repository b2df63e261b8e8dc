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
import java.util.regex.Pattern;

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

/**
 * Verifies Supabase access tokens and API keys (SPEC §3).
 *
 * <p>HS256 tokens are checked only against the configured secret; ES256/RS256 tokens only against a
 * JWKS public key selected by {@code kid} whose type matches the algorithm. Nothing else is accepted:
 * {@code alg: none}, other algorithms, an HS256 token whose "secret" is someone's public key, and
 * unknown kids (after one rate-limited refresh) all fail.
 */
public final class JwtVerifier {

    public static final Set<String> ROLES = Set.of("anon", "authenticated", "service_role");
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final AlgorithmConstraints ALLOWED = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT,
            AlgorithmIdentifiers.HMAC_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.RSA_USING_SHA256);

    private final JwtSettings settings;
    private final Optional<HmacKey> hmacKey;
    private final Optional<JwksKeySource> jwks;
    private final Clock clock;

    public JwtVerifier(JwtSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public JwtVerifier(JwtSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.hmacKey = settings.hmacSecret().filter(s -> !s.isEmpty())
                .map(s -> new HmacKey(s.getBytes(StandardCharsets.UTF_8)));
        this.jwks = settings.jwksUrl().map(u -> new JwksKeySource(u, settings.jwksMinRefresh(),
                settings.jwksMaxAge(), clock));
    }

    /** Visible for tests and for services that publish their own keys. */
    public Optional<JwksKeySource> jwks() {
        return jwks;
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
            JsonWebSignature header = parseHeader(token);
            String alg = header.getAlgorithmHeaderValue();
            if (AlgorithmIdentifiers.HMAC_SHA256.equals(alg)) {
                Key key = hmacKey.orElseThrow(() -> new InvalidTokenException("HS256 tokens are not accepted here"));
                return CompletableFuture.completedFuture(check(token, key));
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
                        return check(token, k);
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

    private JsonWebSignature parseHeader(String token) throws InvalidTokenException {
        if (token == null || token.isEmpty()) {
            throw new InvalidTokenException("missing token");
        }
        if (token.length() > settings.maxTokenLength()) {
            throw new InvalidTokenException("token too long");
        }
        if (!COMPACT_JWS.matcher(token).matches()) {
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

    private VerifiedToken check(String token, Key key) throws InvalidTokenException {
        int leeway = (int) settings.leeway().toSeconds();
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(ALLOWED)
                .setVerificationKey(key)
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(leeway)
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
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
        try {
            return toVerified(claims);
        } catch (MalformedClaimException e) {
            throw new InvalidTokenException("malformed claim");
        }
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
