package io.slmgen.jobs.repository;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.slmgen.jobs.model.Job;
import io.slmgen.jobs.model.NewJob;
import io.slmgen.shared.db.RowJson;
import io.slmgen.shared.error.ApiError;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The hand-written SQL on jobs, job_secrets and job_creations, kept where it matters (issue 18): each
 * method says why. Runs inside the caller's {@code CallerTransactions.run} transaction: the seed's
 * policies decide which jobs a statement sees, so someone else's job simply does not exist here. The
 * simple finds and deletes are Panache ({@link JobEntityRepository}, {@link JobCreationRepository}).
 */
@ApplicationScoped
public class JobRepository {

    public static final String COLUMNS = "id, user_id, session_id, dataset_filename, dataset_path, total_examples, "
            + "total_tokens, quality_score, task_type, deployment_target, selected_model_id, selected_model_name, "
            + "model_score, training_config, notebook_filename, notebook_path, colab_url, status, created_at, updated_at";

    /** The timestamptz columns among {@link #COLUMNS} (declared before {@link #LIST_JSON}, which is built from it). */
    private static final java.util.Set<String> TIMESTAMPTZ_COLUMNS = java.util.Set.of("created_at", "updated_at");

    /**
     * Inserts a job (POST /api/jobs, POST /slmgen/jobs). Hand-written: a taken id (a second create for the
     * same dataset) or session_id is an expected 409 whose answer carries PostgreSQL's detail (which key
     * exists), and Hibernate Reactive drops the detail.
     */
    public Uni<Job> insert(SqlConnection c, NewJob j) {
        return c.preparedQuery("insert into public.jobs (id, user_id, session_id, dataset_filename, dataset_path, "
                        + "total_examples, total_tokens, quality_score, task_type, deployment_target, selected_model_id, "
                        + "selected_model_name, model_score, training_config, notebook_filename, notebook_path, colab_url) "
                        + "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) returning " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(j.id(), j.userId(), j.sessionId(), j.datasetFilename(), j.datasetPath(),
                        j.totalExamples(), j.totalTokens(), j.qualityScore(), j.taskType(), j.deploymentTarget(),
                        j.selectedModelId(), j.selectedModelName(), j.modelScore(), j.trainingConfig(),
                        j.notebookFilename(), j.notebookPath(), j.colabUrl())))
                .map(rs -> Job.of(rs.iterator().next()));
    }

    /** Stores the HMAC of the job's secret; the policy only lets the job's owner do it (with {@link #insert}). */
    public Uni<Void> insertSecret(SqlConnection c, UUID jobId, String secretHash) {
        return c.preparedQuery("insert into public.job_secrets (job_id, secret_hash) values ($1, $2)")
                .execute(Tuple.of(jobId, secretHash)).replaceWithVoid();
    }

    /**
     * Marks the job as being created, with the notebook object an undo must remove (same transaction as
     * its row, {@link #insert}; changesets job-creations, job-creations-path: the path must be in the job's
     * own folder).
     */
    public Uni<Void> markCreating(SqlConnection c, UUID jobId, String notebookPath) {
        return c.preparedQuery("insert into public.job_creations (job_id, notebook_path) values ($1, $2)")
                .execute(Tuple.of(jobId, notebookPath)).replaceWithVoid();
    }

    /**
     * A job whose creation never finished: its id, owner and the notebook path recorded in its marker at
     * creation (null for markers older than that column). Never jobs.notebook_path: the owner can rewrite it.
     */
    public record StaleCreation(UUID jobId, UUID userId, String notebookPath) {
    }

    /**
     * service_role: jobs marked as being created for longer than {@code seconds}. Hand-written: a join with
     * an interval on the database's clock, run by the sweeper outside any request (no Vert.x request context).
     */
    public Uni<List<StaleCreation>> staleCreations(SqlConnection c, long seconds, int limit) {
        return c.preparedQuery("select m.job_id, j.user_id, m.notebook_path from public.job_creations m "
                        + "join public.jobs j on j.id = m.job_id "
                        + "where m.started_at < now() - make_interval(secs => $1) order by m.started_at limit $2")
                .execute(Tuple.of((double) seconds, limit))
                .map(rs -> {
                    List<StaleCreation> out = new java.util.ArrayList<>();
                    for (Row r : rs) {
                        out.add(new StaleCreation(r.getUUID(0), r.getUUID(1), r.getString(2)));
                    }
                    return out;
                });
    }

    /**
     * service_role: deletes the job only while it is still marked as being created (cascades the marker).
     * Hand-written: one conditional delete (a race with the creation finishing must not lose the job), run by
     * the sweeper outside any request.
     */
    public Uni<Boolean> deleteUnfinished(SqlConnection c, UUID jobId) {
        return c.preparedQuery("delete from public.jobs j where j.id = $1 "
                        + "and exists (select 1 from public.job_creations m where m.job_id = j.id)")
                .execute(Tuple.of(jobId)).map(rs -> rs.rowCount() == 1);
    }

    /** service_role only: the stored HMAC of the job's secret (hand-written: same transaction as the row lock of {@link #findForUpdate}). */
    public Uni<Optional<String>> secretHash(SqlConnection c, UUID jobId) {
        return c.preparedQuery("select secret_hash from public.job_secrets where job_id = $1")
                .execute(Tuple.of(jobId))
                .map(rs -> rs.rowCount() == 0 ? Optional.empty() : Optional.of(rs.iterator().next().getString(0)));
    }

    /** The job, for units of work that are hand-written anyway (cancel's answer after a failed {@link #transition}). */
    public Uni<Optional<Job>> find(SqlConnection c, UUID id) {
        return c.preparedQuery("select " + COLUMNS + " from public.jobs where id = $1")
                .execute(Tuple.of(id)).map(JobRepository::first);
    }

    /** The job row locked for a status change (hand-written: {@code for update} serialises concurrent events of one job). */
    public Uni<Optional<Job>> findForUpdate(SqlConnection c, UUID id) {
        return c.preparedQuery("select " + COLUMNS + " from public.jobs where id = $1 for update")
                .execute(Tuple.of(id)).map(JobRepository::first);
    }

    /**
     * The session's job, for SLMGEN's training snapshot. Hand-written, on the pool: the SLMGEN stream reads a
     * snapshot for each live event, delivered outside the request's Vert.x context (no Panache session there),
     * and a list reads its snapshots concurrently.
     */
    public Uni<Optional<Job>> findBySession(SqlConnection c, String sessionId) {
        return c.preparedQuery("select " + COLUMNS + " from public.jobs where session_id = $1")
                .execute(Tuple.of(sessionId)).map(JobRepository::first);
    }

    /**
     * A page of jobs rendered to JSON by PostgreSQL (as PostgREST does), with the caller's total in
     * the same statement: one round trip, and the service copies one text value instead of decoding
     * 20 rows and encoding them again (that was about half of its CPU on this path, SPEC §13).
     * Timestamps are formatted as {@link RowJson} writes them, so a job reads the same in the list and
     * alone; the inner columns are qualified so ORDER BY sorts by the timestamp, not by its text. The
     * JSON comes back as UTF-8 bytes (bytea), so the client neither decodes it to a String nor encodes
     * it again. Hand-written on purpose (issue 18): bench/read-path.sh measures this statement; entities
     * would bring back the decode-and-encode it removed.
     */
    static final String LIST_JSON = "select convert_to(coalesce(json_agg(_s), '[]')::text, 'UTF8'), "
            + "(select count(*) from public.jobs) from (select " + jsonColumns("j") + " from public.jobs j "
            + "order by j.created_at desc, j.id desc limit $1 offset $2) _s";

    /** {@link #COLUMNS}, qualified with {@code alias}, the timestamps formatted as {@link RowJson} writes them. */
    static String jsonColumns(String alias) {
        return Arrays.stream(COLUMNS.split(",\\s*"))
                .map(c -> TIMESTAMPTZ_COLUMNS.contains(c) ? RowJson.sqlTimestamptz(alias + "." + c) + " as " + c : alias + "." + c)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** A page of jobs as a JSON array in UTF-8, and the caller's total. */
    public record JsonPage(byte[] items, long total) {
    }

    public Uni<JsonPage> listJson(SqlConnection c, int limit, int offset) {
        return c.preparedQuery(LIST_JSON).execute(Tuple.of(limit, offset)).map(rs -> {
            Row r = rs.iterator().next();
            return new JsonPage(r.getBuffer(0).getBytes(), r.getLong(1));
        });
    }

    /**
     * Moves the job from one of {@code from} to {@code to}; empty when it is not in one of them (or not visible).
     * Hand-written: a compare-and-set in one statement ({@code where status = any(...) returning}), so a
     * cancel never overwrites a status an event set meanwhile.
     */
    public Uni<Optional<Job>> transition(SqlConnection c, UUID id, List<String> from, String to) {
        return c.preparedQuery("update public.jobs set status = $3, updated_at = now() "
                        + "where id = $1 and status = any($2) returning " + COLUMNS)
                .execute(Tuple.of(id, from.toArray(new String[0]), to)).map(JobRepository::first);
    }

    /**
     * SLMGEN regeneration: the session's job gets a new model, score, config and notebook. Hand-written: it
     * always bumps updated_at (Hibernate's dirty check would skip a regeneration that changes no column) and
     * runs with {@link #replaceSecret}, a definer function call, in one transaction.
     */
    public Uni<Job> regenerate(SqlConnection c, UUID id, String task, String target, String modelId,
                                               String modelName, double score, JsonObject trainingConfig,
                                               String notebookFilename, String notebookPath, String colabUrl) {
        return c.preparedQuery("update public.jobs set task_type = $2, deployment_target = $3, selected_model_id = $4, "
                        + "selected_model_name = $5, model_score = $6, training_config = $7, notebook_filename = $8, "
                        + "notebook_path = $9, colab_url = $10, updated_at = now() where id = $1 returning " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(id, task, target, modelId, modelName, score, trainingConfig,
                        notebookFilename, notebookPath, colabUrl)))
                .map(rs -> first(rs).orElseThrow(() -> ApiError.NOT_FOUND.exception("the job disappeared")));
    }

    /** Replaces the job's secret as its owner (hand-written: a definer function of changeset job-training, an upsert; secrets stay unreadable). */
    public Uni<Void> replaceSecret(SqlConnection c, UUID jobId, String secretHash) {
        return c.preparedQuery("select public.replace_job_secret($1, $2)")
                .execute(Tuple.of(jobId, secretHash)).replaceWithVoid();
    }

    /**
     * SLMGEN's PATCH: sets the given columns (only names from a fixed list reach the SQL) and bumps
     * updated_at; empty when the job is not visible. Hand-written: it runs under {@link #findForUpdate}'s row
     * lock (the status move is checked against the locked row) and always bumps updated_at.
     */
    public Uni<Optional<Job>> patch(SqlConnection c, UUID id, Map<String, Object> fields) {
        StringBuilder sql = new StringBuilder("update public.jobs set updated_at = now()");
        java.util.List<Object> args = new java.util.ArrayList<>();
        args.add(id);
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (!PATCHABLE.contains(e.getKey())) {
                throw new IllegalArgumentException(e.getKey());
            }
            args.add(e.getValue());
            sql.append(", ").append(e.getKey()).append(" = $").append(args.size());
        }
        sql.append(" where id = $1 returning ").append(COLUMNS);
        return c.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(JobRepository::first);
    }

    public static final java.util.Set<String> PATCHABLE = java.util.Set.of("notebook_filename", "notebook_path", "colab_url",
            "status", "training_config");

    /**
     * What the secret-authenticated SLMGEN routes need of a session's job: who owns it, its status and
     * notebook, and the HMAC of its secret (null when it has none).
     */
    public record SecretJob(UUID id, UUID userId, String sessionId, String status, String notebookFilename,
                            String notebookPath, String secretHash) {
    }

    /** Jobs with their secret's HMAC (service_role; SLMGEN routes find the job by session id). Hand-written: a left join of two tables in one round trip. */
    public Uni<Optional<SecretJob>> findBySessionWithSecret(SqlConnection c, String sessionId) {
        return c.preparedQuery("select j.id, j.user_id, j.session_id, j.status, j.notebook_filename, j.notebook_path, "
                        + "s.secret_hash from public.jobs j left join public.job_secrets s on s.job_id = j.id where j.session_id = $1")
                .execute(Tuple.of(sessionId)).map(rs -> {
                    if (rs.rowCount() == 0) {
                        return Optional.empty();
                    }
                    Row r = rs.iterator().next();
                    return Optional.of(new SecretJob(r.getUUID("id"), r.getUUID("user_id"), r.getString("session_id"),
                            r.getString("status"), r.getString("notebook_filename"), r.getString("notebook_path"),
                            r.getString("secret_hash")));
                });
    }

    private static Optional<Job> first(RowSet<Row> rs) {
        return rs.rowCount() == 0 ? Optional.empty() : Optional.of(Job.of(rs.iterator().next()));
    }
}
