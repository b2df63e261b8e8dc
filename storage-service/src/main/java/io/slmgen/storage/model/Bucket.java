package io.slmgen.storage.model;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.slmgen.shared.db.RowTimestamp;

/**
 * A storage.buckets row as storage-api renders it (GET /bucket, GET /bucket/{id}): these columns in
 * this order, timestamps as PostgREST writes them (docs/SPEC.md §9).
 */
public record Bucket(
        @JsonProperty("id") String id,
        @JsonProperty("name") String name,
        @JsonProperty("owner") UUID owner,
        @JsonProperty("owner_id") String ownerId,
        @JsonProperty("public") Boolean isPublic,
        @JsonProperty("file_size_limit") Long fileSizeLimit,
        @JsonProperty("allowed_mime_types") List<String> allowedMimeTypes,
        @JsonProperty("created_at") @JsonSerialize(using = RowTimestamp.class) OffsetDateTime createdAt,
        @JsonProperty("updated_at") @JsonSerialize(using = RowTimestamp.class) OffsetDateTime updatedAt) {

    /** Whether objects are served without a token ({@code public} is nullable; null is not public). */
    public boolean servedPublicly() {
        return Boolean.TRUE.equals(isPublic);
    }
}
