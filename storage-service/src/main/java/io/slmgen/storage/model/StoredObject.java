package io.slmgen.storage.model;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.slmgen.shared.db.RowTimestamp;
import io.vertx.core.json.JsonObject;

/**
 * A storage.objects row (path_tokens left out) as storage-api renders it in the answer of
 * DELETE /object/{bucket}: these columns in this order, {@code version} last. {@code metadata} is ours
 * (eTag, size, mimetype, cacheControl, lastModified...); {@code user_metadata} is whatever jsonb a
 * client stored, so it stays untyped (docs/SPEC.md §9).
 */
public record StoredObject(
        @JsonProperty("id") UUID id,
        @JsonProperty("bucket_id") String bucketId,
        @JsonProperty("name") String name,
        @JsonProperty("owner") UUID owner,
        @JsonProperty("owner_id") String ownerId,
        @JsonProperty("metadata") Map<String, Object> metadata,
        @JsonProperty("user_metadata") Object userMetadata,
        @JsonProperty("created_at") @JsonSerialize(using = RowTimestamp.class) OffsetDateTime createdAt,
        @JsonProperty("updated_at") @JsonSerialize(using = RowTimestamp.class) OffsetDateTime updatedAt,
        @JsonProperty("last_accessed_at") @JsonSerialize(using = RowTimestamp.class) OffsetDateTime lastAccessedAt,
        @JsonProperty("version") String version) {

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
