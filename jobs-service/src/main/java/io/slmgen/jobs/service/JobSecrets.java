package io.slmgen.jobs.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.slmgen.jobs.config.JobsConfig;

/**
 * Per-job secrets for the notebook's progress reports: 256 random bits, shown once, stored only as
 * HMAC-SHA256 under a server key and compared in constant time.
 */
@ApplicationScoped
public class JobSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final byte[] key;

    public JobSecrets(JobsConfig config) {
        this.key = config.secretKey().getBytes(StandardCharsets.UTF_8);
    }

    public String generate() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "js_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public String hash(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time: the time taken does not depend on how much of the secret is right. */
    public boolean matches(String presented, String storedHash) {
        if (presented == null || storedHash == null) {
            return false;
        }
        return MessageDigest.isEqual(hash(presented).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
