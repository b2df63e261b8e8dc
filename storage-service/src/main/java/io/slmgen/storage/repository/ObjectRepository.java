package io.slmgen.storage.repository;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.slmgen.storage.model.ObjectRow;
import io.smallrye.mutiny.Uni;

/**
 * storage.objects reads through Panache (info, signing, the source of a copy or move), inside
 * {@code CallerTransactions.inSession}: rows the caller's policies hide are simply not found. Writes
 * and the download's lookup are hand-written in {@link StorageRepository}.
 */
@ApplicationScoped
public class ObjectRepository implements PanacheRepositoryBase<ObjectRow, UUID> {

    /** The row at {@code bucket/name}, or null. */
    public Uni<ObjectRow> at(String bucket, String name) {
        return find("bucketId = ?1 and name = ?2", bucket, name).firstResult();
    }

    /** Which of {@code names} exist in {@code bucket} (and the caller may see). */
    public Uni<Set<String>> existing(String bucket, List<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                        "select o.name from ObjectRow o where o.bucketId = ?1 and o.name in ?2", String.class)
                .setParameter(1, bucket).setParameter(2, names).getResultList())
                .map(HashSet::new);
    }

    public Uni<Boolean> anyIn(String bucket) {
        return count("bucketId", bucket).map(n -> n > 0);
    }
}
