package io.slmgen.auth.rest;

import java.util.Map;

/** Request bodies of the GoTrue API (unknown fields such as gotrue_meta_security are ignored). */
public final class AuthRequests {

    private AuthRequests() {
    }

    public record Signup(String email, String password, String phone, Map<String, Object> data,
                         String code_challenge, String code_challenge_method) {
    }

    public record Token(String email, String password, String phone, String refresh_token, String auth_code,
                        String code_verifier) {
    }

    public record UserUpdate(String email, String password, String phone, Map<String, Object> data, String nonce) {
    }

    public record Otp(String email, String phone, Boolean create_user, Map<String, Object> data, String code_challenge,
                      String code_challenge_method) {
    }

    public record Recover(String email, String code_challenge, String code_challenge_method) {
    }

    public record GenerateLink(String type, String email, String password, Map<String, Object> data, String redirect_to) {
    }

    public record Resend(String type, String email, String phone, String code_challenge, String code_challenge_method) {
    }

    public record Verify(String type, String token, String token_hash, String email, String phone, String redirect_to) {
    }

    public record AdminUser(String email, String password, String phone, Boolean email_confirm,
                            Map<String, Object> user_metadata, Map<String, Object> app_metadata, String ban_duration,
                            String role) {
    }

    /** The seed's /auth endpoints. */
    public record SeedCredentials(String email, String password, Map<String, Object> data, String full_name) {
    }

    public record SeedEmail(String email, String redirect_to) {
    }

    public record SeedPassword(String password) {
    }
}
