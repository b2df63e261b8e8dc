package io.slmgen.jobs.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * SLMGEN's download tokens (SPEC §15): {@code base64url(payload).base64url(HMAC-SHA256)} with payload
 * {@code {"typ":"slmgen_download","sid":..,"v":..,"exp":..}}. The key is derived from the JWT secret
 * for this purpose only, so the token is no access token anywhere. {@code v} is a digest of the job's
 * current secret hash: regenerating the notebook replaces the secret, so older tokens stop working
 * (one valid token generation per session, as SLMGEN keeps one token per session).
 */
@ApplicationScoped
public class DownloadTokens {

    static final String TYPE = "slmgen_download";

    private final byte[] key;
    private final Duration ttl;
    private final Clock clock;

    public DownloadTokens(@ConfigProperty(name = "slmgen.jwt.secret") String jwtSecret,
                          @ConfigProperty(name = "slmgen.download-token-ttl", defaultValue = "60m") Duration ttl) {
        this.key = hmac(jwtSecret.getBytes(StandardCharsets.UTF_8), "slmgen-download-token-key".getBytes(StandardCharsets.UTF_8));
        this.ttl = ttl;
        this.clock = Clock.systemUTC();
    }

    public String issue(String sessionId, String secretHash) {
        return issue(sessionId, secretHash, clock.millis() / 1000 + ttl.toSeconds());
    }

    String issue(String sessionId, String secretHash, long exp) {
        String payload = new JsonObject().put("typ", TYPE).put("sid", sessionId).put("v", version(secretHash))
                .put("exp", exp).encode();
        String p = b64(payload.getBytes(StandardCharsets.UTF_8));
        return p + "." + b64(hmac(key, p.getBytes(StandardCharsets.US_ASCII)));
    }

    /** True when the token is ours, unexpired, for this session and for the job's current secret. */
    public boolean valid(String token, String sessionId, String secretHash) {
        if (token == null || token.length() > 1000 || secretHash == null) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return false;
        }
        String p = token.substring(0, dot);
        byte[] sig;
        byte[] body;
        try {
            sig = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            body = Base64.getUrlDecoder().decode(p);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!MessageDigest.isEqual(sig, hmac(key, p.getBytes(StandardCharsets.US_ASCII)))) {
            return false;
        }
        Map<String, Object> claims;
        try {
            claims = new JsonObject(new String(body, StandardCharsets.UTF_8)).getMap();
        } catch (DecodeException | ClassCastException e) {
            return false;
        }
        return TYPE.equals(claims.get("typ")) && sessionId.equals(claims.get("sid"))
                && version(secretHash).equals(claims.get("v"))
                && claims.get("exp") instanceof Number exp && exp.longValue() > clock.millis() / 1000;
    }

    private static String version(String secretHash) {
        return HexFormat.of().formatHex(hmac("download".getBytes(StandardCharsets.US_ASCII),
                secretHash.getBytes(StandardCharsets.US_ASCII))).substring(0, 16);
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
