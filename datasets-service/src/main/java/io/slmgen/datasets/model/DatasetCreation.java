package io.slmgen.datasets.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * public.dataset_creations (changeset dataset-creations, docs/SPEC.md §14): the mark of an upload whose object
 * may be stored before its row is. Server bookkeeping, written and read as service_role only.
 */
@Entity
@Table(schema = "public", name = "dataset_creations")
public class DatasetCreation {

    @Id
    public String storagePath;
    public UUID userId;
    /** Set by PostgreSQL ({@code DEFAULT NOW()}) when the mark is inserted. */
    @Column(name = "started_at", insertable = false, updatable = false)
    public OffsetDateTime startedAt;

    public DatasetCreation() {
    }

    public DatasetCreation(String storagePath, UUID userId) {
        this.storagePath = storagePath;
        this.userId = userId;
    }
}
