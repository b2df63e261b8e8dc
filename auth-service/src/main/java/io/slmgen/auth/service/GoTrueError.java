package io.slmgen.auth.service;

import io.slmgen.shared.error.ErrorCode;

/**
 * GoTrue's error codes (its {@code error_code} values, docs/SPEC.md §4.1) with the HTTP status and
 * message GoTrue answers them with; auth-js switches on the code. Rendered in GoTrue's shape on
 * {@code /auth/v1}. Where GoTrue answers one code with two statuses the second entry says which.
 * Failures that are not GoTrue's own (not_found, service_unavailable) come from the shared
 * {@link io.slmgen.shared.error.ApiError}.
 */
public enum GoTrueError implements ErrorCode {
    BAD_JSON(400, "bad_json", "Could not read body into byte slice"),
    BAD_CODE_VERIFIER(400, "bad_code_verifier", "code challenge does not match previously saved code verifier"),
    BAD_OAUTH_CALLBACK(400, "bad_oauth_callback", "The provider returned no user id"),
    BAD_OAUTH_STATE(400, "bad_oauth_state", "OAuth state parameter is invalid or expired"),
    EMAIL_NOT_CONFIRMED(400, "email_not_confirmed", "Email not confirmed"),
    FLOW_STATE_EXPIRED(400, "flow_state_expired", "Flow state has expired"),
    INVALID_CREDENTIALS(400, "invalid_credentials", "Invalid login credentials"),
    PHONE_PROVIDER_DISABLED(400, "phone_provider_disabled", "Phone logins are disabled"),
    PROVIDER_EMAIL_NEEDS_VERIFICATION(400, "provider_email_needs_verification",
            "Error getting user email from external provider"),
    REFRESH_TOKEN_ALREADY_USED(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used"),
    REFRESH_TOKEN_NOT_FOUND(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found"),
    UNSUPPORTED_GRANT_TYPE(400, "unsupported_grant_type", "unsupported_grant_type: use password, refresh_token or pkce"),
    USER_BANNED(400, "user_banned", "User is banned"),
    VALIDATION_FAILED(400, "validation_failed", "A JSON body is required"),
    NO_AUTHORIZATION(401, "no_authorization", "This endpoint requires a valid Bearer token"),
    NOT_ADMIN(403, "not_admin", "User not allowed"),
    OTP_EXPIRED(403, "otp_expired", "Token has expired or is invalid"),
    SESSION_NOT_FOUND(403, "session_not_found", "Session from session_id claim in JWT does not exist"),
    /** The token's user is gone: GoTrue's 403 (an admin lookup of a missing user is {@link #USER_NOT_FOUND}). */
    TOKEN_USER_NOT_FOUND(403, "user_not_found", "User from sub claim in JWT does not exist"),
    FLOW_STATE_NOT_FOUND(404, "flow_state_not_found", "invalid flow state, no valid flow state found"),
    USER_NOT_FOUND(404, "user_not_found", "User not found"),
    ANONYMOUS_PROVIDER_DISABLED(422, "anonymous_provider_disabled", "Anonymous sign-ins are disabled"),
    EMAIL_EXISTS(422, "email_exists", "A user with this email address has already been registered"),
    OTP_DISABLED(422, "otp_disabled", "Signups not allowed for otp"),
    /** An unverified provider e-mail on sign-up: a confirmation mail was sent (GoTrue answers 422 here). */
    PROVIDER_EMAIL_CONFIRMATION_SENT(422, "provider_email_needs_verification",
            "Unverified email with the provider. A confirmation email has been sent to your email"),
    SAME_PASSWORD(422, "same_password", "New password should be different from the old password."),
    SIGNUP_DISABLED(422, "signup_disabled", "Signups not allowed for this instance"),
    USER_ALREADY_EXISTS(422, "user_already_exists", "User already registered"),
    /** GoTrue answers some body checks (a missing new password, a bad e-mail on update) with 422. */
    VALIDATION_FAILED_UNPROCESSABLE(422, "validation_failed", "A new password is required"),
    WEAK_PASSWORD(422, "weak_password", "Password is too weak"),
    OVER_REQUEST_RATE_LIMIT(429, "over_request_rate_limit", "Request rate limit reached"),
    OVER_EMAIL_SEND_RATE_LIMIT(429, "over_email_send_rate_limit", "Email rate limit exceeded"),
    /** Too many wrong codes for one one-time token: GoTrue's otp_expired, answered as a rate limit. */
    OTP_ATTEMPTS_EXCEEDED(429, "otp_expired", "Token has expired or is invalid"),
    EMAIL_SEND_FAILED(500, "email_send_failed", "Error sending email");

    private final Entry entry;

    GoTrueError(int status, String code, String defaultMessage) {
        this.entry = Entry.of(status, code, defaultMessage);
    }

    @Override
    public Entry entry() {
        return entry;
    }
}
