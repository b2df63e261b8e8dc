package io.slmgen.datasets.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * SQL for public.dataset_creations (changeset dataset-creations): the markers of uploads whose object
 * may be stored before their row is. Every statement runs as service_role, the only role with rights
 * on the table.
 */
@ApplicationScoped
public class DatasetCreationRepository {

    /** A marker older than the creation timeout. */
    public record StaleCreation(String storagePath, UUID userId) {
    }

    public Uni<Void> mark(SqlConnection c, String storagePath, UUID userId) {
        return c.preparedQuery("insert into public.dataset_creations (storage_path, user_id) values ($1, $2)")
                .execute(Tuple.of(storagePath, userId)).replaceWithVoid();
    }

    /**
     * Removes the marker; false when it was gone already (a sweep claimed it). Waits for a sweep that
     * holds the marker's lock, so it never answers true for an object that sweep is deleting.
     */
    public Uni<Boolean> finish(SqlConnection c, String storagePath) {
        return c.preparedQuery("delete from public.dataset_creations where storage_path = $1")
                .execute(Tuple.of(storagePath)).map(rs -> rs.rowCount() == 1);
    }

    /**
     * Locks up to {@code limit} markers older than {@code seconds} for the rest of the transaction,
     * skipping those another sweep (or a finishing upload) holds.
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
