package io.slmgen.jobs.model;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.slmgen.shared.db.RowJson;
import io.slmgen.shared.db.RowTimestamp;
import io.vertx.mutiny.sqlclient.Row;

/**
 * A job_events row (docs/SPEC.md §7): the notebook's (or the service's) report, numbered per job by
 * {@code seq}. Only jobs-service writes the payload (as service_role), always a JSON object. The JSON is
 * the row's: column names, table order, the timestamp as PostgREST writes it.
 */
@JsonPropertyOrder({"id", "job_id", "seq", "type", "payload", "created_at"})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JobEvent(
        long id,
        UUID jobId,
        int seq,
        String type,
        Map<String, Object> payload,
        @JsonSerialize(using = RowTimestamp.class) OffsetDateTime createdAt) {

    /** The row of a statement that selected {@code JobEventRepository.COLUMNS}. */
    @SuppressWarnings("unchecked")
    public static JobEvent of(Row r) {
        return new JobEvent(r.getLong("id"), r.getUUID("job_id"), r.getInteger("seq"), r.getString("type"),
                RowJson.value(r.getValue("payload")) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(),
                r.getOffsetDateTime("created_at"));
    }

    /** What the owner's streams carry: the event without its row id. */
    public Public view() {
        return new Public(jobId, seq, type, payload, createdAt);
    }

    /** An event as GET /api/jobs/{id}/events sends it (SSE data). */
    @JsonPropertyOrder({"job_id", "seq", "type", "payload", "created_at"})
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Public(
            UUID jobId,
            int seq,
            String type,
            Map<String, Object> payload,
            @JsonSerialize(using = RowTimestamp.class) OffsetDateTime createdAt) {
    }

    /** An event just recorded (201 of POST /api/jobs/{id}/events): the row, then the job's status after it. */
    public record Recorded(@com.fasterxml.jackson.annotation.JsonUnwrapped JobEvent event, String status) {
    }
}
