package io.slmgen.jobs.client;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A datasets row as datasets-service answers it (GET /api/datasets/{id}, /by-session/{sid}), only the
 * columns jobs-service reads; the others are ignored. Ids stay text: they are checked where they are
 * used (a malformed one is the caller's 400, never a failed read). The row is client-written
 * (docs/SPEC.md §14), so nothing here is trusted for sizes or paths without a check.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Dataset(
        String id,
        String userId,
        String jobId,
        String allocatedJobId,
        String sessionId,
        String filename,
        String storagePath,
        Long totalExamples,
        Long totalTokens,
        Double qualityScore,
        /** SLMGEN's remembered selection (by-session rows). */
        String selectedTask,
        String selectedTarget,
        String selectedModelId,
        /** jsonb: the session's last ranking, catalog id → score. */
        Object lastScores) {

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
