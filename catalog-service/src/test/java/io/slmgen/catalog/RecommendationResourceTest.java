package io.slmgen.catalog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TokenMinter;

/** POST /api/recommendations over HTTP: real catalog in PostgreSQL, datasets-service faked over HTTP. */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "catalog"), @ResourceArg(name = "slices", value = "auth")})
@WithTestResource(DatasetsStub.class)
class RecommendationResourceTest {

    static String stubDataset(int examples, int avgTokens, boolean multilingual, boolean json, boolean multiTurn) {
        String id = UUID.randomUUID().toString();
        DatasetsStub.server.stubFor(get(urlEqualTo("/api/datasets/" + id)).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"" + id + "\",\"total_examples\":" + examples + ",\"avg_tokens_per_example\":"
                        + avgTokens + ",\"is_multilingual\":" + multilingual + ",\"looks_like_json\":" + json
                        + ",\"is_multi_turn\":" + multiTurn + "}")));
        return id;
    }

    @Test
    void recommendsFromTheDatasetsStatsWithTheCallersToken() {
        String token = TokenMinter.user(UUID.randomUUID());
        String id = stubDataset(150, 100, false, false, false);
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + id + "\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\"}")
                .post("/api/recommendations").then().statusCode(200)
                .body("dataset_id", org.hamcrest.Matchers.equalTo(id))
                .body("primary.model_id", org.hamcrest.Matchers.equalTo("llama32"))
                .body("primary.model_name", org.hamcrest.Matchers.equalTo("Llama 3.2 3B"))
                .body("primary.hf_model_id", org.hamcrest.Matchers.equalTo("meta-llama/Llama-3.2-3B-Instruct"))
                .body("primary.score", org.hamcrest.Matchers.equalTo(90.0f))
                .body("primary.reasons", contains("✅ Excellent for qa tasks", "✅ Great for cloud deployment",
                        "💪 Q&A", "💪 Conversations"))
                .body("primary.estimated_training_minutes", org.hamcrest.Matchers.equalTo(54))
                .body("alternatives", hasSize(3))
                .body("alternatives.model_id", contains("phi35", "phi4", "gemma2"))
                .body("alternatives.score", contains(90.0f, 70.0f, 70.0f));
        DatasetsStub.server.verify(getRequestedFor(urlEqualTo("/api/datasets/" + id))
                .withHeader("Authorization", equalTo("Bearer " + token)));
    }

    @Test
    void theAnswerKeepsItsKeyOrderAndNumberForms() throws Exception {
        String token = TokenMinter.user(UUID.randomUUID());
        String id = stubDataset(150, 100, false, false, false);
        String body = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + id + "\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\"}")
                .post("/api/recommendations").then().statusCode(200).extract().asString();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.Map<?, ?> answer = json.readValue(body, java.util.LinkedHashMap.class);
        org.junit.jupiter.api.Assertions.assertEquals(
                java.util.List.of("dataset_id", "task_type", "deployment_target", "primary", "alternatives"),
                java.util.List.copyOf(answer.keySet()));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("model_id", "model_name", "hf_model_id",
                "unsloth_model_id", "chat_template", "load_in_4bit", "architecture", "size", "context_window",
                "vram_required_gb", "is_gated", "score", "reasons", "estimated_training_minutes"),
                java.util.List.copyOf(((java.util.Map<?, ?>) answer.get("primary")).keySet()));
        org.junit.jupiter.api.Assertions.assertTrue(body.contains("\"score\":90.0,"), body);
    }

    @Test
    void sameInputsSameAnswer() {
        String token = TokenMinter.user(UUID.randomUUID());
        String id = stubDataset(60, 2500, true, true, true);
        String body = "{\"dataset_id\":\"" + id + "\",\"task_type\":\"conversation\",\"deployment_target\":\"mobile\"}";
        String first = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(body)
                .post("/api/recommendations").then().statusCode(200)
                .body("primary.model_id", org.hamcrest.Matchers.equalTo("gemma2"))
                .body("primary.score", org.hamcrest.Matchers.equalTo(100.0f))
                .body("alternatives.model_id", contains("qwen25", "stablelm", "llama32_1b"))
                .extract().asString();
        String second = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(body)
                .post("/api/recommendations").then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertEquals(first, second);
    }

    @Test
    void unknownTaskOrTargetIs422ListingTheValidValues() {
        String token = TokenMinter.user(UUID.randomUUID());
        String id = stubDataset(150, 100, false, false, false);
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + id + "\",\"task_type\":\"poetry\",\"deployment_target\":\"cloud\"}")
                .post("/api/recommendations").then().statusCode(422)
                .body("field", org.hamcrest.Matchers.equalTo("task_type"))
                .body("message", containsString("classify, conversation, extraction, generation, qa"));
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + id + "\",\"task_type\":\"qa\",\"deployment_target\":\"moon\"}")
                .post("/api/recommendations").then().statusCode(422)
                .body("field", org.hamcrest.Matchers.equalTo("deployment_target"))
                .body("message", containsString("browser, cloud, desktop, edge, mobile, server"));
    }

    @Test
    void aDatasetTheCallerCannotSeeIsNotFound() {
        String token = TokenMinter.user(UUID.randomUUID());
        String id = UUID.randomUUID().toString();
        DatasetsStub.server.stubFor(get(urlEqualTo("/api/datasets/" + id)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"not_found\"}")));
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + id + "\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\"}")
                .post("/api/recommendations").then().statusCode(404).body("field", org.hamcrest.Matchers.equalTo("dataset_id"));
    }

    @Test
    void recommendationsNeedAUserAndAWellFormedRequest() {
        given().header("apikey", TokenMinter.anonKey()).contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + UUID.randomUUID() + "\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\"}")
                .post("/api/recommendations").then().statusCode(401);
        String token = TokenMinter.user(UUID.randomUUID());
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"x'; drop table model_catalog;--\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\"}")
                .post("/api/recommendations").then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("dataset_id"));
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body("{}")
                .post("/api/recommendations").then().statusCode(422);
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body("not json")
                .post("/api/recommendations").then().statusCode(400);
    }

    @Test
    void aMissingDatasetIdIs422NamingItInTheApiShape() {
        String token = TokenMinter.user(UUID.randomUUID());
        // checked before the caller, as it always was: an anonymous caller gets the same answer
        for (String[] header : new String[][] {{"Authorization", "Bearer " + token}, {"apikey", TokenMinter.anonKey()}}) {
            given().header(header[0], header[1]).contentType(ContentType.JSON)
                    .body("{\"task_type\":\"qa\",\"deployment_target\":\"cloud\"}")
                    .post("/api/recommendations").then().statusCode(422).contentType(ContentType.JSON)
                    .body("error", org.hamcrest.Matchers.equalTo("validation_failed"))
                    .body("field", org.hamcrest.Matchers.equalTo("dataset_id"))
                    .body("message", org.hamcrest.Matchers.equalTo("dataset_id is required"));
        }
    }
}
