package io.slmgen.auth.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** POST /admin/generate_link's answer (GoTrue's): the user's fields, then what a mail would have carried. */
@JsonPropertyOrder({"user", "action_link", "email_otp", "hashed_token", "verification_type", "redirect_to"})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GeneratedLink(
        @JsonUnwrapped GoTrueUser user,
        String actionLink,
        String emailOtp,
        String hashedToken,
        String verificationType,
        String redirectTo) {
}
