package io.slmgen.jobs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;


import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.slmgen.jobs.service.CreationSweeper;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.identity.Caller;
import io.slmgen.shared.testing.ConcurrentClients;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TestUsers;
import io.slmgen.shared.testing.TestUsers.TestUser;
import io.slmgen.shared.testing.TokenMinter;

/**
 * jobs-service over HTTP against a real PostgreSQL; catalog-, datasets- and storage-service are
 * WireMock stubs, and every test asserts what was sent to them.
 */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "jobs"), @ResourceArg(name = "slices", value = "auth")})
@WithTestResource(WireMockServices.class)
class JobsResourceTest {

    static final String DATASET_JSONL = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello\"}]}\n";

    @TestHTTPResource("/")
    URI base;

    static WireMockServer wm() {
        return WireMockServices.server();
    }

    /** One arranged dataset of a user, with every stub a successful create needs. */
    record Arranged(TestUser user, UUID datasetId, UUID jobId, String sessionId, String notebookName) {
        String notebookPath() {
            return "/storage/v1/object/notebooks/" + user.id() + "/" + jobId + "/" + notebookName;
        }

        String signPath() {
            return "/storage/v1/object/sign/notebooks/" + user.id() + "/" + jobId + "/" + notebookName;
        }
    }

    static Arranged arrange(TestUser user, long fileSize) {
        return arrange(user, fileSize, DATASET_JSONL);
    }

    /** {@code fileSize} is what the (client-written) row claims; {@code object} is what storage really holds. */
    static Arranged arrange(TestUser user, long fileSize, String object) {
        UUID ds = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        String session = "sess" + job.toString().substring(0, 4) + "-" + UUID.randomUUID();
        String nbName = "finetune_qwen_2_5_3b_" + session.substring(0, 8) + ".ipynb";
        wm().stubFor(get(urlPathEqualTo("/api/datasets/" + ds)).willReturn(okJson("{"
                + "\"id\":\"" + ds + "\",\"user_id\":\"" + user.id() + "\",\"job_id\":null,"
                + "\"allocated_job_id\":\"" + job + "\",\"session_id\":\"" + session + "\",\"filename\":\"chats.jsonl\","
                + "\"storage_path\":\"" + user.id() + "/" + job + "/chats.jsonl\",\"file_size\":" + fileSize + ","
                + "\"total_examples\":120,\"total_tokens\":54321,\"avg_tokens_per_example\":452.7,\"quality_score\":0.92,"
                + "\"is_multilingual\":false,\"looks_like_json\":false,\"is_multi_turn\":true}")));
        stubDatasetObject(user.id() + "/" + job + "/chats.jsonl", object, object);
        wm().stubFor(post(urlPathEqualTo("/storage/v1/object/sign/datasets/" + user.id() + "/" + job + "/chats.jsonl"))
                .willReturn(okJson("{\"signedURL\":\"/object/sign/datasets/" + user.id() + "/" + job
                        + "/chats.jsonl?token=dstok\"}")));
        wm().stubFor(post(urlPathEqualTo("/storage/v1/object/notebooks/" + user.id() + "/" + job + "/" + nbName))
                .willReturn(okJson("{\"Id\":\"" + UUID.randomUUID() + "\",\"Key\":\"notebooks/" + user.id() + "/" + job + "/" + nbName + "\"}")));
        wm().stubFor(post(urlPathEqualTo("/storage/v1/object/sign/notebooks/" + user.id() + "/" + job + "/" + nbName))
                .willReturn(okJson("{\"signedURL\":\"/object/sign/notebooks/" + user.id() + "/" + job + "/" + nbName + "?token=nbtok\"}")));
        wm().stubFor(delete(urlPathEqualTo("/storage/v1/object/notebooks/" + user.id() + "/" + job + "/" + nbName))
                .willReturn(okJson("{\"message\":\"Successfully deleted\"}")));
        wm().stubFor(put(urlPathEqualTo("/api/datasets/" + ds + "/job"))
                .willReturn(okJson("{\"id\":\"" + ds + "\",\"job_id\":\"" + job + "\"}")));
        return new Arranged(user, ds, job, session, nbName);
    }

    /** The dataset object as storage holds it: HEAD answers {@code headBody}'s length, GET sends {@code getBody}. */
    static void stubDatasetObject(String path, String headBody, String getBody) {
        wm().stubFor(com.github.tomakehurst.wiremock.client.WireMock.head(urlPathEqualTo("/storage/v1/object/authenticated/datasets/" + path))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/octet-stream")
                        .withHeader("Content-Length", String.valueOf(headBody.getBytes(StandardCharsets.UTF_8).length))));
        wm().stubFor(get(urlPathEqualTo("/storage/v1/object/authenticated/datasets/" + path))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/octet-stream").withBody(getBody)));
    }

    static void stubCatalog() {
        wm().stubFor(post(urlPathEqualTo("/api/recommendations")).willReturn(okJson("{"
                + "\"primary\":" + rec("qwen25", "Qwen 2.5 3B", "Qwen/Qwen2.5-3B-Instruct", "unsloth/Qwen2.5-3B-Instruct-bnb-4bit", "qwen-2.5", 85.0, 36) + ","
                + "\"alternatives\":[" + rec("phi4", "Phi-4 Mini", "microsoft/Phi-4-mini-instruct", "unsloth/Phi-4-mini-instruct", "phi-4", 70.0, 45) + ","
                + rec("gemma2", "Gemma 2 2B", "google/gemma-2-2b-it", "unsloth/gemma-2-2b-it-bnb-4bit", "gemma", 65.0, 28) + "],"
                + "\"task_type\":\"qa\",\"deployment_target\":\"cloud\"}")));
        wm().stubFor(get(urlPathEqualTo("/api/training-configs/resolve")).willReturn(okJson("{"
                + "\"id\":\"00000000-0000-0000-0000-00000000ba1a\",\"name\":\"Balanced\",\"lora_rank\":16,\"lora_alpha\":32,"
                + "\"lora_dropout\":0.05,\"learning_rate\":0.0002,\"num_epochs\":3,\"batch_size\":4,"
                + "\"gradient_accumulation_steps\":4,\"warmup_ratio\":0.03,\"max_seq_length\":2048,"
                + "\"optimizer\":\"adamw_8bit\",\"scheduler\":\"linear\"}")));
        wm().stubFor(get(urlPathEqualTo("/api/models/smollm2")).willReturn(okJson("{\"id\":\"smollm2\",\"name\":\"SmolLM2 1.7B\","
                + "\"size\":\"1.7B\",\"context_window\":8192,\"is_gated\":false,\"hf_model_id\":\"HuggingFaceTB/SmolLM2-1.7B-Instruct\","
                + "\"unsloth_model_id\":\"unsloth/SmolLM2-1.7B-Instruct\",\"chat_template\":\"chatml\",\"load_in_4bit\":false}")));
        wm().stubFor(get(urlPathEqualTo("/api/models/nope")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"not_found\",\"message\":\"no model nope\"}")));
    }

    static String rec(String id, String name, String hf, String unsloth, String template, double score, int minutes) {
        return "{\"model_id\":\"" + id + "\",\"model_name\":\"" + name + "\",\"hf_model_id\":\"" + hf + "\","
                + "\"unsloth_model_id\":\"" + unsloth + "\",\"chat_template\":\"" + template + "\",\"load_in_4bit\":true,"
                + "\"size\":\"3B\",\"context_window\":32768,\"is_gated\":false,\"score\":" + score + ","
                + "\"reasons\":[\"✅ Excellent for qa tasks\"],\"estimated_training_minutes\":" + minutes + "}";
    }

    static String body(Arranged a) {
        return "{\"dataset_id\":\"" + a.datasetId() + "\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\"}";
    }

    static JsonPath create(Arranged a) {
        stubCatalog();
        return given().header("Authorization", a.user().bearer()).contentType(ContentType.JSON).body(body(a))
                .post("/api/jobs").then().statusCode(201).extract().jsonPath();
    }

    static long count(String sql, Object... args) throws Exception {
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String uploadedNotebook(Arranged a) {
        List<LoggedRequest> reqs = wm().findAll(postRequestedFor(urlPathEqualTo(a.notebookPath())));
        assertEquals(1, reqs.size());
        return reqs.get(0).getBodyAsString();
    }

    // ---- operations ----

    @Test
    void healthMetricsAndOpenApiAreExposed() {
        given().get("/q/health/live").then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/jobs/{id}/events"));
    }

    // ---- create ----

    @Test
    void createGathersEverythingStoresTheNotebookLinksTheDatasetAndReturnsASignedUrl() throws Exception {
        TestUser a = TestUsers.create("create");
        Arranged x = arrange(a, 200);
        JsonPath job = create(x);

        assertEquals(x.jobId().toString(), job.getString("id"));
        assertEquals(a.id().toString(), job.getString("user_id"));
        assertEquals(x.sessionId(), job.getString("session_id"));
        assertEquals("created", job.getString("status"));
        assertEquals("chats.jsonl", job.getString("dataset_filename"));
        assertEquals(a.id() + "/" + x.jobId() + "/chats.jsonl", job.getString("dataset_path"));
        assertEquals(120, job.getInt("total_examples"));
        assertEquals(54321, job.getInt("total_tokens"));
        assertEquals("qa", job.getString("task_type"));
        assertEquals("cloud", job.getString("deployment_target"));
        assertEquals("qwen25", job.getString("selected_model_id"));
        assertEquals("Qwen 2.5 3B", job.getString("selected_model_name"));
        assertEquals(85.0, job.getDouble("model_score"));
        assertEquals(16, job.getInt("training_config.lora_rank"));
        assertEquals(0.0002, job.getDouble("training_config.learning_rate"));
        assertEquals("adamw_8bit", job.getString("training_config.optimizer"));
        assertEquals("Balanced", job.getString("training_config.training_config_name"));
        assertEquals("unsloth/Qwen2.5-3B-Instruct-bnb-4bit", job.getString("training_config.unsloth_model_id"));
        assertEquals("Qwen/Qwen2.5-3B-Instruct", job.getString("training_config.hf_model_id"));
        assertEquals(x.notebookName(), job.getString("notebook_filename"));
        assertEquals(a.id() + "/" + x.jobId() + "/" + x.notebookName(), job.getString("notebook_path"));
        assertEquals("https://sb.example.test/storage/v1/object/sign/notebooks/" + a.id() + "/" + x.jobId() + "/"
                + x.notebookName() + "?token=nbtok", job.getString("notebook_url"));
        assertEquals("https://colab.research.google.com/notebooks/empty.ipynb#fileId=https%3A%2F%2Fsb.example.test%2Fslmgen%2Fnotebooks%2F"
                + x.sessionId() + ".ipynb", job.getString("colab_url"));
        String secret = job.getString("job_secret");
        assertTrue(secret.startsWith("js_") && secret.length() > 40, secret);

        // what the other services were sent, with the caller's token
        wm().verify(getRequestedFor(urlPathEqualTo("/api/datasets/" + x.datasetId())).withHeader("Authorization", equalTo(a.bearer())));
        wm().verify(postRequestedFor(urlPathEqualTo("/api/recommendations")).withHeader("Authorization", equalTo(a.bearer()))
                .withRequestBody(equalToJson("{\"dataset_id\":\"" + x.datasetId() + "\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\"}")));
        wm().verify(postRequestedFor(urlPathEqualTo(x.notebookPath())).withHeader("Authorization", equalTo(a.bearer()))
                .withHeader("Content-Type", equalTo("application/x-ipynb+json")).withHeader("x-upsert", equalTo("true")));
        wm().verify(putRequestedFor(urlPathEqualTo("/api/datasets/" + x.datasetId() + "/job"))
                .withHeader("Authorization", equalTo(a.bearer()))
                .withRequestBody(equalToJson("{\"job_id\":\"" + x.jobId() + "\"}")));
        wm().verify(postRequestedFor(urlPathEqualTo(x.signPath())).withRequestBody(equalToJson("{\"expiresIn\":3600}")));

        // the stored notebook: valid JSON with the config, the embedded dataset (small) and the progress callback
        String nb = uploadedNotebook(x);
        assertTrue(nb.contains("\"nbformat\" : 4"), nb.substring(0, 200));
        assertTrue(nb.contains("MODEL_NAME = \\\"unsloth/Qwen2.5-3B-Instruct-bnb-4bit\\\""));
        assertTrue(nb.contains("LORA_RANK = 16"));
        assertTrue(nb.contains("DATASET_B64 = "));
        assertTrue(nb.contains("EVENTS_URL = \\\"https://sb.example.test/api/jobs/" + x.jobId() + "/events\\\""));
        assertTrue(nb.contains("JOB_SECRET = \\\"" + secret + "\\\""));

        // the secret itself is not stored, only its HMAC; nobody but service_role reads it
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(
                "select secret_hash from public.job_secrets where job_id = ?")) {
            ps.setObject(1, x.jobId());
            ResultSet rs = ps.executeQuery();
            assertTrue(rs.next());
            String hash = rs.getString(1);
            assertNotEquals(secret, hash);
            assertEquals(64, hash.length());
        }
        assertEquals(0, countAs(a, "select count(*) from public.job_secrets"));

        // a finished creation leaves no "being created" marker behind
        assertEquals(0, count("select count(*) from public.job_creations where job_id = ?", x.jobId()));
    }

    /** Valid JSONL larger than the test's embed limit (4096 bytes). */
    static final String LARGE_JSONL = DATASET_JSONL.repeat(200);

    @Test
    void aRowClaimingATinyFileDoesNotMakeTheServiceLoadALargeObject() {
        // hostile: the owner wrote file_size = 1 for an object over the embed limit (SPEC §14)
        TestUser a = TestUsers.create("large");
        Arranged x = arrange(a, 1, LARGE_JSONL);
        create(x);
        String object = "/storage/v1/object/authenticated/datasets/" + a.id() + "/" + x.jobId() + "/chats.jsonl";
        // the real size came from storage, as the caller; the bytes were never fetched; the link lives 24 h
        wm().verify(com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor(urlPathEqualTo(object))
                .withHeader("Authorization", equalTo(a.bearer())));
        wm().verify(0, getRequestedFor(urlPathEqualTo(object)));
        wm().verify(postRequestedFor(urlPathEqualTo("/storage/v1/object/sign/datasets/" + a.id() + "/" + x.jobId() + "/chats.jsonl"))
                .withRequestBody(equalToJson("{\"expiresIn\":86400}")));
        String nb = uploadedNotebook(x);
        assertTrue(nb.contains("DATASET_URL = \\\"https://sb.example.test/storage/v1/object/sign/datasets/" + a.id() + "/"
                + x.jobId() + "/chats.jsonl?token=dstok\\\""));
        assertFalse(nb.contains("DATASET_B64"));
    }

    @Test
    void aRowClaimingAHugeFileIsEmbeddedByItsRealSize() {
        TestUser a = TestUsers.create("claimbig");
        Arranged x = arrange(a, 10_000_000);
        create(x);
        String nb = uploadedNotebook(x);
        assertTrue(nb.contains("DATASET_B64 = "), nb.substring(0, 200));
        wm().verify(0, postRequestedFor(urlPathEqualTo("/storage/v1/object/sign/datasets/" + a.id() + "/" + x.jobId() + "/chats.jsonl")));
    }

    @Test
    void anObjectThatGrewPastTheLimitSinceItsSizeWasReadIsLinkedNotLoaded() {
        TestUser a = TestUsers.create("grew");
        Arranged x = arrange(a, 200);
        String path = a.id() + "/" + x.jobId() + "/chats.jsonl";
        // HEAD: small; GET: a large body streamed in chunks with no Content-Length - the read stops at the limit
        stubDatasetObject(path, DATASET_JSONL, DATASET_JSONL);
        wm().stubFor(get(urlPathEqualTo("/storage/v1/object/authenticated/datasets/" + path))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/octet-stream")
                        .withBody(LARGE_JSONL.repeat(50)).withChunkedDribbleDelay(40, 400)));
        create(x);
        String nb = uploadedNotebook(x);
        assertFalse(nb.contains("DATASET_B64"));
        assertTrue(nb.contains("DATASET_URL = "));
        wm().verify(postRequestedFor(urlPathEqualTo("/storage/v1/object/sign/datasets/" + path)));
    }

    @Test
    void aDatasetRowNamingAnObjectOutsideTheOwnersFolderIsRefused() throws Exception {
        TestUser a = TestUsers.create("foreignpath");
        TestUser victim = TestUsers.create("foreignpath-v");
        Arranged x = arrange(a, 200);
        stubCatalog();
        String[] paths = {victim.id() + "/" + x.jobId() + "/chats.jsonl", a.id() + "/../" + victim.id() + "/chats.jsonl",
                a.id() + "/../chats.jsonl", a.id() + "/./chats.jsonl", "/" + a.id() + "/x/chats.jsonl", a.id().toString(), a.id() + "/",
                a.id() + "//chats.jsonl", a.id() + "/x\nchats.jsonl"};
        for (String p : paths) {
            stubDatasetRow(x, p);
            given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body(body(x)).post("/api/jobs").then()
                    .statusCode(409).contentType(ContentType.JSON).body("error", org.hamcrest.Matchers.equalTo("dataset_object_invalid"));
        }
        assertEquals(0, count("select count(*) from public.jobs where id = ?", x.jobId()));
        wm().verify(0, com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor(urlPathMatching("/storage/v1/object/authenticated/datasets/" + victim.id() + "/.*")));
        wm().verify(0, getRequestedFor(urlPathMatching("/storage/v1/object/authenticated/datasets/" + victim.id() + "/.*")));
        wm().verify(0, postRequestedFor(urlPathMatching("/storage/v1/object/notebooks/" + a.id() + "/" + x.jobId() + "/.*")));

        // anywhere in the owner's own folder is fine (the seed's rows may use {user_id}/{file})
        stubDatasetRow(x, a.id() + "/flat-chats.jsonl");
        stubDatasetObject(a.id() + "/flat-chats.jsonl", DATASET_JSONL, DATASET_JSONL);
        create(x);
        assertTrue(uploadedNotebook(x).contains("DATASET_B64 = "));
    }

    /** datasets-service's answer for the arranged dataset, with the given storage_path and a 1-byte claim. */
    static void stubDatasetRow(Arranged x, String storagePath) {
        wm().stubFor(get(urlPathEqualTo("/api/datasets/" + x.datasetId())).willReturn(okJson("{"
                + "\"id\":\"" + x.datasetId() + "\",\"user_id\":\"" + x.user().id() + "\",\"job_id\":null,"
                + "\"allocated_job_id\":\"" + x.jobId() + "\",\"session_id\":\"" + x.sessionId() + "\",\"filename\":\"chats.jsonl\","
                + "\"storage_path\":" + io.vertx.core.json.Json.encode(storagePath) + ",\"file_size\":1,"
                + "\"total_examples\":120,\"total_tokens\":54321,\"quality_score\":0.92}")));
    }

    @Test
    void aMissingDatasetObjectIs409AndNothingIsMade() throws Exception {
        TestUser a = TestUsers.create("noobject");
        Arranged x = arrange(a, 200);
        String path = "/storage/v1/object/authenticated/datasets/" + a.id() + "/" + x.jobId() + "/chats.jsonl";
        wm().stubFor(com.github.tomakehurst.wiremock.client.WireMock.head(urlPathEqualTo(path)).willReturn(aResponse().withStatus(400)));
        stubCatalog();
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body(body(x)).post("/api/jobs").then()
                .statusCode(409).contentType(ContentType.JSON).body("error", org.hamcrest.Matchers.equalTo("dataset_object_missing"));
        assertEquals(0, count("select count(*) from public.jobs where id = ?", x.jobId()));
    }

    @Test
    void overridesAndAChosenModelAreUsed() {
        TestUser a = TestUsers.create("override");
        Arranged x = arrange(a, 200);
        stubCatalog();
        String nbName = "finetune_phi_4_mini_" + x.sessionId().substring(0, 8) + ".ipynb";
        stubNotebookObject(x, nbName);
        JsonPath job = given().header("Authorization", a.bearer()).contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + x.datasetId() + "\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\","
                        + "\"model_id\":\"phi4\",\"training_config_id\":\"00000000-0000-0000-0000-00000000ba1a\","
                        + "\"overrides\":{\"lora_rank\":64,\"learning_rate\":0.0001,\"scheduler\":\"cosine\"}}")
                .post("/api/jobs").then().statusCode(201).extract().jsonPath();
        assertEquals("phi4", job.getString("selected_model_id"));
        assertEquals(70.0, job.getDouble("model_score"));
        assertEquals(64, job.getInt("training_config.lora_rank"));
        assertEquals(0.0001, job.getDouble("training_config.learning_rate"));
        assertEquals("cosine", job.getString("training_config.scheduler"));
        assertEquals(32, job.getInt("training_config.lora_alpha"));
        wm().verify(getRequestedFor(urlPathEqualTo("/api/training-configs/resolve"))
                .withQueryParam("id", equalTo("00000000-0000-0000-0000-00000000ba1a")));
        String nb = wm().findAll(postRequestedFor(urlPathEqualTo("/storage/v1/object/notebooks/" + a.id() + "/" + x.jobId() + "/" + nbName)))
                .get(0).getBodyAsString();
        assertTrue(nb.contains("LORA_RANK = 64"));
        assertTrue(nb.contains("LEARNING_RATE = 0.0001"));
        assertTrue(nb.contains("LR_SCHEDULER = \\\"cosine\\\""));
        assertTrue(nb.contains("MODEL_NAME = \\\"unsloth/Phi-4-mini-instruct\\\""));
    }

    @Test
    void aCatalogModelOutsideTheRecommendationIsFetchedAndAnUnknownOneIs422() throws Exception {
        TestUser a = TestUsers.create("model");
        Arranged x = arrange(a, 200);
        stubCatalog();
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + x.datasetId() + "\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\",\"model_id\":\"nope\"}")
                .post("/api/jobs").then().statusCode(422).contentType(ContentType.JSON).body("field", org.hamcrest.Matchers.equalTo("model_id"));
        assertEquals(0, count("select count(*) from public.jobs where id = ?", x.jobId()));

        String nbName = "finetune_smollm2_1_7b_" + x.sessionId().substring(0, 8) + ".ipynb";
        stubNotebookObject(x, nbName);
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + x.datasetId() + "\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\",\"model_id\":\"smollm2\"}")
                .post("/api/jobs").then().statusCode(201)
                .body("selected_model_id", org.hamcrest.Matchers.equalTo("smollm2"))
                .body("selected_model_name", org.hamcrest.Matchers.equalTo("SmolLM2 1.7B"))
                .body("training_config.load_in_4bit", org.hamcrest.Matchers.equalTo(false));
    }

    @Test
    void aCompatibleHuggingFaceModelMakesACustomJobAndAnIncompatibleOneIs422() throws Exception {
        TestUser a = TestUsers.create("custom");
        Arranged x = arrange(a, 200);
        stubCatalog();
        SlmgenResourceTest.stubValidation("acme/old-gpt", 200,
                SlmgenResourceTest.validation("acme/old-gpt", "old-gpt", "GPT2LMHeadModel", false, false));
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + x.datasetId() + "\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\",\"model_id\":\"acme/old-gpt\"}")
                .post("/api/jobs").then().statusCode(422).body("field", org.hamcrest.Matchers.equalTo("model_id"));
        assertEquals(0, count("select count(*) from public.jobs where id = ?", x.jobId()));

        SlmgenResourceTest.stubValidation("acme/tiny-llama", 200,
                SlmgenResourceTest.validation("acme/tiny-llama", "tiny-llama", "LlamaForCausalLM", true, true));
        String nbName = "finetune_tiny_llama_" + x.sessionId().substring(0, 8) + ".ipynb";
        stubNotebookObject(x, nbName);
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + x.datasetId() + "\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\",\"model_id\":\"acme/tiny-llama\"}")
                .post("/api/jobs").then().statusCode(201)
                .body("selected_model_id", org.hamcrest.Matchers.equalTo("acme/tiny-llama"))
                .body("selected_model_name", org.hamcrest.Matchers.equalTo("tiny-llama"))
                .body("notebook_filename", org.hamcrest.Matchers.equalTo(nbName))
                .body("training_config.hf_model_id", org.hamcrest.Matchers.equalTo("acme/tiny-llama"))
                .body("training_config.load_in_4bit", org.hamcrest.Matchers.equalTo(true));
        String code = SlmgenResourceTest.storedNotebookCode(a.id() + "/" + x.jobId());
        assertTrue(code.contains("MODEL_NAME = \"acme/tiny-llama\""), code);
        assertTrue(code.contains("target_modules=[\"q_proj\", \"k_proj\", \"v_proj\", \"o_proj\", \"gate_proj\", \"up_proj\", \"down_proj\"],"), code);
        // gated on the hub: the notebook asks for a Hugging Face login
        assertTrue(code.contains("from huggingface_hub import login"), code);
    }

    static void stubNotebookObject(Arranged x, String nbName) {
        String p = x.user().id() + "/" + x.jobId() + "/" + nbName;
        wm().stubFor(post(urlPathEqualTo("/storage/v1/object/notebooks/" + p)).willReturn(okJson("{\"Key\":\"notebooks/" + p + "\"}")));
        wm().stubFor(post(urlPathEqualTo("/storage/v1/object/sign/notebooks/" + p))
                .willReturn(okJson("{\"signedURL\":\"/object/sign/notebooks/" + p + "?token=t\"}")));
    }

    /**
     * The body's rules (CreateJobInput, Bean Validation) answer as the hand-written checks did: 422
     * validation_failed naming the field in the /api shape, the first fault in the old order (the UUID
     * checks between them stay 400 invalid_id), blank as String.isBlank counts it.
     */
    @Test
    void theBodysRulesNameTheFirstFaultyFieldInOrder() {
        TestUser a = TestUsers.create("rules");
        Arranged x = arrange(a, 200);
        int before = wm().getAllServeEvents().size();
        String ds = "\"dataset_id\":\"" + x.datasetId() + "\"";
        String[][] cases = {
                {"{" + ds + ",\"task_type\":\"  \",\"deployment_target\":\"cloud\"}", "422", "task_type", "task_type is required"},
                {"{" + ds + ",\"task_type\":\"qa\",\"deployment_target\":\"\\u2003\"}", "422", "deployment_target",
                        "deployment_target is required"},
                {"{" + ds + "}", "422", "task_type", "task_type is required"},
                {"{\"dataset_id\":\"nope\"}", "400", "dataset_id", "dataset_id must be a UUID"},
                {"{\"task_type\":\" \"}", "422", "dataset_id", "dataset_id is required"},
                {"{" + ds + ",\"task_type\":\"qa\",\"deployment_target\":\"cloud\",\"model_id\":\" \"}", "422", "model_id",
                        "model_id must be a catalog model id"},
                {"{" + ds + ",\"task_type\":\"qa\",\"deployment_target\":\"cloud\",\"model_id\":\"\",\"training_config_id\":\"x\"}",
                        "400", "training_config_id", "training_config_id must be a UUID"},
        };
        for (String[] c : cases) {
            given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body(c[0]).post("/api/jobs").then()
                    .statusCode(Integer.parseInt(c[1])).contentType(ContentType.JSON)
                    .body("error", org.hamcrest.Matchers.equalTo(c[1].equals("422") ? "validation_failed" : "invalid_id"))
                    .body("field", org.hamcrest.Matchers.equalTo(c[2]))
                    .body("message", org.hamcrest.Matchers.equalTo(c[3]));
        }
        // no token: 401 before any rule of the body
        given().contentType(ContentType.JSON).body("{}").post("/api/jobs").then().statusCode(401);
        assertEquals(before, wm().getAllServeEvents().size());
    }

    @Test
    void invalidInputIs4xxAndCallsNobody() {
        TestUser a = TestUsers.create("invalid");
        Arranged x = arrange(a, 200);
        int before = wm().getAllServeEvents().size();
        String[][] cases = {
                {"{\"task_type\":\"qa\",\"deployment_target\":\"cloud\"}", "422", "dataset_id"},
                {"{\"dataset_id\":\"nope\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\"}", "400", "dataset_id"},
                {"{\"dataset_id\":\"" + x.datasetId() + "\",\"deployment_target\":\"cloud\"}", "422", "task_type"},
                {"{\"dataset_id\":\"" + x.datasetId() + "\",\"task_type\":\"qa\"}", "422", "deployment_target"},
                {"{\"dataset_id\":\"" + x.datasetId() + "\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\",\"overrides\":{\"lora_rank\":12}}", "422", "lora_rank"},
                {"{\"dataset_id\":\"" + x.datasetId() + "\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\",\"overrides\":{\"learning_rate\":2}}", "422", "learning_rate"},
                {"{\"dataset_id\":\"" + x.datasetId() + "\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\",\"training_config_id\":\"x\"}", "400", "training_config_id"},
        };
        for (String[] c : cases) {
            given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body(c[0]).post("/api/jobs").then()
                    .statusCode(Integer.parseInt(c[1])).contentType(ContentType.JSON)
                    .body("field", org.hamcrest.Matchers.equalTo(c[2]));
        }
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body("{\"dataset_id\":").post("/api/jobs")
                .then().statusCode(400).contentType(ContentType.JSON);
        assertEquals(before, wm().getAllServeEvents().size());
        given().contentType(ContentType.JSON).body(body(x)).post("/api/jobs").then().statusCode(401)
                .body("error", org.hamcrest.Matchers.equalTo("no_authorization"));
        given().header("apikey", TokenMinter.anonKey()).contentType(ContentType.JSON).body(body(x)).post("/api/jobs").then().statusCode(401);
    }

    @Test
    void unknownTaskFromTheCatalogIs422WithItsMessage() throws Exception {
        TestUser a = TestUsers.create("task");
        Arranged x = arrange(a, 200);
        stubCatalog();
        wm().stubFor(post(urlPathEqualTo("/api/recommendations"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.task_type", equalTo("dance")))
                .willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"validation_failed\",\"message\":\"task_type must be one of [classify, qa]\",\"status\":422,\"field\":\"task_type\"}")));
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + x.datasetId() + "\",\"task_type\":\"dance\",\"deployment_target\":\"cloud\"}")
                .post("/api/jobs").then().statusCode(422).body("field", org.hamcrest.Matchers.equalTo("task_type"))
                .body("message", containsString("classify"));
        assertEquals(0, count("select count(*) from public.jobs where id = ?", x.jobId()));
    }

    // ---- compensation ----

    @Test
    void storageDownLeavesNoJobRowAndNoObject() throws Exception {
        TestUser a = TestUsers.create("storage500");
        Arranged x = arrange(a, 200);
        stubCatalog();
        wm().stubFor(post(urlPathEqualTo(x.notebookPath())).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"statusCode\":\"500\",\"error\":\"internal\",\"message\":\"disk\"}")));
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body(body(x)).post("/api/jobs").then()
                .statusCode(502).contentType(ContentType.JSON).body("error", org.hamcrest.Matchers.equalTo("bad_gateway"));
        assertEquals(0, count("select count(*) from public.jobs where id = ?", x.jobId()));
        assertEquals(0, count("select count(*) from public.job_secrets where job_id = ?", x.jobId()));
        wm().verify(deleteRequestedFor(urlPathEqualTo(x.notebookPath())));
        wm().verify(0, putRequestedFor(urlPathEqualTo("/api/datasets/" + x.datasetId() + "/job")));
    }

    @Test
    void linkingFailureUndoesTheRowAndTheNotebook() throws Exception {
        TestUser a = TestUsers.create("link500");
        Arranged x = arrange(a, 200);
        stubCatalog();
        wm().stubFor(put(urlPathEqualTo("/api/datasets/" + x.datasetId() + "/job")).willReturn(aResponse().withStatus(500)));
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body(body(x)).post("/api/jobs").then()
                .statusCode(502);
        assertEquals(0, count("select count(*) from public.jobs where id = ?", x.jobId()));
        wm().verify(1, postRequestedFor(urlPathEqualTo(x.notebookPath())));
        wm().verify(deleteRequestedFor(urlPathEqualTo(x.notebookPath())).withHeader("Authorization", equalTo(a.bearer())));
    }

    /** A job row as a crashed create leaves it: committed, notebook path set, marker written {@code ageSeconds} ago. */
    static void insertHalfCreated(Arranged x, Integer markerAgeSeconds) throws Exception {
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(
                "insert into public.jobs (id, user_id, session_id, dataset_filename, dataset_path, total_examples, total_tokens, "
                        + "quality_score, task_type, deployment_target, selected_model_id, selected_model_name, model_score, "
                        + "notebook_filename, notebook_path) values (?, ?, ?, 'chats.jsonl', ?, 120, 54321, 0.92, 'qa', 'cloud', "
                        + "'qwen25', 'Qwen 2.5 3B', 85.0, ?, ?)")) {
            ps.setObject(1, x.jobId());
            ps.setObject(2, x.user().id());
            ps.setString(3, x.sessionId());
            ps.setString(4, x.user().id() + "/" + x.jobId() + "/chats.jsonl");
            ps.setString(5, x.notebookName());
            ps.setString(6, x.user().id() + "/" + x.jobId() + "/" + x.notebookName());
            ps.executeUpdate();
            if (markerAgeSeconds != null) {
                // as JobService writes it: the notebook path recorded with the row
                try (PreparedStatement m = c.prepareStatement("insert into public.job_creations (job_id, started_at, notebook_path) "
                        + "values (?, now() - make_interval(secs => ?), ?)")) {
                    m.setObject(1, x.jobId());
                    m.setInt(2, markerAgeSeconds);
                    m.setString(3, x.user().id() + "/" + x.jobId() + "/" + x.notebookName());
                    m.executeUpdate();
                }
            }
            try (PreparedStatement e = c.prepareStatement("insert into public.job_events (job_id, seq, type, payload) "
                    + "values (?, 1, 'progress', '{}'::jsonb)")) {
                e.setObject(1, x.jobId());
                e.executeUpdate();
            }
            try (PreparedStatement e = c.prepareStatement("insert into public.job_secrets (job_id, secret_hash) values (?, 'h')")) {
                e.setObject(1, x.jobId());
                e.executeUpdate();
            }
        }
    }

    /**
     * The sweep's bean, looked up rather than injected: JobsResourceIT (the built artifact, which refuses
     * {@code @Inject}) extends this class and leaves out the tests that run the sweep in-process.
     */
    static CreationSweeper sweeper() {
        return Arc.container().instance(CreationSweeper.class).get();
    }

    @Test
    void aCreationKilledAfterTheCommitIsUndoneBySweepAndFreshOrUnmarkedJobsStay() throws Exception {
        TestUser a = TestUsers.create("crash");
        Arranged crashed = arrange(a, 200);
        Arranged inFlight = arrange(a, 200);
        Arranged withoutNotebook = arrange(a, 200);
        insertHalfCreated(crashed, 600);          // older than slmgen.jobs.creation-timeout (2m)
        insertHalfCreated(inFlight, 5);           // still within it: another request may be finishing it
        insertHalfCreated(withoutNotebook, null); // e.g. POST /slmgen/jobs: never marked
        // until the sweep, the half-made job is the owner's (the short window the design accepts)
        given().header("Authorization", a.bearer()).get("/api/jobs/" + crashed.jobId()).then().statusCode(200);

        sweeper().sweep().await().atMost(Duration.ofSeconds(30));

        assertEquals(0, count("select count(*) from public.jobs where id = ?", crashed.jobId()));
        assertEquals(0, count("select count(*) from public.job_creations where job_id = ?", crashed.jobId()));
        assertEquals(0, count("select count(*) from public.job_secrets where job_id = ?", crashed.jobId()));
        assertEquals(0, count("select count(*) from public.job_events where job_id = ?", crashed.jobId()));
        given().header("Authorization", a.bearer()).get("/api/jobs/" + crashed.jobId()).then().statusCode(404);
        // the notebook object was deleted with a service_role key (storage's service role bypasses RLS)
        List<LoggedRequest> deletes = wm().findAll(deleteRequestedFor(urlPathEqualTo(crashed.notebookPath())));
        assertEquals(1, deletes.size());
        String bearer = deletes.get(0).getHeader("Authorization");
        assertTrue(bearer.startsWith("Bearer "), bearer);
        String claims = new String(java.util.Base64.getUrlDecoder().decode(bearer.substring(7).split("\\.")[1]), StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"role\":\"service_role\""), claims);
        assertEquals(bearer.substring(7), deletes.get(0).getHeader("apikey"));

        // a fresh marker and an unmarked job are left alone, and nothing of theirs was deleted
        assertEquals(1, count("select count(*) from public.jobs where id = ?", inFlight.jobId()));
        assertEquals(1, count("select count(*) from public.job_creations where job_id = ?", inFlight.jobId()));
        assertEquals(1, count("select count(*) from public.jobs where id = ?", withoutNotebook.jobId()));
        wm().verify(0, deleteRequestedFor(urlPathEqualTo(inFlight.notebookPath())));
        wm().verify(0, deleteRequestedFor(urlPathEqualTo(withoutNotebook.notebookPath())));

        // markers are not the users' business: no read, no delete
        assertEquals(0, countAs(a, "select count(*) from public.job_creations"));
    }

    @Test
    void aSweepOutsideAnyRequestDeletesTheNotebookAndUndoesTheJob() throws Exception {
        // the periodic sweep runs on a timer, where no request context exists: the storage client must
        // not ask for a request caller then (it did, and every timed sweep of a job with a notebook
        // path failed until the next restart's start-up sweep; found by the fault test)
        TestUser a = TestUsers.create("crashtimer");
        Arranged x = arrange(a, 200);
        insertHalfCreated(x, 600);
        java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        Thread timer = new Thread(() -> {
            try {
                if (Arc.container().requestContext().isActive()) {
                    outcome.set(new AssertionError("the test thread must have no request context"));
                    return;
                }
                outcome.set(sweeper().sweep().await().atMost(Duration.ofSeconds(30)));
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "sweep-timer");
        timer.start();
        timer.join(40_000);
        assertEquals(Integer.valueOf(1), outcome.get(), String.valueOf(outcome.get()));
        assertEquals(0, count("select count(*) from public.jobs where id = ?", x.jobId()));
        assertEquals(1, wm().findAll(deleteRequestedFor(urlPathEqualTo(x.notebookPath()))).size());
    }

    @Test
    void theSweeperDeletesThePathRecordedAtCreationNeverTheColumnTheOwnerRewrote() throws Exception {
        // hostile: a job is left half-made, then its owner points jobs.notebook_path at someone else's
        // notebook through /rest/v1 (the seed's policy lets owners update their rows); the sweeper acts
        // as service_role, which storage lets delete anything
        TestUser a = TestUsers.create("crashrewrite");
        TestUser victim = TestUsers.create("crashrewrite-v");
        Arranged x = arrange(a, 200);
        Arranged theirs = arrange(victim, 200);
        insertHalfCreated(x, 600);
        String victimPath = victim.id() + "/" + theirs.jobId() + "/" + theirs.notebookName();
        given().header("apikey", TokenMinter.anonKey()).header("Authorization", a.bearer())
                .queryParam("id", "eq." + x.jobId()).contentType(ContentType.JSON)
                .body("{\"notebook_path\":\"" + victimPath + "\"}").patch("/rest/v1/jobs").then().statusCode(204);
        assertEquals(1, count("select count(*) from public.jobs where id = ? and notebook_path = ?", x.jobId(), victimPath));

        sweeper().sweep().await().atMost(Duration.ofSeconds(30));

        assertEquals(0, count("select count(*) from public.jobs where id = ?", x.jobId()));
        wm().verify(0, deleteRequestedFor(urlPathEqualTo(theirs.notebookPath())));
        assertEquals(1, wm().findAll(deleteRequestedFor(urlPathEqualTo(x.notebookPath()))).size());

        // nor can the owner record a foreign path in the marker itself (its policy: the job's own folder only)
        Arranged y = arrange(a, 200);
        insertHalfCreated(y, null);
        for (String p : new String[] {victimPath, a.id() + "/" + y.jobId() + "/../x", a.id() + "/" + UUID.randomUUID() + "/x.ipynb"}) {
            assertEquals("42501", insertMarkerAs(a, y.jobId(), p), p);
        }
        assertEquals("ok", insertMarkerAs(a, y.jobId(), a.id() + "/" + y.jobId() + "/" + y.notebookName()));
    }

    /** Inserts a creation marker as the user, as PostgREST would; "ok" or the SQLSTATE of the failure. */
    static String insertMarkerAs(TestUser u, UUID job, String path) throws Exception {
        try (Connection c = TestDatabase.app()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement(); PreparedStatement ps = c.prepareStatement(
                    "insert into public.job_creations (job_id, notebook_path) values (?, ?)")) {
                s.execute("select set_config('role','authenticated',true), set_config('request.jwt.claims', "
                        + "'{\"sub\":\"" + u.id() + "\",\"role\":\"authenticated\"}', true)");
                ps.setObject(1, job);
                ps.setString(2, path);
                ps.executeUpdate();
                return "ok";
            } catch (java.sql.SQLException e) {
                return e.getSQLState();
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void aSweepKeepsTheJobWhenStorageCannotDeleteTheNotebookAndRetriesLater() throws Exception {
        TestUser a = TestUsers.create("crash503");
        Arranged x = arrange(a, 200);
        insertHalfCreated(x, 600);
        wm().stubFor(delete(urlPathEqualTo(x.notebookPath())).willReturn(aResponse().withStatus(503)));
        sweeper().sweep().await().atMost(Duration.ofSeconds(30));
        assertEquals(1, count("select count(*) from public.jobs where id = ?", x.jobId()));
        assertEquals(1, count("select count(*) from public.job_creations where job_id = ?", x.jobId()));

        // an object that is already gone (storage-api answers 400/404) does not block the undo
        wm().stubFor(delete(urlPathEqualTo(x.notebookPath())).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"statusCode\":\"404\",\"error\":\"not_found\",\"message\":\"Object not found\"}")));
        sweeper().sweep().await().atMost(Duration.ofSeconds(30));
        assertEquals(0, count("select count(*) from public.jobs where id = ?", x.jobId()));
    }

    @Test
    void aMissingDatasetIs404AndNothingIsMade() throws Exception {
        TestUser a = TestUsers.create("ds404");
        UUID ds = UUID.randomUUID();
        wm().stubFor(get(urlPathEqualTo("/api/datasets/" + ds)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"not_found\",\"message\":\"no dataset\"}")));
        long jobsBefore = count("select count(*) from public.jobs");
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + ds + "\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\"}")
                .post("/api/jobs").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", org.hamcrest.Matchers.equalTo("not_found")).body("field", org.hamcrest.Matchers.equalTo("dataset_id"));
        assertEquals(jobsBefore, count("select count(*) from public.jobs"));
        wm().verify(0, postRequestedFor(urlPathMatching("/storage/v1/object/notebooks/" + a.id() + "/.*")));
    }

    @Test
    void datasetsServiceDownIs503() {
        // the connection to datasets-service breaks: a retriable 503, nothing made
        TestUser a = TestUsers.create("ds503");
        UUID ds = UUID.randomUUID();
        wm().stubFor(get(urlPathEqualTo("/api/datasets/" + ds)).willReturn(aResponse()
                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + ds + "\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\"}")
                .post("/api/jobs").then().statusCode(503).header("Retry-After", notNullValue()).contentType(ContentType.JSON);
    }

    @Test
    void aDatasetThatAlreadyHasAJobIs409() throws Exception {
        TestUser a = TestUsers.create("twice");
        Arranged x = arrange(a, 200);
        create(x);
        // the same allocated id again (stub still says job_id null): the row exists → 409, and the first job is kept
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body(body(x)).post("/api/jobs").then()
                .statusCode(409).contentType(ContentType.JSON);
        assertEquals(1, count("select count(*) from public.jobs where id = ?", x.jobId()));
        wm().verify(0, deleteRequestedFor(urlPathEqualTo(x.notebookPath())));
    }

    // ---- reads ----

    @Test
    void listsOwnJobsNewestFirstAndReadsOneBySessionOrId() {
        TestUser a = TestUsers.create("list");
        TestUser b = TestUsers.create("listb");
        Arranged first = arrange(a, 200);
        Arranged second = arrange(a, 200);
        create(first);
        create(second);
        given().header("Authorization", a.bearer()).get("/api/jobs").then().statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(2)).body("limit", org.hamcrest.Matchers.equalTo(20))
                .body("offset", org.hamcrest.Matchers.equalTo(0))
                .body("items.id", contains(second.jobId().toString(), first.jobId().toString()));
        given().header("Authorization", a.bearer()).queryParam("limit", 1).queryParam("offset", 1).get("/api/jobs").then()
                .statusCode(200).body("total", org.hamcrest.Matchers.equalTo(2))
                .body("items.id", contains(first.jobId().toString()));
        given().header("Authorization", a.bearer()).queryParam("limit", 0).get("/api/jobs").then().statusCode(422)
                .body("field", org.hamcrest.Matchers.equalTo("limit"));
        given().header("Authorization", a.bearer()).get("/api/jobs/" + first.jobId()).then().statusCode(200)
                .body("session_id", org.hamcrest.Matchers.equalTo(first.sessionId()))
                .body("job_secret", nullValue()).body("notebook_url", nullValue());
        given().header("Authorization", a.bearer()).get("/api/jobs/by-session/" + second.sessionId()).then().statusCode(200)
                .body("id", org.hamcrest.Matchers.equalTo(second.jobId().toString()));
        given().header("Authorization", a.bearer()).get("/api/jobs/not-a-uuid").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.equalTo("invalid_id"));
        given().header("Authorization", a.bearer()).get("/api/jobs/" + UUID.randomUUID()).then().statusCode(404);

        // B sees none of it
        given().header("Authorization", b.bearer()).get("/api/jobs").then().statusCode(200).body("total", org.hamcrest.Matchers.equalTo(0));
        given().header("Authorization", b.bearer()).get("/api/jobs/" + first.jobId()).then().statusCode(404)
                .contentType(ContentType.JSON).body("error", org.hamcrest.Matchers.equalTo("not_found"));
        given().header("Authorization", b.bearer()).get("/api/jobs/by-session/" + first.sessionId()).then().statusCode(404);
        given().header("Authorization", b.bearer()).get("/api/jobs/" + first.jobId() + "/notebook").then().statusCode(404);
        given().get("/api/jobs").then().statusCode(401);
    }

    @Test
    void listPageHoldsTheJobsAsReadOneByOne() throws Exception {
        TestUser a = TestUsers.create("listbytes");
        Arranged first = arrange(a, 200);
        Arranged second = arrange(a, 200);
        create(first);
        create(second);
        // PostgreSQL renders the page; a single job still goes row → map → Jackson: the same values,
        // the same timestamp strings (a client may compare them), numbers equal as numbers
        String one = given().header("Authorization", a.bearer()).get("/api/jobs/" + first.jobId()).then()
                .statusCode(200).extract().asString();
        String two = given().header("Authorization", a.bearer()).get("/api/jobs/" + second.jobId()).then()
                .statusCode(200).extract().asString();
        String page = given().header("Authorization", a.bearer()).get("/api/jobs").then().statusCode(200)
                .contentType(ContentType.JSON).extract().asString();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode items = json.readTree(page).get("items");
        java.util.Comparator<com.fasterxml.jackson.databind.JsonNode> numbersByValue = (x, y) ->
                x.isNumber() && y.isNumber() ? x.decimalValue().compareTo(y.decimalValue()) : (x.equals(y) ? 0 : 1);
        assertEquals(2, items.size(), page);
        assertTrue(items.get(0).equals(numbersByValue, json.readTree(two)), page + "\n" + two);
        assertTrue(items.get(1).equals(numbersByValue, json.readTree(one)), page + "\n" + one);
        assertEquals(2, json.readTree(page).get("total").asInt());
        assertEquals(json.readTree(one).get("created_at").asText(), items.get(1).get("created_at").asText());
        assertEquals(json.readTree(one).get("updated_at").asText(), items.get(1).get("updated_at").asText());
        assertTrue(items.get(0).get("training_config").isObject(), page);
        assertTrue(page.startsWith("{\"items\":[{\"id\":\"" + second.jobId() + "\","), page);
        assertTrue(page.endsWith("],\"total\":2,\"limit\":20,\"offset\":0}"), page);
        assertTrue(java.util.regex.Pattern.compile("\"created_at\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00\"")
                .matcher(page).find(), page);
        // an empty page past the end still carries the count
        assertEquals("{\"items\":[],\"total\":2,\"limit\":1,\"offset\":5}", given().header("Authorization", a.bearer())
                .queryParam("limit", 1).queryParam("offset", 5).get("/api/jobs").then().statusCode(200).extract().asString());
    }

    @Test
    void aTrainingConfigTheOwnerRewroteToAnyJsonValueReadsTheSameAloneAndInTheList() throws Exception {
        // GET /api/jobs/{id} reads the row through its entity (jsonb as text, decoded as the reactive client
        // does), the list is rendered by PostgreSQL: any JSON value the owner stores reads the same in both
        TestUser a = TestUsers.create("anyjson");
        Arranged x = arrange(a, 200);
        JsonPath created = create(x);
        // the 201 carries what PostgreSQL set on insert (status and timestamps), as a later read shows them
        JsonPath read = given().header("Authorization", a.bearer()).get("/api/jobs/" + x.jobId()).then().statusCode(200)
                .extract().jsonPath();
        assertEquals("created", created.getString("status"));
        assertNotNull(created.getString("created_at"));
        assertEquals(read.getString("created_at"), created.getString("created_at"));
        assertEquals(read.getString("updated_at"), created.getString("updated_at"));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String value : List.of("[1, 2.50, \"x\", {\"a\": null, \"b\": [true]}]", "\"plain\"", "7", "{\"n\": 1e3}")) {
            given().header("apikey", TokenMinter.anonKey()).header("Authorization", a.bearer())
                    .queryParam("id", "eq." + x.jobId()).contentType(ContentType.JSON)
                    .body("{\"training_config\": " + value + "}").patch("/rest/v1/jobs").then().statusCode(204);
            String one = given().header("Authorization", a.bearer()).get("/api/jobs/" + x.jobId()).then()
                    .statusCode(200).extract().asString();
            String page = given().header("Authorization", a.bearer()).get("/api/jobs").then().statusCode(200)
                    .extract().asString();
            com.fasterxml.jackson.databind.JsonNode alone = json.readTree(one).get("training_config");
            assertEquals(json.readTree(value).isArray(), alone.isArray(), one);
            assertEquals(json.readTree(value).isTextual(), alone.isTextual(), one);
            assertTrue(alone.equals((l, r) -> l.isNumber() && r.isNumber() ? l.decimalValue().compareTo(r.decimalValue())
                    : (l.equals(r) ? 0 : 1), json.readTree(page).get("items").get(0).get("training_config")), one + "\n" + page);
            String slmgen = given().header("Authorization", a.bearer()).get("/slmgen/jobs/" + x.jobId()).then()
                    .statusCode(200).extract().asString();
            assertEquals(alone, json.readTree(slmgen).get("training_config"), slmgen);
        }
    }

    /** The caller unit of work, looked up rather than injected (see {@link #sweeper()}). */
    static CallerTransactions tx() {
        return Arc.container().instance(CallerTransactions.class).get();
    }

    @Test
    void callerWorkSeesTheCallersSettingsAndNeverRunsWithoutThem() throws Exception {
        TestUser a = TestUsers.create("pipe");
        Caller caller = new Caller("authenticated", a.id(), a.email(), false,
                "{\"sub\":\"" + a.id() + "\",\"role\":\"authenticated\"}", java.util.Map.of(), null, null);
        io.vertx.mutiny.sqlclient.Row row = tx().run(caller, c -> c.preparedQuery(
                        "select current_user::text, current_setting('request.jwt.claim.sub', true), auth.uid()::text").execute())
                .map(rs -> rs.iterator().next()).await().atMost(Duration.ofSeconds(20));
        assertEquals("authenticated", row.getString(0));
        assertEquals(a.id().toString(), row.getString(1));
        assertEquals(a.id().toString(), row.getString(2));

        // set_config fails (no such role): the work's statement must not take effect
        try (Connection c = TestDatabase.superuser(); Statement st = c.createStatement()) {
            st.execute("drop sequence if exists public.pipeline_probe");
            st.execute("create sequence public.pipeline_probe");
            st.execute("grant usage, select, update on sequence public.pipeline_probe to public");
        }
        Caller bogus = new Caller("no_such_role_for_pipeline", a.id(), a.email(), false, "{}", java.util.Map.of(), null, null);
        Throwable failure = null;
        try {
            tx().run(bogus, c -> c.preparedQuery("select nextval('public.pipeline_probe')").execute())
                    .await().atMost(Duration.ofSeconds(20));
        } catch (RuntimeException e) {
            failure = e;
        }
        assertTrue(failure != null, "a transaction whose set_config failed must fail");
        assertEquals(0, count("select count(*) from public.pipeline_probe where is_called"));
        try (Connection c = TestDatabase.superuser(); Statement st = c.createStatement()) {
            st.execute("drop sequence public.pipeline_probe");
        }
    }

    @Test
    void notebookRedirectsToAFreshSignedUrl() {
        TestUser a = TestUsers.create("nb");
        Arranged x = arrange(a, 200);
        create(x);
        given().header("Authorization", a.bearer()).redirects().follow(false).get("/api/jobs/" + x.jobId() + "/notebook").then()
                .statusCode(302).header("Location", org.hamcrest.Matchers.equalTo("https://sb.example.test/storage/v1/object/sign/notebooks/"
                        + a.id() + "/" + x.jobId() + "/" + x.notebookName() + "?token=nbtok"));
        wm().verify(2, postRequestedFor(urlPathEqualTo(x.signPath())).withHeader("Authorization", equalTo(a.bearer())));
    }

    @Test
    void deleteRemovesTheRowAndTheNotebookObjectOnlyForTheOwner() throws Exception {
        TestUser a = TestUsers.create("del");
        TestUser b = TestUsers.create("delb");
        Arranged x = arrange(a, 200);
        create(x);
        given().header("Authorization", b.bearer()).delete("/api/jobs/" + x.jobId()).then().statusCode(404);
        assertEquals(1, count("select count(*) from public.jobs where id = ?", x.jobId()));
        wm().verify(0, deleteRequestedFor(urlPathEqualTo(x.notebookPath())));

        given().header("Authorization", a.bearer()).delete("/api/jobs/" + x.jobId()).then().statusCode(204);
        assertEquals(0, count("select count(*) from public.jobs where id = ?", x.jobId()));
        assertEquals(0, count("select count(*) from public.job_secrets where job_id = ?", x.jobId()));
        wm().verify(deleteRequestedFor(urlPathEqualTo(x.notebookPath())).withHeader("Authorization", equalTo(a.bearer())));
        given().header("Authorization", a.bearer()).delete("/api/jobs/" + x.jobId()).then().statusCode(404);
    }

    /**
     * Owners deleting jobs at the same time: each delete commits at once. Removing a loaded entity (Panache's
     * delete(entity) + flush) sometimes lost its answer to another event loop under concurrency: the commit
     * never went out until the 12 s session deadline (shared-rls README, "Deleting rows"); four clients met it
     * in about one delete in thirty.
     */
    @Test
    void concurrentDeletesEachCommitAtOnce() throws Exception {
        TestUser a = TestUsers.create("concurrent-deletes");
        List<UUID> ids = new ArrayList<>();
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(
                "insert into public.jobs (id, user_id, session_id, dataset_filename, dataset_path, total_examples, total_tokens, "
                        + "quality_score, task_type, deployment_target, selected_model_id, selected_model_name, model_score, "
                        + "notebook_filename, notebook_path) values (?, ?, ?, 'chats.jsonl', 'elsewhere/chats.jsonl', 120, 54321, "
                        + "0.92, 'qa', 'cloud', 'qwen25', 'Qwen 2.5 3B', 85.0, 'n.ipynb', 'elsewhere/n.ipynb')")) {
            // the notebook path lies outside the job's folder: the delete has no object of ours to remove
            for (int i = 0; i < 400; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                ps.setObject(1, id);
                ps.setObject(2, a.id());
                ps.setString(3, "cd-" + id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        HttpClient http = HttpClient.newHttpClient();
        List<String> problems = ConcurrentClients.run(4, 5, client -> {
            for (UUID id : ids.subList(client * 100, (client + 1) * 100)) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/jobs/" + id))
                        .header("Authorization", a.bearer()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (r.statusCode() != 204 || ms > 5_000) {
                    return List.of(r.statusCode() + " after " + ms + " ms: " + r.body());
                }
            }
            return List.of();
        });
        assertEquals(List.of(), problems);
        assertEquals(0, count("select count(*) from public.jobs where user_id = ?", a.id()));
    }

    @Test
    void deleteKeepsTheRowWhenStorageFails() throws Exception {
        TestUser a = TestUsers.create("delfail");
        Arranged x = arrange(a, 200);
        create(x);
        wm().stubFor(delete(urlPathEqualTo(x.notebookPath())).willReturn(aResponse().withStatus(500)));
        given().header("Authorization", a.bearer()).delete("/api/jobs/" + x.jobId()).then().statusCode(502);
        assertEquals(1, count("select count(*) from public.jobs where id = ?", x.jobId()));
    }

    // ---- status machine ----

    @Test
    void cancelFromCreatedThenNothingElse() throws Exception {
        TestUser a = TestUsers.create("cancel");
        TestUser b = TestUsers.create("cancelb");
        Arranged x = arrange(a, 200);
        JsonPath job = create(x);
        given().header("Authorization", b.bearer()).post("/api/jobs/" + x.jobId() + "/cancel").then().statusCode(404);
        given().header("Authorization", a.bearer()).post("/api/jobs/" + x.jobId() + "/cancel").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("cancelled"));
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(
                "select updated_at > created_at from public.jobs where id = ?")) {
            ps.setObject(1, x.jobId());
            ResultSet rs = ps.executeQuery();
            rs.next();
            assertTrue(rs.getBoolean(1), "updated_at bumped");
        }
        given().header("Authorization", a.bearer()).post("/api/jobs/" + x.jobId() + "/cancel").then().statusCode(409)
                .body("error", org.hamcrest.Matchers.equalTo("illegal_transition"));
        assertEquals(1, count("select count(*) from public.job_events where job_id = ? and type = 'cancelled'", x.jobId()));
        // a cancelled job accepts no more progress
        given().header("X-Job-Secret", job.getString("job_secret")).contentType(ContentType.JSON).body("{\"type\":\"progress\",\"step\":1}")
                .post("/api/jobs/" + x.jobId() + "/events").then().statusCode(409);
    }

    // ---- progress ----

    @Test
    void eventsNeedTheJobSecretAndDriveTheStatus() throws Exception {
        TestUser a = TestUsers.create("events");
        TestUser b = TestUsers.create("eventsb");
        Arranged x = arrange(a, 200);
        JsonPath job = create(x);
        String secret = job.getString("job_secret");
        String url = "/api/jobs/" + x.jobId() + "/events";
        String progress = "{\"type\":\"progress\",\"step\":10,\"epoch\":0.5,\"loss\":1.25,\"learning_rate\":0.0002,\"grad_norm\":0.9}";

        given().contentType(ContentType.JSON).body(progress).post(url).then().statusCode(401).contentType(ContentType.JSON)
                .body("error", org.hamcrest.Matchers.equalTo("missing_job_secret"));
        given().header("X-Job-Secret", secret + "x").contentType(ContentType.JSON).body(progress).post(url).then().statusCode(401)
                .body("error", org.hamcrest.Matchers.equalTo("invalid_job_secret"));
        // a user's token is not the job's secret
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body(progress).post(url).then().statusCode(401);
        // another job's secret does not open this one
        Arranged other = arrange(a, 200);
        String otherSecret = create(other).getString("job_secret");
        given().header("X-Job-Secret", otherSecret).contentType(ContentType.JSON).body(progress).post(url).then().statusCode(401);
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON).body(progress)
                .post("/api/jobs/" + UUID.randomUUID() + "/events").then().statusCode(401);
        assertEquals(0, count("select count(*) from public.job_events where job_id = ?", x.jobId()));
        assertEquals("created", status(x.jobId()));

        given().header("X-Job-Secret", secret).contentType(ContentType.JSON).body("{\"type\":\"party\"}").post(url).then()
                .statusCode(422).body("field", org.hamcrest.Matchers.equalTo("type"));
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON).body("{\"type\":\"progress\",\"loss\":\"low\"}").post(url).then()
                .statusCode(422).body("field", org.hamcrest.Matchers.equalTo("loss"));
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON).body("{\"type\":\"progress\",\"step\":-1}").post(url).then()
                .statusCode(422).body("field", org.hamcrest.Matchers.equalTo("step"));
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON)
                .body("{\"type\":\"log\",\"message\":\"" + "x".repeat(20000) + "\"}").post(url).then().statusCode(413);

        given().header("X-Job-Secret", secret).contentType(ContentType.JSON).body(progress).post(url).then().statusCode(201)
                .body("seq", org.hamcrest.Matchers.equalTo(1)).body("status", org.hamcrest.Matchers.equalTo("processing"))
                .body("payload.loss", org.hamcrest.Matchers.equalTo(1.25f));
        assertEquals("processing", status(x.jobId()));
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON).body("{\"type\":\"log\",\"message\":\"halfway\"}").post(url)
                .then().statusCode(201).body("seq", org.hamcrest.Matchers.equalTo(2));
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON).body("{\"type\":\"completed\",\"step\":20}").post(url)
                .then().statusCode(201).body("seq", org.hamcrest.Matchers.equalTo(3)).body("status", org.hamcrest.Matchers.equalTo("completed"));
        assertEquals("completed", status(x.jobId()));
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON).body(progress).post(url).then().statusCode(409);
        given().header("Authorization", a.bearer()).post("/api/jobs/" + x.jobId() + "/cancel").then().statusCode(409);
        assertEquals(3, count("select count(*) from public.job_events where job_id = ?", x.jobId()));

        // RLS: the owner reads the events with SQL, B sees nothing (neither events nor the job)
        assertEquals(3, countAs(a, "select count(*) from public.job_events where job_id = '" + x.jobId() + "'"));
        assertEquals(0, countAs(b, "select count(*) from public.job_events where job_id = '" + x.jobId() + "'"));
        assertEquals(0, countAs(b, "select count(*) from public.jobs where id = '" + x.jobId() + "'"));
        assertEquals(0, countAs(b, "select count(*) from public.job_secrets"));
    }

    @Test
    void failedEventFailsTheJob() throws Exception {
        TestUser a = TestUsers.create("failed");
        Arranged x = arrange(a, 200);
        String secret = create(x).getString("job_secret");
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON).body("{\"type\":\"failed\",\"message\":\"CUDA out of memory\"}")
                .post("/api/jobs/" + x.jobId() + "/events").then().statusCode(201).body("status", org.hamcrest.Matchers.equalTo("failed"));
        assertEquals("failed", status(x.jobId()));
    }

    @Test
    void theOwnerStreamsStoredThenLiveEventsAndResumesWithLastEventId() throws Exception {
        TestUser a = TestUsers.create("sse");
        TestUser b = TestUsers.create("sseb");
        Arranged x = arrange(a, 200);
        String secret = create(x).getString("job_secret");
        String url = "/api/jobs/" + x.jobId() + "/events";
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON).body("{\"type\":\"log\",\"message\":\"training started\"}")
                .post(url).then().statusCode(201);

        // B cannot stream A's job: a plain 404 JSON answer, no stream
        given().header("Authorization", b.bearer()).accept("text/event-stream").get(url).then().statusCode(404)
                .contentType(ContentType.JSON);
        given().accept("text/event-stream").get(url).then().statusCode(401);

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<Stream<String>> resp = http.sendAsync(HttpRequest.newBuilder(base.resolve(url))
                        .header("Authorization", a.bearer()).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
        assertEquals(200, resp.statusCode());
        assertTrue(resp.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        Iterator<String> lines = resp.body().iterator();
        List<String> first = readEvent(lines);
        assertTrue(first.contains("id:1"), first.toString());
        assertTrue(first.contains("event:log"), first.toString());

        // live: posted after the stream opened
        CompletableFuture<List<List<String>>> rest = CompletableFuture.supplyAsync(() -> {
            List<List<String>> got = new ArrayList<>();
            got.add(readEvent(lines));
            got.add(readEvent(lines));
            return got;
        });
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON).body("{\"type\":\"progress\",\"step\":5,\"loss\":0.7}")
                .post(url).then().statusCode(201);
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON).body("{\"type\":\"completed\"}")
                .post(url).then().statusCode(201);
        List<List<String>> live = rest.get(10, TimeUnit.SECONDS);
        assertTrue(live.get(0).contains("id:2") && live.get(0).contains("event:progress"), live.toString());
        assertTrue(live.get(0).stream().anyMatch(l -> l.startsWith("data:") && l.contains("\"loss\":0.7") && l.contains("\"seq\":2")),
                live.toString());
        assertTrue(live.get(1).contains("id:3") && live.get(1).contains("event:completed"), live.toString());
        // the stream ends after the final event
        assertFalse(CompletableFuture.supplyAsync(lines::hasNext).get(10, TimeUnit.SECONDS));

        // resume: only events after Last-Event-ID, then the stream ends (the job is final)
        HttpResponse<String> resumed = http.send(HttpRequest.newBuilder(base.resolve(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", a.bearer()).header("Last-Event-ID", "1").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resumed.statusCode());
        assertFalse(resumed.body().contains("id:1\n"), resumed.body());
        assertTrue(resumed.body().contains("id:2\n") && resumed.body().contains("id:3\n"), resumed.body());
        given().header("Authorization", a.bearer()).header("Last-Event-ID", "abc").get(url).then().statusCode(400);
    }

    @Test
    void aSlowOrVanishedSubscriberDoesNotHoldEvents() throws Exception {
        TestUser a = TestUsers.create("slow");
        Arranged x = arrange(a, 200);
        String secret = create(x).getString("job_secret");
        String url = "/api/jobs/" + x.jobId() + "/events";
        HttpClient http = HttpClient.newHttpClient();
        // a subscriber that opens the stream and never reads: the producer must not be slowed or grow memory
        HttpResponse<java.io.InputStream> idle = http.sendAsync(HttpRequest.newBuilder(base.resolve(url))
                .header("Authorization", a.bearer()).build(), HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
        assertEquals(200, idle.statusCode());
        for (int i = 1; i <= 300; i++) {
            given().header("X-Job-Secret", secret).contentType(ContentType.JSON)
                    .body("{\"type\":\"progress\",\"step\":" + i + ",\"loss\":1.0,\"message\":\"" + "m".repeat(2000) + "\"}")
                    .post(url).then().statusCode(201);
        }
        idle.body().close();
        assertEquals(300, count("select count(*) from public.job_events where job_id = ?", x.jobId()));
        // everything is still there for a reader who resumes: ids 299 and 300 after Last-Event-ID 298
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON).body("{\"type\":\"completed\"}").post(url).then().statusCode(201);
        HttpResponse<String> resumed = http.send(HttpRequest.newBuilder(base.resolve(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", a.bearer()).header("Last-Event-ID", "298").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(resumed.body().contains("id:299\n") && resumed.body().contains("id:301\n") && !resumed.body().contains("id:298\n"));
        // the full replay pages through all 301 events
        HttpResponse<String> all = http.send(HttpRequest.newBuilder(base.resolve(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", a.bearer()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(301, all.body().lines().filter(l -> l.startsWith("id:")).count());
        assertTrue(all.body().contains("id:1\n") && all.body().contains("id:200\n") && all.body().contains("id:201\n"));
    }

    static List<String> readEvent(Iterator<String> lines) {
        List<String> ev = new ArrayList<>();
        while (lines.hasNext()) {
            String l = lines.next();
            if (l.isEmpty()) {
                if (!ev.isEmpty()) {
                    return ev;
                }
                continue;
            }
            ev.add(l);
        }
        return ev;
    }

    static String status(UUID job) throws Exception {
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement("select status from public.jobs where id = ?")) {
            ps.setObject(1, job);
            ResultSet rs = ps.executeQuery();
            rs.next();
            return rs.getString(1);
        }
    }

    /** Runs a count as the given user, exactly as PostgREST would (role + claims in one transaction). */
    static long countAs(TestUser u, String sql) throws Exception {
        try (Connection c = TestDatabase.app()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("select set_config('role','authenticated',true), set_config('request.jwt.claims', "
                        + "'{\"sub\":\"" + u.id() + "\",\"role\":\"authenticated\"}', true)");
                try (ResultSet rs = s.executeQuery(sql)) {
                    rs.next();
                    return rs.getLong(1);
                }
            } catch (java.sql.SQLException e) {
                if ("42501".equals(e.getSQLState())) {
                    return 0; // no privilege at all: sees nothing
                }
                throw e;
            } finally {
                c.rollback();
            }
        }
    }

    // ---- PostgREST at /rest/v1/jobs (shared-postgrest), under the same policies ----

    @Test
    void restV1JobsShowsOnlyTheCallersJobs() {
        TestUser a = TestUsers.create("rest-a");
        TestUser b = TestUsers.create("rest-b");
        Arranged x = arrange(a, 200);
        create(x);
        String anon = TokenMinter.anonKey();
        given().header("apikey", anon).header("Authorization", a.bearer())
                .queryParam("select", "id,status").queryParam("order", "created_at.desc")
                .get("/rest/v1/jobs").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.contains(x.jobId().toString()))
                .body("status", org.hamcrest.Matchers.contains("created"));
        given().header("apikey", anon).header("Authorization", b.bearer()).header("Prefer", "count=exact")
                .get("/rest/v1/jobs").then().statusCode(200).header("Content-Range", org.hamcrest.Matchers.equalTo("*/0"));
        given().header("apikey", anon).header("Authorization", b.bearer())
                .queryParam("id", "eq." + x.jobId()).contentType(ContentType.JSON).body("{\"status\":\"completed\"}")
                .patch("/rest/v1/jobs").then().statusCode(204);
        given().header("apikey", anon).header("Authorization", a.bearer())
                .header("Accept", "application/vnd.pgrst.object+json").queryParam("id", "eq." + x.jobId())
                .get("/rest/v1/jobs").then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("created"));
    }

    // ---- the status model (docs/jobs.md): one stored value, the same on every door ----

    @Test
    void aJobWithItsNotebookIsCreatedUntilTrainingReportsOnApiAndRestV1Alike() throws Exception {
        TestUser a = TestUsers.create("status");
        Arranged x = arrange(a, 200);
        JsonPath job = create(x);
        String anon = TokenMinter.anonKey();
        // notebook ready, nothing reported yet: created, on /api and /rest/v1 alike
        assertEquals("created", job.getString("status"));
        assertNotNull(job.getString("notebook_path"));
        given().header("Authorization", a.bearer()).get("/api/jobs/" + x.jobId()).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("created"));
        given().header("Authorization", a.bearer()).get("/api/jobs").then().statusCode(200)
                .body("items.find { it.id == '" + x.jobId() + "' }.status", org.hamcrest.Matchers.equalTo("created"));
        given().header("apikey", anon).header("Authorization", a.bearer()).header("Accept", "application/vnd.pgrst.object+json")
                .queryParam("id", "eq." + x.jobId()).get("/rest/v1/jobs").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("created"));
        // the notebook's first report moves it (as service_role, after the secret check), for every reader
        given().header("X-Job-Secret", job.getString("job_secret")).contentType(ContentType.JSON)
                .body("{\"type\":\"progress\",\"step\":1}").post("/api/jobs/" + x.jobId() + "/events").then().statusCode(201);
        given().header("Authorization", a.bearer()).get("/api/jobs/" + x.jobId()).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("processing"));
        given().header("apikey", anon).header("Authorization", a.bearer()).header("Accept", "application/vnd.pgrst.object+json")
                .queryParam("id", "eq." + x.jobId()).get("/rest/v1/jobs").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("processing"));
    }

    // ---- live events across replicas (PostgreSQL LISTEN/NOTIFY) ----

    /**
     * What another replica's ProgressService does, on its own connection: one transaction as
     * service_role that locks the job, appends each event with seq = max + 1 and moves the status. The
     * insert's trigger NOTIFYs; nothing of this test app is involved.
     */
    static void storeAsAnotherReplica(UUID job, String... types) throws Exception {
        try (Connection c = TestDatabase.app()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("select set_config('role', 'service_role', true)");
            }
            try (PreparedStatement lock = c.prepareStatement("select status from public.jobs where id = ? for update");
                 PreparedStatement ins = c.prepareStatement("insert into public.job_events (job_id, seq, type, payload) values (?, "
                         + "(select coalesce(max(seq), 0) + 1 from public.job_events where job_id = ?), ?, ?::jsonb) returning seq");
                 PreparedStatement move = c.prepareStatement("update public.jobs set status = ?, updated_at = now() where id = ?")) {
                lock.setObject(1, job);
                ResultSet rs = lock.executeQuery();
                rs.next();
                String status = rs.getString(1);
                for (String type : types) {
                    ins.setObject(1, job);
                    ins.setObject(2, job);
                    ins.setString(3, type);
                    ins.setString(4, "{\"step\":7,\"loss\":0.5,\"message\":\"from another replica\"}");
                    ins.executeQuery();
                    String next = switch (type) {
                        case "completed" -> "completed";
                        case "failed" -> "failed";
                        default -> "processing";
                    };
                    if (!next.equals(status)) {
                        move.setString(1, next);
                        move.setObject(2, job);
                        move.executeUpdate();
                        status = next;
                    }
                }
            }
            c.commit();
        }
    }

    /** The pid of this app's LISTEN connection once it listens (a new one after a reconnect: not {@code not}). */
    static int listenerPid(int not) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(
                    "select pid from pg_stat_activity where datname = current_database() and application_name = ? "
                            + "and query ilike 'listen%' and pid <> ?")) {
                ps.setString(1, io.slmgen.jobs.service.JobEventListener.APPLICATION_NAME);
                ps.setInt(2, not);
                ResultSet rs = ps.executeQuery();
                if (rs.next()) {
                    return rs.getInt(1);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no job events listener connection");
    }

    static Iterator<String> openStream(String url, String bearer, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(java.net.URI.create(url)).header("Authorization", bearer)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> resp = HttpClient.newHttpClient().sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines())
                .get(10, TimeUnit.SECONDS);
        assertEquals(200, resp.statusCode());
        return resp.body().iterator();
    }

    static List<String> nextEvent(Iterator<String> lines) throws Exception {
        return CompletableFuture.supplyAsync(() -> readEvent(lines)).get(15, TimeUnit.SECONDS);
    }

    @Test
    void eventsStoredByAnotherReplicaReachTheStreamInOrderAndResumeWithLastEventId() throws Exception {
        TestUser a = TestUsers.create("replica");
        Arranged x = arrange(a, 200);
        create(x);
        String url = base.resolve("/api/jobs/" + x.jobId() + "/events").toString();
        Iterator<String> lines = openStream(url, a.bearer(), null);

        // two events in one transaction (their notifications arrive together at commit), then one more
        storeAsAnotherReplica(x.jobId(), "progress", "log");
        storeAsAnotherReplica(x.jobId(), "progress");
        List<String> e1 = nextEvent(lines);
        List<String> e2 = nextEvent(lines);
        List<String> e3 = nextEvent(lines);
        assertTrue(e1.contains("id:1") && e1.contains("event:progress"), e1.toString());
        assertTrue(e1.stream().anyMatch(l -> l.startsWith("data:") && l.contains("from another replica")), e1.toString());
        assertTrue(e2.contains("id:2") && e2.contains("event:log"), e2.toString());
        assertTrue(e3.contains("id:3") && e3.contains("event:progress"), e3.toString());
        assertEquals("processing", status(x.jobId()));
        given().header("Authorization", a.bearer()).get("/api/jobs/" + x.jobId()).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("processing"));

        // the final event ends the stream
        storeAsAnotherReplica(x.jobId(), "completed");
        List<String> e4 = nextEvent(lines);
        assertTrue(e4.contains("id:4") && e4.contains("event:completed"), e4.toString());
        assertFalse(CompletableFuture.supplyAsync(lines::hasNext).get(10, TimeUnit.SECONDS));

        // a reconnect replays from the table after Last-Event-ID
        HttpResponse<String> resumed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(java.net.URI.create(url))
                .timeout(Duration.ofSeconds(10)).header("Authorization", a.bearer()).header("Last-Event-ID", "2").build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> ids = resumed.body().lines().filter(l -> l.startsWith("id:")).toList();
        assertEquals(List.of("id:3", "id:4"), ids, resumed.body());
    }

    @Test
    void theListenerComesBackAfterItsConnectionIsKilledAndDeliversWhatWasStoredMeanwhile() throws Exception {
        TestUser a = TestUsers.create("relisten");
        Arranged x = arrange(a, 200);
        create(x);
        int pid = listenerPid(-1);
        Iterator<String> lines = openStream(base.resolve("/api/jobs/" + x.jobId() + "/events").toString(), a.bearer(), null);

        try (Connection c = TestDatabase.superuser(); Statement st = c.createStatement()) {
            st.execute("select pg_terminate_backend(" + pid + ")");
        }
        // stored while nobody listens (the listener waits before reconnecting): read once it is back
        storeAsAnotherReplica(x.jobId(), "progress");
        List<String> e1 = nextEvent(lines);
        assertTrue(e1.contains("id:1"), e1.toString());

        int again = listenerPid(pid);
        assertNotEquals(pid, again);
        storeAsAnotherReplica(x.jobId(), "progress");
        assertTrue(nextEvent(lines).contains("id:2"));
        storeAsAnotherReplica(x.jobId(), "failed");
        List<String> e3 = nextEvent(lines);
        assertTrue(e3.contains("id:3") && e3.contains("event:failed"), e3.toString());
        assertFalse(CompletableFuture.supplyAsync(lines::hasNext).get(10, TimeUnit.SECONDS));
    }
}
