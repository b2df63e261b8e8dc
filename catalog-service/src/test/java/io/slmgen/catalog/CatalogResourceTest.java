package io.slmgen.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.slmgen.shared.testing.ConcurrentClients;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TestUsers;
import io.slmgen.shared.testing.TestUsers.TestUser;
import io.slmgen.shared.testing.TokenMinter;

/** catalog-service over HTTP against a real PostgreSQL (auth slice migrated by its own changelog). */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "catalog"), @ResourceArg(name = "slices", value = "auth")})
class CatalogResourceTest {

    static final String ANON = TokenMinter.anonKey();

    @TestHTTPResource("/")
    URI root;

    // ---- operations ----

    @Test
    void healthLiveAndReadyIncludeDatabaseAndSchema() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("database schema slice"));
    }

    @Test
    void metricsAndOpenApiAreExposed() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/training-configs"));
    }

    // ---- model catalog ----

    @Test
    void anonKeyReadsEveryActiveModelInRegistryOrder() {
        given().header("apikey", ANON).get("/api/models").then().statusCode(200)
                .body("total", equalTo(11))
                .body("items.id", contains("phi4", "llama32", "gemma2", "qwen25", "mistral7b", "smollm2",
                        "llama32_1b", "tinyllama", "stablelm", "deepseek_coder", "phi35"))
                .body("items[0].hf_model_id", equalTo("microsoft/Phi-4-mini-instruct"))
                .body("items[0].context_window", equalTo(16384))
                .body("items[0].strengths", contains("Classification", "Extraction", "Reasoning"))
                .body("items[1].is_gated", equalTo(true))
                .body("items[2].training_time_per_1k_examples_min", equalTo(240));
    }

    @Test
    void modelsFilterByTaskAndDeploymentTarget() {
        given().header("apikey", ANON).queryParam("task", "qa").queryParam("deploy", "edge")
                .get("/api/models").then().statusCode(200)
                .body("items.id", contains("gemma2", "smollm2", "llama32_1b", "tinyllama", "deepseek_coder"))
                .body("total", equalTo(5));
    }

    @Test
    void inactiveModelsAreHiddenByThePolicy() throws Exception {
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            s.execute("update public.model_catalog set is_active = false where id = 'stablelm'");
        }
        try {
            given().header("apikey", ANON).get("/api/models").then().statusCode(200)
                    .body("total", equalTo(10)).body("items.id", not(hasItem("stablelm")));
            given().header("apikey", ANON).get("/api/models/stablelm").then().statusCode(404);
        } finally {
            try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
                s.execute("update public.model_catalog set is_active = true where id = 'stablelm'");
            }
        }
    }

    @Test
    void unknownTaskIs422NamingTheField() {
        given().header("apikey", ANON).queryParam("task", "dance").get("/api/models").then().statusCode(422)
                .contentType(ContentType.JSON)
                .body("field", equalTo("task")).body("message", containsString("classify"));
    }

    @Test
    void oneModelById() {
        given().get("/api/models/qwen25").then().statusCode(200)
                .body("name", equalTo("Qwen 2.5 3B")).body("good_for_tasks", contains("extraction", "generation", "qa"));
        given().get("/api/models/nope").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", equalTo("not_found"));
    }

    // ---- identity ----

    @Test
    void aBadTokenIs401NotAnon() {
        given().header("Authorization", "Bearer not.a.jwt").get("/api/models").then().statusCode(401)
                .contentType(ContentType.JSON).body("error", equalTo("bad_jwt"));
        String forged = TokenMinter.hs256(TokenMinter.userClaims(UUID.randomUUID(), "x@example.test"),
                "another-secret-that-is-long-enough-for-hs256!!");
        given().header("Authorization", "Bearer " + forged).get("/api/models").then().statusCode(401);
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/models").then().statusCode(401);
    }

    @Test
    void aModelIsItsRowColumnsInOrderWithRowTimestamps() throws Exception {
        String body = given().header("apikey", ANON).get("/api/models/qwen25").then().statusCode(200)
                .extract().asString();
        java.util.Map<?, ?> row = new com.fasterxml.jackson.databind.ObjectMapper().readValue(body, java.util.LinkedHashMap.class);
        assertEquals(List.of("id", "name", "size", "context_window", "is_gated", "strengths", "good_for_tasks",
                "good_for_deploy", "min_examples", "vram_required_gb", "training_time_per_1k_examples_min",
                "hf_model_id", "unsloth_model_id", "chat_template", "load_in_4bit", "architecture", "registry_order",
                "is_active", "created_at", "updated_at"), List.copyOf(row.keySet()));
        org.junit.jupiter.api.Assertions.assertTrue(((String) row.get("created_at"))
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00"), body);
        org.junit.jupiter.api.Assertions.assertTrue(body.matches(".*\"vram_required_gb\":\\d+\\.\\d+,.*"), body);
    }

    // ---- training configs ----

    @Test
    void trainingConfigsNeedASignedInUser() {
        given().get("/api/training-configs").then().statusCode(401).body("error", equalTo("no_authorization"));
        given().header("apikey", ANON).get("/api/training-configs").then().statusCode(401);
    }

    @Test
    void aUserSeesTheThreeSystemPresetsWithTheirValues() {
        TestUser a = TestUsers.create("presets");
        given().header("Authorization", a.bearer()).get("/api/training-configs").then().statusCode(200)
                .body("total", equalTo(3))
                .body("items.name", contains("Fast", "Balanced", "Quality"))
                .body("items.lora_rank", contains(8, 16, 32))
                .body("items.learning_rate", contains(5e-4f, 2e-4f, 1e-4f))
                .body("items.num_epochs", contains(1, 3, 5))
                .body("items.lora_alpha", everyItem(equalTo(32)))
                .body("items.is_system", everyItem(equalTo(true)));
    }

    @Test
    void createUsesTheSeedDefaultsForOmittedValues() {
        TestUser a = TestUsers.create("create");
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON)
                .body("{\"name\":\"Mine\",\"lora_rank\":64,\"learning_rate\":0.0003}")
                .post("/api/training-configs").then().statusCode(201)
                .body("id", notNullValue()).body("user_id", equalTo(a.id().toString()))
                .body("name", equalTo("Mine")).body("lora_rank", equalTo(64)).body("learning_rate", equalTo(3e-4f))
                .body("lora_alpha", equalTo(32)).body("num_epochs", equalTo(3)).body("batch_size", equalTo(4))
                .body("gradient_accumulation_steps", equalTo(4)).body("max_seq_length", equalTo(2048))
                .body("optimizer", equalTo("adamw_8bit")).body("scheduler", equalTo("linear"))
                .body("is_system", equalTo(false)).body("is_default", equalTo(false));
    }

    @Test
    void invalidValuesAre422NamingTheField() {
        TestUser a = TestUsers.create("invalid");
        String[][] cases = {
                {"{\"name\":\"x\",\"lora_rank\":12}", "lora_rank"},
                {"{\"name\":\"x\",\"learning_rate\":0}", "learning_rate"},
                {"{\"name\":\"x\",\"learning_rate\":1}", "learning_rate"},
                {"{\"name\":\"x\",\"num_epochs\":51}", "num_epochs"},
                {"{\"name\":\"x\",\"num_epochs\":0}", "num_epochs"},
                {"{\"name\":\"x\",\"lora_dropout\":0.6}", "lora_dropout"},
                {"{\"name\":\"x\",\"optimizer\":\"magic\"}", "optimizer"},
                {"{\"name\":\"x\",\"scheduler\":\"; drop table jobs\"}", "scheduler"},
                {"{\"name\":\"\"}", "name"},
                {"{\"lora_rank\":8}", "name"},
        };
        for (String[] c : cases) {
            given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body(c[0])
                    .post("/api/training-configs").then().statusCode(422).body("field", equalTo(c[1]));
        }
        given().header("Authorization", a.bearer()).get("/api/training-configs").then().body("total", equalTo(3));
    }

    @Test
    void aMissingNameIs422NamingItAfterTheCallerIsKnown() {
        TestUser a = TestUsers.create("noname");
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body("{\"lora_rank\":12}")
                .post("/api/training-configs").then().statusCode(422).contentType(ContentType.JSON)
                .body("error", equalTo("validation_failed")).body("field", equalTo("name"))
                .body("message", equalTo("name must not be empty"));
        // an anonymous caller learns nothing about the body: 401 first, as before the request records
        given().header("apikey", ANON).contentType(ContentType.JSON).body("{}")
                .post("/api/training-configs").then().statusCode(401);
    }

    @Test
    void aTrainingConfigIsItsRowColumnsInOrderWithNullsAndRowTimestamps() throws Exception {
        TestUser a = TestUsers.create("shape");
        String created = given().header("Authorization", a.bearer()).contentType(ContentType.JSON)
                .body("{\"name\":\"shape\"}").post("/api/training-configs").then().statusCode(201)
                .extract().asString();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.Map<?, ?> row = json.readValue(created, java.util.LinkedHashMap.class);
        assertEquals(List.of("id", "user_id", "name", "is_default", "is_system", "lora_rank", "lora_alpha",
                "lora_dropout", "learning_rate", "num_epochs", "batch_size", "gradient_accumulation_steps",
                "warmup_ratio", "max_seq_length", "optimizer", "scheduler", "created_at", "updated_at"),
                List.copyOf(row.keySet()));
        String timestamp = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00";
        org.junit.jupiter.api.Assertions.assertTrue(((String) row.get("created_at")).matches(timestamp), created);
        org.junit.jupiter.api.Assertions.assertTrue(((String) row.get("updated_at")).matches(timestamp), created);
        org.junit.jupiter.api.Assertions.assertTrue(created.contains("\"learning_rate\":2.0E-4,"), created);
        String preset = given().header("Authorization", a.bearer()).get("/api/training-configs/resolve").then()
                .statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(preset.contains("\"user_id\":null,\"name\":\"Balanced\""), preset);
    }

    @Test
    void malformedBodiesAre400JsonNever500() {
        TestUser a = TestUsers.create("malformed");
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body("{\"name\":")
                .post("/api/training-configs").then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("bad_json"));
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body("{\"name\":\"x\",\"lora_rank\":\"big\"}")
                .post("/api/training-configs").then().statusCode(400).contentType(ContentType.JSON)
                .body("field", equalTo("lora_rank"));
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body("[1,2]")
                .post("/api/training-configs").then().statusCode(400).contentType(ContentType.JSON);
        given().header("Authorization", a.bearer()).get("/api/training-configs/not-a-uuid").then().statusCode(400)
                .body("error", equalTo("invalid_id"));
        given().header("Authorization", a.bearer()).contentType(ContentType.TEXT).body("hello")
                .post("/api/training-configs").then().statusCode(415).contentType(ContentType.JSON);
        given().header("Authorization", a.bearer()).queryParam("limit", "lots").get("/api/training-configs").then()
                .statusCode(400).contentType(ContentType.JSON);
    }

    @Test
    void systemPresetsAreImmutable() {
        TestUser a = TestUsers.create("immutable");
        String balanced = given().header("Authorization", a.bearer()).get("/api/training-configs")
                .then().extract().path("items[1].id");
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body("{\"lora_rank\":4}")
                .put("/api/training-configs/" + balanced).then().statusCode(403)
                .body("error", equalTo("system_preset_immutable"));
        given().header("Authorization", a.bearer()).delete("/api/training-configs/" + balanced).then().statusCode(403);
        given().header("Authorization", a.bearer()).get("/api/training-configs/" + balanced).then().statusCode(200)
                .body("lora_rank", equalTo(16)).body("name", equalTo("Balanced"));
    }

    /**
     * Clients creating and deleting at the same time: every delete commits at once. Panache's deleteById
     * (load, remove, DELETE in the commit's flush) sometimes lost its answer to another event loop under
     * concurrency: a fast 503 (HR000069) or a transaction left open until the 12 s session deadline
     * (shared-rls README, "Deleting rows"). Four clients met it a few times per thousand deletes.
     */
    @Test
    void concurrentDeletesEachCommitAtOnce() throws Exception {
        TestUser a = TestUsers.create("concurrent-deletes");
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        List<String> problems = ConcurrentClients.run(4, 5, client -> {
            for (int i = 0; i < 250; i++) {
                HttpResponse<String> created = http.send(HttpRequest.newBuilder(root.resolve("/api/training-configs"))
                        .header("Authorization", a.bearer()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"d-" + UUID.randomUUID() + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                String id = json.readTree(created.body()).path("id").asText();
                long t0 = System.nanoTime();
                HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(root.resolve("/api/training-configs/" + id))
                        .header("Authorization", a.bearer()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (created.statusCode() != 201 || deleted.statusCode() != 204 || ms > 5_000) {
                    return List.of("create " + created.statusCode() + ", delete " + deleted.statusCode() + " after " + ms
                            + " ms: " + deleted.body());
                }
            }
            return List.of();
        });
        assertEquals(List.of(), problems);
        given().header("Authorization", a.bearer()).get("/api/training-configs").then().statusCode(200)
                .body("total", equalTo(3)); // the presets only: every config made here is gone
    }

    @Test
    void usersCannotSeeOrChangeEachOthersConfigs() {
        TestUser a = TestUsers.create("owner");
        TestUser b = TestUsers.create("intruder");
        String id = given().header("Authorization", a.bearer()).contentType(ContentType.JSON)
                .body("{\"name\":\"A's\"}").post("/api/training-configs").then().statusCode(201).extract().path("id");

        given().header("Authorization", b.bearer()).get("/api/training-configs/" + id).then().statusCode(404);
        given().header("Authorization", b.bearer()).get("/api/training-configs").then().body("items.id", not(hasItem(id)));
        given().header("Authorization", b.bearer()).contentType(ContentType.JSON).body("{\"name\":\"mine now\"}")
                .put("/api/training-configs/" + id).then().statusCode(404);
        given().header("Authorization", b.bearer()).delete("/api/training-configs/" + id).then().statusCode(404);

        given().header("Authorization", a.bearer()).get("/api/training-configs/" + id).then().statusCode(200)
                .body("name", equalTo("A's"));
    }

    @Test
    void rowLevelSecurityItselfHidesAndProtectsAnotherUsersRow() throws Exception {
        TestUser a = TestUsers.create("rls-a");
        TestUser b = TestUsers.create("rls-b");
        String id = given().header("Authorization", a.bearer()).contentType(ContentType.JSON)
                .body("{\"name\":\"secret\"}").post("/api/training-configs").then().statusCode(201).extract().path("id");
        // as the services' login role, switched to user B exactly as CallerTransactions does
        try (Connection c = TestDatabase.app()) {
            c.setAutoCommit(false);
            try (PreparedStatement become = c.prepareStatement(
                    "select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ?, true)")) {
                become.setString(1, "{\"sub\":\"" + b.id() + "\",\"role\":\"authenticated\"}");
                become.execute();
            }
            try (PreparedStatement q = c.prepareStatement("select count(*) from public.training_configs where id = ?::uuid")) {
                q.setString(1, id);
                ResultSet rs = q.executeQuery();
                rs.next();
                assertEquals(0, rs.getInt(1), "user B must not see A's row");
            }
            try (PreparedStatement u = c.prepareStatement("update public.training_configs set name = 'pwned' where id = ?::uuid")) {
                u.setString(1, id);
                assertEquals(0, u.executeUpdate(), "user B must not update A's row");
            }
            try (PreparedStatement d = c.prepareStatement("delete from public.training_configs where id = ?::uuid")) {
                d.setString(1, id);
                assertEquals(0, d.executeUpdate(), "user B must not delete A's row");
            }
            try (PreparedStatement i = c.prepareStatement(
                    "insert into public.training_configs (user_id, name) values (?::uuid, 'forged')")) {
                i.setString(1, a.id().toString());
                org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class, i::executeUpdate,
                        "user B must not insert rows owned by A");
            }
            c.rollback();
        }
        given().header("Authorization", a.bearer()).get("/api/training-configs/" + id).then().body("name", equalTo("secret"));
    }

    @Test
    void atMostOneDefaultPerUser() {
        TestUser a = TestUsers.create("defaults");
        String first = given().header("Authorization", a.bearer()).contentType(ContentType.JSON)
                .body("{\"name\":\"one\",\"is_default\":true}").post("/api/training-configs").then().statusCode(201)
                .extract().path("id");
        String second = given().header("Authorization", a.bearer()).contentType(ContentType.JSON)
                .body("{\"name\":\"two\",\"is_default\":true}").post("/api/training-configs").then().statusCode(201)
                .extract().path("id");
        given().header("Authorization", a.bearer()).get("/api/training-configs/" + first).then().body("is_default", equalTo(false));
        given().header("Authorization", a.bearer()).get("/api/training-configs/resolve").then().statusCode(200)
                .body("id", equalTo(second));
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body("{\"is_default\":true}")
                .patch("/api/training-configs/" + first).then().statusCode(200).body("is_default", equalTo(true));
        List<String> defaults = given().header("Authorization", a.bearer()).get("/api/training-configs")
                .then().extract().path("items.findAll { it.is_default }.id");
        assertEquals(List.of(first), defaults);
    }

    @Test
    void resolveFallsBackToBalancedAndUpdateKeepsOmittedValues() {
        TestUser a = TestUsers.create("resolve");
        given().header("Authorization", a.bearer()).get("/api/training-configs/resolve").then().statusCode(200)
                .body("name", equalTo("Balanced")).body("is_system", equalTo(true));
        String id = given().header("Authorization", a.bearer()).contentType(ContentType.JSON)
                .body("{\"name\":\"tune\",\"num_epochs\":7,\"batch_size\":8}").post("/api/training-configs")
                .then().extract().path("id");
        given().header("Authorization", a.bearer()).contentType(ContentType.JSON).body("{\"batch_size\":2}")
                .put("/api/training-configs/" + id).then().statusCode(200)
                .body("batch_size", equalTo(2)).body("num_epochs", equalTo(7)).body("name", equalTo("tune"));
        given().header("Authorization", a.bearer()).delete("/api/training-configs/" + id).then().statusCode(204);
        given().header("Authorization", a.bearer()).get("/api/training-configs/" + id).then().statusCode(404);
    }

    // ---- PostgREST at /rest/v1 for this service's tables ----

    @Test
    void restV1ServesTheCatalogToAnonAndConfigsUnderRls() {
        given().header("apikey", ANON).queryParam("select", "id,size").queryParam("order", "registry_order.asc")
                .queryParam("limit", "2").get("/rest/v1/model_catalog").then().statusCode(200)
                .body("id", contains("phi4", "llama32")).body("size", contains("3.8B", "3B"));
        TestUser a = TestUsers.create("rest-a");
        TestUser b = TestUsers.create("rest-b");
        given().header("apikey", ANON).header("Authorization", a.bearer()).header("Prefer", "return=representation")
                .contentType(ContentType.JSON).body("{\"user_id\":\"" + a.id() + "\",\"name\":\"via rest\"}")
                .post("/rest/v1/training_configs").then().statusCode(201).body("[0].name", equalTo("via rest"));
        given().header("apikey", ANON).header("Authorization", b.bearer()).header("Prefer", "count=exact")
                .get("/rest/v1/training_configs").then().statusCode(200)
                .header("Content-Range", equalTo("0-2/3")).body("name", not(hasItem("via rest")));
        given().header("apikey", ANON).header("Authorization", b.bearer()).contentType(ContentType.JSON)
                .body("{\"user_id\":\"" + a.id() + "\",\"name\":\"forged\"}")
                .post("/rest/v1/training_configs").then().statusCode(403).body("code", equalTo("42501"));
        given().header("apikey", ANON).get("/rest/v1/jobs").then().statusCode(404).body("code", equalTo("PGRST205"));
    }
}
