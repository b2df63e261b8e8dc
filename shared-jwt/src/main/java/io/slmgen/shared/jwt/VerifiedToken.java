package io.slmgen.shared.jwt;

import java.util.Collections;
import java.util.Map;
import java.util.UUID;

/**
 * The claims of a token whose signature, time window, audience and role have been checked.
 *
 * @param role       one of {@code anon}, {@code authenticated}, {@code service_role}
 * @param subject    the user's id; present for {@code authenticated}, may be null otherwise
 * @param claimsJson the claims exactly as signed, for {@code request.jwt.claims}
 */
public record VerifiedToken(String role, UUID subject, String email, boolean anonymous,
                            long expiresAt, Map<String, Object> claims, String claimsJson) {

    /** Read-only: a verified token may be answered from the cache to many requests at once. */
    public VerifiedToken {
        claims = claims == null ? null : Collections.unmodifiableMap(claims);
    }
}
