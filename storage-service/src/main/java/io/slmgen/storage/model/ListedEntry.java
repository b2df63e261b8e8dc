package io.slmgen.storage.model;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.slmgen.shared.db.RowTimestamp;

/**
 * One entry of POST /object/list (storage.search's shape): a file one level below the prefix with its
 * row's columns, or a folder with only its name (the rest null).
 */
public record ListedEntry(
        @JsonProperty("name") String name,
        @JsonProperty("id") UUID id,
        @JsonProperty("updated_at") @JsonSerialize(using = RowTimestamp.class) OffsetDateTime updatedAt,
        @JsonProperty("created_at") @JsonSerialize(using = RowTimestamp.class) OffsetDateTime createdAt,
        @JsonProperty("last_accessed_at") @JsonSerialize(using = RowTimestamp.class) OffsetDateTime lastAccessedAt,
        @JsonProperty("metadata") Map<String, Object> metadata) {
}
