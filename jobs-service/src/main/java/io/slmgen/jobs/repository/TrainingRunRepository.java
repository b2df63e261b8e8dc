package io.slmgen.jobs.repository;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.slmgen.jobs.model.TrainingRun;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What SLMGEN's {@code /training/start} declares (total steps and epochs, the model's HF id). Kept
 * apart from job_events, so declaring a run never moves the job's status. Hand-written (issue 18): the
 * declaration is an {@code on conflict} upsert, and the read is part of SLMGEN's training snapshot, which
 * runs on the pool (see {@code SlmgenTraining.snapshot}).
 */
@ApplicationScoped
public class TrainingRunRepository {

    public Uni<Void> upsert(SqlConnection c, UUID jobId, int totalSteps, int totalEpochs, String modelId) {
        return c.preparedQuery("insert into public.job_training_runs (job_id, total_steps, total_epochs, model_id) "
                        + "values ($1, $2, $3, $4) on conflict (job_id) do update set total_steps = excluded.total_steps, "
                        + "total_epochs = excluded.total_epochs, model_id = excluded.model_id, started_at = now()")
                .execute(Tuple.of(jobId, totalSteps, totalEpochs, modelId)).replaceWithVoid();
    }

    public Uni<Optional<TrainingRun>> find(SqlConnection c, UUID jobId) {
        return c.preparedQuery("select job_id, total_steps, total_epochs, model_id, started_at from public.job_training_runs "
                        + "where job_id = $1")
                .execute(Tuple.of(jobId))
                .map(rs -> {
                    if (rs.rowCount() == 0) {
                        return Optional.empty();
                    }
                    Row r = rs.iterator().next();
                    return Optional.of(new TrainingRun(r.getUUID("job_id"), r.getInteger("total_steps"),
                            r.getInteger("total_epochs"), r.getString("model_id"), r.getOffsetDateTime("started_at")));
                });
    }
}
