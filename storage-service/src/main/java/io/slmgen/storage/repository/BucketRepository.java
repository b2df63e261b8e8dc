package io.slmgen.storage.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.slmgen.storage.model.BucketRow;
import io.smallrye.mutiny.Uni;

/**
 * storage.buckets through Panache (bucket admin, docs/SPEC.md §9). Runs inside
 * {@code CallerTransactions.inSession}, so the caller's role and the policies apply. The bucket lookup
 * of every upload and download stays hand-written in {@link StorageRepository#bucket} (the hot path of
 * bench/storage).
 */
@ApplicationScoped
public class BucketRepository implements PanacheRepositoryBase<BucketRow, String> {

    public Uni<List<BucketRow>> allByName() {
        return listAll(Sort.by("name"));
    }

    /**
     * Sets a bucket's settings, updated_at from PostgreSQL's clock as before; false when no row (the
     * caller may see) has this id.
     */
    public Uni<Boolean> updateSettings(String id, boolean isPublic, Long fileSizeLimit, String[] allowedMimeTypes) {
        return update("isPublic = ?1, fileSizeLimit = ?2, allowedMimeTypes = ?3, updatedAt = offset datetime "
                + "where id = ?4", isPublic, fileSizeLimit, allowedMimeTypes, id).map(n -> n > 0);
    }
}
