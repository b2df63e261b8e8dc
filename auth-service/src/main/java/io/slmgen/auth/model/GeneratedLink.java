package io.slmgen.auth.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** POST /admin/generate_link's answer (GoTrue's): the user's fields, then what a mail would have carried. */
@JsonPropertyOrder({"user", "action_link", "email_otp", "hashed_token", "verification_type", "redirect_to"})
public record GeneratedLink(
        @JsonUnwrapped GoTrueUser user,
        @JsonProperty("action_link") String actionLink,
        @JsonProperty("email_otp") String emailOtp,
        @JsonProperty("hashed_token") String hashedToken,
        @JsonProperty("verification_type") String verificationType,
        @JsonProperty("redirect_to") String redirectTo) {
}
