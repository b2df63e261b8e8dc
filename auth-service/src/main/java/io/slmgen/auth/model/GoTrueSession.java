package io.slmgen.auth.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A session as GoTrue answers it (POST /token, a sign-up with confirmations off, POST /verify); the provider's
 * tokens appear only after a PKCE exchange of an OAuth flow that had them.
 */
@JsonPropertyOrder({"access_token", "token_type", "expires_in", "expires_at", "refresh_token", "user", "provider_token",
        "provider_refresh_token"})
public record GoTrueSession(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") int expiresIn,
        @JsonProperty("expires_at") long expiresAt,
        @JsonProperty("refresh_token") String refreshToken,
        GoTrueUser user,
        @JsonProperty("provider_token") @JsonInclude(JsonInclude.Include.NON_NULL) String providerToken,
        @JsonProperty("provider_refresh_token") @JsonInclude(JsonInclude.Include.NON_NULL) String providerRefreshToken)
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
