package io.slmgen.jobs.repository;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.slmgen.shared.db.RowJson;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * SQL for jobs and their secrets. Runs inside the caller's transaction: the seed's policies decide
 * which jobs a statement sees, so someone else's job simply does not exist here.
 */
@ApplicationScoped
public class JobRepository {

    public static final String COLUMNS = "id, user_id, session_id, dataset_filename, dataset_path, total_examples, "
            + "total_tokens, quality_score, task_type, deployment_target, selected_model_id, selected_model_name, "
            + "model_score, training_config, notebook_filename, notebook_path, colab_url, status, created_at, updated_at";

    /** The values of a new job row (seed columns; status and timestamps take their defaults). */
    public record NewJob(UUID id, UUID userId, String sessionId, String datasetFilename, String datasetPath,
                         int totalExamples, int totalTokens, double qualityScore, String taskType,
                         String deploymentTarget, String selectedModelId, String selectedModelName, double modelScore,
                         JsonObject trainingConfig, String notebookFilename, String notebookPath, String colabUrl) {
    }

    public Uni<Map<String, Object>> insert(SqlConnection c, NewJob j) {
        return c.preparedQuery("insert into public.jobs (id, user_id, session_id, dataset_filename, dataset_path, "
                        + "total_examples, total_tokens, quality_score, task_type, deployment_target, selected_model_id, "
                        + "selected_model_name, model_score, training_config, notebook_filename, notebook_path, colab_url) "
                        + "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) returning " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(j.id(), j.userId(), j.sessionId(), j.datasetFilename(), j.datasetPath(),
                        j.totalExamples(), j.totalTokens(), j.qualityScore(), j.taskType(), j.deploymentTarget(),
                        j.selectedModelId(), j.selectedModelName(), j.modelScore(), j.trainingConfig(),
                        j.notebookFilename(), j.notebookPath(), j.colabUrl())))
                .map(JobRepository::one);
    }

    /** Stores the HMAC of the job's secret; the policy only lets the job's owner do it. */
    public Uni<Void> insertSecret(SqlConnection c, UUID jobId, String secretHash) {
        return c.preparedQuery("insert into public.job_secrets (job_id, secret_hash) values ($1, $2)")
                .execute(Tuple.of(jobId, secretHash)).replaceWithVoid();
    }

    /** service_role only: the stored HMAC of the job's secret. */
    public Uni<Optional<String>> secretHash(SqlConnection c, UUID jobId) {
        return c.preparedQuery("select secret_hash from public.job_secrets where job_id = $1")
                .execute(Tuple.of(jobId))
                .map(rs -> rs.rowCount() == 0 ? Optional.empty() : Optional.of(rs.iterator().next().getString(0)));
    }

    public Uni<Optional<Map<String, Object>>> find(SqlConnection c, UUID id) {
        return c.preparedQuery("select " + COLUMNS + " from public.jobs where id = $1")
                .execute(Tuple.of(id)).map(JobRepository::first);
    }

    /** The job row locked for a status change (serialises concurrent events of one job). */
    public Uni<Optional<Map<String, Object>>> findForUpdate(SqlConnection c, UUID id) {
        return c.preparedQuery("select " + COLUMNS + " from public.jobs where id = $1 for update")
                .execute(Tuple.of(id)).map(JobRepository::first);
    }

    public Uni<Optional<Map<String, Object>>> findBySession(SqlConnection c, String sessionId) {
        return c.preparedQuery("select " + COLUMNS + " from public.jobs where session_id = $1")
                .execute(Tuple.of(sessionId)).map(JobRepository::first);
    }

    public Uni<List<Map<String, Object>>> list(SqlConnection c, int limit, int offset) {
        return c.preparedQuery("select " + COLUMNS + " from public.jobs order by created_at desc, id desc limit $1 offset $2")
                .execute(Tuple.of(limit, offset)).map(RowJson::toList);
    }

    public Uni<Long> count(SqlConnection c) {
        return c.query("select count(*) from public.jobs").execute().map(rs -> rs.iterator().next().getLong(0));
    }

    /** Moves the job from one of {@code from} to {@code to}; empty when it is not in one of them (or not visible). */
    public Uni<Optional<Map<String, Object>>> transition(SqlConnection c, UUID id, List<String> from, String to) {
        return c.preparedQuery("update public.jobs set status = $3, updated_at = now() "
                        + "where id = $1 and status = any($2) returning " + COLUMNS)
                .execute(Tuple.of(id, from.toArray(new String[0]), to)).map(JobRepository::first);
    }

    /** Deletes the job (its events and secret cascade); empty when not visible. */
    public Uni<Optional<Map<String, Object>>> delete(SqlConnection c, UUID id) {
        return c.preparedQuery("delete from public.jobs where id = $1 returning " + COLUMNS)
                .execute(Tuple.of(id)).map(JobRepository::first);
    }

    private static Map<String, Object> one(RowSet<Row> rs) {
        return RowJson.toMap(rs.iterator().next());
    }

    private static Optional<Map<String, Object>> first(RowSet<Row> rs) {
        return rs.rowCount() == 0 ? Optional.empty() : Optional.of(RowJson.toMap(rs.iterator().next()));
    }
}
