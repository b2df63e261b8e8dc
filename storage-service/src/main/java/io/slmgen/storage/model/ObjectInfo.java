package io.slmgen.storage.model;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.slmgen.shared.db.RowTimestamp;

/**
 * storage-api's object info (GET /object/info/...; storage-js info() camelises it): the row's
 * columns and its metadata's fields, in this order. {@code size} and {@code metadata} (the row's
 * user_metadata) are passed on as stored.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ObjectInfo(
        String id,
        String name,
        String version,
        String bucketId,
        Object size,
        String contentType,
        String cacheControl,
        String etag,
        Object metadata,
        String lastModified,
        @JsonSerialize(using = RowTimestamp.class) OffsetDateTime createdAt) {

    public static ObjectInfo of(StoredObject o) {
        var m = o.metadata() == null ? new io.vertx.core.json.JsonObject() : o.metadataJson();
        return new ObjectInfo(o.id().toString(), o.name(), o.version(), o.bucketId(), m.getValue("size"),
                m.getString("mimetype"), m.getString("cacheControl"), m.getString("eTag"), o.userMetadata(),
                m.getString("lastModified"), o.createdAt());
    }
}
