package io.slmgen.auth.repository;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * auth.rate_limits: fixed windows per (bucket, key), shared by every replica. Each statement is atomic on
 * its own, so it runs as well on a pool (autocommit, as the table's owner, the services' login role) as on
 * the connection of a transaction.
 */
@ApplicationScoped
public class RateLimitRepository {

    /** The window's count after a hit, and the seconds until it closes. */
    public record Window(int hits, long secondsLeft) {
    }

    /**
     * Counts one hit: opens a window (hits = 1) when there is none or the last one has closed, else adds one.
     * One statement: concurrent hits on any replica are serialised by the row, none is lost.
     */
    static final String HIT = "insert into auth.rate_limits as r (bucket, key, hits, window_start, expires_at) "
            + "values ($1, $2, 1, now(), now() + make_interval(secs => $3)) "
            + "on conflict (bucket, key) do update set "
            + "hits = case when r.expires_at <= now() then 1 else r.hits + 1 end, "
            + "window_start = case when r.expires_at <= now() then now() else r.window_start end, "
            + "expires_at = case when r.expires_at <= now() then excluded.expires_at else r.expires_at end "
            + "returning hits, greatest(1, ceil(extract(epoch from (expires_at - now()))))::bigint as seconds_left";

    static final String SWEEP = "delete from auth.rate_limits r using (select bucket, key from auth.rate_limits "
            + "where expires_at < now() order by expires_at limit $1 for update skip locked) d "
            + "where r.bucket = d.bucket and r.key = d.key";

    public Uni<Window> hit(SqlClient c, String bucket, String keyHash, Duration window) {
        return c.preparedQuery(HIT).execute(Tuple.of(bucket, keyHash, (double) Math.max(1, window.toSeconds())))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Window(r.getInteger("hits"), r.getLong("seconds_left"));
                });
    }

    public Uni<Void> reset(SqlClient c, String bucket, String keyHash) {
        return c.preparedQuery("delete from auth.rate_limits where bucket = $1 and key = $2")
                .execute(Tuple.of(bucket, keyHash)).replaceWithVoid();
    }

    /** Deletes up to {@code limit} closed windows (rows another replica's sweep holds are skipped); the count. */
    public Uni<Integer> sweep(SqlClient c, int limit) {
        return c.preparedQuery(SWEEP).execute(Tuple.of(limit)).map(RowSet::rowCount);
    }
}
