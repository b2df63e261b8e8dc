package io.slmgen.auth.model;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * A user as GoTrue renders it (its models.User JSON): the optional timestamps and {@code new_email} are left
 * out when empty, text columns that are null read as {@code ""}. Never carries the password hash.
 */
@JsonPropertyOrder({"id", "aud", "role", "email", "email_confirmed_at", "phone", "phone_confirmed_at",
        "confirmation_sent_at", "confirmed_at", "recovery_sent_at", "new_email", "email_change_sent_at",
        "last_sign_in_at", "app_metadata", "user_metadata", "identities", "banned_until", "created_at", "updated_at",
        "is_anonymous"})
public record GoTrueUser(
        UUID id,
        String aud,
        String role,
        String email,
        @JsonProperty("email_confirmed_at") @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime emailConfirmedAt,
        String phone,
        @JsonProperty("phone_confirmed_at") @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime phoneConfirmedAt,
        @JsonProperty("confirmation_sent_at") @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime confirmationSentAt,
        @JsonProperty("confirmed_at") @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime confirmedAt,
        @JsonProperty("recovery_sent_at") @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime recoverySentAt,
        @JsonProperty("new_email") @JsonInclude(JsonInclude.Include.NON_EMPTY) String newEmail,
        @JsonProperty("email_change_sent_at") @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime emailChangeSentAt,
        @JsonProperty("last_sign_in_at") @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime lastSignInAt,
        @JsonProperty("app_metadata") Map<String, Object> appMetadata,
        @JsonProperty("user_metadata") Map<String, Object> userMetadata,
        List<UserIdentity> identities,
        @JsonProperty("banned_until") @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime bannedUntil,
        @JsonProperty("created_at") @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime createdAt,
        @JsonProperty("updated_at") @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime updatedAt,
        @JsonProperty("is_anonymous") boolean anonymous) implements SignUpResult {

    /** The user's row as GoTrue shows it. */
    public static GoTrueUser of(User u) {
        return new GoTrueUser(u.id(), orEmpty(u.aud()), orEmpty(u.role()), orEmpty(u.email()), u.emailConfirmedAt(),
                orEmpty(u.phone()), u.phoneConfirmedAt(), u.confirmationSentAt(), u.confirmedAt(), u.recoverySentAt(),
                u.emailChange(), u.emailChangeSentAt(), u.lastSignInAt(), Json.map(u.appMetadata()),
                Json.map(u.userMetadata()), u.identities(), u.bannedUntil(), u.createdAt(), u.updatedAt(), u.anonymous());
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
