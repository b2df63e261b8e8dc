package io.slmgen.datasets.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.slmgen.datasets.model.DatasetCreation;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * public.dataset_creations (changeset dataset-creations): the markers of uploads whose object may be stored
 * before their row is. Every statement runs as service_role, the only role with rights on the table.
 * <p>
 * Marking and forgetting a mark are Panache ({@link DatasetCreation}; inside {@code tx.inSessionAsService}).
 * The rest is hand-written SQL on a connection another statement shares: {@link #finish} runs in the
 * transaction that records the dataset row (DatasetRepository.insert), {@link #lockStale} and
 * {@link #recorded} in the sweep's transaction, which holds the marks' row locks and runs on a timer,
 * outside any request's Vert.x context.
 */
@ApplicationScoped
public class DatasetCreationRepository implements PanacheRepositoryBase<DatasetCreation, String> {

    /** A marker older than the creation timeout. */
    public record StaleCreation(String storagePath, UUID userId) {
    }

    /** Marks the upload of {@code storagePath} (Panache; inside tx.inSessionAsService). */
    public Uni<Void> mark(String storagePath, UUID userId) {
        return persist(new DatasetCreation(storagePath, userId)).replaceWithVoid();
    }

    /** Removes the mark if there is one (Panache; inside tx.inSessionAsService). */
    public Uni<Boolean> forget(String storagePath) {
        return delete("storagePath", storagePath).map(n -> n > 0); // one statement, never deleteById (shared-rls README)
    }

    /**
     * Removes the marker; false when it was gone already (a sweep claimed it). Waits for a sweep that
     * holds the marker's lock, so it never answers true for an object that sweep is deleting.
     * Hand-written: it runs in the row's transaction, on that transaction's connection.
     */
    public Uni<Boolean> finish(SqlConnection c, String storagePath) {
        return c.preparedQuery("delete from public.dataset_creations where storage_path = $1")
                .execute(Tuple.of(storagePath)).map(rs -> rs.rowCount() == 1);
    }

    /**
     * Locks up to {@code limit} markers older than {@code seconds} for the rest of the transaction,
     * skipping those another sweep (or a finishing upload) holds. Hand-written: {@code for update skip locked}.
     */
    public Uni<List<StaleCreation>> lockStale(SqlConnection c, long seconds, int limit) {
        return c.preparedQuery("select storage_path, user_id from public.dataset_creations "
                        + "where started_at < now() - make_interval(secs => $1) order by started_at limit $2 "
                        + "for update skip locked")
                .execute(Tuple.of((double) seconds, limit))
                .map(rows -> {
                    List<StaleCreation> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new StaleCreation(r.getString("storage_path"), r.getUUID("user_id")));
                    }
                    return out;
                });
    }

    /** True when a dataset row records this object (then it is not an orphan, whatever the marker says). */
    public Uni<Boolean> recorded(SqlConnection c, String storagePath) {
        return c.preparedQuery("select exists (select 1 from public.datasets where storage_path = $1)")
                .execute(Tuple.of(storagePath)).map(rs -> rs.iterator().next().getBoolean(0));
    }
}
