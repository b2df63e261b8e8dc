package io.slmgen.datasets.repository;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.slmgen.datasets.analysis.AnalysisResult;
import io.slmgen.datasets.service.Upload;
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
            + "owner_is_anonymous, expires_at, selected_task, selected_target, selected_model_id, last_scores";

    public Uni<Map<String, Object>> insert(SqlConnection c, UUID userId, Upload u) {
        return insert(c, userId, u, false, null);
    }

    /**
     * @param ownerIsAnonymous the owner is an anonymous user created for an SLMGEN session (SPEC §15)
     * @param expiresAt when such a session expires (null: never)
     */
    public Uni<Map<String, Object>> insert(SqlConnection c, UUID userId, Upload u, boolean ownerIsAnonymous,
                                           OffsetDateTime expiresAt) {
        AnalysisResult a = u.analysis();
        JsonArray samples = new JsonArray();
        a.invalidSamples().forEach(s -> samples.add(new JsonObject().put("line", s.line()).put("reason", s.reason())));
        return c.preparedQuery("insert into public.datasets (user_id, filename, storage_path, file_size, total_examples, "
                        + "total_tokens, avg_tokens_per_example, quality_score, single_turn_pct, multi_turn_pct, "
                        + "has_system_prompts, quality_issues, is_multilingual, looks_like_json, is_multi_turn, "
                        + "avg_response_length, dominant_language, invalid_lines, invalid_samples, session_id, allocated_job_id, "
                        + "owner_is_anonymous, expires_at) "
                        + "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, "
                        + "$22, $23) "
                        + "returning " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(userId, u.filename(), u.storagePath(), toInt(u.size()),
                        toInt(a.totalExamples()), toInt(a.totalTokens()), toInt(a.avgTokensPerExample()), a.qualityScore(),
                        (double) a.singleTurnPct(), (double) a.multiTurnPct(), a.hasSystemPrompts(),
                        new JsonArray(a.qualityIssues()), a.isMultilingual(), a.looksLikeJson(), a.isMultiTurn(),
                        toInt(a.avgResponseLength()), a.dominantLanguage(), toInt(a.invalidLines()), samples,
                        u.sessionId(), u.jobId(), ownerIsAnonymous, expiresAt)))
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

    /** Who owns a session (service_role: every row is visible). */
    public Uni<Optional<Row>> sessionOwner(SqlConnection c, String sessionId) {
        return c.preparedQuery("select id, user_id, owner_is_anonymous, expires_at, expires_at <= now() as expired "
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

    /** Integer columns of the seed: values beyond their range are clamped (a 2 GiB+ limit needs BIGINT). */
    static int toInt(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }
}
