package io.slmgen.storage.model;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * storage.buckets as a Hibernate Reactive entity (repository/BucketRepository), the columns of
 * 001-storage-schema.sql. avif_autodetection is not mapped (unused; its default stays on insert);
 * created_at and updated_at are set by PostgreSQL (defaults, and {@code now()} in the update).
 */
@Entity
@Table(schema = "storage", name = "buckets")
public class BucketRow {

    @Id
    public String id;
    public String name;
    public UUID owner;
    public String ownerId;
    @Column(name = "public")
    public Boolean isPublic;
    public Long fileSizeLimit;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] allowedMimeTypes;
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "updated_at", insertable = false)
    public OffsetDateTime updatedAt;

    public Bucket toBucket() {
        return new Bucket(id, name, owner, ownerId, isPublic, fileSizeLimit,
                allowedMimeTypes == null ? null : List.of(allowedMimeTypes), createdAt, updatedAt);
    }
}
