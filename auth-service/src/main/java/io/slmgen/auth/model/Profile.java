package io.slmgen.auth.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.slmgen.shared.db.RowTimestamp;

/**
 * The caller's profile as /api/profile answers it (SPEC §4.3): the row's columns in table order, nulls
 * included, timestamps as PostgREST writes them - the same JSON /rest/v1/profiles gives for the row.
 */
@JsonPropertyOrder({"id", "email", "full_name", "avatar_url", "bio", "notifications_enabled", "theme", "created_at",
        "updated_at"})
public record Profile(
        UUID id,
        String email,
        @JsonProperty("full_name") String fullName,
        @JsonProperty("avatar_url") String avatarUrl,
        String bio,
        @JsonProperty("notifications_enabled") Boolean notificationsEnabled,
        String theme,
        @JsonProperty("created_at") @JsonSerialize(using = RowTimestamp.class) OffsetDateTime createdAt,
        @JsonProperty("updated_at") @JsonSerialize(using = RowTimestamp.class) OffsetDateTime updatedAt) {
}
