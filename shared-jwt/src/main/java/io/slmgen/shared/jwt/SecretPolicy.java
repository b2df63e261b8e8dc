package io.slmgen.shared.jwt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * Whether a service may start with the token keys it was given (SPEC §11, "Secrets"). Nothing here
 * has a built-in secret: a service verifies with {@code SUPABASE_JWT_SECRET} and/or the keys published
 * at {@code SUPABASE_JWKS_URL}, and refuses to start when it has neither, when the secret is shorter
 * than 32 bytes (what Supabase requires of a project's JWT secret), or when it is one of Supabase's
 * published example secrets (anyone can mint a service_role token with those). A local suite may opt
 * into the example secret with {@code SLMGEN_ALLOW_DEMO_SECRET=true}, which makes the service start
 * with a loud warning instead.
 */
public final class SecretPolicy {

    /** Supabase's own minimum length for a project's JWT secret. */
    public static final int MIN_SECRET_BYTES = 32;

    /**
     * The secrets Supabase publishes for local use: the CLI's development secret and the one in the
     * self-hosting example environment. Public knowledge, so never acceptable for a real deployment.
     */
    public static final List<String> PUBLIC_DEMO_SECRETS = List.of(
            "super-secret-jwt-token-with-at-least-32-characters-long",
            "your-super-secret-jwt-token-with-at-least-32-characters-long");

    public static final String ALLOW_FLAG = "SLMGEN_ALLOW_DEMO_SECRET";

    /** What the policy says about a configuration. */
    public sealed interface Verdict permits Accepted, Warned, Refused {
    }

    /** Good keys: start quietly. */
    public record Accepted() implements Verdict {
    }

    /** A weak or public secret that the operator explicitly allowed: start, but say so loudly. */
    public record Warned(String message) implements Verdict {
    }

    /** Do not start; the message says what to set. */
    public record Refused(String message) implements Verdict {
    }

    private SecretPolicy() {
    }

    /** For a service that only verifies tokens. */
    public static Verdict check(Optional<String> secret, Optional<String> jwksUrl, boolean allowDemo) {
        return check(secret, jwksUrl, allowDemo, Optional.empty());
    }

    /**
     * @param secret       SUPABASE_JWT_SECRET, if set (blank counts as unset)
     * @param jwksUrl      SUPABASE_JWKS_URL, if set (blank counts as unset)
     * @param allowDemo    SLMGEN_ALLOW_DEMO_SECRET=true
     * @param signsWithIt  what the service signs with the secret itself, if anything (then JWKS keys,
     *                     which only verify, are not enough)
     */
    public static Verdict check(Optional<String> secret, Optional<String> jwksUrl, boolean allowDemo,
                                Optional<String> signsWithIt) {
        Optional<String> s = secret.filter(v -> !v.isBlank());
        boolean jwks = jwksUrl.filter(v -> !v.isBlank()).isPresent();
        Optional<String> signs = signsWithIt.filter(v -> !v.isBlank());
        String problem;
        if (s.isEmpty() && jwks && signs.isPresent()) {
            // the flag allows a weak secret, it cannot stand in for a missing one next to real JWKS keys
            return new Refused("Refusing to start: SUPABASE_JWT_SECRET is not set, and this service signs "
                    + signs.get() + " with it (SUPABASE_JWKS_URL only verifies tokens). Set SUPABASE_JWT_SECRET to "
                    + "at least " + MIN_SECRET_BYTES + " random bytes, the same value for every service.");
        }
        if (s.isEmpty()) {
            if (jwks) {
                return new Accepted();
            }
            if (allowDemo) {
                return new Warned("INSECURE: SUPABASE_JWT_SECRET is not set: using Supabase's public example secret "
                        + "because " + ALLOW_FLAG + "=true; anyone can mint a service_role token for this suite. "
                        + "Use this only for a local suite, never where anyone else can reach it.");
            }
            problem = "neither SUPABASE_JWT_SECRET nor SUPABASE_JWKS_URL is set, so no token could be verified";
        } else if (isPublicDemoSecret(s.get())) {
            problem = "SUPABASE_JWT_SECRET is Supabase's public example secret: anyone can mint a service_role token with it";
        } else if (s.get().getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            problem = "SUPABASE_JWT_SECRET is shorter than " + MIN_SECRET_BYTES + " bytes";
        } else {
            return new Accepted();
        }
        if (allowDemo) {
            return new Warned("INSECURE: " + problem + ". Starting anyway because " + ALLOW_FLAG
                    + "=true: use this only for a local suite, never where anyone else can reach it.");
        }
        return new Refused("Refusing to start: " + problem + ". Set SUPABASE_JWT_SECRET to your project's JWT secret "
                + "(at least " + MIN_SECRET_BYTES + " random bytes, e.g. `openssl rand -base64 48`) and/or "
                + "SUPABASE_JWKS_URL to its signing keys; for a local suite only, " + ALLOW_FLAG
                + "=true starts with the example secret.");
    }

    /**
     * What is wrong with SUPABASE_SERVICE_KEY, if anything. It is sent to our own services, which verify
     * it like any token, so it must be a service_role JWT (Supabase's legacy service_role key; the newer
     * opaque {@code sb_secret_...} keys are only understood by Supabase's own gateway). An HS256 key is
     * checked against the secret here, so a key from another project fails at start rather than as 401s
     * later; an ES256/RS256 key is checked against the JWKS keys when it is used.
     */
    public static Optional<String> serviceKeyProblem(String serviceKey, Optional<String> secret) {
        String key = serviceKey.trim();
        String[] parts = key.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.of("SUPABASE_SERVICE_KEY is not a JWT: use the project's service_role key "
                    + "(a JWT; opaque sb_secret_ keys are not accepted)");
        }
        Map<String, Object> header;
        Map<String, Object> claims;
        try {
            header = JsonUtil.parseJson(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
            claims = JsonUtil.parseJson(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | JoseException e) {
            return Optional.of("SUPABASE_SERVICE_KEY is not a readable JWT");
        }
        if (!"service_role".equals(claims.get("role"))) {
            return Optional.of("SUPABASE_SERVICE_KEY is not a service_role key (its role is " + claims.get("role") + ")");
        }
        Optional<String> s = secret.filter(v -> !v.isBlank());
        if ("HS256".equals(header.get("alg")) && s.isPresent()) {
            try {
                new JwtVerifier(JwtSettings.hmac(s.get()).withoutCache()).verify(key);
            } catch (InvalidTokenException e) {
                return Optional.of("SUPABASE_SERVICE_KEY does not verify with SUPABASE_JWT_SECRET (" + e.getMessage()
                        + "): is it from another project?");
            }
        }
        return Optional.empty();
    }

    static boolean isPublicDemoSecret(String secret) {
        byte[] given = secret.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (String demo : PUBLIC_DEMO_SECRETS) {
            // constant time: the comparison must not tell anyone how much of a real secret matched
            match |= MessageDigest.isEqual(given, demo.getBytes(StandardCharsets.UTF_8));
        }
        return match;
    }
}
