package io.slmgen.auth.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A session as GoTrue answers it (POST /token, a sign-up with confirmations off, POST /verify); the provider's
 * tokens appear only after a PKCE exchange of an OAuth flow that had them.
 */
@JsonPropertyOrder({"access_token", "token_type", "expires_in", "expires_at", "refresh_token", "user", "provider_token",
        "provider_refresh_token"})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GoTrueSession(
        String accessToken,
        String tokenType,
        int expiresIn,
        long expiresAt,
        String refreshToken,
        GoTrueUser user,
        @JsonInclude(JsonInclude.Include.NON_NULL) String providerToken,
        @JsonInclude(JsonInclude.Include.NON_NULL) String providerRefreshToken)
        implements SignUpResult, VerifyResult {

    public GoTrueSession(String accessToken, int expiresIn, long expiresAt, String refreshToken, GoTrueUser user) {
        this(accessToken, "bearer", expiresIn, expiresAt, refreshToken, user, null, null);
    }

    /** This session with the OAuth provider's tokens (null ones stay out). */
    public GoTrueSession withProviderTokens(String providerToken, String providerRefreshToken) {
        return new GoTrueSession(accessToken, tokenType, expiresIn, expiresAt, refreshToken, user, providerToken,
                providerRefreshToken);
    }
}
