package io.slmgen.catalog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TokenMinter;

/**
 * catalog-service's SLMGEN v1 routes (SPEC §15): {@code POST /slmgen/recommend} (shapes, session rule,
 * the remembered selection) and {@code POST /slmgen/validate-model} against a local stand-in for the
 * Hugging Face Hub ({@link HubStub}).
 */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "catalog"), @ResourceArg(name = "slices", value = "auth")})
@WithTestResource(DatasetsStub.class)
@WithTestResource(HubStub.class)
class SlmgenRecommendTest {

    static final List<String> SUPPORTED = List.of("LlamaForCausalLM", "MistralForCausalLM", "Phi3ForCausalLM",
            "PhiForCausalLM", "Qwen2ForCausalLM", "GemmaForCausalLM", "Gemma2ForCausalLM", "GPTNeoXForCausalLM",
            "StableLmForCausalLM", "DeepseekForCausalLM", "InternLM2ForCausalLM");

    static final String NOT_FOUND = "Session not found, expired, or access denied. Please upload again.";

    /** A session whose dataset (150 examples, plain) the stub serves, owned as described. */
    static String session(UUID owner, boolean anonymous, OffsetDateTime expires) {
        String sid = UUID.randomUUID().toString();
        String datasetId = UUID.randomUUID().toString();
        DatasetsStub.server.stubFor(get(urlEqualTo("/api/datasets/session-owner/" + sid)).willReturn(okJson(
                "{\"dataset_id\":\"" + datasetId + "\",\"user_id\":\"" + owner + "\",\"owner_is_anonymous\":" + anonymous
                        + ",\"expires_at\":" + (expires == null ? "null" : "\"" + expires + "\"") + "}")));
        DatasetsStub.server.stubFor(get(urlEqualTo("/api/datasets/by-session/" + sid)).willReturn(okJson(
                "{\"id\":\"" + datasetId + "\",\"session_id\":\"" + sid + "\",\"total_examples\":150,"
                        + "\"avg_tokens_per_example\":100,\"is_multilingual\":false,\"looks_like_json\":false,\"is_multi_turn\":false}")));
        DatasetsStub.server.stubFor(put(urlEqualTo("/api/datasets/" + datasetId + "/selection"))
                .willReturn(okJson("{\"id\":\"" + datasetId + "\"}")));
        return sid;
    }

    static String body(String sid, String task, String deployment) {
        return "{\"session_id\":\"" + sid + "\",\"task\":\"" + task + "\",\"deployment\":\"" + deployment + "\"}";
    }

    @Test
    void aSignedInUsersSessionIsRankedInSlmgensShapeAndRemembered() {
        UUID user = UUID.randomUUID();
        String token = TokenMinter.user(user);
        String sid = session(user, false, null);
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(body(sid, "qa", "cloud"))
                .post("/slmgen/recommend").then().statusCode(200)
                .body("primary.model_id", org.hamcrest.Matchers.equalTo("meta-llama/Llama-3.2-3B-Instruct"))
                .body("primary.model_name", org.hamcrest.Matchers.equalTo("Llama 3.2 3B"))
                .body("primary.size", org.hamcrest.Matchers.equalTo("3B"))
                .body("primary.score", org.hamcrest.Matchers.equalTo(90.0f))
                .body("primary.context_window", org.hamcrest.Matchers.equalTo(8192))
                .body("primary.is_gated", org.hamcrest.Matchers.equalTo(true))
                .body("primary.reasons", contains("✅ Excellent for qa tasks", "✅ Great for cloud deployment",
                        "💪 Q&A", "💪 Conversations"))
                .body("alternatives.model_id", contains("microsoft/Phi-3.5-mini-instruct",
                        "microsoft/Phi-4-mini-instruct", "google/gemma-2-2b-it"));
        LoggedRequest selection = DatasetsStub.server.findAll(putRequestedFor(urlEqualTo(
                "/api/datasets/" + datasetOf(sid) + "/selection"))).get(0);
        assertEquals("Bearer " + token, selection.getHeader("Authorization"));
        DatasetsStub.server.verify(putRequestedFor(urlEqualTo("/api/datasets/" + datasetOf(sid) + "/selection"))
                .withRequestBody(equalToJson("{\"task\":\"qa\",\"deployment\":\"cloud\",\"model_id\":\"llama32\","
                        + "\"scores\":{\"llama32\":90.0,\"phi35\":90.0,\"phi4\":70.0,\"gemma2\":70.0,\"qwen25\":70.0,"
                        + "\"smollm2\":70.0,\"llama32_1b\":70.0,\"tinyllama\":70.0,\"stablelm\":70.0,\"mistral7b\":65.0,"
                        + "\"deepseek_coder\":55.0}}")));
    }

    @Test
    void withoutATokenAnAnonymousSessionIsReadAsItsOwner() {
        UUID owner = UUID.randomUUID();
        String sid = session(owner, true, OffsetDateTime.now().plusHours(23));
        given().contentType(ContentType.JSON).body(body(sid, "classify", "edge"))
                .post("/slmgen/recommend").then().statusCode(200)
                .body("primary.model_id", org.hamcrest.Matchers.equalTo("google/gemma-2-2b-it"));
        LoggedRequest read = DatasetsStub.server.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .getRequestedFor(urlEqualTo("/api/datasets/by-session/" + sid))).get(0);
        String jwt = read.getHeader("Authorization").substring("Bearer ".length());
        String claims = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertTrue(claims.contains("\"sub\":\"" + owner + "\""), claims);
        org.junit.jupiter.api.Assertions.assertTrue(claims.contains("\"is_anonymous\":true"), claims);
        DatasetsStub.server.verify(com.github.tomakehurst.wiremock.client.WireMock
                .getRequestedFor(urlEqualTo("/api/datasets/session-owner/" + sid))
                .withHeader("Authorization", matching("Bearer .+")));
    }

    @Test
    void strangersCannotReachSessionsTheyDoNotOwn() {
        String userSession = session(UUID.randomUUID(), false, null);
        given().contentType(ContentType.JSON).body(body(userSession, "qa", "cloud"))
                .post("/slmgen/recommend").then().statusCode(404).body("detail", org.hamcrest.Matchers.equalTo(NOT_FOUND));
        String expired = session(UUID.randomUUID(), true, OffsetDateTime.now().minusMinutes(1));
        given().contentType(ContentType.JSON).body(body(expired, "qa", "cloud"))
                .post("/slmgen/recommend").then().statusCode(404).body("detail", org.hamcrest.Matchers.equalTo(NOT_FOUND));
        String unknown = UUID.randomUUID().toString();
        DatasetsStub.server.stubFor(get(urlEqualTo("/api/datasets/session-owner/" + unknown)).willReturn(aResponse()
                .withStatus(404).withHeader("Content-Type", "application/json").withBody("{\"error\":\"not_found\"}")));
        given().contentType(ContentType.JSON).body(body(unknown, "qa", "cloud"))
                .post("/slmgen/recommend").then().statusCode(404).body("detail", org.hamcrest.Matchers.equalTo(NOT_FOUND));
        // a user's token on someone else's session: datasets-service's RLS hides it
        String foreign = UUID.randomUUID().toString();
        DatasetsStub.server.stubFor(get(urlEqualTo("/api/datasets/by-session/" + foreign)).willReturn(aResponse()
                .withStatus(404).withHeader("Content-Type", "application/json").withBody("{\"error\":\"not_found\"}")));
        given().header("Authorization", "Bearer " + TokenMinter.user(UUID.randomUUID())).contentType(ContentType.JSON)
                .body(body(foreign, "qa", "cloud")).post("/slmgen/recommend").then().statusCode(404)
                .body("detail", org.hamcrest.Matchers.equalTo(NOT_FOUND));
    }

    @Test
    void badInputInFastApisShape() {
        String sid = session(UUID.randomUUID(), true, null);
        given().contentType(ContentType.JSON).body(body(sid, "poetry", "cloud")).post("/slmgen/recommend").then()
                .statusCode(422).body("detail", org.hamcrest.Matchers.containsString("task must be one of"));
        given().contentType(ContentType.JSON).body(body(sid, "qa", "moon")).post("/slmgen/recommend").then()
                .statusCode(422).body("detail", org.hamcrest.Matchers.containsString("deployment must be one of"));
        given().contentType(ContentType.JSON).body("{}").post("/slmgen/recommend").then().statusCode(422);
        given().contentType(ContentType.JSON).body("{oops").post("/slmgen/recommend").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.notNullValue());
        given().header("Authorization", "Bearer broken.token.here").contentType(ContentType.JSON)
                .body(body(sid, "qa", "cloud")).post("/slmgen/recommend").then().statusCode(401)
                .body("detail", org.hamcrest.Matchers.startsWith("invalid JWT"));
    }

    // ---- POST /slmgen/validate-model (custom models) ----

    static io.restassured.response.ValidatableResponse validate(Object modelId) {
        return given().contentType(ContentType.JSON).body(modelId == null ? Map.of() : Map.of("model_id", modelId))
                .post("/slmgen/validate-model").then();
    }

    /** The hub knows {@code id}: its model info, and config.json with the given status and body. */
    static void hubModel(String id, String info, int configStatus, String config) {
        HubStub.hub.stubFor(get(urlEqualTo("/api/models/" + id)).willReturn(okJson(info)));
        HubStub.hub.stubFor(get(urlEqualTo("/" + id + "/resolve/main/config.json")).willReturn(aResponse()
                .withStatus(configStatus).withHeader("Content-Type", "application/json").withBody(config)));
    }

    static int hubRequests(String fragment) {
        return (int) HubStub.hub.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().contains(fragment)).count();
    }

    @Test
    void aCompatibleHubModelIsReportedAsSlmgenDoes() {
        hubModel("acme/tiny-chat", "{\"id\":\"acme/tiny-chat\",\"gated\":false,\"downloads\":1234,\"likes\":56,"
                        + "\"safetensors\":{\"total\":1100048384},\"config\":{\"architectures\":[\"LlamaForCausalLM\"]}}",
                200, "{\"architectures\":[\"LlamaForCausalLM\"],\"max_position_embeddings\":2048,\"n_positions\":512}");
        var body = validate("acme/tiny-chat").statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
        assertEquals(List.of("model_id", "name", "architecture", "context_window", "is_gated", "downloads", "likes",
                "is_compatible", "compatibility_reason", "supported_architectures"), List.copyOf(body.getMap("").keySet()));
        assertEquals("acme/tiny-chat", body.getString("model_id"));
        assertEquals("tiny-chat", body.getString("name"));
        assertEquals("LlamaForCausalLM", body.getString("architecture"));
        assertEquals(2048, body.getInt("context_window"));
        assertEquals(false, body.getBoolean("is_gated"));
        assertEquals(1234, body.getInt("downloads"));
        assertEquals(56, body.getInt("likes"));
        assertEquals(true, body.getBoolean("is_compatible"));
        assertEquals("✅ Architecture 'LlamaForCausalLM' is supported by Unsloth", body.getString("compatibility_reason"));
        assertEquals(SUPPORTED, body.getList("supported_architectures"));
        // the configured token goes to the hub's own origin
        HubStub.hub.verify(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlEqualTo("/api/models/acme/tiny-chat"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + HubStub.TOKEN)));

        // the /api form jobs-service reads adds what a notebook needs
        given().contentType(ContentType.JSON).body("{\"model_id\":\"acme/tiny-chat\"}").post("/api/models/validate").then()
                .statusCode(200).body("architecture", org.hamcrest.Matchers.equalTo("LlamaForCausalLM"))
                .body("parameters", org.hamcrest.Matchers.equalTo(1100048384)).body("size", org.hamcrest.Matchers.equalTo("1.1B"))
                .body("catalog_id", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void anUnsupportedArchitectureIsIncompatibleWithSlmgensReason() {
        hubModel("acme/old-gpt", "{\"id\":\"acme/old-gpt\",\"gated\":false,\"downloads\":7,\"likes\":0}",
                200, "{\"architectures\":[\"GPT2LMHeadModel\"],\"n_positions\":1024}");
        validate("acme/old-gpt").statusCode(200)
                .body("architecture", org.hamcrest.Matchers.equalTo("GPT2LMHeadModel"))
                .body("context_window", org.hamcrest.Matchers.equalTo(1024))
                .body("is_compatible", org.hamcrest.Matchers.equalTo(false))
                .body("compatibility_reason", org.hamcrest.Matchers.equalTo("⚠️ Architecture 'GPT2LMHeadModel' may not be optimized by Unsloth"));
        // no config.json at all: SLMGEN's "Unknown" and its 4096 default
        hubModel("acme/gguf-only", "{\"id\":\"acme/gguf-only\",\"gated\":false,\"downloads\":3,\"likes\":1}",
                404, "{\"error\":\"Entry not found\"}");
        validate("acme/gguf-only").statusCode(200)
                .body("architecture", org.hamcrest.Matchers.equalTo("Unknown"))
                .body("context_window", org.hamcrest.Matchers.equalTo(4096))
                .body("is_compatible", org.hamcrest.Matchers.equalTo(false))
                .body("compatibility_reason", org.hamcrest.Matchers.equalTo("⚠️ Architecture 'Unknown' may not be optimized by Unsloth"));
    }

    @Test
    void gatedModelsAreDecidedFromTheHubsRefusals() {
        // public info says "manual", config.json is refused (the token's account never accepted the licence)
        HubStub.hub.stubFor(get(urlEqualTo("/api/models/acme/gated-llm")).willReturn(okJson(
                "{\"id\":\"acme/gated-llm\",\"gated\":\"manual\",\"downloads\":900,\"likes\":12}")));
        HubStub.hub.stubFor(get(urlEqualTo("/acme/gated-llm/resolve/main/config.json")).willReturn(aResponse().withStatus(401)
                .withHeader("X-Error-Code", "GatedRepo").withBody("Access to model acme/gated-llm is restricted.")));
        validate("acme/gated-llm").statusCode(200)
                .body("name", org.hamcrest.Matchers.equalTo("gated-llm"))
                .body("architecture", org.hamcrest.Matchers.equalTo("Unknown (gated)"))
                .body("context_window", org.hamcrest.Matchers.equalTo(4096))
                .body("is_gated", org.hamcrest.Matchers.equalTo(true))
                .body("is_compatible", org.hamcrest.Matchers.equalTo(true))
                .body("compatibility_reason", org.hamcrest.Matchers.equalTo("⚠️ Gated model - requires HF token for full validation"))
                .body("downloads", org.hamcrest.Matchers.equalTo(900));
        // the hub names the architecture in the public info: compatibility is decided by it
        HubStub.hub.stubFor(get(urlEqualTo("/api/models/acme/gated-gemma")).willReturn(okJson(
                "{\"id\":\"acme/gated-gemma\",\"gated\":\"auto\",\"downloads\":5,\"likes\":2,"
                        + "\"config\":{\"architectures\":[\"Gemma2ForCausalLM\"],\"model_type\":\"gemma2\"}}")));
        HubStub.hub.stubFor(get(urlEqualTo("/acme/gated-gemma/resolve/main/config.json")).willReturn(aResponse().withStatus(403)
                .withHeader("X-Error-Code", "GatedRepo")));
        validate("acme/gated-gemma").statusCode(200)
                .body("architecture", org.hamcrest.Matchers.equalTo("Gemma2ForCausalLM"))
                .body("is_gated", org.hamcrest.Matchers.equalTo(true))
                .body("is_compatible", org.hamcrest.Matchers.equalTo(true))
                .body("context_window", org.hamcrest.Matchers.equalTo(4096));
        // the hub refuses even the info as gated: SLMGEN's gated record
        HubStub.hub.stubFor(get(urlEqualTo("/api/models/acme/locked")).willReturn(aResponse().withStatus(403)
                .withHeader("X-Error-Code", "GatedRepo")));
        validate("acme/locked").statusCode(200)
                .body("architecture", org.hamcrest.Matchers.equalTo("Unknown (gated)"))
                .body("is_gated", org.hamcrest.Matchers.equalTo(true)).body("downloads", org.hamcrest.Matchers.equalTo(0));
        // a gated repo whose licence the token's account accepted: the full answer
        hubModel("acme/accepted", "{\"id\":\"acme/accepted\",\"gated\":\"manual\",\"downloads\":1,\"likes\":1}", 200,
                "{\"architectures\":[\"MistralForCausalLM\"],\"max_position_embeddings\":32768}");
        validate("acme/accepted").statusCode(200).body("architecture", org.hamcrest.Matchers.equalTo("MistralForCausalLM"))
                .body("context_window", org.hamcrest.Matchers.equalTo(32768)).body("is_gated", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void anUnknownModelIs404WithSlmgensText() {
        // the real hub answers an anonymous caller 401 RepoNotFound for a missing (or private) repo
        HubStub.hub.stubFor(get(urlEqualTo("/api/models/acme/missing")).willReturn(aResponse().withStatus(401)
                .withHeader("X-Error-Code", "RepoNotFound").withBody("{\"error\":\"Repository not found\"}")));
        validate("acme/missing").statusCode(404).contentType(ContentType.JSON)
                .body("detail", org.hamcrest.Matchers.equalTo("Model 'acme/missing' not found on Hugging Face Hub"));
        HubStub.hub.stubFor(get(urlEqualTo("/api/models/acme/gone")).willReturn(aResponse().withStatus(404)));
        validate("acme/gone").statusCode(404)
                .body("detail", org.hamcrest.Matchers.equalTo("Model 'acme/gone' not found on Hugging Face Hub"));
        // "not found" is an answer too: cached, the hub is asked once
        validate("acme/gone").statusCode(404);
        assertEquals(1, hubRequests("/api/models/acme/gone"));
        // /api speaks our error shape
        given().contentType(ContentType.JSON).body("{\"model_id\":\"acme/gone\"}").post("/api/models/validate").then()
                .statusCode(404).body("error", org.hamcrest.Matchers.equalTo("not_found"));
    }

    @Test
    void aHubThatIsDownOrSlowIs503AndNotCached() {
        HubStub.hub.stubFor(get(urlEqualTo("/api/models/acme/flaky")).inScenario("flaky")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("up"));
        HubStub.hub.stubFor(get(urlEqualTo("/api/models/acme/flaky")).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(okJson("{\"id\":\"acme/flaky\",\"gated\":false,\"downloads\":1,\"likes\":1}")));
        HubStub.hub.stubFor(get(urlEqualTo("/acme/flaky/resolve/main/config.json"))
                .willReturn(okJson("{\"architectures\":[\"Qwen2ForCausalLM\"],\"max_position_embeddings\":32768}")));
        validate("acme/flaky").statusCode(503).contentType(ContentType.JSON)
                .body("detail", org.hamcrest.Matchers.equalTo("Could not reach the Hugging Face Hub to validate the model. Please try again."));
        // the failure was not cached: the hub is back, the answer is real
        validate("acme/flaky").statusCode(200).body("architecture", org.hamcrest.Matchers.equalTo("Qwen2ForCausalLM"));

        // connection dropped
        HubStub.hub.stubFor(get(urlEqualTo("/api/models/acme/reset")).willReturn(aResponse()
                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        validate("acme/reset").statusCode(503);
        // rate-limited by the hub: try later, not "not found"
        HubStub.hub.stubFor(get(urlEqualTo("/api/models/acme/limited")).willReturn(aResponse().withStatus(429)));
        validate("acme/limited").statusCode(503);
        // config.json failing transiently is not cached as "architecture unknown"
        HubStub.hub.stubFor(get(urlEqualTo("/api/models/acme/half")).willReturn(okJson("{\"id\":\"acme/half\"}")));
        HubStub.hub.stubFor(get(urlEqualTo("/acme/half/resolve/main/config.json")).willReturn(aResponse().withStatus(500)));
        validate("acme/half").statusCode(503);

        // slower than the configured 4 s bound: 503 well before the hub would have answered
        hubModel("acme/slow", "{\"id\":\"acme/slow\"}", 200, "{\"architectures\":[\"LlamaForCausalLM\"]}");
        HubStub.hub.stubFor(get(urlEqualTo("/api/models/acme/slow")).willReturn(okJson("{\"id\":\"acme/slow\"}").withFixedDelay(12000)));
        long start = System.nanoTime();
        validate("acme/slow").statusCode(503).header("Retry-After", org.hamcrest.Matchers.notNullValue());
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        org.junit.jupiter.api.Assertions.assertTrue(tookMs < 10000, "took " + tookMs + " ms");
    }

    @Test
    void aCachedAnswerAsksTheHubOnce() {
        hubModel("acme/cached", "{\"id\":\"acme/cached\",\"gated\":false,\"downloads\":2,\"likes\":3}", 200,
                "{\"architectures\":[\"Phi3ForCausalLM\"],\"max_position_embeddings\":131072}");
        validate("acme/cached").statusCode(200).body("context_window", org.hamcrest.Matchers.equalTo(131072));
        validate("acme/cached").statusCode(200).body("context_window", org.hamcrest.Matchers.equalTo(131072));
        given().contentType(ContentType.JSON).body("{\"model_id\":\"acme/cached\"}").post("/api/models/validate").then().statusCode(200);
        assertEquals(1, hubRequests("/api/models/acme/cached"));
        assertEquals(1, hubRequests("/acme/cached/resolve/main/config.json"));
    }

    @Test
    void redirectsAreFollowedAndTheTokenStaysWithTheHub() {
        // a renamed repo (same origin) and a config.json served from the file CDN (another origin)
        HubStub.hub.stubFor(get(urlEqualTo("/api/models/acme/old-name")).willReturn(aResponse().withStatus(307)
                .withHeader("Location", "/api/models/acme/new-name")));
        HubStub.hub.stubFor(get(urlEqualTo("/api/models/acme/new-name")).willReturn(okJson(
                "{\"id\":\"acme/new-name\",\"gated\":false,\"downloads\":4,\"likes\":4}")));
        HubStub.hub.stubFor(get(urlEqualTo("/acme/old-name/resolve/main/config.json")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", HubStub.cdn.baseUrl() + "/files/config.json?sig=abc")));
        HubStub.cdn.stubFor(get(urlEqualTo("/files/config.json?sig=abc")).willReturn(okJson(
                "{\"architectures\":[\"InternLM2ForCausalLM\"],\"max_position_embeddings\":32768}")));
        validate("acme/old-name").statusCode(200).body("name", org.hamcrest.Matchers.equalTo("new-name"))
                .body("architecture", org.hamcrest.Matchers.equalTo("InternLM2ForCausalLM"));
        HubStub.hub.verify(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlEqualTo("/api/models/acme/new-name"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + HubStub.TOKEN)));
        HubStub.cdn.verify(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlEqualTo("/files/config.json?sig=abc"))
                .withoutHeader("Authorization"));
    }

    @Test
    void catalogModelsAreAnsweredWithoutTheHub() {
        int before = HubStub.hub.getAllServeEvents().size();
        validate("microsoft/Phi-4-mini-instruct").statusCode(200)
                .body("model_id", org.hamcrest.Matchers.equalTo("microsoft/Phi-4-mini-instruct"))
                .body("name", org.hamcrest.Matchers.equalTo("Phi-4-mini-instruct"))
                .body("architecture", org.hamcrest.Matchers.equalTo("Phi3ForCausalLM"))
                .body("context_window", org.hamcrest.Matchers.equalTo(16384))
                .body("is_gated", org.hamcrest.Matchers.equalTo(false))
                .body("is_compatible", org.hamcrest.Matchers.equalTo(true))
                .body("compatibility_reason", org.hamcrest.Matchers.equalTo("✅ Architecture 'Phi3ForCausalLM' is supported by Unsloth"));
        // the hub's ids are case-insensitive; so is the catalog's answer
        validate("google/GEMMA-2-2b-it").statusCode(200).body("model_id", org.hamcrest.Matchers.equalTo("google/GEMMA-2-2b-it"))
                .body("architecture", org.hamcrest.Matchers.equalTo("Gemma2ForCausalLM")).body("is_gated", org.hamcrest.Matchers.equalTo(true));
        given().contentType(ContentType.JSON).body("{\"model_id\":\"Qwen/Qwen2.5-3B-Instruct\"}").post("/api/models/validate").then()
                .statusCode(200).body("catalog_id", org.hamcrest.Matchers.equalTo("qwen25")).body("size", org.hamcrest.Matchers.equalTo("3B"));
        assertEquals(before, HubStub.hub.getAllServeEvents().size());
    }

    @Test
    void hostileOrMalformedIdsAreRefusedWithoutAnyOutboundRequest() {
        int before = HubStub.hub.getAllServeEvents().size() + HubStub.cdn.getAllServeEvents().size();
        for (String id : List.of("", "acme", "acme/", "/acme", "acme/x/y", "../../etc/passwd", "acme/..", "acme/../x",
                "acme/x?expand=1", "acme/x#frag", "acme/x%2F..", "http://evil.example/x", "//evil.example/x", "acme/x y",
                " acme/x", "acme/x\n", "acme/x\u0000", "acme/--x", "acme/a--b", "-acme/x", "acme/x.", "acme/.x",
                "acme/x.git", "acmé/x", "acme/ｘ", "acme\\x", "a/" + "b".repeat(95), "acme/x@latest", "acme/x:main")) {
            validate(id).statusCode(400).contentType(ContentType.JSON)
                    .body("detail", org.hamcrest.Matchers.startsWith("Invalid model_id"));
        }
        validate(null).statusCode(422).body("detail", org.hamcrest.Matchers.containsString("model_id"));
        validate(42).statusCode(422).body("detail", org.hamcrest.Matchers.containsString("valid string"));
        validate(List.of("acme/x")).statusCode(422);
        given().contentType(ContentType.JSON).body("{oops").post("/slmgen/validate-model").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.notNullValue());
        given().contentType(ContentType.JSON).body("[\"acme/x\"]").post("/slmgen/validate-model").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"model_id\":\"../x\"}").post("/api/models/validate").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.equalTo("invalid_model_id"));
        assertEquals(before, HubStub.hub.getAllServeEvents().size() + HubStub.cdn.getAllServeEvents().size());
    }

    static String datasetOf(String sid) {
        return DatasetsStub.server.getStubMappings().stream()
                .filter(m -> ("/api/datasets/session-owner/" + sid).equals(m.getRequest().getUrl()))
                .map(m -> m.getResponse().getBody())
                .map(b -> b.substring(b.indexOf("\"dataset_id\":\"") + 14, b.indexOf("\"dataset_id\":\"") + 50))
                .findFirst().orElseThrow();
    }
}
