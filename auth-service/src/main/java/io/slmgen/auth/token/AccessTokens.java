package io.slmgen.auth.token;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jose4j.json.JsonUtil;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/** Signs access tokens with the claims GoTrue issues (SPEC §3), HS256 with SUPABASE_JWT_SECRET. */
public final class AccessTokens {

    private final HmacKey key;
    private final String issuer;
    private final SigningKeys.Signer signer;

    public AccessTokens(String secret, String issuer) {
        this(secret, issuer, null);
    }

    /** With a signer, tokens are ES256/RS256 with its kid; otherwise HS256 with the secret. */
    public AccessTokens(String secret, String issuer, SigningKeys.Signer signer) {
        this.key = new HmacKey(secret.getBytes(StandardCharsets.UTF_8));
        this.issuer = issuer;
        this.signer = signer;
    }

    /** The claims, in GoTrue's order. */
    public Map<String, Object> claims(String userId, String email, String phone, Map<String, Object> appMetadata,
                                      Map<String, Object> userMetadata, String role, String aal,
                                      List<Map<String, Object>> amr, String sessionId, boolean anonymous,
                                      long issuedAt, long expiresAt) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", issuer);
        c.put("sub", userId);
        c.put("aud", "authenticated");
        c.put("exp", expiresAt);
        c.put("iat", issuedAt);
        c.put("email", email == null ? "" : email);
        c.put("phone", phone == null ? "" : phone);
        c.put("app_metadata", appMetadata);
        c.put("user_metadata", userMetadata);
        c.put("role", role == null || role.isEmpty() ? "authenticated" : role);
        c.put("aal", aal);
        c.put("amr", amr);
        c.put("session_id", sessionId);
        c.put("is_anonymous", anonymous);
        return c;
    }

    public String sign(Map<String, Object> claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(JsonUtil.toJson(claims));
        if (signer != null) {
            jws.setAlgorithmHeaderValue(signer.algorithm());
            jws.setKeyIdHeaderValue(signer.kid());
            jws.setKey(signer.privateKey());
        } else {
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            jws.setKey(key);
            jws.setDoKeyValidation(false);
        }
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("could not sign an access token", e);
        }
    }
}
