package io.slmgen.auth.model;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * One of a user's identities (auth.identities) in the user's {@code identities} list. The keys come in jsonb's
 * order (shorter keys first) and nulls stay: the list used to be built by PostgreSQL (jsonb_build_object), and
 * its JSON must not change.
 */
@JsonPropertyOrder({"id", "email", "user_id", "provider", "created_at", "updated_at", "identity_id", "identity_data",
        "last_sign_in_at"})
public record UserIdentity(
        @JsonProperty("id") String providerId,
        String email,
        @JsonProperty("user_id") UUID userId,
        String provider,
        @JsonProperty("created_at") @JsonSerialize(using = JsonbTimestamp.class) OffsetDateTime createdAt,
        @JsonProperty("updated_at") @JsonSerialize(using = JsonbTimestamp.class) OffsetDateTime updatedAt,
        @JsonProperty("identity_id") UUID identityId,
        @JsonProperty("identity_data") Map<String, Object> identityData,
        @JsonProperty("last_sign_in_at") @JsonSerialize(using = JsonbTimestamp.class) OffsetDateTime lastSignInAt) {
}
