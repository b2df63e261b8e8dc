package io.slmgen.datasets.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The answer of {@code GET /api/datasets/session-owner/{sid}} (service_role only, read by shared-jwt's
 * SessionResolver): ids as strings, {@code expires_at} as ISO-8601 with offset ({@code OffsetDateTime#toString})
 * or null.
 */
@JsonPropertyOrder({"dataset_id", "user_id", "owner_is_anonymous", "expires_at"})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SessionOwnerAnswer(
        String datasetId,
        String userId,
        boolean ownerIsAnonymous,
        String expiresAt) {

    public static SessionOwnerAnswer of(SessionOwner o) {
        return new SessionOwnerAnswer(o.datasetId().toString(), o.userId().toString(), o.ownerIsAnonymous(),
                o.expiresAt() == null ? null : o.expiresAt().toString());
    }
}
