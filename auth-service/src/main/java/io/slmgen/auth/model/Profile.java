package io.slmgen.auth.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.slmgen.shared.db.RowTimestamp;

/**
 * The caller's profile as /api/profile answers it (SPEC §4.3): the row's columns in table order, nulls
 * included, timestamps as PostgREST writes them - the same JSON /rest/v1/profiles gives for the row.
 */
@JsonPropertyOrder({"id", "email", "full_name", "avatar_url", "bio", "notifications_enabled", "theme", "created_at",
        "updated_at"})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Profile(
        UUID id,
        String email,
        String fullName,
        String avatarUrl,
        String bio,
        Boolean notificationsEnabled,
        String theme,
        @JsonSerialize(using = RowTimestamp.class) OffsetDateTime createdAt,
        @JsonSerialize(using = RowTimestamp.class) OffsetDateTime updatedAt) {
}
