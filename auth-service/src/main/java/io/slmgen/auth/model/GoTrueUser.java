package io.slmgen.auth.model;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A user as GoTrue renders it (its models.User JSON): the optional timestamps and {@code new_email} are left
 * out when empty, text columns that are null read as {@code ""}. Never carries the password hash.
 */
@JsonPropertyOrder({"id", "aud", "role", "email", "email_confirmed_at", "phone", "phone_confirmed_at",
        "confirmation_sent_at", "confirmed_at", "recovery_sent_at", "new_email", "email_change_sent_at",
        "last_sign_in_at", "app_metadata", "user_metadata", "identities", "banned_until", "created_at", "updated_at",
        "is_anonymous"})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GoTrueUser(
        UUID id,
        String aud,
        String role,
        String email,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime emailConfirmedAt,
        String phone,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime phoneConfirmedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime confirmationSentAt,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime confirmedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime recoverySentAt,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) String newEmail,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime emailChangeSentAt,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime lastSignInAt,
        Map<String, Object> appMetadata,
        Map<String, Object> userMetadata,
        List<UserIdentity> identities,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime bannedUntil,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = GoTrueTimestamp.class) OffsetDateTime createdAt,
        @JsonInclude(JsonInclude.Include.NON_NULL)
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
