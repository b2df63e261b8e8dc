package io.slmgen.jobs.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.slmgen.jobs.model.JobEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * SQL for job_events: appended as service_role (after the job secret check), read as the owner. All of it
 * hand-written (issue 18): an append numbers the event in the transaction that holds the job row's lock
 * ({@code JobRepository.findForUpdate}) and moves the status, and the reads serve JobEventBus, which runs
 * outside any request's Vert.x context (no Panache session there). Inserts also fire the NOTIFY trigger.
 */
@ApplicationScoped
public class JobEventRepository {

    static final String COLUMNS = "id, job_id, seq, type, payload, created_at";

    /** Appends the next event of the job; the caller holds the job row's lock, so seq has no gaps or races. */
    public Uni<JobEvent> append(SqlConnection c, UUID jobId, String type, JsonObject payload) {
        return c.preparedQuery("insert into public.job_events (job_id, seq, type, payload) values ($1, "
                        + "(select coalesce(max(seq), 0) + 1 from public.job_events where job_id = $1), $2, $3) returning " + COLUMNS)
                .execute(Tuple.of(jobId, type, payload))
                .map(rs -> JobEvent.of(rs.iterator().next()));
    }

    /** Events with seq greater than {@code afterSeq}, oldest first, at most {@code limit}. */
    public Uni<List<JobEvent>> after(SqlConnection c, UUID jobId, long afterSeq, int limit) {
        return c.preparedQuery("select " + COLUMNS + " from public.job_events where job_id = $1 and seq > $2 "
                        + "order by seq limit $3")
                .execute(Tuple.of(jobId, afterSeq, limit)).map(rs -> {
                    List<JobEvent> out = new java.util.ArrayList<>(rs.rowCount());
                    for (io.vertx.mutiny.sqlclient.Row r : rs) {
                        out.add(JobEvent.of(r));
                    }
                    return out;
                });
    }
}
