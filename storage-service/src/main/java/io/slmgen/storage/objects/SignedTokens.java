package io.slmgen.storage.objects;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Signed URL tokens as Supabase storage-api makes them: HS256 JWTs with the project's JWT secret over
 * {@code {url: "bucket/name", iat, exp}} (uploads add {@code owner} and {@code upsert}), so a token
 * minted by hosted Supabase works here and the other way round.
 */
public final class SignedTokens {

    /** What a verified token grants. */
    public record Grant(String url, String owner, boolean upsert) {
    }

    private final HmacKey key;

    public SignedTokens(String secret) {
        this.key = new HmacKey(secret.getBytes(StandardCharsets.UTF_8));
    }

    public String sign(String url, long expiresInSeconds, Map<String, Object> extra) {
        JwtClaims claims = new JwtClaims();
        claims.setClaim("url", url);
        extra.forEach(claims::setClaim);
        long now = System.currentTimeMillis() / 1000;
        claims.setClaim("iat", now);
        claims.setClaim("exp", now + expiresInSeconds);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setHeader("typ", "JWT");
        jws.setKey(key);
        jws.setDoKeyValidation(false);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a storage token", e);
        }
    }

    /** Verifies signature, algorithm and expiry, and that the token was made for {@code expectedUrl}. */
    public Grant verify(String token, String expectedUrl) {
        if (token == null || token.isBlank()) {
            throw StorageError.INVALID_REQUEST.exception("querystring must have required property 'token'");
        }
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(0)
                .setVerificationKey(key)
                .setRelaxVerificationKeyValidation()
                .setSkipDefaultAudienceValidation()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256)
                .build();
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            if (e.hasExpired()) {
                throw StorageError.INVALID_JWT.exception("jwt expired");
            }
            throw StorageError.INVALID_JWT.exception();
        }
        Object url = claims.getClaimValue("url");
        if (!(url instanceof String u) || !u.equals(expectedUrl)) {
            throw StorageError.INVALID_SIGNATURE.exception();
        }
        try {
            String owner = claims.getClaimValue("owner") instanceof String o ? o : null;
            boolean upsert = Boolean.TRUE.equals(claims.getClaimValue("upsert"));
            claims.getExpirationTime();
            return new Grant(u, owner, upsert);
        } catch (MalformedClaimException e) {
            throw StorageError.INVALID_JWT.exception("invalid token claims");
        }
    }
}
