package io.slmgen.datasets.repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.slmgen.datasets.analysis.AnalysisResult;
import io.slmgen.datasets.model.Dataset;
import io.slmgen.datasets.model.DatasetEntity;
import io.slmgen.datasets.model.SessionOwner;
import io.slmgen.datasets.model.SlmgenDuplicates;
import io.slmgen.datasets.model.Upload;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * public.datasets. Everything runs inside the caller's transaction (CallerTransactions): the seed's
 * policies decide what a statement sees, so someone else's dataset simply does not exist here.
 * <p>
 * Reads and single-row updates go through Panache ({@link DatasetEntity}; inside {@code tx.inSession}).
 * Hand-written SQL on the caller's connection ({@code tx.run}) is kept where Hibernate would not say the
 * same thing; each such method says why.
 */
@ApplicationScoped
public class DatasetRepository implements PanacheRepositoryBase<DatasetEntity, UUID> {

    public static final String COLUMNS = "id, user_id, job_id, filename, storage_path, file_size, total_examples, "
            + "total_tokens, avg_tokens_per_example, quality_score, single_turn_pct, multi_turn_pct, has_system_prompts, "
            + "quality_issues, is_multilingual, looks_like_json, is_multi_turn, created_at, avg_response_length, "
            + "dominant_language, invalid_lines, invalid_samples, session_id, allocated_job_id, tokenizer_tokens, "
            + "owner_is_anonymous, expires_at, selected_task, selected_target, selected_model_id, last_scores, "
            + "duplicate_count, duplicate_examples";

    /** The seed's columns: the only ones a user may write (column privileges, changeset client-rows). */
    static final String SEED_INSERT = "insert into public.datasets (user_id, filename, storage_path, file_size, "
            + "total_examples, total_tokens, avg_tokens_per_example, quality_score, single_turn_pct, multi_turn_pct, "
            + "has_system_prompts, quality_issues, is_multilingual, looks_like_json, is_multi_turn) "
            + "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) returning id";

    /** Everything the service adds to an upload's row (server-owned columns, written as service_role). */
    static final String SERVER_COLUMNS = "update public.datasets set avg_response_length = $2, dominant_language = $3, "
            + "invalid_lines = $4, invalid_samples = $5, session_id = $6, allocated_job_id = $7, owner_is_anonymous = $8, "
            + "expires_at = $9, duplicate_count = $10, duplicate_examples = $11 where id = $1 returning " + COLUMNS;

    /** Switches the rest of the caller's transaction to service_role (SET LOCAL ROLE). */
    static final String BECOME_SERVICE = "select set_config('role', 'service_role', true)";

    /**
     * Records an upload's row, on the upload path (bench/datasets/upload-e2e.sh), in the transaction that also
     * removes the upload's mark (DatasetCreations.finish, same connection).
     * <p>
     * Hand-written on purpose: one row written under two roles in one transaction - the seed's columns as the
     * caller (the seed's insert policy, the column privileges and trigger of a /rest/v1 insert), then
     * {@code SET LOCAL ROLE service_role} and, only for the row just made, the server-owned columns (users
     * cannot write those, so none of them is a value a client chose), answered by {@code returning}.
     *
     * @param ownerIsAnonymous the owner is an anonymous user created for an SLMGEN session (SPEC §15)
     * @param expiresAt when such a session expires (null: never)
     */
    public Uni<Dataset> insert(SqlConnection c, UUID userId, Upload u, boolean ownerIsAnonymous,
                               OffsetDateTime expiresAt) {
        AnalysisResult a = u.analysis();
        JsonArray samples = new JsonArray();
        a.invalidSamples().forEach(s -> samples.add(new JsonObject().put("line", s.line()).put("reason", s.reason())));
        return c.preparedQuery(SEED_INSERT)
                .execute(Tuple.from(Arrays.asList(userId, u.filename(), u.storagePath(), toInt(u.size()),
                        toInt(a.totalExamples()), toInt(a.totalTokens()), toInt(a.avgTokensPerExample()), a.qualityScore(),
                        (double) a.singleTurnPct(), (double) a.multiTurnPct(), a.hasSystemPrompts(),
                        new JsonArray(a.qualityIssues()), a.isMultilingual(), a.looksLikeJson(), a.isMultiTurn())))
                .map(rs -> rs.iterator().next().getUUID(0))
                .call(id -> c.query(BECOME_SERVICE).execute())
                .flatMap(id -> c.preparedQuery(SERVER_COLUMNS)
                        .execute(Tuple.from(Arrays.asList(id, toInt(a.avgResponseLength()), a.dominantLanguage(),
                                toInt(a.invalidLines()), samples, u.sessionId(), u.jobId(), ownerIsAnonymous, expiresAt,
                                toInt(a.duplicates()), new JsonArray(new ArrayList<>(a.duplicateExamples()))))))
                .map(rs -> Dataset.of(rs.iterator().next()));
    }

    /** A page of the visible rows, newest first (Panache; inside tx.inSession). */
    public Uni<List<Dataset>> listVisible(int limit, int offset) {
        int last = (int) Math.min(Integer.MAX_VALUE, (long) offset + limit - 1);
        return findAll(Sort.descending("createdAt", "id")).range(offset, last).list()
                .map(rows -> rows.stream().map(Dataset::of).toList());
    }

    public Uni<Long> countVisible() {
        return count();
    }

    /** The row, if the caller can see it (Panache; inside tx.inSession). */
    public Uni<Optional<Dataset>> byId(UUID id) {
        return findById(id).map(e -> Optional.ofNullable(e).map(Dataset::of));
    }

    public Uni<Optional<Dataset>> bySession(String sessionId) {
        return find("sessionId", sessionId).firstResult().map(e -> Optional.ofNullable(e).map(Dataset::of));
    }

    /**
     * Links the job (service_role only: the seed gives users no UPDATE on datasets).
     * <p>
     * Hand-written: a job id whose job does not exist yet fails the foreign key, and that 409 answers with
     * PostgreSQL's detail ({@code Key (job_id)=(...) is not present in table "jobs".}); Hibernate Reactive
     * rethrows database errors as a bare SQLException (message and SQLSTATE only), which would drop it.
     */
    public Uni<Optional<Dataset>> setJob(SqlConnection c, UUID id, UUID jobId) {
        return c.preparedQuery("update public.datasets set job_id = $2 where id = $1 returning " + COLUMNS)
                .execute(Tuple.of(id, jobId))
                .map(rs -> {
                    RowIterator<Row> it = rs.iterator();
                    return it.hasNext() ? Optional.of(Dataset.of(it.next())) : Optional.empty();
                });
    }

    /**
     * Remembers the last recommendation's selection (Panache, service_role only, like {@link #setJob}). Its
     * columns have no constraint a value could fail.
     * {@code scoresJson} is JSON text or null; the row is read back after the update, so last_scores answers as
     * PostgreSQL stored it (jsonb keeps numbers as numeric: what the client sent may read back differently).
     */
    public Uni<Optional<Dataset>> setSelection(UUID id, String task, String target, String modelId, String scoresJson) {
        return findById(id).flatMap(e -> {
            if (e == null) {
                return Uni.createFrom().item(Optional.<Dataset>empty());
            }
            e.selectedTask = task;
            e.selectedTarget = target;
            e.selectedModelId = modelId;
            e.lastScores = scoresJson;
            // flushed, then detached so that findById reads the row again instead of returning this instance
            return flush().chain(() -> getSession()).invoke(s -> s.detach(e)).chain(() -> findById(id))
                    .map(read -> Optional.ofNullable(read).map(Dataset::of));
        });
    }

    /**
     * Who owns a session (service_role: every row is visible). {@code owner_is_anonymous} only when the
     * service recorded the upload as an anonymous session (with its expiry) and auth.users still says
     * the owner is anonymous: a user who signed up since is never acted as without their token.
     * <p>
     * Hand-written: the answer is computed in PostgreSQL - the SECURITY DEFINER function
     * {@code datasets_owner_is_anonymous} over auth.users and the expiry against the database's {@code now()}.
     */
    public Uni<Optional<SessionOwner>> sessionOwner(SqlConnection c, String sessionId) {
        return c.preparedQuery("select id, user_id, expires_at, expires_at <= now() as expired, "
                        + "(owner_is_anonymous and expires_at is not null "
                        + "and public.datasets_owner_is_anonymous(user_id)) as owner_is_anonymous "
                        + "from public.datasets where session_id = $1")
                .execute(Tuple.of(sessionId))
                .map(rs -> {
                    RowIterator<Row> it = rs.iterator();
                    if (!it.hasNext()) {
                        return Optional.empty();
                    }
                    Row r = it.next();
                    return Optional.of(new SessionOwner(r.getUUID("id"), r.getUUID("user_id"),
                            r.getOffsetDateTime("expires_at"), r.getBoolean("expired"),
                            Boolean.TRUE.equals(r.getBoolean("owner_is_anonymous"))));
                });
    }

    /**
     * Stores the duplicate listing of a row that had none (service_role only). Answers the stored values.
     * <p>
     * Hand-written: the first writer wins in one statement ({@code coalesce} with the stored values, answered
     * by {@code returning}), so a concurrent computation changes nothing and both answer the same listing.
     */
    public Uni<Optional<SlmgenDuplicates>> setDuplicates(SqlConnection c, UUID id, long count, List<Long> examples) {
        return c.preparedQuery("update public.datasets set duplicate_count = coalesce(duplicate_count, $2), "
                        + "duplicate_examples = coalesce(duplicate_examples, $3) where id = $1 "
                        + "returning duplicate_count, duplicate_examples")
                .execute(Tuple.of(id, toInt(count), new JsonArray(new ArrayList<>(examples))))
                .map(rs -> {
                    RowIterator<Row> it = rs.iterator();
                    if (!it.hasNext()) {
                        return Optional.empty();
                    }
                    Row r = it.next();
                    List<Long> stored = new ArrayList<>();
                    for (Object e : r.getJsonArray("duplicate_examples")) {
                        stored.add(((Number) e).longValue());
                    }
                    return Optional.of(new SlmgenDuplicates(r.getInteger("duplicate_count"), stored));
                });
    }

    /** Integer columns of the seed: values beyond their range are clamped (a 2 GiB+ limit needs BIGINT). */
    static int toInt(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }
}
