package io.slmgen.jobs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TestUsers;
import io.slmgen.shared.testing.TestUsers.TestUser;
import io.slmgen.shared.testing.TokenMinter;

/**
 * SLMGEN v1 at /slmgen (SPEC §15) over HTTP: generate-notebook, download tokens, the public notebook,
 * /jobs and /training. datasets-, catalog- and storage-service are WireMock stubs (same resources as
 * JobsResourceTest, so the app is reused); the database is real.
 */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "jobs"), @ResourceArg(name = "slices", value = "auth")})
@WithTestResource(WireMockServices.class)
class SlmgenResourceTest {

    static final String SESSION_404 = "Session not found, expired, or access denied. Please upload again.";
    static final String BAD_TOKEN = "Invalid or expired download token. Please regenerate the notebook.";
    static final String NOTEBOOK = "{\"cells\":[],\"metadata\":{},\"nbformat\":4,\"nbformat_minor\":5}";

    @TestHTTPResource("/")
    URI base;

    static WireMockServer wm() {
        return WireMockServices.server();
    }

    /** A session (dataset) of {@code owner} with every stub generate/download need. */
    record Session(TestUser owner, boolean anonymous, UUID datasetId, UUID jobId, String sid) {
        String sid8() {
            return sid.substring(0, 8);
        }
    }

    static Session session(TestUser owner, boolean anonymous, String selectedModel) {
        UUID ds = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        String sid = UUID.randomUUID().toString();
        String row = "{\"id\":\"" + ds + "\",\"user_id\":\"" + owner.id() + "\",\"job_id\":null,"
                + "\"allocated_job_id\":\"" + job + "\",\"session_id\":\"" + sid + "\",\"filename\":\"chats.jsonl\","
                + "\"storage_path\":\"" + owner.id() + "/" + job + "/chats.jsonl\",\"file_size\":200,"
                + "\"total_examples\":60,\"total_tokens\":1250,\"avg_tokens_per_example\":20,\"quality_score\":0.75,"
                + "\"is_multilingual\":false,\"looks_like_json\":false,\"is_multi_turn\":false,"
                + "\"selected_task\":" + (selectedModel == null ? "null" : "\"qa\"") + ","
                + "\"selected_target\":" + (selectedModel == null ? "null" : "\"cloud\"") + ","
                + "\"selected_model_id\":" + (selectedModel == null ? "null" : "\"" + selectedModel + "\"") + ","
                + "\"last_scores\":{\"qwen25\":85.0,\"phi4\":65.0,\"gemma2\":60.0},"
                + "\"owner_is_anonymous\":" + anonymous + ",\"expires_at\":null}";
        // the owner's token sees the row (RLS); for anonymous sessions the service acts with a minted token
        wm().stubFor(get(urlPathEqualTo("/api/datasets/by-session/" + sid))
                .withHeader("Authorization", anonymous ? matching("Bearer .+") : com.github.tomakehurst.wiremock.client.WireMock.equalTo(owner.bearer())).willReturn(okJson(row)));
        wm().stubFor(get(urlPathEqualTo("/api/datasets/" + ds))
                .withHeader("Authorization", anonymous ? matching("Bearer .+") : com.github.tomakehurst.wiremock.client.WireMock.equalTo(owner.bearer())).willReturn(okJson(row)));
        wm().stubFor(put(urlPathEqualTo("/api/datasets/" + ds + "/job")).willReturn(okJson("{\"id\":\"" + ds + "\"}")));
        wm().stubFor(get(urlPathEqualTo("/api/datasets/session-owner/" + sid)).willReturn(okJson("{\"dataset_id\":\"" + ds
                + "\",\"user_id\":\"" + owner.id() + "\",\"owner_is_anonymous\":" + anonymous + ",\"expires_at\":"
                + (anonymous ? "\"2999-01-01T00:00:00Z\"" : "null") + "}")));
        String folder = owner.id() + "/" + job;
        wm().stubFor(get(urlPathEqualTo("/storage/v1/object/authenticated/datasets/" + folder + "/chats.jsonl"))
                .willReturn(aResponse().withStatus(200).withBody("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n")));
        wm().stubFor(post(urlPathMatching("/storage/v1/object/notebooks/" + folder + "/[^/]+"))
                .willReturn(okJson("{\"Key\":\"notebooks/" + folder + "/x\"}")));
        wm().stubFor(post(urlPathMatching("/storage/v1/object/sign/notebooks/" + folder + "/[^/]+"))
                .willReturn(okJson("{\"signedURL\":\"/object/sign/notebooks/" + folder + "/x?token=t\"}")));
        wm().stubFor(delete(urlPathMatching("/storage/v1/object/notebooks/" + folder + "/[^/]+"))
                .willReturn(okJson("{\"message\":\"Successfully deleted\"}")));
        wm().stubFor(get(urlPathMatching("/storage/v1/object/authenticated/notebooks/" + folder + "/[^/]+"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-ipynb+json").withBody(NOTEBOOK)));
        stubCatalog();
        return new Session(owner, anonymous, ds, job, sid);
    }

    static void stubCatalog() {
        JobsResourceTest.stubCatalog();
        wm().stubFor(get(urlPathEqualTo("/api/models")).willReturn(okJson("{\"items\":["
                + "{\"id\":\"qwen25\",\"name\":\"Qwen 2.5 3B\",\"hf_model_id\":\"Qwen/Qwen2.5-3B-Instruct\"},"
                + "{\"id\":\"phi4\",\"name\":\"Phi-4 Mini\",\"hf_model_id\":\"microsoft/Phi-4-mini-instruct\"},"
                + "{\"id\":\"gemma2\",\"name\":\"Gemma 2 2B\",\"hf_model_id\":\"google/gemma-2-2b-it\"}],"
                + "\"total\":3,\"limit\":100,\"offset\":0}")));
        wm().stubFor(get(urlPathEqualTo("/api/models/phi4")).willReturn(okJson("{\"id\":\"phi4\",\"name\":\"Phi-4 Mini\","
                + "\"size\":\"3.8B\",\"context_window\":131072,\"is_gated\":false,\"hf_model_id\":\"microsoft/Phi-4-mini-instruct\","
                + "\"unsloth_model_id\":\"unsloth/Phi-4-mini-instruct\",\"chat_template\":\"phi-4\",\"load_in_4bit\":true}")));
    }

    static Response generate(Session s, String token, String modelId) {
        var req = given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"session_id\":\"" + s.sid() + "\",\"model_id\":" + (modelId == null ? "null" : "\"" + modelId + "\"") + "}");
        if (token != null) {
            req = req.header("Authorization", "Bearer " + token);
        }
        return req.post("/slmgen/generate-notebook");
    }

    static JsonPath generated(Session s) {
        return generate(s, s.anonymous() ? null : s.owner().token(), null).then().statusCode(200).extract().jsonPath();
    }

    static String one(String sql, Object... args) throws Exception {
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static String query(String url) {
        return url.substring(url.indexOf("token=") + 6);
    }

    // ---- generate-notebook ----

    @Test
    void generateCreatesTheSessionsJobAndRegenerationUpdatesIt() throws Exception {
        TestUser a = TestUsers.create("slm-gen");
        Session s = session(a, false, "qwen25");
        JsonPath r = generated(s);
        assertEquals(s.sid(), r.getString("session_id"));
        assertEquals("finetune_qwen_2.5_3b_" + s.sid8() + ".ipynb", r.getString("notebook_filename"));
        assertTrue(r.getString("download_url").startsWith("/download/" + s.sid() + "?token="), r.getString("download_url"));
        assertEquals("https://colab.research.google.com/notebooks/empty.ipynb#fileId=https%3A%2F%2Fsb.example.test%2Fslmgen%2Fnotebooks%2F"
                + s.sid() + ".ipynb", r.getString("colab_url"));
        assertEquals("Notebook generated for Qwen 2.5 3B!", r.getString("message"));
        assertEquals(s.jobId().toString(), r.getString("job_id"));
        String secret1 = r.getString("job_secret");
        assertTrue(secret1.startsWith("js_"));
        assertEquals("qwen25", one("select selected_model_id from public.jobs where session_id = ?", s.sid()));
        assertEquals("85", one("select model_score::text from public.jobs where session_id = ?", s.sid()));
        assertEquals("qa", one("select task_type from public.jobs where session_id = ?", s.sid()));
        assertEquals(a.id() + "/" + s.jobId() + "/finetune_qwen_2.5_3b_" + s.sid8() + ".ipynb",
                one("select notebook_path from public.jobs where session_id = ?", s.sid()));
        // the first creation finished: no "being created" marker is left for the sweeper
        assertEquals("0", one("select count(*)::text from public.job_creations where job_id = ?", s.jobId()));
        // the notebook was stored as the owner, with SLMGEN's name
        wm().verify(postRequestedFor(urlPathEqualTo("/storage/v1/object/notebooks/" + a.id() + "/" + s.jobId()
                + "/finetune_qwen_2.5_3b_" + s.sid8() + ".ipynb")).withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo(a.bearer())));
        String token1 = query(r.getString("download_url"));
        given().get("/slmgen" + r.getString("download_url")).then().statusCode(200);

        // regeneration with an HF id: the same job, new model, its score from the last ranking, new secret
        JsonPath r2 = generate(s, a.token(), "microsoft/Phi-4-mini-instruct").then().statusCode(200).extract().jsonPath();
        assertEquals(s.jobId().toString(), r2.getString("job_id"));
        assertEquals("finetune_phi-4_mini_" + s.sid8() + ".ipynb", r2.getString("notebook_filename"));
        assertEquals("Notebook generated for Phi-4 Mini!", r2.getString("message"));
        assertNotEquals(secret1, r2.getString("job_secret"));
        assertEquals("1", one("select count(*) from public.jobs where session_id = ?", s.sid()));
        assertEquals("phi4", one("select selected_model_id from public.jobs where session_id = ?", s.sid()));
        assertEquals("Phi-4 Mini", one("select selected_model_name from public.jobs where session_id = ?", s.sid()));
        assertEquals("65", one("select model_score::text from public.jobs where session_id = ?", s.sid()));
        assertEquals("finetune_phi-4_mini_" + s.sid8() + ".ipynb", one("select notebook_filename from public.jobs where session_id = ?", s.sid()));
        // the old object is removed, the old secret and the old download token stop working
        wm().verify(com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(urlPathEqualTo("/storage/v1/object/notebooks/"
                + a.id() + "/" + s.jobId() + "/finetune_qwen_2.5_3b_" + s.sid8() + ".ipynb")));
        given().header("X-Job-Secret", secret1).contentType(ContentType.JSON).body("{\"session_id\":\"" + s.sid() + "\",\"step\":1,\"loss\":1.0}")
                .post("/slmgen/training/webhook").then().statusCode(401);
        given().queryParam("token", token1).get("/slmgen/download/" + s.sid()).then().statusCode(403).body("detail", equalTo(BAD_TOKEN));
        given().get("/slmgen" + r2.getString("download_url")).then().statusCode(200);
    }

    @Test
    void generateErrors() {
        TestUser a = TestUsers.create("slm-generr");
        TestUser b = TestUsers.create("slm-generr-b");
        Session s = session(a, false, null);
        generate(s, a.token(), null).then().statusCode(400).contentType(ContentType.JSON)
                .body("detail", equalTo("No model selected. Please get a recommendation first."));
        generate(s, a.token(), "nobody/unknown-model").then().statusCode(400)
                .body("detail", startsWith("Invalid model_id. Valid options: ['Qwen/Qwen2.5-3B-Instruct', "));
        // another user's token, no token on a user's session, an unknown session: 404, nothing created
        generate(s, b.token(), "microsoft/Phi-4-mini-instruct").then().statusCode(404).body("detail", equalTo(SESSION_404));
        generate(s, null, "microsoft/Phi-4-mini-instruct").then().statusCode(404).body("detail", equalTo(SESSION_404));
        given().contentType(ContentType.JSON).body("{\"session_id\":\"" + UUID.randomUUID() + "\",\"model_id\":null}")
                .post("/slmgen/generate-notebook").then().statusCode(404).body("detail", equalTo(SESSION_404));
        given().contentType(ContentType.JSON).body("{\"model_id\":null}").post("/slmgen/generate-notebook").then().statusCode(422);
        given().header("Authorization", "Bearer not-a-jwt").contentType(ContentType.JSON).body("{\"session_id\":\"" + s.sid() + "\"}")
                .post("/slmgen/generate-notebook").then().statusCode(401);
        // a task-less session with an explicit model works (defaults) — no job before
        generate(s, a.token(), "microsoft/Phi-4-mini-instruct").then().statusCode(200)
                .body("notebook_filename", equalTo("finetune_phi-4_mini_" + s.sid8() + ".ipynb"));
    }

    // ---- custom models (validated by catalog-service) ----

    /** catalog-service's answer for a Hugging Face id: status and /api/models/validate body. */
    static void stubValidation(String hfId, int status, String body) {
        wm().stubFor(post(urlPathEqualTo("/api/models/validate"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.equalToJson("{\"model_id\":\"" + hfId + "\"}"))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    static String validation(String hfId, String name, String architecture, boolean compatible, boolean gated) {
        return "{\"model_id\":\"" + hfId + "\",\"name\":\"" + name + "\",\"architecture\":\"" + architecture + "\","
                + "\"context_window\":1024,\"is_gated\":" + gated + ",\"downloads\":10,\"likes\":2,\"is_compatible\":" + compatible + ","
                + "\"compatibility_reason\":\"whatever\",\"supported_architectures\":[],\"parameters\":2779683840,"
                + "\"size\":\"2.8B\",\"catalog_id\":null}";
    }

    /** The code cells of the notebook last stored under {@code folder}. */
    static String storedNotebookCode(String folder) throws Exception {
        List<com.github.tomakehurst.wiremock.verification.LoggedRequest> stored = wm().findAll(
                postRequestedFor(urlPathMatching("/storage/v1/object/notebooks/" + folder + "/[^/]+")));
        com.fasterxml.jackson.databind.JsonNode nb = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(stored.get(stored.size() - 1).getBody());
        StringBuilder code = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonNode cell : nb.get("cells")) {
            if ("code".equals(cell.get("cell_type").asText())) {
                cell.get("source").forEach(l -> code.append(l.asText()));
                code.append('\n');
            }
        }
        return code.toString();
    }

    @Test
    void aValidatedCustomModelGetsItsOwnNotebook() throws Exception {
        TestUser a = TestUsers.create("slm-custom");
        Session s = session(a, false, "qwen25");
        stubValidation("acme/tiny-phi", 200, validation("acme/tiny-phi", "tiny-phi", "PhiForCausalLM", true, false));
        JsonPath r = generate(s, a.token(), "acme/tiny-phi").then().statusCode(200).extract().jsonPath();
        assertEquals("Notebook generated for tiny-phi!", r.getString("message"));
        assertEquals("finetune_tiny-phi_" + s.sid8() + ".ipynb", r.getString("notebook_filename"));
        assertEquals("acme/tiny-phi", one("select selected_model_id from public.jobs where session_id = ?", s.sid()));
        assertEquals("tiny-phi", one("select selected_model_name from public.jobs where session_id = ?", s.sid()));
        assertEquals("0", one("select model_score::text from public.jobs where session_id = ?", s.sid()));
        assertEquals("acme/tiny-phi", one("select training_config->>'hf_model_id' from public.jobs where session_id = ?", s.sid()));
        // jobs asked catalog-service itself, with the caller's token - whatever the client claims
        wm().verify(postRequestedFor(urlPathEqualTo("/api/models/validate"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo(a.bearer())));
        String code = storedNotebookCode(a.id() + "/" + s.jobId());
        // its Hugging Face id in the loading cell, in 4-bit; SLMGEN's LoRA targets for PhiForCausalLM
        assertTrue(code.contains("MODEL_NAME = \"acme/tiny-phi\""), code);
        assertTrue(code.contains("LOAD_IN_4BIT = True"), code);
        assertTrue(code.contains("target_modules=[\"q_proj\", \"k_proj\", \"v_proj\", \"o_proj\", \"fc1\", \"fc2\"],"), code);
        // its 1024-token context window caps the config's 2048
        assertTrue(code.contains("MAX_SEQ_LENGTH = 1024  # the config's 2048, capped at the model's context window"), code);
        // no catalog chat template: the tokenizer's own, else ChatML
        assertTrue(code.contains("CHAT_TEMPLATE = None"), code);
        given().get("/slmgen" + r.getString("download_url")).then().statusCode(200);

        // back to a catalog model by its HF id: the same job, the catalog's LoRA targets (Gemma 2: attention only)
        wm().stubFor(get(urlPathEqualTo("/api/models/gemma2")).willReturn(okJson("{\"id\":\"gemma2\",\"name\":\"Gemma 2 2B\","
                + "\"size\":\"2B\",\"context_window\":8192,\"is_gated\":true,\"hf_model_id\":\"google/gemma-2-2b-it\","
                + "\"unsloth_model_id\":\"unsloth/gemma-2-2b-it-bnb-4bit\",\"chat_template\":\"gemma2\",\"load_in_4bit\":true,"
                + "\"architecture\":\"Gemma2ForCausalLM\",\"vram_required_gb\":4.0}")));
        generate(s, a.token(), "google/gemma-2-2b-it").then().statusCode(200)
                .body("message", equalTo("Notebook generated for Gemma 2 2B!")).body("job_id", equalTo(s.jobId().toString()));
        assertEquals("gemma2", one("select selected_model_id from public.jobs where session_id = ?", s.sid()));
        code = storedNotebookCode(a.id() + "/" + s.jobId());
        assertTrue(code.contains("target_modules=[\"q_proj\", \"k_proj\", \"v_proj\", \"o_proj\"],"), code);
        assertTrue(code.contains("NEEDED_GPU_GB = 4.0"), code);
    }

    @Test
    void unvalidatedOrIncompatibleCustomModelsGetSlmgensError() {
        TestUser a = TestUsers.create("slm-custom-bad");
        Session s = session(a, false, "qwen25");
        String invalid = "Invalid model_id. Valid options: ['Qwen/Qwen2.5-3B-Instruct', 'microsoft/Phi-4-mini-instruct', 'google/gemma-2-2b-it']";
        stubValidation("acme/old-gpt", 200, validation("acme/old-gpt", "old-gpt", "GPT2LMHeadModel", false, false));
        generate(s, a.token(), "acme/old-gpt").then().statusCode(400).body("detail", equalTo(invalid));
        stubValidation("acme/missing", 404, "{\"error\":\"not_found\",\"message\":\"Model 'acme/missing' not found on Hugging Face Hub\"}");
        generate(s, a.token(), "acme/missing").then().statusCode(400).body("detail", equalTo(invalid));
        // not an id (no owner): refused here; a malformed one is refused by catalog-service (in the body, never a URL)
        generate(s, a.token(), "gpt2").then().statusCode(400).body("detail", equalTo(invalid));
        stubValidation("../../etc/passwd", 400, "{\"error\":\"invalid_model_id\",\"message\":\"Invalid model_id\"}");
        generate(s, a.token(), "../../etc/passwd").then().statusCode(400).body("detail", equalTo(invalid));
        // the hub is down: try again later, not "invalid"
        stubValidation("acme/later", 503, "{\"error\":\"service_unavailable\",\"message\":\"Could not reach the Hugging Face Hub to validate the model. Please try again.\"}");
        generate(s, a.token(), "acme/later").then().statusCode(503)
                .body("detail", equalTo("Could not reach the Hugging Face Hub to validate the model. Please try again."));
        // nothing was made by any of these
        assertEquals(0, wm().findAll(postRequestedFor(urlPathMatching("/storage/v1/object/notebooks/" + a.id() + "/.*"))).size());
    }

    // ---- download and public notebook ----

    @Test
    void downloadTokensAreBoundToTheSessionAndExpire() throws Exception {
        TestUser a = TestUsers.create("slm-dl");
        Session s = session(a, false, "qwen25");
        Session other = session(a, false, "qwen25");
        JsonPath r = generated(s);
        String otherToken = query(generated(other).getString("download_url"));
        String token = query(r.getString("download_url"));

        // no headers at all: the token authorises; served as an attachment
        Response ok = given().queryParam("token", token).get("/slmgen/download/" + s.sid());
        ok.then().statusCode(200).header("Content-Type", startsWith("application/x-ipynb+json"))
                .header("Content-Disposition", equalTo("attachment; filename=\"finetune_qwen_2.5_3b_" + s.sid8() + ".ipynb\""));
        assertEquals(NOTEBOOK, ok.asString());
        // read from storage as the owner (a token for the owner's id), never anonymously
        var reads = wm().findAll(getRequestedFor(urlPathEqualTo("/storage/v1/object/authenticated/notebooks/" + a.id() + "/"
                + s.jobId() + "/finetune_qwen_2.5_3b_" + s.sid8() + ".ipynb")));
        assertFalse(reads.isEmpty());
        String auth = reads.get(reads.size() - 1).getHeader("Authorization");
        String claims = new String(Base64.getUrlDecoder().decode(auth.substring(7).split("\\.")[1]), StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"sub\":\"" + a.id() + "\""), claims);

        given().get("/slmgen/download/" + s.sid()).then().statusCode(422);
        given().queryParam("token", otherToken).get("/slmgen/download/" + s.sid()).then().statusCode(403).body("detail", equalTo(BAD_TOKEN));
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
        given().queryParam("token", tampered).get("/slmgen/download/" + s.sid()).then().statusCode(403).body("detail", equalTo(BAD_TOKEN));
        given().queryParam("token", "garbage").get("/slmgen/download/" + s.sid()).then().statusCode(403);
        // a user's access token is no download token
        given().queryParam("token", a.token()).get("/slmgen/download/" + s.sid()).then().statusCode(403);
        given().queryParam("token", token).get("/slmgen/download/" + UUID.randomUUID()).then().statusCode(403);
        // correctly signed for this session but expired
        String hash = one("select secret_hash from public.job_secrets where job_id = ?", s.jobId());
        String expired = downloadToken(s.sid(), hash, System.currentTimeMillis() / 1000 - 5);
        given().queryParam("token", expired).get("/slmgen/download/" + s.sid()).then().statusCode(403).body("detail", equalTo(BAD_TOKEN));
        String fresh = downloadToken(s.sid(), hash, System.currentTimeMillis() / 1000 + 60);
        given().queryParam("token", fresh).get("/slmgen/download/" + s.sid()).then().statusCode(200);
    }

    /** The documented token format, signed with the key derived from the test JWT secret. */
    static String downloadToken(String sid, String secretHash, long exp) throws Exception {
        byte[] key = hmac(TokenMinter.SECRET.getBytes(StandardCharsets.UTF_8), "slmgen-download-token-key".getBytes(StandardCharsets.UTF_8));
        String v = HexFormat.of().formatHex(hmac("download".getBytes(StandardCharsets.US_ASCII),
                secretHash.getBytes(StandardCharsets.US_ASCII))).substring(0, 16);
        String payload = "{\"typ\":\"slmgen_download\",\"sid\":\"" + sid + "\",\"v\":\"" + v + "\",\"exp\":" + exp + "}";
        String p = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return p + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, p.getBytes(StandardCharsets.US_ASCII)));
    }

    static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    @Test
    void anonymousSessionsWorkWithoutATokenAndThePublicNotebookServesColab() throws Exception {
        TestUser anonOwner = TestUsers.create("slm-anon");
        TestUser b = TestUsers.create("slm-anon-b");
        Session s = session(anonOwner, true, "qwen25");
        JsonPath r = generate(s, null, null).then().statusCode(200).extract().jsonPath();
        assertEquals(s.jobId().toString(), r.getString("job_id"));
        assertEquals(anonOwner.id().toString(), one("select user_id::text from public.jobs where session_id = ?", s.sid()));

        Response nb = given().get("/slmgen/notebooks/" + s.sid() + ".ipynb");
        nb.then().statusCode(200).header("Content-Type", startsWith("application/json"))
                .header("Content-Disposition", equalTo("inline; filename=finetune_qwen_2.5_3b_" + s.sid8() + ".ipynb"))
                .header("Access-Control-Allow-Origin", equalTo("*")).header("Cache-Control", equalTo("no-cache"));
        assertEquals(NOTEBOOK, nb.asString());
        given().get("/slmgen/notebooks/" + UUID.randomUUID() + ".ipynb").then().statusCode(404)
                .body("detail", equalTo("Notebook not found or session expired. Please generate a new notebook."));

        // the training status of an anonymous session: no token works, another user's token does not
        given().get("/slmgen/training/" + s.sid() + "/status").then().statusCode(200).body("status", equalTo("pending"));
        given().header("Authorization", b.bearer()).get("/slmgen/training/" + s.sid() + "/status").then().statusCode(404)
                .body("detail", equalTo("Training session not found"));
        // B's token does not open the anonymous job through /jobs either
        given().header("Authorization", b.bearer()).get("/slmgen/jobs/session/" + s.sid()).then().statusCode(404);

        // an expired anonymous session is gone for every route
        wm().stubFor(get(urlPathEqualTo("/api/datasets/session-owner/" + s.sid())).willReturn(okJson("{\"dataset_id\":\""
                + s.datasetId() + "\",\"user_id\":\"" + anonOwner.id() + "\",\"owner_is_anonymous\":true,\"expires_at\":\"2001-01-01T00:00:00Z\"}")));
        given().get("/slmgen/training/" + s.sid() + "/status").then().statusCode(404).body("detail", equalTo("Training session not found"));
        given().get("/slmgen/notebooks/" + s.sid() + ".ipynb").then().statusCode(404);
        given().get("/slmgen" + r.getString("download_url")).then().statusCode(404)
                .body("detail", equalTo("Session not found, expired, or access denied."));
        generate(s, null, null).then().statusCode(404).body("detail", equalTo(SESSION_404));
    }

    // ---- /jobs ----

    static String jobBody(String sid) {
        return "{\"session_id\":\"" + sid + "\",\"dataset_filename\":\"d.jsonl\",\"dataset_path\":\"x/y/d.jsonl\","
                + "\"total_examples\":60,\"total_tokens\":1250,\"quality_score\":0.75,\"task_type\":\"qa\","
                + "\"deployment_target\":\"cloud\",\"selected_model_id\":\"meta-llama/Llama-3.2-3B-Instruct\","
                + "\"selected_model_name\":\"Llama 3.2 3B\",\"model_score\":85.0,\"training_config\":{\"lora_rank\":16}}";
    }

    @Test
    void jobsAreTheCallersOwn() throws Exception {
        TestUser a = TestUsers.create("slm-jobs");
        TestUser b = TestUsers.create("slm-jobs-b");
        String sid = "sid-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(jobBody(sid)).post("/slmgen/jobs").then().statusCode(401)
                .body("detail", equalTo("Authentication required"));
        JsonPath job = given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body(jobBody(sid))
                .post("/slmgen/jobs").then().statusCode(201).extract().jsonPath();
        String id = job.getString("id");
        assertEquals("created", job.getString("status"));
        assertEquals(a.id().toString(), job.getString("user_id"));
        assertEquals(16, job.getInt("training_config.lora_rank"));
        assertNull(job.get("notebook_filename"));
        // a job made without a notebook is never marked as being created (the sweeper must not undo it)
        assertEquals("0", one("select count(*)::text from public.job_creations where job_id = ?::uuid", id));
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body(jobBody(sid)).post("/slmgen/jobs").then().statusCode(409);
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body("{\"session_id\":\"x\"}").post("/slmgen/jobs")
                .then().statusCode(422);

        given().header("Authorization", a.bearer()).get("/slmgen/jobs").then().statusCode(200).body("id", hasItem(id))
                .body("[0].id", equalTo(id));
        given().header("Authorization", b.bearer()).get("/slmgen/jobs").then().statusCode(200).body("size()", equalTo(0));
        given().get("/slmgen/jobs").then().statusCode(401).body("detail", equalTo("Authentication required"));
        given().header("Authorization", a.bearer()).get("/slmgen/jobs/" + id).then().statusCode(200).body("session_id", equalTo(sid));
        given().header("Authorization", a.bearer()).get("/slmgen/jobs/session/" + sid).then().statusCode(200).body("id", equalTo(id));
        given().header("Authorization", b.bearer()).get("/slmgen/jobs/" + id).then().statusCode(404).body("detail", equalTo("Job not found"));
        given().header("Authorization", b.bearer()).get("/slmgen/jobs/session/" + sid).then().statusCode(404).body("detail", equalTo("Job not found"));
        given().header("Authorization", a.bearer()).get("/slmgen/jobs/not-a-uuid").then().statusCode(404).body("detail", equalTo("Job not found"));

        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body("{\"colab_url\":null}").patch("/slmgen/jobs/" + id)
                .then().statusCode(400).body("detail", equalTo("No update fields provided"));
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON)
                .body("{\"status\":\"processing\",\"colab_url\":\"https://c.example/x\",\"training_config\":{\"lora_rank\":32}}")
                .patch("/slmgen/jobs/" + id).then().statusCode(200).body("status", equalTo("processing"))
                .body("colab_url", equalTo("https://c.example/x")).body("training_config.lora_rank", equalTo(32));
        assertEquals("t", one("select (updated_at > created_at)::text from public.jobs where id = ?::uuid", id).substring(0, 1));
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body("{\"status\":\"created\"}")
                .patch("/slmgen/jobs/" + id).then().statusCode(409);
        given().header("Authorization", b.bearer()).contentType(ContentType.JSON).body("{\"status\":\"completed\"}")
                .patch("/slmgen/jobs/" + id).then().statusCode(404).body("detail", equalTo("Job not found"));
        given().header("Authorization", b.bearer()).delete("/slmgen/jobs/" + id).then().statusCode(404);
        given().header("Authorization", a.bearer()).delete("/slmgen/jobs/" + id).then().statusCode(204);
        given().header("Authorization", a.bearer()).get("/slmgen/jobs/" + id).then().statusCode(404);

        // a job without a notebook: the public route says so
        String sid2 = "sid-" + UUID.randomUUID();
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body(jobBody(sid2)).post("/slmgen/jobs").then().statusCode(201);
        given().get("/slmgen/notebooks/" + sid2 + ".ipynb").then().statusCode(404).body("detail", equalTo("Notebook not generated yet."));
    }

    // ---- /training ----

    @Test
    void trainingReportsAreJobEventsBothWays() throws Exception {
        TestUser a = TestUsers.create("slm-train");
        TestUser b = TestUsers.create("slm-train-b");
        Session s = session(a, false, "qwen25");
        String secret = generated(s).getString("job_secret");
        String sid = s.sid();

        // the secret is required and must be this session's
        String start = "{\"session_id\":\"" + sid + "\",\"job_id\":\"j1\",\"model_id\":\"Qwen/Qwen2.5-3B-Instruct\",\"total_steps\":30,\"total_epochs\":1}";
        given().contentType(ContentType.JSON).body(start).post("/slmgen/training/start").then().statusCode(401);
        given().header("X-Job-Secret", "js_wrong").contentType(ContentType.JSON).body(start).post("/slmgen/training/start").then().statusCode(401);
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON)
                .body("{\"session_id\":\"" + UUID.randomUUID() + "\",\"total_steps\":30}").post("/slmgen/training/start").then().statusCode(401);
        given().header("X-Job-Secret", "js_wrong").contentType(ContentType.JSON).body("{\"session_id\":\"" + sid + "\",\"step\":1,\"loss\":1}")
                .post("/slmgen/training/webhook").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"session_id\":\"" + sid + "\",\"step\":1,\"loss\":1}")
                .post("/slmgen/training/webhook").then().statusCode(401).body("detail", equalTo("X-Job-Secret header required"));
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON).body("{\"session_id\":\"" + sid + "\",\"loss\":1}")
                .post("/slmgen/training/webhook").then().statusCode(422);
        assertEquals("0", one("select count(*) from public.job_events where job_id = ?", s.jobId()));

        // before /start: pending with zero steps
        given().header("Authorization", a.bearer()).get("/slmgen/training/" + sid + "/status").then().statusCode(200)
                .body("status", equalTo("pending")).body("total_steps", equalTo(0)).body("event_count", equalTo(0))
                .body("model_id", equalTo("Qwen/Qwen2.5-3B-Instruct")).body("latest_loss", nullValue());
        given().header("Authorization", a.bearer()).get("/slmgen/training/" + sid + "/latest").then().statusCode(404)
                .body("detail", equalTo("No events found for session"));

        given().header("X-Job-Secret", secret).contentType(ContentType.JSON).body(start).post("/slmgen/training/start").then()
                .statusCode(200).body("message", equalTo("Training session started")).body("session_id", equalTo(sid))
                .body("status", equalTo("pending"));
        assertEquals("created", one("select status from public.jobs where id = ?", s.jobId()));

        given().header("X-Job-Secret", secret).contentType(ContentType.JSON)
                .body("{\"session_id\":\"" + sid + "\",\"step\":10,\"loss\":1.5,\"epoch\":0,\"learning_rate\":0.0002,\"grad_norm\":0.8}")
                .post("/slmgen/training/webhook").then().statusCode(200).body("message", equalTo("Event received")).body("received", equalTo(true));
        assertEquals("processing", one("select status from public.jobs where id = ?", s.jobId()));
        given().header("Authorization", a.bearer()).get("/slmgen/training/" + sid + "/status").then().statusCode(200)
                .body("status", equalTo("running")).body("total_steps", equalTo(30)).body("current_step", equalTo(10))
                .body("progress_percent", equalTo(33.33f)).body("latest_loss", equalTo(1.5f)).body("event_count", equalTo(1))
                .body("eta_seconds", nullValue()).body("eta_formatted", nullValue()).body("job_id", equalTo(s.jobId().toString()))
                .body("started_at", org.hamcrest.Matchers.notNullValue()).body("completed_at", nullValue());

        // an event posted to /api appears in /slmgen
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON)
                .body("{\"type\":\"progress\",\"step\":20,\"epoch\":1,\"loss\":0.9,\"learning_rate\":0.0001}")
                .post("/api/jobs/" + s.jobId() + "/events").then().statusCode(201);
        given().header("Authorization", a.bearer()).queryParam("since_step", 10).get("/slmgen/training/" + sid + "/events").then()
                .statusCode(200).body("step", contains(20)).body("[0].loss", equalTo(0.9f)).body("[0].epoch", equalTo(1))
                .body("[0].grad_norm", nullValue()).body("[0].timestamp", org.hamcrest.Matchers.notNullValue());
        given().header("Authorization", a.bearer()).get("/slmgen/training/" + sid + "/events").then().statusCode(200)
                .body("step", contains(10, 20)).body("[0].grad_norm", equalTo(0.8f));
        JsonPath st = given().header("Authorization", a.bearer()).get("/slmgen/training/" + sid + "/status").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(66.67f, st.getFloat("progress_percent"));
        assertNotNull(st.get("eta_seconds"));
        assertTrue(st.getString("eta_formatted").endsWith("s"), st.getString("eta_formatted"));
        given().header("Authorization", a.bearer()).get("/slmgen/training/" + sid + "/latest").then().statusCode(200)
                .body("step", equalTo(20));

        // others see nothing
        given().header("Authorization", b.bearer()).get("/slmgen/training/" + sid + "/status").then().statusCode(404);
        given().header("Authorization", b.bearer()).get("/slmgen/training/" + sid + "/events").then().statusCode(404);
        given().get("/slmgen/training/" + sid + "/events").then().statusCode(404).body("detail", equalTo("Training session not found"));
        given().get("/slmgen/training/" + sid + "/stream").then().statusCode(404);
        // the app's JSON Accept header does not turn the 404 into a 406
        given().accept("application/json").get("/slmgen/training/" + sid + "/stream").then().statusCode(404)
                .body("detail", equalTo("Training session not found"));
        given().get("/slmgen/training/").then().statusCode(200).body("size()", equalTo(0));
        given().header("Authorization", a.bearer()).get("/slmgen/training/").then().statusCode(200)
                .body("session_id", hasItem(sid));

        given().header("X-Job-Secret", secret).contentType(ContentType.JSON).body("{\"session_id\":\"" + sid + "\"}")
                .post("/slmgen/training/complete").then().statusCode(200)
                .body("message", equalTo("Training marked as completed")).body("session_id", equalTo(sid));
        assertEquals("completed", one("select status from public.jobs where id = ?", s.jobId()));
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON).body("{\"session_id\":\"" + sid + "\",\"step\":30,\"loss\":0.5}")
                .post("/slmgen/training/webhook").then().statusCode(200).body("received", equalTo(false));
        given().header("Authorization", a.bearer()).get("/slmgen/training/" + sid + "/status").then().statusCode(200)
                .body("status", equalTo("completed")).body("completed_at", org.hamcrest.Matchers.notNullValue());

        // the /slmgen webhook's event is in /api's stream (replayed; the job is final so the stream ends)
        HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/api/jobs/" + s.jobId() + "/events"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", a.bearer()).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(api.body().contains("event:progress") && api.body().contains("\"step\":10") && api.body().contains("event:completed"),
                api.body());

        // the finished stream: one status, then complete
        HttpResponse<String> done = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/slmgen/training/" + sid + "/stream"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", a.bearer()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, done.statusCode());
        assertTrue(done.body().contains("event:complete") && done.body().contains("\"status\":\"completed\""), done.body());
    }

    @Test
    void theStreamFollowsProgressLiveAndFailuresAreReported() throws Exception {
        TestUser anonOwner = TestUsers.create("slm-stream");
        Session s = session(anonOwner, true, "qwen25");
        String secret = generate(s, null, null).then().statusCode(200).extract().jsonPath().getString("job_secret");
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON)
                .body("{\"session_id\":\"" + s.sid() + "\",\"model_id\":\"Qwen/Qwen2.5-3B-Instruct\",\"total_steps\":100}")
                .post("/slmgen/training/start").then().statusCode(200);

        // EventSource-like: no headers (anonymous session)
        HttpResponse<Stream<String>> resp = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(base.resolve("/slmgen/training/"
                + s.sid() + "/stream")).build(), HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
        assertEquals(200, resp.statusCode());
        assertTrue(resp.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        assertEquals("no", resp.headers().firstValue("X-Accel-Buffering").orElse(""));
        assertEquals("no-cache", resp.headers().firstValue("Cache-Control").orElse(""));
        Iterator<String> lines = resp.body().iterator();
        CompletableFuture<List<List<String>>> read = CompletableFuture.supplyAsync(() -> List.of(
                JobsResourceTest.readEvent(lines), JobsResourceTest.readEvent(lines)));
        Thread.sleep(300);
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON)
                .body("{\"session_id\":\"" + s.sid() + "\",\"step\":5,\"loss\":2.0}").post("/slmgen/training/webhook").then().statusCode(200);
        given().header("X-Job-Secret", secret).contentType(ContentType.JSON)
                .body("{\"session_id\":\"" + s.sid() + "\",\"error\":\"CUDA out of memory\"}").post("/slmgen/training/complete").then()
                .statusCode(200).body("message", equalTo("Training marked as failed"));
        List<List<String>> got = read.get(15, TimeUnit.SECONDS);
        List<String> first = got.get(0);
        assertFalse(first.stream().anyMatch(l -> l.startsWith("event:")), first.toString());
        assertTrue(first.stream().anyMatch(l -> l.startsWith("data:") && l.contains("\"current_step\":5") && l.contains("\"status\":\"running\"")),
                first.toString());
        List<String> last = got.get(1);
        assertTrue(last.contains("event:complete"), last.toString());
        assertTrue(last.stream().anyMatch(l -> l.contains("\"status\":\"failed\"") && l.contains("\"error_message\":\"CUDA out of memory\"")),
                last.toString());
        assertFalse(CompletableFuture.supplyAsync(lines::hasNext).get(10, TimeUnit.SECONDS));
        assertEquals("failed", one("select status from public.jobs where id = ?", s.jobId()));
    }
}
