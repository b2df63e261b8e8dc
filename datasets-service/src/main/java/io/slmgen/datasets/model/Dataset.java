package io.slmgen.datasets.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.slmgen.shared.db.RowJson;
import io.slmgen.shared.db.RowTimestamp;
import io.vertx.mutiny.sqlclient.Row;

/**
 * A datasets row (docs/SPEC.md §6) as the repository returns it and /api/datasets answers it: the JSON keys
 * are the column names, in the table's order, nulls included, timestamps as PostgREST writes them
 * ({@link RowTimestamp}). The jsonb columns (quality_issues, invalid_samples, last_scores,
 * duplicate_examples) are written by clients too (/rest/v1), so they stay whatever JSON value the row
 * holds: lists and maps in practice.
 */
@JsonPropertyOrder({"id", "user_id", "job_id", "filename", "storage_path", "file_size", "total_examples", "total_tokens",
        "avg_tokens_per_example", "quality_score", "single_turn_pct", "multi_turn_pct", "has_system_prompts",
        "quality_issues", "is_multilingual", "looks_like_json", "is_multi_turn", "created_at", "avg_response_length",
        "dominant_language", "invalid_lines", "invalid_samples", "session_id", "allocated_job_id", "tokenizer_tokens",
        "owner_is_anonymous", "expires_at", "selected_task", "selected_target", "selected_model_id", "last_scores",
        "duplicate_count", "duplicate_examples"})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Dataset(
        UUID id,
        UUID userId,
        UUID jobId,
        String filename,
        String storagePath,
        Integer fileSize,
        Integer totalExamples,
        Integer totalTokens,
        Integer avgTokensPerExample,
        Double qualityScore,
        Double singleTurnPct,
        Double multiTurnPct,
        Boolean hasSystemPrompts,
        /** jsonb */
        Object qualityIssues,
        @JsonProperty("is_multilingual") Boolean isMultilingual,
        Boolean looksLikeJson,
        @JsonProperty("is_multi_turn") Boolean isMultiTurn,
        @JsonSerialize(using = RowTimestamp.class) OffsetDateTime createdAt,
        Integer avgResponseLength,
        String dominantLanguage,
        Integer invalidLines,
        /** jsonb */
        Object invalidSamples,
        String sessionId,
        UUID allocatedJobId,
        Long tokenizerTokens,
        Boolean ownerIsAnonymous,
        @JsonSerialize(using = RowTimestamp.class) OffsetDateTime expiresAt,
        String selectedTask,
        String selectedTarget,
        String selectedModelId,
        /** jsonb */
        Object lastScores,
        Integer duplicateCount,
        /** jsonb */
        Object duplicateExamples) {

    /** The row of a hand-written statement that selected (or returned) {@code DatasetRepository.COLUMNS}. */
    public static Dataset of(Row r) {
        return new Dataset(r.getUUID("id"), r.getUUID("user_id"), r.getUUID("job_id"), r.getString("filename"),
                r.getString("storage_path"), r.getInteger("file_size"), r.getInteger("total_examples"),
                r.getInteger("total_tokens"), r.getInteger("avg_tokens_per_example"), r.getDouble("quality_score"),
                r.getDouble("single_turn_pct"), r.getDouble("multi_turn_pct"), r.getBoolean("has_system_prompts"),
                RowJson.value(r.getValue("quality_issues")), r.getBoolean("is_multilingual"), r.getBoolean("looks_like_json"),
                r.getBoolean("is_multi_turn"), r.getOffsetDateTime("created_at"), r.getInteger("avg_response_length"),
                r.getString("dominant_language"), r.getInteger("invalid_lines"), RowJson.value(r.getValue("invalid_samples")),
                r.getString("session_id"), r.getUUID("allocated_job_id"), r.getLong("tokenizer_tokens"),
                r.getBoolean("owner_is_anonymous"), r.getOffsetDateTime("expires_at"), r.getString("selected_task"),
                r.getString("selected_target"), r.getString("selected_model_id"), RowJson.value(r.getValue("last_scores")),
                r.getInteger("duplicate_count"), RowJson.value(r.getValue("duplicate_examples")));
    }

    /** The row as Panache read it. */
    public static Dataset of(DatasetEntity e) {
        return new Dataset(e.id, e.userId, e.jobId, e.filename, e.storagePath, e.fileSize, e.totalExamples,
                e.totalTokens, e.avgTokensPerExample, e.qualityScore, e.singleTurnPct, e.multiTurnPct, e.hasSystemPrompts,
                RowJson.jsonbText(e.qualityIssues), e.isMultilingual, e.looksLikeJson, e.isMultiTurn, e.createdAt, e.avgResponseLength,
                e.dominantLanguage, e.invalidLines, RowJson.jsonbText(e.invalidSamples), e.sessionId, e.allocatedJobId,
                e.tokenizerTokens, e.ownerIsAnonymous, e.expiresAt, e.selectedTask, e.selectedTarget, e.selectedModelId,
                RowJson.jsonbText(e.lastScores), e.duplicateCount, RowJson.jsonbText(e.duplicateExamples));
    }

    /** The same row answering {@code job_id} with {@code jobId} (an upload answers its allocated job id). */
    public Dataset withJobId(UUID jobId) {
        return new Dataset(id, userId, jobId, filename, storagePath, fileSize, totalExamples, totalTokens,
                avgTokensPerExample, qualityScore, singleTurnPct, multiTurnPct, hasSystemPrompts, qualityIssues,
                isMultilingual, looksLikeJson, isMultiTurn, createdAt, avgResponseLength, dominantLanguage, invalidLines,
                invalidSamples, sessionId, allocatedJobId, tokenizerTokens, ownerIsAnonymous, expiresAt, selectedTask,
                selectedTarget, selectedModelId, lastScores, duplicateCount, duplicateExamples);
    }
}
