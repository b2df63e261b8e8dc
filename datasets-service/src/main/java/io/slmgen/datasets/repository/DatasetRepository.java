package io.slmgen.datasets.repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.slmgen.datasets.analysis.AnalysisResult;
import io.slmgen.datasets.model.Upload;
import io.slmgen.shared.db.RowJson;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * SQL for public.datasets. Runs inside the caller's transaction: the seed's policies decide what a
 * statement sees, so someone else's dataset simply does not exist here.
 */
@ApplicationScoped
public class DatasetRepository {

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

    public Uni<Map<String, Object>> insert(SqlConnection c, UUID userId, Upload u) {
        return insert(c, userId, u, false, null);
    }

    /**
     * @param ownerIsAnonymous the owner is an anonymous user created for an SLMGEN session (SPEC §15)
     * @param expiresAt when such a session expires (null: never)
     */
    public Uni<Map<String, Object>> insert(SqlConnection c, UUID userId, Upload u, boolean ownerIsAnonymous,
                                           OffsetDateTime expiresAt) {
        // As the caller: the seed's columns, under the seed's insert policy and the same column privileges
        // and checks as a /rest/v1 insert. Then, in the same transaction and only for the row just made,
        // the server-owned columns as service_role: users cannot write those, so none of them is a
        // value a client chose.
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
                .map(rs -> RowJson.toMap(rs.iterator().next()));
    }

    public Uni<List<Map<String, Object>>> listVisible(SqlConnection c, int limit, int offset) {
        return c.preparedQuery("select " + COLUMNS + " from public.datasets order by created_at desc, id desc limit $1 offset $2")
                .execute(Tuple.of(limit, offset))
                .map(RowJson::toList);
    }

    public Uni<Long> countVisible(SqlConnection c) {
        return c.query("select count(*) from public.datasets").execute().map(rs -> rs.iterator().next().getLong(0));
    }

    public Uni<Optional<Map<String, Object>>> find(SqlConnection c, UUID id) {
        return c.preparedQuery("select " + COLUMNS + " from public.datasets where id = $1")
                .execute(Tuple.of(id))
                .map(RowJson::toList)
                .map(l -> l.stream().findFirst());
    }

    public Uni<Optional<Map<String, Object>>> findBySession(SqlConnection c, String sessionId) {
        return c.preparedQuery("select " + COLUMNS + " from public.datasets where session_id = $1")
                .execute(Tuple.of(sessionId))
                .map(RowJson::toList)
                .map(l -> l.stream().findFirst());
    }

    public Uni<Boolean> delete(SqlConnection c, UUID id) {
        return c.preparedQuery("delete from public.datasets where id = $1")
                .execute(Tuple.of(id))
                .map(rs -> rs.rowCount() == 1);
    }

    /** Links the job (service_role only: the seed gives users no UPDATE on datasets). */
    public Uni<Optional<Map<String, Object>>> setJob(SqlConnection c, UUID id, UUID jobId) {
        return c.preparedQuery("update public.datasets set job_id = $2 where id = $1 returning " + COLUMNS)
                .execute(Tuple.of(id, jobId))
                .map(RowJson::toList)
                .map(l -> l.stream().findFirst());
    }

    /**
     * Who owns a session (service_role: every row is visible). {@code owner_is_anonymous} only when the
     * service recorded the upload as an anonymous session (with its expiry) and auth.users still says
     * the owner is anonymous: a user who signed up since is never acted as without their token.
     */
    public Uni<Optional<Row>> sessionOwner(SqlConnection c, String sessionId) {
        return c.preparedQuery("select id, user_id, expires_at, expires_at <= now() as expired, "
                        + "(owner_is_anonymous and expires_at is not null "
                        + "and public.datasets_owner_is_anonymous(user_id)) as owner_is_anonymous "
                        + "from public.datasets where session_id = $1")
                .execute(Tuple.of(sessionId))
                .map(rs -> {
                    RowIterator<Row> it = rs.iterator();
                    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
                });
    }

    /** Remembers the last recommendation's selection (service_role only, like {@link #setJob}). */
    public Uni<Optional<Map<String, Object>>> setSelection(SqlConnection c, UUID id, String task, String target,
                                                           String modelId, JsonObject scores) {
        return c.preparedQuery("update public.datasets set selected_task = $2, selected_target = $3, "
                        + "selected_model_id = $4, last_scores = $5 where id = $1 returning " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(id, task, target, modelId, scores)))
                .map(RowJson::toList)
                .map(l -> l.stream().findFirst());
    }

    /**
     * Stores the duplicate listing of a row that had none (service_role only; the first writer wins, a
     * concurrent one changes nothing). Answers the stored values.
     */
    public Uni<Optional<Row>> setDuplicates(SqlConnection c, UUID id, long count, List<Long> examples) {
        return c.preparedQuery("update public.datasets set duplicate_count = coalesce(duplicate_count, $2), "
                        + "duplicate_examples = coalesce(duplicate_examples, $3) where id = $1 "
                        + "returning duplicate_count, duplicate_examples")
                .execute(Tuple.of(id, toInt(count), new JsonArray(new ArrayList<>(examples))))
                .map(rs -> {
                    RowIterator<Row> it = rs.iterator();
                    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
                });
    }

    /** Integer columns of the seed: values beyond their range are clamped (a 2 GiB+ limit needs BIGINT). */
    static int toInt(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }
}
