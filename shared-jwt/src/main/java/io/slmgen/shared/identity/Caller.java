package io.slmgen.shared.identity;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.jwt.VerifiedToken;

/**
 * Who is calling, as established from a verified token (or nobody: the anon role).
 *
 * @param bearer the raw access token, forwarded to other services so RLS applies at every hop
 * @param apikey the raw apikey header, forwarded likewise
 */
public record Caller(String role, UUID userId, String email, boolean anonymous, String claimsJson,
                     Map<String, Object> claims, String bearer, String apikey) {

    public static final String ANON_CLAIMS = "{\"role\":\"anon\"}";
    public static final String SERVICE_CLAIMS = "{\"role\":\"service_role\"}";

    /** No credentials at all: the anon role, exactly what the public anon key grants. */
    public static Caller nobody() {
        return new Caller("anon", null, null, false, ANON_CLAIMS, Map.of(), null, null);
    }

    /** The service itself, for internal work that no user asked for (sweepers). Bypasses RLS. */
    public static Caller serviceRole() {
        return new Caller("service_role", null, null, false, SERVICE_CLAIMS, Map.of(), null, null);
    }

    public static Caller of(VerifiedToken t, String bearer, String apikey) {
        return new Caller(t.role(), t.subject(), t.email(), t.anonymous(), t.claimsJson(), t.claims(), bearer, apikey);
    }

    public boolean isUser() {
        return "authenticated".equals(role) && userId != null;
    }

    public boolean isServiceRole() {
        return "service_role".equals(role);
    }

    public Optional<UUID> user() {
        return Optional.ofNullable(isUser() ? userId : null);
    }

    /** The signed-in user's id, or a 401 for anon callers. */
    public UUID requireUser() {
        if (!isUser()) {
            throw ApiError.NO_AUTHORIZATION.exception();
        }
        return userId;
    }

    public void requireServiceRole() {
        if (!isServiceRole()) {
            throw ApiError.NOT_ADMIN.exception();
        }
    }

    /** The Authorization header value to forward, if the caller sent one. */
    public Optional<String> authorizationHeader() {
        return Optional.ofNullable(bearer).map(b -> "Bearer " + b);
    }

    @Override
    public String toString() {
        // never print tokens
        return "Caller[role=" + role + ", user=" + userId + "]";
    }
}
