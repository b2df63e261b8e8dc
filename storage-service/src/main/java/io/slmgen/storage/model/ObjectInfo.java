package io.slmgen.storage.model;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.slmgen.shared.db.RowTimestamp;

/**
 * storage-api's object info (GET /object/info/...; storage-js info() camelises it): the row's
 * columns and its metadata's fields, in this order. {@code size} and {@code metadata} (the row's
 * user_metadata) are passed on as stored.
 */
public record ObjectInfo(
        @JsonProperty("id") String id,
        @JsonProperty("name") String name,
        @JsonProperty("version") String version,
        @JsonProperty("bucket_id") String bucketId,
        @JsonProperty("size") Object size,
        @JsonProperty("content_type") String contentType,
        @JsonProperty("cache_control") String cacheControl,
        @JsonProperty("etag") String etag,
        @JsonProperty("metadata") Object metadata,
        @JsonProperty("last_modified") String lastModified,
        @JsonProperty("created_at") @JsonSerialize(using = RowTimestamp.class) OffsetDateTime createdAt) {

    public static ObjectInfo of(StoredObject o) {
        var m = o.metadata() == null ? new io.vertx.core.json.JsonObject() : o.metadataJson();
        return new ObjectInfo(o.id().toString(), o.name(), o.version(), o.bucketId(), m.getValue("size"),
                m.getString("mimetype"), m.getString("cacheControl"), m.getString("eTag"), o.userMetadata(),
                m.getString("lastModified"), o.createdAt());
    }
}
