package io.slmgen.storage.model;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * storage.objects as a Hibernate Reactive entity (repository/ObjectRepository), read only: every write
 * to objects is hand-written SQL in StorageRepository (upserts, deletes returning the versions whose
 * bytes go, the move's delete + insert of one id). path_tokens (generated) is not mapped.
 */
@Entity
@Immutable
@Table(schema = "storage", name = "objects")
public class ObjectRow {

    @Id
    public UUID id;
    public String bucketId;
    public String name;
    public UUID owner;
    public String ownerId;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> metadata;
    /** Any jsonb a client stored (not only objects). */
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode userMetadata;
    public String version;
    public OffsetDateTime createdAt;
    public OffsetDateTime updatedAt;
    public OffsetDateTime lastAccessedAt;

    public StoredObject toStoredObject() {
        return new StoredObject(id, bucketId, name, owner, ownerId, metadata, userMetadata, createdAt, updatedAt,
                lastAccessedAt, version);
    }
}
