package io.slmgen.catalog.repository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.slmgen.catalog.model.TrainingConfigEntity;
import io.slmgen.shared.db.DatabaseStamps;
import io.smallrye.mutiny.Uni;

/**
 * training_configs through Hibernate Reactive Panache. Every call runs inside the caller's session
 * transaction ({@code CallerTransactions.inSession}): the seed's policies decide which rows a statement
 * can see or change, so "someone else's config" simply does not exist here.
 */
@ApplicationScoped
public class TrainingConfigRepository implements PanacheRepositoryBase<TrainingConfigEntity, UUID> {

    /** System presets first (Fast, Balanced, Quality by size), then the caller's own, oldest first. */
    public Uni<List<TrainingConfigEntity>> listVisible(int limit, int offset) {
        return find("order by isSystem desc, case when isSystem = true then loraRank end, createdAt, id")
                .range(offset, offset + limit - 1)
                .list();
    }

    public Uni<Optional<TrainingConfigEntity>> find(UUID id) {
        return findById(id).map(Optional::ofNullable);
    }

    /** The caller's default config, if they marked one. */
    public Uni<Optional<TrainingConfigEntity>> findDefault(UUID userId) {
        return find("userId = ?1 and isDefault = true", userId).firstResult().map(Optional::ofNullable);
    }

    public Uni<Optional<TrainingConfigEntity>> findSystemPreset(String name) {
        return find("isSystem = true and name = ?1", name).firstResult().map(Optional::ofNullable);
    }

    /** Inserts {@code row} and reads back what the database set (id's row, its default timestamps). */
    public Uni<TrainingConfigEntity> insert(TrainingConfigEntity row) {
        return persistAndFlush(row).chain(() -> DatabaseStamps.reread(TrainingConfigEntity.class, row, row.id));
    }

    /** Writes the changes made to {@code row}, stamps updated_at with the database's clock, re-reads it. */
    public Uni<TrainingConfigEntity> save(TrainingConfigEntity row) {
        return DatabaseStamps.flushStampAndReread(TrainingConfigEntity.class, row, row.id);
    }

    /**
     * Clears the caller's other default so at most one remains (a partial unique index holds the same
     * rule). A bulk statement, flushed before the row that becomes the default is written.
     */
    public Uni<Integer> clearDefault(UUID userId, UUID except) {
        return except == null
                ? update("isDefault = false, updatedAt = current_timestamp where userId = ?1 and isDefault = true", userId)
                : update("isDefault = false, updatedAt = current_timestamp where userId = ?1 and isDefault = true and id <> ?2",
                        userId, except);
    }
}
