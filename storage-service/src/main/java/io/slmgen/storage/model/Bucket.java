package io.slmgen.storage.model;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.slmgen.shared.db.RowTimestamp;

/**
 * A storage.buckets row as storage-api renders it (GET /bucket, GET /bucket/{id}): these columns in
 * this order, timestamps as PostgREST writes them (docs/SPEC.md §9).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Bucket(
        String id,
        String name,
        UUID owner,
        String ownerId,
        @JsonProperty("public") Boolean isPublic,
        Long fileSizeLimit,
        List<String> allowedMimeTypes,
        @JsonSerialize(using = RowTimestamp.class) OffsetDateTime createdAt,
        @JsonSerialize(using = RowTimestamp.class) OffsetDateTime updatedAt) {

    /** Whether objects are served without a token ({@code public} is nullable; null is not public). */
    public boolean servedPublicly() {
        return Boolean.TRUE.equals(isPublic);
    }
}
