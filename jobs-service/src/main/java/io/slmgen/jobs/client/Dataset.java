package io.slmgen.jobs.client;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A datasets row as datasets-service answers it (GET /api/datasets/{id}, /by-session/{sid}), only the
 * columns jobs-service reads; the others are ignored. Ids stay text: they are checked where they are
 * used (a malformed one is the caller's 400, never a failed read). The row is client-written
 * (docs/SPEC.md §14), so nothing here is trusted for sizes or paths without a check.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Dataset(
        String id,
        @JsonProperty("user_id") String userId,
        @JsonProperty("job_id") String jobId,
        @JsonProperty("allocated_job_id") String allocatedJobId,
        @JsonProperty("session_id") String sessionId,
        String filename,
        @JsonProperty("storage_path") String storagePath,
        @JsonProperty("total_examples") Long totalExamples,
        @JsonProperty("total_tokens") Long totalTokens,
        @JsonProperty("quality_score") Double qualityScore,
        /** SLMGEN's remembered selection (by-session rows). */
        @JsonProperty("selected_task") String selectedTask,
        @JsonProperty("selected_target") String selectedTarget,
        @JsonProperty("selected_model_id") String selectedModelId,
        /** jsonb: the session's last ranking, catalog id → score. */
        @JsonProperty("last_scores") Object lastScores) {

    public long examples() {
        return totalExamples == null ? 0L : totalExamples;
    }

    public long tokens() {
        return totalTokens == null ? 0L : totalTokens;
    }

    public double quality() {
        return qualityScore == null ? 0.0 : qualityScore;
    }

    /** The last ranking's scores when it is a JSON object, else none. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> scores() {
        return lastScores instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
