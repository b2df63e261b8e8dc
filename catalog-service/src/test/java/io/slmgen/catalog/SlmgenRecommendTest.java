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
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TokenMinter;

/** SLMGEN v1 {@code POST /slmgen/recommend} (SPEC §15): shapes, session rule, the remembered selection. */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "catalog"), @ResourceArg(name = "slices", value = "auth")})
@WithTestResource(DatasetsStub.class)
class SlmgenRecommendTest {

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

    static String datasetOf(String sid) {
        return DatasetsStub.server.getStubMappings().stream()
                .filter(m -> ("/api/datasets/session-owner/" + sid).equals(m.getRequest().getUrl()))
                .map(m -> m.getResponse().getBody())
                .map(b -> b.substring(b.indexOf("\"dataset_id\":\"") + 14, b.indexOf("\"dataset_id\":\"") + 50))
                .findFirst().orElseThrow();
    }
}
