package io.slmgen.auth.model;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One of a user's identities (auth.identities) in the user's {@code identities} list. The keys come in jsonb's
 * order (shorter keys first) and nulls stay: the list used to be built by PostgreSQL (jsonb_build_object), and
 * its JSON must not change.
 */
@JsonPropertyOrder({"id", "email", "user_id", "provider", "created_at", "updated_at", "identity_id", "identity_data",
        "last_sign_in_at"})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UserIdentity(
        @JsonProperty("id") String providerId,
        String email,
        UUID userId,
        String provider,
        @JsonSerialize(using = JsonbTimestamp.class) OffsetDateTime createdAt,
        @JsonSerialize(using = JsonbTimestamp.class) OffsetDateTime updatedAt,
        UUID identityId,
        Map<String, Object> identityData,
        @JsonSerialize(using = JsonbTimestamp.class) OffsetDateTime lastSignInAt) {
}
