package io.slmgen.shared.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.sun.net.httpserver.HttpServer;

import io.slmgen.shared.testing.TokenMinter;

/** The verifier against hostile tokens (all must fail) and the valid shapes Supabase issues (all must pass). */
class JwtVerifierTest {

    static final String SECRET = TokenMinter.SECRET;
    static final UUID USER = UUID.fromString("6f1c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f");
    static final EllipticCurveJsonWebKey EC = TokenMinter.newEcKey("ec-1");
    static final EllipticCurveJsonWebKey EC_ROTATED = TokenMinter.newEcKey("ec-2");
    static final EllipticCurveJsonWebKey EC_STRANGER = TokenMinter.newEcKey("ec-1");
    static final RsaJsonWebKey RSA = TokenMinter.newRsaKey("rsa-1");

    static HttpServer jwksServer;
    static final AtomicReference<String> published = new AtomicReference<>();
    static final AtomicInteger fetches = new AtomicInteger();
    static JwtVerifier verifier;

    @BeforeAll
    static void start() throws Exception {
        published.set(TokenMinter.jwks(EC, RSA));
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/jwks", ex -> {
            fetches.incrementAndGet();
            byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        jwksServer.start();
        verifier = new JwtVerifier(JwtSettings.hmac(SECRET).withJwks(jwksUri()).withJwksMinRefresh(Duration.ZERO));
    }

    @AfterAll
    static void stop() {
        jwksServer.stop(0);
    }

    static URI jwksUri() {
        return URI.create("http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks");
    }

    static Map<String, Object> user() {
        return TokenMinter.userClaims(USER, "ada@example.test");
    }

    static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
        return m;
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String signedWith(String alg, Map<String, Object> claims, byte[] hmacKey) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(TokenMinter.toJson(claims));
        jws.setAlgorithmHeaderValue(alg);
        jws.setKey(new HmacKey(hmacKey));
        jws.setDoKeyValidation(false);
        return jws.getCompactSerialization();
    }

    static String tamper(String token, int part) {
        String[] p = token.split("\\.");
        char[] chars = p[part].toCharArray();
        int i = chars.length / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        p[part] = new String(chars);
        return String.join(".", p);
    }

    @TestFactory
    Stream<DynamicTest> hostileTokensAreAllRejected() throws Exception {
        String valid = TokenMinter.user(USER, "ada@example.test");
        String[] parts = valid.split("\\.");
        String noneHeader = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = parts[1];
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("empty", "");
        cases.put("garbage", "abc");
        cases.put("two segments", parts[0] + "." + parts[1]);
        cases.put("four segments", valid + ".x");
        cases.put("alg none, empty signature", noneHeader + "." + payload + ".");
        cases.put("alg none, copied signature", noneHeader + "." + payload + "." + parts[2]);
        cases.put("alg None (case)", b64("{\"alg\":\"None\"}") + "." + payload + "." + parts[2]);
        cases.put("HS512 with the right secret", signedWith("HS512", user(), SECRET.getBytes(StandardCharsets.UTF_8)));
        cases.put("HS384 with the right secret", signedWith("HS384", user(), SECRET.getBytes(StandardCharsets.UTF_8)));
        cases.put("wrong secret", TokenMinter.hs256(user(), "a-different-secret-that-is-also-32-chars-long"));
        cases.put("expired beyond leeway", TokenMinter.hs256(with(user(), "exp", now() - 120)));
        cases.put("not yet valid", TokenMinter.hs256(with(user(), "nbf", now() + 600)));
        cases.put("no exp", TokenMinter.hs256(with(user(), "exp", null)));
        cases.put("exp as text", TokenMinter.hs256(with(user(), "exp", "tomorrow")));
        cases.put("no role", TokenMinter.hs256(with(user(), "role", null)));
        cases.put("role postgres", TokenMinter.hs256(with(user(), "role", "postgres")));
        cases.put("role supabase_admin", TokenMinter.hs256(with(user(), "role", "supabase_admin")));
        cases.put("role as number", TokenMinter.hs256(with(user(), "role", 1)));
        cases.put("authenticated without sub", TokenMinter.hs256(with(user(), "sub", null)));
        cases.put("authenticated with non-uuid sub", TokenMinter.hs256(with(user(), "sub", "admin")));
        cases.put("authenticated with aud anon", TokenMinter.hs256(with(user(), "aud", "anon")));
        cases.put("authenticated without aud", TokenMinter.hs256(with(user(), "aud", null)));
        cases.put("aud list without authenticated", TokenMinter.hs256(with(user(), "aud", List.of("a", "b"))));
        cases.put("payload not JSON", parts[0] + "." + b64("hello") + "." + parts[2]);
        cases.put("header not JSON", b64("hello") + "." + payload + "." + parts[2]);
        cases.put("invalid base64 characters", parts[0] + ".@@@." + parts[2]);
        cases.put("base64 padding", parts[0] + "=." + payload + "." + parts[2]);
        cases.put("oversized", TokenMinter.hs256(with(user(), "pad", "x".repeat(9000))));
        cases.put("signature tampered", tamper(valid, 2));
        cases.put("payload tampered", parts[0] + "." + b64(TokenMinter.toJson(with(user(), "role", "service_role")))
                + "." + parts[2]);
        cases.put("HS256 signed with the RSA public key (confusion)",
                signedWith("HS256", user(), RSA.getPublicKey().getEncoded()));
        cases.put("HS256 signed with the EC public key JWK text (confusion)",
                signedWith("HS256", user(), TokenMinter.jwks(EC).getBytes(StandardCharsets.UTF_8)));
        cases.put("ES256 unknown kid", TokenMinter.es256(user(), TokenMinter.newEcKey("nobody-knows-me")));
        cases.put("ES256 signed by a stranger's key under a known kid", TokenMinter.es256(user(), EC_STRANGER));
        cases.put("RS256 header but kid of an EC key", rsWithKid("ec-1"));
        cases.put("ES256 without kid", esWithoutKid());
        cases.put("crit header", b64("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}") + "." + payload + "." + parts[2]);
        cases.put("whitespace inside", parts[0] + ". " + payload + "." + parts[2]);
        cases.put("payload is an array", parts[0] + "." + b64("[]") + "." + parts[2]);
        return cases.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            InvalidTokenException ex = assertThrows(InvalidTokenException.class, () -> verifier.verify(e.getValue()));
            assertFalse(ex.getMessage().contains(SECRET), "no secret in messages");
        }));
    }

    static String rsWithKid(String kid) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(TokenMinter.toJson(user()));
        jws.setAlgorithmHeaderValue("RS256");
        jws.setKeyIdHeaderValue(kid);
        jws.setKey(RSA.getPrivateKey());
        return jws.getCompactSerialization();
    }

    static String esWithoutKid() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(TokenMinter.toJson(user()));
        jws.setAlgorithmHeaderValue("ES256");
        jws.setKey(EC.getPrivateKey());
        return jws.getCompactSerialization();
    }

    @Test
    void aUserTokenAsGoTrueIssuesItIsAccepted() throws Exception {
        VerifiedToken t = verifier.verify(TokenMinter.user(USER, "ada@example.test"));
        assertEquals("authenticated", t.role());
        assertEquals(USER, t.subject());
        assertEquals("ada@example.test", t.email());
        assertFalse(t.anonymous());
        assertTrue(t.claimsJson().contains("\"session_id\""));
    }

    @Test
    void anonAndServiceKeysAreAcceptedWithoutAudOrSub() throws Exception {
        assertEquals("anon", verifier.verify(TokenMinter.anonKey()).role());
        assertEquals("service_role", verifier.verify(TokenMinter.serviceKey()).role());
    }

    @Test
    void expiryWithinTheLeewayIsAccepted() throws Exception {
        assertEquals(USER, verifier.verify(TokenMinter.hs256(with(with(user(), "iat", now() - 3600), "exp", now() - 10))).subject());
    }

    @Test
    void anonymousUsersCarryTheFlag() throws Exception {
        assertTrue(verifier.verify(TokenMinter.hs256(with(user(), "is_anonymous", true))).anonymous());
    }

    @Test
    void es256AndRs256TokensVerifyThroughTheJwks() throws Exception {
        assertEquals(USER, verifier.verify(TokenMinter.es256(user(), EC)).subject());
        assertEquals(USER, verifier.verify(TokenMinter.rs256(user(), RSA)).subject());
    }

    @Test
    void aRotatedKeyIsFetchedOnFirstSightOfItsKid() throws Exception {
        String token = TokenMinter.es256(user(), EC_ROTATED);
        published.set(TokenMinter.jwks(EC, EC_ROTATED, RSA));
        try {
            assertEquals(USER, verifier.verify(token).subject());
            // the old key keeps verifying while it is still published
            assertEquals(USER, verifier.verify(TokenMinter.es256(user(), EC)).subject());
        } finally {
            published.set(TokenMinter.jwks(EC, RSA));
        }
    }

    @Test
    void unknownKidsCannotMakeTheVerifierHammerTheIssuer() throws Exception {
        JwtVerifier floored = new JwtVerifier(JwtSettings.hmac(SECRET).withJwks(jwksUri())
                .withJwksMinRefresh(Duration.ofMinutes(5)));
        assertEquals(USER, floored.verify(TokenMinter.es256(user(), EC)).subject());
        int before = fetches.get();
        for (int i = 0; i < 20; i++) {
            String forged = TokenMinter.es256(user(), TokenMinter.newEcKey("forged-" + i));
            assertThrows(InvalidTokenException.class, () -> floored.verify(forged));
        }
        assertEquals(before, fetches.get(), "no JWKS fetch inside the refresh floor");
    }

    @Test
    void asymmetricTokensAreRejectedWhenNoJwksIsConfigured() {
        JwtVerifier hmacOnly = new JwtVerifier(JwtSettings.hmac(SECRET));
        assertThrows(InvalidTokenException.class, () -> hmacOnly.verify(TokenMinter.es256(user(), EC)));
    }
}
