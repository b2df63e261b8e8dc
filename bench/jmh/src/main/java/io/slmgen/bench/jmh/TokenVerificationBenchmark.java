package io.slmgen.bench.jmh;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.slmgen.shared.jwt.JwtSettings;
import io.slmgen.shared.jwt.JwtVerifier;
import io.slmgen.shared.jwt.VerifiedToken;

/**
 * SPEC §13 "token verification (HS256 and ES256), JMH, ≤ 50 µs p50": {@link JwtVerifier#verify} of a
 * valid Supabase-shaped user access token (GoTrue's claims), signed HS256 with the project secret or
 * ES256 with a JWKS key.
 *
 * <ul>
 *   <li>{@code *Uncached}: a verifier whose verified-token cache is disabled
 *       ({@code JwtSettings.withoutCache()}), so every call parses and checks the signature (what a
 *       first request with a token costs). Before the cache existed, both verifiers were the same.</li>
 *   <li>{@code *Cached}: the same token on every call, as a supabase-js client sends its access token on
 *       every request for up to an hour.</li>
 * </ul>
 *
 * <p>The JWKS is loaded from a JSON document with {@code JwksKeySource.load} (as configured keys would
 * be): no network. Its URL is a closed local port that is never fetched (the key set never goes stale
 * during a run).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenVerificationBenchmark {

    static final String SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";
    static final URI UNUSED_JWKS_URL = URI.create("http://127.0.0.1:9/jwks");

    JwtVerifier uncached;
    JwtVerifier cached;
    String hs256Token;
    String es256Token;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        EllipticCurveJsonWebKey ec = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        ec.setKeyId("bench-ec-1");
        ec.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        String jwks = new JsonWebKeySet(ec).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);

        uncached = newVerifier(false, jwks);
        cached = newVerifier(true, jwks);

        Map<String, Object> claims = userClaims(UUID.fromString("6f1c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f"));
        hs256Token = sign(claims, AlgorithmIdentifiers.HMAC_SHA256, new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8)), null);
        es256Token = sign(claims, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, ec.getPrivateKey(), ec.getKeyId());

        // fail fast if a token would not verify: a benchmark of the rejection path would be meaningless
        for (JwtVerifier v : List.of(uncached, cached)) {
            check(v.verify(hs256Token));
            check(v.verify(es256Token));
        }
    }

    static JwtVerifier newVerifier(boolean cache, String jwks) throws Exception {
        JwtSettings settings = new JwtSettings(Optional.of(SECRET), Optional.of(UNUSED_JWKS_URL),
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofDays(1), 8192);
        JwtVerifier verifier = new JwtVerifier(cache ? settings : settings.withoutCache());
        verifier.jwks().orElseThrow().load(jwks);
        return verifier;
    }

    static void check(VerifiedToken t) {
        if (!"authenticated".equals(t.role()) || t.subject() == null) {
            throw new IllegalStateException("benchmark token did not verify as a user");
        }
    }

    /** Claims as GoTrue issues them for a signed-in user (≈ 700 bytes of JSON), valid for an hour. */
    static Map<String, Object> userClaims(UUID id) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", "http://127.0.0.1:8080/auth/v1");
        c.put("sub", id.toString());
        c.put("aud", "authenticated");
        c.put("exp", now + 3600);
        c.put("iat", now);
        c.put("email", "ada@example.test");
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

    static String sign(Map<String, Object> claims, String alg, Key key, String kid) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(JsonUtil.toJson(claims));
        jws.setAlgorithmHeaderValue(alg);
        if (kid != null) {
            jws.setKeyIdHeaderValue(kid);
        }
        jws.setHeader("typ", "JWT");
        jws.setKey(key);
        return jws.getCompactSerialization();
    }

    @Benchmark
    public VerifiedToken hs256Uncached() throws Exception {
        return uncached.verify(hs256Token);
    }

    @Benchmark
    public VerifiedToken hs256Cached() throws Exception {
        return cached.verify(hs256Token);
    }

    @Benchmark
    public VerifiedToken es256Uncached() throws Exception {
        return uncached.verify(es256Token);
    }

    @Benchmark
    public VerifiedToken es256Cached() throws Exception {
        return cached.verify(es256Token);
    }
}
