package io.slmgen.shared.jwt;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jose4j.json.JsonUtil;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Signs HS256 access tokens shaped like GoTrue's, with the project's JWT secret. Services use it to
 * act for the owner of an anonymous SLMGEN session (SPEC §15) with a short-lived token, so every hop
 * still runs under that user's RLS rather than as service_role.
 */
public final class TokenIssuer {

    private final HmacKey key;
    private final String issuer;
    private final Clock clock;

    public TokenIssuer(String secret, String issuer, Clock clock) {
        this.key = new HmacKey(secret.getBytes(StandardCharsets.UTF_8));
        this.issuer = issuer;
        this.clock = clock;
    }

    /** A user's access token with Supabase's claims. */
    public String userToken(UUID userId, String email, boolean anonymous, Duration ttl) {
        long now = clock.millis() / 1000;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", issuer);
        c.put("sub", userId.toString());
        c.put("aud", "authenticated");
        c.put("exp", now + ttl.toSeconds());
        c.put("iat", now);
        c.put("email", email == null ? "" : email);
        c.put("phone", "");
        c.put("app_metadata", anonymous ? Map.of("provider", "anonymous", "providers", List.of("anonymous"))
                : Map.of("provider", "email", "providers", List.of("email")));
        c.put("user_metadata", Map.of());
        c.put("role", "authenticated");
        c.put("aal", "aal1");
        c.put("amr", List.of(Map.of("method", anonymous ? "anonymous" : "password", "timestamp", now)));
        c.put("session_id", UUID.randomUUID().toString());
        c.put("is_anonymous", anonymous);
        return sign(c);
    }

    /** An API key (anon or service_role), as Supabase's keys are: role, iss, iat, exp. */
    public String apiKey(String role, Duration ttl) {
        long now = clock.millis() / 1000;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", "supabase");
        c.put("role", role);
        c.put("iat", now);
        c.put("exp", now + ttl.toSeconds());
        return sign(c);
    }

    public String sign(Map<String, Object> claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(JsonUtil.toJson(claims));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setHeader("typ", "JWT");
        jws.setKey(key);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }
}
