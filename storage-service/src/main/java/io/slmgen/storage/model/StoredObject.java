package io.slmgen.storage.model;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.slmgen.shared.db.RowTimestamp;
import io.vertx.core.json.JsonObject;

/**
 * A storage.objects row (path_tokens left out) as storage-api renders it in the answer of
 * DELETE /object/{bucket}: these columns in this order, {@code version} last. {@code metadata} is ours
 * (eTag, size, mimetype, cacheControl, lastModified...); {@code user_metadata} is whatever jsonb a
 * client stored, so it stays untyped (docs/SPEC.md §9).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StoredObject(
        UUID id,
        String bucketId,
        String name,
        UUID owner,
        String ownerId,
        Map<String, Object> metadata,
        Object userMetadata,
        @JsonSerialize(using = RowTimestamp.class) OffsetDateTime createdAt,
        @JsonSerialize(using = RowTimestamp.class) OffsetDateTime updatedAt,
        @JsonSerialize(using = RowTimestamp.class) OffsetDateTime lastAccessedAt,
        String version) {

    /** {@code metadata} as a JsonObject over the same map (null when the row has none). */
    public JsonObject metadataJson() {
        return metadata == null ? null : new JsonObject(metadata);
    }

    public String etag() {
        return metadata == null ? null : metadataJson().getString("eTag");
    }

    public String mimetype() {
        return metadata == null ? null : metadataJson().getString("mimetype");
    }
}
