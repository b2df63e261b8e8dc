package io.slmgen.datasets;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.ResourceArg;
import io.slmgen.datasets.service.DatasetCreations;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TestUsers;
import io.slmgen.shared.testing.TestUsers.TestUser;
import io.slmgen.shared.testing.TokenMinter;

/**
 * datasets-service over HTTP against a real PostgreSQL (auth and jobs slices migrated by their own
 * changelogs) and a stub storage-service over HTTP that records what it receives.
 */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "datasets"), @ResourceArg(name = "slices", value = "auth,jobs")})
@WithTestResource(StubStorage.class)
class DatasetResourceTest {

    static final String NDJSON = "application/x-ndjson";
    static final String WARN = "\u26A0\uFE0F";
    static final String ANON = TokenMinter.anonKey();

    @TestHTTPResource("/")
    URI base;


    @BeforeAll
    static void doubles() {
        RestAssured.config = RestAssured.config().jsonConfig(JsonConfig.jsonConfig()
                .numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = DatasetResourceTest.class.getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        }
    }

    static Response uploadRaw(TestUser u, String filename, byte[] body) {
        return given().header("Authorization", u.bearer()).header("apikey", ANON)
                .contentType(NDJSON).queryParam("filename", filename).body(body)
                .post("/api/datasets");
    }

    static Object dbValue(String sql, Object param) throws Exception {
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }

    @Test
    void readinessNamesTheDatabaseSliceAndStorage() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItems("database schema slice", "storage-service"));
        given().get("/q/health/live").then().statusCode(200);
    }

    // ---------- upload ----------

    @Test
    void rawUploadIsStoredOnceAndAnalysedWithSlmgensNumbers() throws Exception {
        TestUser u = TestUsers.create("raw");
        byte[] bytes = fixture("quality-mix.jsonl");
        Response r = uploadRaw(u, "Mix.JSONL", bytes);
        r.then().statusCode(201)
                .body("user_id", equalTo(u.id().toString()))
                .body("filename", equalTo("Mix.JSONL"))
                .body("file_size", equalTo(bytes.length))
                .body("total_examples", equalTo(160))
                .body("total_tokens", equalTo(1670))
                .body("avg_tokens_per_example", equalTo(10))
                .body("quality_score", equalTo(0.5499999999999999))
                .body("single_turn_pct", equalTo(100.0))
                .body("multi_turn_pct", equalTo(0.0))
                .body("has_system_prompts", equalTo(true))
                .body("quality_issues", contains(WARN + " Dataset has some issues that may affect quality",
                        "A few duplicates: 6.2%", "Dataset is decent, but 500+ examples would be better",
                        "\u274C Found 3 empty assistant responses | " + WARN + " Many very short responses (17)",
                        WARN + " Inconsistent system prompt usage - some have it, some don't"))
                .body("is_multilingual", equalTo(false))
                .body("looks_like_json", equalTo(false))
                .body("is_multi_turn", equalTo(false))
                .body("avg_response_length", equalTo(30))
                .body("dominant_language", equalTo("en"))
                .body("invalid_lines", equalTo(0))
                .body("invalid_samples", hasSize(0))
                .body("session_id", notNullValue())
                .body("tokenizer_tokens", nullValue());
        String jobId = r.path("job_id");
        assertEquals(jobId, r.path("allocated_job_id"));
        String path = u.id() + "/" + jobId + "/Mix.JSONL";
        assertEquals(path, r.path("storage_path"));
        // storage got exactly these bytes, once, with the caller's credentials
        assertArrayEquals(bytes, StubStorage.OBJECTS.get(path).bytes());
        List<StubStorage.Call> posts = StubStorage.calls("POST", path);
        assertEquals(1, posts.size());
        assertEquals(u.bearer(), posts.get(0).authorization());
        assertEquals(ANON, posts.get(0).apikey());
        assertEquals(NDJSON, posts.get(0).contentType());
        // the seed's job_id column stays NULL until the job exists
        String id = r.path("id");
        assertNull(dbValue("select job_id from public.datasets where id = ?", UUID.fromString(id)));
        assertEquals(UUID.fromString(jobId), dbValue("select allocated_job_id from public.datasets where id = ?", UUID.fromString(id)));
    }

    @Test
    void multipartUploadWithInvalidLinesReportsThem() throws Exception {
        TestUser u = TestUsers.create("multi");
        String bad = "not json\n{\"messages\": []}\n";
        byte[] bytes = (bad + new String(fixture("json-multiturn.jsonl"), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        given().header("Authorization", u.bearer())
                .multiPart("file", "extract.jsonl", bytes, NDJSON)
                .post("/api/datasets").then().statusCode(201)
                .body("total_examples", equalTo(60))
                .body("single_turn_pct", equalTo(33.0))
                .body("looks_like_json", equalTo(true))
                .body("is_multi_turn", equalTo(true))
                .body("invalid_lines", equalTo(2))
                .body("invalid_samples.line", contains(1, 2))
                .body("invalid_samples[1].reason", equalTo("need at least 2 messages (got 0)"))
                .body("filename", equalTo("extract.jsonl"));
    }

    @Test
    void multilingualDatasetKeepsItsDominantLanguage() throws Exception {
        TestUser u = TestUsers.create("es");
        uploadRaw(u, "es.jsonl", fixture("spanish.jsonl")).then().statusCode(201)
                .body("is_multilingual", equalTo(true))
                .body("dominant_language", equalTo("es"))
                .body("avg_response_length", equalTo(59));
    }

    @Test
    void tooFewExamplesIs422AndLeavesNoRowAndNoObject() throws Exception {
        TestUser u = TestUsers.create("few");
        given().header("Authorization", u.bearer()).contentType(NDJSON).queryParam("filename", "few.jsonl")
                .body(fixture("forty-nine.jsonl")).post("/api/datasets").then().statusCode(422)
                .body("error", equalTo("not_enough_examples"))
                .body("message", equalTo("Need at least 50 examples for fine-tuning. You only have 49. Maybe try adding more data?"))
                .body("status", equalTo(422))
                .body("invalid_lines", equalTo(3));
        assertEquals(0L, dbValue("select count(*) from public.datasets where user_id = ?", u.id()));
        String prefix = u.id() + "/";
        assertTrue(StubStorage.OBJECTS.keySet().stream().noneMatch(k -> k.startsWith(prefix)), "no object stored");
        List<StubStorage.Call> posts = StubStorage.CALLS.stream().filter(c -> c.method().equals("POST") && c.path().startsWith(prefix)).toList();
        awaitTrue(() -> StubStorage.CALLS.stream().anyMatch(c -> c.method().equals("DELETE") && c.path().startsWith(prefix)));
        assertTrue(posts.stream().noneMatch(StubStorage.Call::completed), "the upload was never completed");
    }

    @Test
    void notJsonlNameIs422WithSlmgensMessage() {
        TestUser u = TestUsers.create("name");
        uploadRaw(u, "data.json", "{}".getBytes()).then().statusCode(422)
                .body("message", equalTo("Please upload a .jsonl file")).body("field", equalTo("filename"));
        uploadRaw(u, "../evil.jsonl", "{}".getBytes()).then().statusCode(422).body("field", equalTo("filename"));
        uploadRaw(u, "a\u0001.jsonl", "{}".getBytes()).then().statusCode(422).body("field", equalTo("filename"));
        given().header("Authorization", u.bearer()).multiPart("file", "notes.txt", "x".getBytes(), "text/plain")
                .post("/api/datasets").then().statusCode(422).body("message", equalTo("Please upload a .jsonl file"));
        assertTrue(StubStorage.OBJECTS.keySet().stream().noneMatch(k -> k.startsWith(u.id() + "/")));
    }

    @Test
    void otherContentTypesAre415AndAnonIs401() throws Exception {
        TestUser u = TestUsers.create("ct");
        given().header("Authorization", u.bearer()).contentType("text/plain").queryParam("filename", "a.jsonl")
                .body("hello").post("/api/datasets").then().statusCode(415).body("error", equalTo("unsupported_media_type"));
        given().header("apikey", ANON).contentType(NDJSON).queryParam("filename", "a.jsonl")
                .body(fixture("great.jsonl")).post("/api/datasets").then().statusCode(401);
        given().header("Authorization", "Bearer not-a-jwt").contentType(NDJSON).queryParam("filename", "a.jsonl")
                .body("x".getBytes()).post("/api/datasets").then().statusCode(401);
    }

    @Test
    void storageRefusalIsPassedOnAndNothingIsRecorded() throws Exception {
        TestUser u = TestUsers.create("refused");
        StubStorage.FAIL_NEXT_UPLOAD.set(403);
        uploadRaw(u, "x.jsonl", fixture("great.jsonl")).then().statusCode(403);
        assertEquals(0L, dbValue("select count(*) from public.datasets where user_id = ?", u.id()));
        StubStorage.FAIL_NEXT_UPLOAD.set(500);
        uploadRaw(u, "x.jsonl", fixture("great.jsonl")).then().statusCode(502).body("error", equalTo("storage_error"));
        assertEquals(0L, dbValue("select count(*) from public.datasets where user_id = ?", u.id()));
    }

    /** A client that goes away mid-body: the storage upload is reset (never committed) and no row is written. */
    @Test
    void aClientAbortMidBodyLeavesNoRowAndNoObject() throws Exception {
        TestUser u = TestUsers.create("aborts");
        byte[] part = fixture("great.jsonl");
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /api/datasets?filename=gone.jsonl HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                    + "Authorization: " + u.bearer() + "\r\nContent-Type: " + NDJSON + "\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 3; i++) {
                out.write((Integer.toHexString(part.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(part);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            Thread.sleep(800); // the service has opened the storage upload and forwarded what it got
        }
        String prefix = u.id() + "/";
        awaitTrue(() -> StubStorage.CALLS.stream().anyMatch(c -> c.path() != null && c.path().startsWith(prefix) && !c.completed()));
        Thread.sleep(300);
        assertTrue(StubStorage.OBJECTS.keySet().stream().noneMatch(k -> k.startsWith(prefix)), "no object is left behind");
        assertEquals(0L, dbValue("select count(*) from public.datasets where user_id = ?", u.id()));
        // and the service still works for the next upload
        uploadRaw(u, "after.jsonl", fixture("great.jsonl")).then().statusCode(201);
    }

    /**
     * Routes guarded by @RolesAllowed answer exactly as the Java checks they replaced (SPEC §3): an anon
     * caller on a user route is 401 no_authorization, a user on the service_role route is 403 not_admin, a
     * token that does not verify is 401 bad_jwt - each in the /api shape.
     */
    @Test
    void rolesAllowedRefusalsAnswerAsTheJavaChecks() {
        TestUser u = TestUsers.create("roles");
        given().header("apikey", ANON).get("/api/datasets/by-session/" + UUID.randomUUID()).then().statusCode(401)
                .body("error", equalTo("no_authorization"))
                .body("message", equalTo("a signed-in user's token is required"))
                .body("status", equalTo(401));
        given().get("/api/datasets/by-session/" + UUID.randomUUID()).then().statusCode(401)
                .body("error", equalTo("no_authorization"));
        given().header("apikey", ANON).contentType("application/x-ndjson").body("{}\n".getBytes(StandardCharsets.UTF_8))
                .post("/api/datasets?filename=a.jsonl").then().statusCode(401)
                .body("error", equalTo("no_authorization"));
        given().header("Authorization", u.bearer()).get("/api/datasets/session-owner/" + UUID.randomUUID()).then()
                .statusCode(403)
                .body("error", equalTo("not_admin"))
                .body("message", equalTo("the service_role key is required"))
                .body("status", equalTo(403));
        given().header("Authorization", "Bearer not-a-jwt").get("/api/datasets/by-session/" + UUID.randomUUID())
                .then().statusCode(401)
                .body("error", equalTo("bad_jwt"))
                .body("message", equalTo("invalid JWT: malformed JWT"));
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/datasets/session-owner/x")
                .then().statusCode(401)
                .body("message", equalTo("invalid JWT: Authorization must be a Bearer token"));
    }

    /** The request's SecurityIdentity and injected JsonWebToken are the verified caller (SPEC §3). */
    @Test
    void securityIdentityAndJsonWebTokenAreTheVerifiedCaller() {
        TestUser u = TestUsers.create("identity");
        given().header("Authorization", u.bearer()).header("apikey", ANON).get("/api/test-identity").then()
                .statusCode(200)
                .body("principal", equalTo(u.id().toString()))
                .body("roles", contains("authenticated"))
                .body("jwt_name", equalTo(u.id().toString()))
                .body("jwt_role", equalTo("authenticated"))
                .body("caller_role", equalTo("authenticated"));
        given().header("Authorization", u.bearer()).get("/api/test-identity/user").then().statusCode(200)
                .body("sub", equalTo(u.id().toString()));
        given().header("apikey", ANON).get("/api/test-identity").then().statusCode(200)
                .body("principal", equalTo("anon"))
                .body("roles", contains("anon"))
                .body("jwt_role", equalTo("anon"))
                .body("caller_role", equalTo("anon"));
        given().get("/api/test-identity").then().statusCode(200)
                .body("roles", contains("anon"));
        given().header("apikey", TokenMinter.serviceKey()).get("/api/test-identity").then().statusCode(200)
                .body("principal", equalTo("service_role"))
                .body("roles", contains("service_role"));
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("components.securitySchemes.SupabaseJWT.type", equalTo("http"))
                .body("components.securitySchemes.SupabaseJWT.scheme", equalTo("bearer"))
                .body("components.securitySchemes.SupabaseJWT.bearerFormat", equalTo("JWT"));
    }

    // ---------- reading, RLS, preview, delete, linking ----------

    @Test
    void userBNeverSeesUserAsDatasets() throws Exception {
        TestUser a = TestUsers.create("owner-a");
        TestUser b = TestUsers.create("other-b");
        Response up = uploadRaw(a, "a.jsonl", fixture("high-dup.jsonl"));
        up.then().statusCode(201);
        String id = up.path("id");
        String session = up.path("session_id");

        given().header("Authorization", a.bearer()).get("/api/datasets/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("job_id", nullValue());
        given().header("Authorization", a.bearer()).get("/api/datasets/by-session/" + session).then().statusCode(200)
                .body("id", equalTo(id));
        given().header("Authorization", a.bearer()).get("/api/datasets").then().statusCode(200)
                .body("total", equalTo(1)).body("items.id", contains(id));

        given().header("Authorization", b.bearer()).get("/api/datasets/" + id).then().statusCode(404);
        given().header("Authorization", b.bearer()).get("/api/datasets/by-session/" + session).then().statusCode(404);
        given().header("Authorization", b.bearer()).get("/api/datasets/" + id + "/preview").then().statusCode(404);
        given().header("Authorization", b.bearer()).get("/api/datasets").then().statusCode(200)
                .body("total", equalTo(0)).body("items", hasSize(0));
        given().header("Authorization", b.bearer()).delete("/api/datasets/" + id).then().statusCode(404);
        given().header("Authorization", b.bearer()).contentType("application/json")
                .body("{\"job_id\":\"" + up.path("allocated_job_id") + "\"}")
                .put("/api/datasets/" + id + "/job").then().statusCode(404);
        given().get("/api/datasets/" + id).then().statusCode(401);
        // still there for A, object untouched
        given().header("Authorization", a.bearer()).get("/api/datasets/" + id).then().statusCode(200);
        assertTrue(StubStorage.OBJECTS.containsKey((String) up.path("storage_path")));
        given().header("Authorization", a.bearer()).get("/api/datasets/not-a-uuid").then().statusCode(400);
    }

    @Test
    void listIsNewestFirstAndPaged() throws Exception {
        TestUser u = TestUsers.create("pages");
        String first = uploadRaw(u, "1.jsonl", fixture("some-dup.jsonl")).then().statusCode(201).extract().path("id");
        String second = uploadRaw(u, "2.jsonl", fixture("high-dup.jsonl")).then().statusCode(201).extract().path("id");
        given().header("Authorization", u.bearer()).get("/api/datasets").then().statusCode(200)
                .body("items.id", contains(second, first)).body("total", equalTo(2))
                .body("limit", equalTo(20)).body("offset", equalTo(0));
        given().header("Authorization", u.bearer()).queryParam("limit", 1).queryParam("offset", 1).get("/api/datasets")
                .then().statusCode(200).body("items.id", contains(first)).body("total", equalTo(2));
        given().header("Authorization", u.bearer()).queryParam("limit", 0).get("/api/datasets").then().statusCode(422);
    }

    @Test
    void previewStreamsTheFirstValidExamplesFromStorage() throws Exception {
        TestUser u = TestUsers.create("preview");
        String bad = "garbage\r\n\r\n";
        byte[] bytes = (bad + new String(fixture("high-dup.jsonl"), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        String id = uploadRaw(u, "p.jsonl", bytes).then().statusCode(201).extract().path("id");
        given().header("Authorization", u.bearer()).queryParam("limit", 2).get("/api/datasets/" + id + "/preview")
                .then().statusCode(200)
                .body("items", hasSize(2))
                .body("items[0].index", equalTo(0))
                .body("items[0].line", equalTo(3))
                .body("items[0].messages[0].role", equalTo("user"))
                .body("items[0].messages[0].content", equalTo("tell me fact 0"))
                .body("items[0].messages[1].content", equalTo("Here is a fact about number 0."))
                .body("items[0].token_count", equalTo(10)) // 14 // 4 = 3, 30 // 4 = 7
                .body("items[1].messages[0].content", equalTo("tell me fact 1"))
                .body("total", equalTo(80));
        given().header("Authorization", u.bearer()).queryParam("limit", 3).queryParam("offset", 78)
                .get("/api/datasets/" + id + "/preview").then().statusCode(200)
                .body("items.index", contains(78, 79))
                .body("items[0].messages[0].content", equalTo("tell me fact 5")); // the copies of line 6
        given().header("Authorization", u.bearer()).queryParam("limit", 1000).get("/api/datasets/" + id + "/preview")
                .then().statusCode(422).body("field", equalTo("limit"));
    }

    @Test
    void deleteRemovesObjectThenRow() throws Exception {
        TestUser u = TestUsers.create("del");
        Response up = uploadRaw(u, "d.jsonl", fixture("some-dup.jsonl"));
        String id = up.path("id");
        String path = up.path("storage_path");
        assertTrue(StubStorage.OBJECTS.containsKey(path));
        given().header("Authorization", u.bearer()).delete("/api/datasets/" + id).then().statusCode(204);
        assertFalse(StubStorage.OBJECTS.containsKey(path));
        assertEquals(0L, dbValue("select count(*) from public.datasets where id = ?", UUID.fromString(id)));
        given().header("Authorization", u.bearer()).delete("/api/datasets/" + id).then().statusCode(404);
    }

    @Test
    void deleteStillRemovesTheRowWhenTheObjectIsAlreadyGone() throws Exception {
        TestUser u = TestUsers.create("gone");
        Response up = uploadRaw(u, "g.jsonl", fixture("some-dup.jsonl"));
        StubStorage.OBJECTS.remove((String) up.path("storage_path"));
        given().header("Authorization", u.bearer()).delete("/api/datasets/" + up.path("id")).then().statusCode(204);
        assertEquals(0L, dbValue("select count(*) from public.datasets where id = ?", UUID.fromString(up.path("id"))));
    }

    @Test
    void linkingTheAllocatedJobSetsJobIdAndDeletingTheJobClearsIt() throws Exception {
        TestUser u = TestUsers.create("link");
        Response up = uploadRaw(u, "l.jsonl", fixture("some-dup.jsonl"));
        String id = up.path("id");
        String jobId = up.path("allocated_job_id");
        // wrong job id → 409; the allocated one before the job exists → 409 (foreign key)
        given().header("Authorization", u.bearer()).contentType("application/json")
                .body("{\"job_id\":\"" + UUID.randomUUID() + "\"}").put("/api/datasets/" + id + "/job").then().statusCode(409);
        given().header("Authorization", u.bearer()).contentType("application/json")
                .body("{\"job_id\":\"" + jobId + "\"}").put("/api/datasets/" + id + "/job").then().statusCode(409);
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(
                "insert into public.jobs (id, user_id, session_id, dataset_filename, dataset_path, total_examples, "
                        + "total_tokens, quality_score, task_type, deployment_target, selected_model_id, selected_model_name, "
                        + "model_score) values (?, ?, ?, 'l.jsonl', ?, 80, 800, 0.65, 'qa', 'cloud', 'phi4', 'Phi-4', 80)")) {
            ps.setObject(1, UUID.fromString(jobId));
            ps.setObject(2, u.id());
            ps.setString(3, up.path("session_id"));
            ps.setString(4, up.path("storage_path"));
            ps.executeUpdate();
        }
        given().header("Authorization", u.bearer()).contentType("application/json")
                .body("{\"job_id\":\"" + jobId + "\"}").put("/api/datasets/" + id + "/job").then().statusCode(200)
                .body("job_id", equalTo(jobId));
        assertEquals(UUID.fromString(jobId), dbValue("select job_id from public.datasets where id = ?", UUID.fromString(id)));
        // users still have no UPDATE on datasets (seed: no update policy)
        try (Connection c = TestDatabase.superuser()) {
            c.setAutoCommit(false);
            try (var s = c.createStatement()) {
                s.execute("select set_config('role','authenticated',true), set_config('request.jwt.claims', "
                        + "'{\"sub\":\"" + u.id() + "\",\"role\":\"authenticated\"}', true)");
                int n;
                try {
                    n = s.executeUpdate("update public.datasets set filename = 'x.jsonl' where id = '" + id + "'");
                } catch (java.sql.SQLException e) {
                    n = -1; // permission denied
                }
                assertTrue(n <= 0, "a user cannot update a dataset row");
            }
            c.rollback();
        }
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement("delete from public.jobs where id = ?")) {
            ps.setObject(1, UUID.fromString(jobId));
            ps.executeUpdate();
        }
        assertNull(dbValue("select job_id from public.datasets where id = ?", UUID.fromString(id)));
    }

    // ---------- rendering: the Dataset record answers as the reactive client's rows did ----------

    /**
     * The row as the hand-written path rendered it before rows became {@code Dataset} records (and as
     * {@code DatasetRepository.insert} still reads it): {@code select COLUMNS} on the reactive client, each row
     * through RowJson, written by Jackson. Read here on a pool of the test's own, as the superuser.
     */
    static String rowJsonAnswer(String id, boolean allocatedJobAsJobId) {
        io.vertx.mutiny.core.Vertx vertx = io.vertx.mutiny.core.Vertx.vertx();
        try {
            io.vertx.mutiny.sqlclient.Pool pool = io.vertx.mutiny.pgclient.PgPool.pool(vertx,
                    new io.vertx.pgclient.PgConnectOptions().setHost(TestDatabase.HOST)
                            .setPort(Integer.parseInt(TestDatabase.PORT)).setDatabase(TestDatabase.database())
                            .setUser(TestDatabase.SUPERUSER).setPassword(TestDatabase.SUPERUSER_PASSWORD),
                    new io.vertx.sqlclient.PoolOptions().setMaxSize(1));
            try {
                var row = pool.preparedQuery("select " + io.slmgen.datasets.repository.DatasetRepository.COLUMNS
                                + " from public.datasets where id = $1")
                        .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(id))).await().indefinitely()
                        .iterator().next();
                java.util.Map<String, Object> map = io.slmgen.shared.db.RowJson.toMap(row);
                if (allocatedJobAsJobId) {
                    map.put("job_id", map.get("allocated_job_id"));
                }
                return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(map);
            } finally {
                pool.close().await().indefinitely();
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        } finally {
            vertx.close().await().indefinitely();
        }
    }

    @Test
    void everyRouteAnswersARowByteForByteAsTheRowJsonPathDid() throws Exception {
        TestUser u = TestUsers.create("bytes");
        Response up = uploadRaw(u, "bytes.jsonl", fixture("quality-mix.jsonl"));
        up.then().statusCode(201);
        String id = up.path("id");
        // the upload's answer (hand-written insert ... returning, job_id = the allocated id)
        assertEquals(rowJsonAnswer(id, true), up.asString());

        // values a client or the service may leave in a row: every jsonb shape, numbers PostgreSQL
        // normalises, a bigint, timestamps with offsets and microseconds, the selection columns
        try (Connection c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.executeUpdate("update public.datasets set quality_issues = '[\"a\", {\"b\": 1.10, \"c\": [1e2, -0.0]}, null, true]', "
                    + "invalid_samples = '{\"x\": \"\\u00e9\\n\", \"y\": 12345678901234567890}', "
                    + "last_scores = '{\"phi4\": 0.1, \"gemma2\": 1.0, \"qwen\": 1e2, \"llama\": 3}', "
                    + "duplicate_examples = '[]', duplicate_count = 0, tokenizer_tokens = 9007199254740993, "
                    + "created_at = '2026-01-02 03:04:05.000001+02', expires_at = '2027-12-31 23:59:59.5-03', "
                    + "selected_task = 'qa', selected_target = 'cloud', selected_model_id = 'phi4', "
                    + "quality_score = 0.1, single_turn_pct = 100, dominant_language = null where id = '" + id + "'");
        }
        String expected = rowJsonAnswer(id, false);
        String bearer = u.bearer();
        assertEquals(expected, given().header("Authorization", bearer).get("/api/datasets/" + id)
                .then().statusCode(200).extract().asString());
        assertEquals(expected, given().header("Authorization", bearer).get("/api/datasets/by-session/" + up.path("session_id"))
                .then().statusCode(200).extract().asString());
        assertEquals("{\"items\":[" + expected + "],\"total\":1,\"limit\":20,\"offset\":0}",
                given().header("Authorization", bearer).get("/api/datasets").then().statusCode(200).extract().asString());
        // the selection's answer (a Panache update, the row read back): last_scores as PostgreSQL stored it
        String selected = given().header("Authorization", bearer).contentType("application/json")
                .body("{\"task\":\"qa\",\"deployment\":\"edge\",\"model_id\":\"gemma2\","
                        + "\"scores\":{\"gemma2\":1e2,\"phi4\":0.30000000000000004,\"qwen\":85,\"big\":1.5E300}}")
                .put("/api/datasets/" + id + "/selection").then().statusCode(200).extract().asString();
        assertEquals(rowJsonAnswer(id, false), selected);
        assertTrue(selected.contains("\"gemma2\":100.0"), selected); // 1e2 as the request sent it, normalised
    }

    // ---------- streaming: the body never sits in memory ----------

    /**
     * Uploads a generated file bigger than this JVM's whole heap (surefire runs with -Xmx384m): it can
     * only succeed if the body streams. Every line is distinct and of fixed shape, so the expected
     * numbers follow from the line count alone.
     */
    @Test
    void anUploadLargerThanTheHeapStreamsThrough() throws Exception {
        long mb = Long.getLong("big.upload.mb", 400);
        String answer = "x".repeat(400); // 400 code points → 100 tokens
        // "question 0000000001" = 19 code points → 4 tokens; 104 tokens per example
        String template = "{\"messages\":[{\"role\":\"user\",\"content\":\"question %010d\"},"
                + "{\"role\":\"assistant\",\"content\":\"" + answer + "\"}]}\n";
        int lineLen = String.format(template, 0).length();
        long examples = mb * 1_000_000 / lineLen;
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        TestUser u = TestUsers.create("big");
        // a plain socket with blocking writes: TCP flow control is the only buffer between us and the server
        String responseText;
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            java.io.OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            out.write(("POST /api/datasets?filename=big.jsonl HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                    + "Authorization: " + u.bearer() + "\r\nContent-Type: " + NDJSON + "\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long line = 0;
            while (line < examples) {
                StringBuilder sb = new StringBuilder(lineLen * 100);
                for (int i = 0; i < 100 && line < examples; i++) {
                    sb.append(String.format(template, line++));
                }
                byte[] chunk = sb.toString().getBytes(StandardCharsets.UTF_8);
                sha.update(chunk);
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            responseText = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(responseText.startsWith("HTTP/1.1 201"), responseText);
        String resp = responseText.substring(responseText.indexOf('{'), responseText.lastIndexOf('}') + 1);
        io.restassured.path.json.JsonPath json = new io.restassured.path.json.JsonPath(resp)
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        assertEquals((double) examples, json.getDouble("total_examples"));
        assertEquals((double) (104 * examples), json.getDouble("total_tokens"));
        assertEquals(104.0, json.getDouble("avg_tokens_per_example"));
        assertEquals(400.0, json.getDouble("avg_response_length"));
        assertEquals(1.0, json.getDouble("quality_score"));
        assertEquals(List.of("\u2705 Dataset looks great!"), json.getList("quality_issues"));
        assertEquals((double) examples * lineLen, json.getDouble("file_size"));
        StubStorage.Stored stored = StubStorage.OBJECTS.get(json.getString("storage_path"));
        assertEquals(examples * lineLen, stored.size());
        assertEquals(HexFormat.of().formatHex(sha.digest()), stored.sha256());
    }

    static void awaitTrue(java.util.function.BooleanSupplier check) throws InterruptedException {
        for (int i = 0; i < 100 && !check.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertTrue(check.getAsBoolean());
    }

    // ---------- crash safety: upload marks (SPEC §14) ----------

    static long marks(String pathPrefix) throws Exception {
        return (Long) dbValue("select count(*) from public.dataset_creations where storage_path like ?", pathPrefix + "%");
    }

    static void mark(String path, UUID user, String age) throws Exception {
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(
                "insert into public.dataset_creations (storage_path, user_id, started_at) values (?, ?, now() - ?::interval)")) {
            ps.setString(1, path);
            ps.setObject(2, user);
            ps.setString(3, age);
            ps.executeUpdate();
        }
    }

    @Test
    void aRecordedUploadLeavesNoMarkAndUsersCannotSeeMarks() throws Exception {
        TestUser u = TestUsers.create("marks");
        uploadRaw(u, "m.jsonl", fixture("some-dup.jsonl")).then().statusCode(201);
        assertEquals(0L, marks(u.id() + "/"));
        // the table is server bookkeeping: no privilege for authenticated
        try (Connection c = TestDatabase.superuser()) {
            c.setAutoCommit(false);
            c.createStatement().execute("set local role authenticated");
            java.sql.SQLException denied = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> c.createStatement().executeQuery("select * from public.dataset_creations"));
            assertEquals("42501", denied.getSQLState());
            c.rollback();
        }
    }

    @Test
    void anUploadWhoseRowCannotBeRecordedLeavesNoObjectAndNoMark() throws Exception {
        // a valid token of a user without a profile: the object is stored, the row's insert fails its foreign key
        UUID ghost = UUID.randomUUID();
        TestUser u = new TestUser(ghost, "ghost@example.test", TokenMinter.user(ghost));
        Response r = uploadRaw(u, "ghost.jsonl", fixture("some-dup.jsonl"));
        assertEquals(409, r.statusCode(), r.asString());
        assertEquals(1, StubStorage.CALLS.stream().filter(c -> c.method().equals("POST") && c.completed()
                && c.path().startsWith(ghost + "/")).count(), "the object had been stored");
        // the object is deleted again, then its mark (Panache, DatasetCreations.forget) - no sweep needed
        awaitTrue(() -> StubStorage.OBJECTS.keySet().stream().noneMatch(k -> k.startsWith(ghost + "/")));
        awaitTrue(() -> {
            try {
                return marks(ghost + "/") == 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void theSweepDeletesTheObjectOfAnUploadWhoseRowWasNeverRecorded() throws Exception {
        TestUser u = TestUsers.create("orphan");
        // the service died between storage keeping the object and the row: a stale mark, an object, no row
        String orphan = u.id() + "/" + UUID.randomUUID() + "/lost.jsonl";
        StubStorage.OBJECTS.put(orphan, new StubStorage.Stored(3, "x", "{}\n".getBytes(StandardCharsets.UTF_8)));
        mark(orphan, u.id(), "3 hours");
        // an upload still within the timeout is left alone
        String running = u.id() + "/" + UUID.randomUUID() + "/running.jsonl";
        StubStorage.OBJECTS.put(running, new StubStorage.Stored(3, "x", "{}\n".getBytes(StandardCharsets.UTF_8)));
        mark(running, u.id(), "1 minute");
        // a stale mark whose object a row records is not an orphan: the object stays
        Response up = uploadRaw(u, "kept.jsonl", fixture("some-dup.jsonl"));
        up.then().statusCode(201);
        String recorded = up.path("storage_path");
        mark(recorded, u.id(), "3 hours");

        // the sweep's bean, looked up rather than injected: DatasetResourceIT (the built artifact, no @Inject)
        // extends this class and leaves this test out
        DatasetCreations creations = Arc.container().instance(DatasetCreations.class).get();
        assertEquals(1, creations.sweep().await().atMost(java.time.Duration.ofSeconds(30)));

        assertFalse(StubStorage.OBJECTS.containsKey(orphan), "the orphaned object is deleted");
        List<StubStorage.Call> deletes = StubStorage.calls("DELETE", orphan);
        assertEquals(1, deletes.size());
        assertEquals("service_role", claim(deletes.get(0).authorization(), "role"));
        assertEquals(0L, marks(orphan));
        assertTrue(StubStorage.OBJECTS.containsKey(running));
        assertEquals(1L, marks(running));
        assertTrue(StubStorage.OBJECTS.containsKey(recorded), "an object a row records is never swept");
        assertEquals(0L, marks(recorded));
        assertEquals(1L, dbValue("select count(*) from public.datasets where storage_path = ?", recorded));
    }

    @Test
    void anUploadWhoseMarkWasSweptMeanwhileIsUndoneNotRecorded() throws Exception {
        TestUser u = TestUsers.create("late");
        byte[] bytes = fixture("some-dup.jsonl");
        // a plain HTTP/1.1 request on a socket, so the test decides when the second half of the body goes
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            java.io.OutputStream out = socket.getOutputStream();
            String head = "POST /api/datasets?filename=late.jsonl HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAuthorization: " + u.bearer() + "\r\napikey: " + ANON + "\r\nContent-Type: " + NDJSON
                    + "\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            // the mark is written before the first byte goes to storage
            long deadline = System.currentTimeMillis() + 10_000;
            while (marks(u.id() + "/") == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1L, marks(u.id() + "/"));
            // a sweep took this upload for dead and removed its mark (as it does after deleting the object)
            try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(
                    "delete from public.dataset_creations where storage_path like ?")) {
                ps.setString(1, u.id() + "/%");
                ps.executeUpdate();
            }
            out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
        }
        // nothing half-made: no row, and the object the upload stored is deleted again
        assertEquals(0L, dbValue("select count(*) from public.datasets where user_id = ?", u.id()));
        assertTrue(StubStorage.OBJECTS.keySet().stream().noneMatch(k -> k.startsWith(u.id() + "/")));
        assertEquals(1, StubStorage.CALLS.stream().filter(c -> c.method().equals("POST") && c.completed()
                && c.path().startsWith(u.id() + "/")).count(), "the object had been stored");
    }

    static String claim(String authorization, String name) {
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        return new io.vertx.core.json.JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8)).getString(name);
    }
}
