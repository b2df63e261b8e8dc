package io.slmgen.shared.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;

/** Mints Supabase-shaped tokens for tests of every module (HS256 with the test secret, or ES256/RS256). */
public final class TokenMinter {

    /**
     * The secret every test application verifies with (set by this test-jar's
     * META-INF/microprofile-config.properties). Not a public example secret, so the start-up policy
     * (SecretPolicy) accepts it without SLMGEN_ALLOW_DEMO_SECRET; it exists only in test code.
     */
    public static final String SECRET = "slmgen-tests-only-jwt-secret-7f3a9c1e5b2d4086";

    private TokenMinter() {
    }

    /** Claims as GoTrue issues them for a signed-in user, valid for an hour. */
    public static Map<String, Object> userClaims(UUID id, String email) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", "http://127.0.0.1:8080/auth/v1");
        c.put("sub", id.toString());
        c.put("aud", "authenticated");
        c.put("exp", now + 3600);
        c.put("iat", now);
        c.put("email", email);
        c.put("phone", "");
        c.put("app_metadata", Map.of("provider", "email", "providers", List.of("email")));
        c.put("user_metadata", Map.of());
        c.put("role", "authenticated");
        c.put("aal", "aal1");
        c.put("amr", List.of(Map.of("method", "password", "timestamp", now)));
        c.put("session_id", UUID.randomUUID().toString());
        c.put("is_anonymous", false);
        return c;
    }

    public static String user(UUID id, String email) {
        return hs256(userClaims(id, email));
    }

    public static String user(UUID id) {
        return user(id, id + "@example.test");
    }

    public static String anonKey() {
        return hs256(keyClaims("anon"));
    }

    public static String serviceKey() {
        return hs256(keyClaims("service_role"));
    }

    public static Map<String, Object> keyClaims(String role) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", "supabase-demo");
        c.put("role", role);
        c.put("iat", System.currentTimeMillis() / 1000);
        c.put("exp", System.currentTimeMillis() / 1000 + 10L * 365 * 24 * 3600);
        return c;
    }

    public static String hs256(Map<String, Object> claims) {
        return hs256(claims, SECRET);
    }

    public static String hs256(Map<String, Object> claims, String secret) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(toJson(claims));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setHeader("typ", "JWT");
        jws.setKey(new HmacKey(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        jws.setDoKeyValidation(false);
        return serialize(jws);
    }

    public static EllipticCurveJsonWebKey newEcKey(String kid) {
        try {
            EllipticCurveJsonWebKey k = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            k.setKeyId(kid);
            k.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            return k;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static RsaJsonWebKey newRsaKey(String kid) {
        try {
            RsaJsonWebKey k = RsaJwkGenerator.generateJwk(2048);
            k.setKeyId(kid);
            k.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            return k;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWKS document for these keys (private parts never included). */
    public static String jwks(JsonWebKey... keys) {
        return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    public static String es256(Map<String, Object> claims, EllipticCurveJsonWebKey key) {
        return asymmetric(claims, key.getPrivateKey(), key.getKeyId(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
    }

    public static String rs256(Map<String, Object> claims, RsaJsonWebKey key) {
        return asymmetric(claims, key.getPrivateKey(), key.getKeyId(), AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    private static String asymmetric(Map<String, Object> claims, java.security.Key key, String kid, String alg) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(toJson(claims));
        jws.setAlgorithmHeaderValue(alg);
        jws.setKeyIdHeaderValue(kid);
        jws.setHeader("typ", "JWT");
        jws.setKey(key);
        return serialize(jws);
    }

    public static String toJson(Map<String, Object> claims) {
        try {
            return JwtClaims.parse(org.jose4j.json.JsonUtil.toJson(claims)).toJson();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String serialize(JsonWebSignature jws) {
        try {
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
