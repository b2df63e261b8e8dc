package io.slmgen.auth;

import static io.slmgen.auth.AuthTestSupport.as;
import static io.slmgen.auth.AuthTestSupport.client;
import static io.slmgen.auth.AuthTestSupport.email;
import static io.slmgen.auth.AuthTestSupport.signUp;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TokenMinter;

/** ES256 signing keys: the current key signs, every configured key is published and still verifies (rotation). */
@QuarkusTest
@TestProfile(SigningKeysTest.TwoKeys.class)
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "auth"), @ResourceArg(name = "slices", value = "")})
class SigningKeysTest {

    /**
     * The profile and the test run in different class loaders, so the key pair is generated once and
     * kept in a file both read.
     */
    static final Path KEYS = Path.of("target", "test-signing-keys.json");
    static final EllipticCurveJsonWebKey OLD = key(0);
    static final EllipticCurveJsonWebKey CURRENT = key(1);

    static synchronized String jwks() {
        try {
            if (!Files.exists(KEYS)) {
                Files.createDirectories(KEYS.getParent());
                Files.writeString(KEYS, new JsonWebKeySet(TokenMinter.newEcKey("key-2025"), TokenMinter.newEcKey("key-2026"))
                        .toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
            }
            return Files.readString(KEYS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static EllipticCurveJsonWebKey key(int i) {
        try {
            return (EllipticCurveJsonWebKey) new JsonWebKeySet(jwks()).getJsonWebKeys().get(i);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static class TwoKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "auth.jwt.keys", jwks(),
                    "auth.jwt.signing-kid", "key-2026",
                    // the service verifies tokens like any other service: through its own published JWKS
                    "quarkus.http.test-port", "18150",
                    "slmgen.jwt.jwks-url", "http://127.0.0.1:18150/auth/v1/.well-known/jwks.json");
        }
    }

    @Test
    void jwksPublishesEveryKeyWithoutPrivateParts() {
        client().get("/auth/v1/.well-known/jwks.json").then().statusCode(200)
                .body("keys.kid", contains("key-2025", "key-2026"))
                .body("keys.kty", everyItem(equalTo("EC"))).body("keys.alg", everyItem(equalTo("ES256")))
                .body("keys", everyItem(not(hasKey("d"))));
    }

    @Test
    void accessTokensAreEs256WithTheCurrentKidAndWorkHere() throws Exception {
        JsonPath s = signUp(email("es256"), "hunter22");
        String token = s.getString("access_token");
        String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
        JsonPath h = JsonPath.from(header);
        assertEquals("ES256", h.getString("alg"));
        assertEquals("key-2026", h.getString("kid"));
        new JwtConsumerBuilder().setVerificationKey(CURRENT.getPublicKey())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setExpectedAudience("authenticated").setExpectedIssuer("http://127.0.0.1:8080/auth/v1").build().process(token);
        as(token).get("/auth/v1/user").then().statusCode(200).body("id", equalTo(s.getString("user.id")));
        AuthTestSupport.refresh(s.getString("refresh_token")).then().statusCode(200);
    }

    @Test
    void aTokenFromTheRotatedOutKeyStillVerifiesWhileItIsPublished() throws Exception {
        JsonPath s = signUp(email("rotated"), "hunter22");
        UUID id = UUID.fromString(s.getString("user.id"));
        // the same claims the service issues, signed with the previous key
        String payload = new String(Base64.getUrlDecoder().decode(s.getString("access_token").split("\\.")[1]), StandardCharsets.UTF_8);
        org.jose4j.jws.JsonWebSignature jws = new org.jose4j.jws.JsonWebSignature();
        jws.setPayload(payload);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKeyIdHeaderValue(OLD.getKeyId());
        jws.setKey(OLD.getPrivateKey());
        String old = jws.getCompactSerialization();
        new JwtConsumerBuilder().setVerificationKey(OLD.getPublicKey()).setSkipDefaultAudienceValidation()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .build().processToClaims(old);
        as(old).get("/api/profile").then().statusCode(200).body("id", equalTo(id.toString()));
        String unknown = TokenMinter.es256(TokenMinter.userClaims(id, s.getString("user.email")), TokenMinter.newEcKey("key-x"));
        as(unknown).get("/api/profile").then().statusCode(401);
    }
}
