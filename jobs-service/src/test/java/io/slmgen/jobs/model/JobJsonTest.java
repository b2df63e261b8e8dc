package io.slmgen.jobs.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The records' JSON is the rows' JSON as the maps rendered it: column names, table order, nulls, PostgREST timestamps. */
class JobJsonTest {

    // as Quarkus' mapper: java.time registered (it must not take over the timestamps' format)
    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());

    private static final UUID ID = UUID.fromString("0b9f3c1e-2a4d-4c4e-9a3b-1d2e3f405162");
    private static final UUID USER = UUID.fromString("aa000000-0000-4000-8000-000000000001");

    static Job job() {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("lora_rank", 16);
        cfg.put("learning_rate", 2.0E-4);
        return new Job(ID, USER, "sess-1", "data.jsonl", USER + "/sess-1/data.jsonl", 120, 45000, 0.87,
                "chat", "cloud", "qwen25", "Qwen 2.5 0.5B", 92.5, cfg, "finetune_qwen_sess1.ipynb", null, null, "created",
                OffsetDateTime.of(2024, 1, 1, 13, 0, 0, 123_456_000, ZoneOffset.ofHours(1)),
                OffsetDateTime.of(2024, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC));
    }

    static final String ROW = "{\"id\":\"" + ID + "\",\"user_id\":\"" + USER + "\",\"session_id\":\"sess-1\","
            + "\"dataset_filename\":\"data.jsonl\",\"dataset_path\":\"" + USER + "/sess-1/data.jsonl\",\"total_examples\":120,"
            + "\"total_tokens\":45000,\"quality_score\":0.87,\"task_type\":\"chat\",\"deployment_target\":\"cloud\","
            + "\"selected_model_id\":\"qwen25\",\"selected_model_name\":\"Qwen 2.5 0.5B\",\"model_score\":92.5,"
            + "\"training_config\":{\"lora_rank\":16,\"learning_rate\":2.0E-4},\"notebook_filename\":\"finetune_qwen_sess1.ipynb\","
            + "\"notebook_path\":null,\"colab_url\":null,\"status\":\"created\","
            + "\"created_at\":\"2024-01-01T12:00:00.123456+00:00\",\"updated_at\":\"2024-01-01T12:00:00.000000+00:00\"";

    @Test
    void aJobIsItsRow() throws Exception {
        assertEquals(ROW + "}", mapper.writeValueAsString(job()));
    }

    @Test
    void aCreatedJobIsTheRowThenTheLinkAndTheSecret() throws Exception {
        assertEquals(ROW + ",\"notebook_url\":\"https://x/sign\",\"job_secret\":\"s3cret\"}",
                mapper.writeValueAsString(new CreatedJob(job(), "https://x/sign", "s3cret")));
    }

    @Test
    void aNullTimestampStaysNull() throws Exception {
        Job j = job();
        Job noTimes = new Job(j.id(), j.userId(), j.sessionId(), j.datasetFilename(), j.datasetPath(), j.totalExamples(),
                j.totalTokens(), j.qualityScore(), j.taskType(), j.deploymentTarget(), j.selectedModelId(),
                j.selectedModelName(), j.modelScore(), null, null, null, null, null, null, null);
        String json = mapper.writeValueAsString(noTimes);
        assertEquals(true, json.endsWith("\"training_config\":null,\"notebook_filename\":null,\"notebook_path\":null,"
                + "\"colab_url\":null,\"status\":null,\"created_at\":null,\"updated_at\":null}"), json);
    }

    @Test
    void anEventIsItsRowAndItsStreamFormLeavesTheIdOut() throws Exception {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("step", 3);
        payload.put("loss", 1.25);
        JobEvent e = new JobEvent(41L, ID, 3, "progress", payload,
                OffsetDateTime.of(2024, 1, 1, 12, 0, 0, 5_000, ZoneOffset.UTC));
        String tail = "\"seq\":3,\"type\":\"progress\",\"payload\":{\"step\":3,\"loss\":1.25},"
                + "\"created_at\":\"2024-01-01T12:00:00.000005+00:00\"";
        assertEquals("{\"id\":41,\"job_id\":\"" + ID + "\"," + tail + ",\"status\":\"processing\"}",
                mapper.writeValueAsString(new JobEvent.Recorded(e, "processing")));
        assertEquals("{\"job_id\":\"" + ID + "\"," + tail + "}", mapper.writeValueAsString(e.view()));
        // the SSE data is written by Vert.x' codec: the same text
        assertEquals(mapper.writeValueAsString(e.view()), io.vertx.core.json.Json.encode(e.view()));
    }
}
