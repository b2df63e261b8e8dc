package io.slmgen.datasets;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TestUsers;
import io.slmgen.shared.testing.TestUsers.TestUser;

/**
 * The configured limits: size (here 1 MiB) → 413 for a declared length and for a chunked body; valid
 * examples per upload (here 2,000) → 413 while streaming, in each path family's shape, nothing stored.
 * The size tests use long lines, so the size limit is crossed well before the example cap.
 */
@QuarkusTest
@TestProfile(UploadLimitTest.SmallLimit.class)
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "datasets_limit"), @ResourceArg(name = "slices", value = "auth,jobs")})
@WithTestResource(StubStorage.class)
@WithTestResource(StubAuth.class)
class UploadLimitTest {

    static final int MAX_EXAMPLES = 2000;

    public static class SmallLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("datasets.max-upload-size", "1M", "datasets.max-examples", String.valueOf(MAX_EXAMPLES));
        }
    }

    @TestHTTPResource("/")
    URI base;

    /** n distinct valid examples of about 84 bytes. */
    static String lines(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("{\"messages\":[{\"role\":\"user\",\"content\":\"q").append(i)
                    .append("\"},{\"role\":\"assistant\",\"content\":\"a long enough reply\"}]}\n");
        }
        return sb.toString();
    }

    /** n distinct valid examples of about 1 KB: 1 MiB is crossed after ~1,000, before the example cap. */
    static String longLines(int n) {
        String reply = "a long enough reply ".repeat(50);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("{\"messages\":[{\"role\":\"user\",\"content\":\"q").append(i)
                    .append("\"},{\"role\":\"assistant\",\"content\":\"").append(reply).append("\"}]}\n");
        }
        return sb.toString();
    }

    static long rows(java.util.UUID user) throws Exception {
        try (Connection c = TestDatabase.superuser();
             PreparedStatement ps = c.prepareStatement("select count(*) from public.datasets where user_id = ?")) {
            ps.setObject(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void declaredLengthOverTheLimitIs413() {
        TestUser u = TestUsers.create("limit");
        byte[] body = longLines(1700).getBytes(StandardCharsets.UTF_8); // ~1.8 MB
        given().header("Authorization", u.bearer()).contentType("application/x-ndjson").queryParam("filename", "big.jsonl")
                .body(body).post("/api/datasets").then().statusCode(413).body("error", equalTo("payload_too_large"));
        assertTrue(StubStorage.OBJECTS.keySet().stream().noneMatch(k -> k.startsWith(u.id() + "/")));
    }

    @Test
    void chunkedBodyOverTheLimitIs413AndIsDrained() throws Exception {
        TestUser u = TestUsers.create("chunked");
        byte[] body = longLines(1900).getBytes(StandardCharsets.UTF_8); // ~2 MB, no Content-Length
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/api/datasets?filename=big.jsonl"))
                .header("Authorization", u.bearer()).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build();
        HttpResponse<String> resp = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, resp.statusCode(), resp.body());
        assertTrue(resp.body().contains("payload_too_large"));
        assertTrue(StubStorage.OBJECTS.keySet().stream().noneMatch(k -> k.startsWith(u.id() + "/")));
        try (Connection c = TestDatabase.superuser();
             PreparedStatement ps = c.prepareStatement("select count(*) from public.datasets where user_id = ?")) {
            ps.setObject(1, u.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
        }
        // the connection is still usable after the drained body: a normal upload right after works
        given().header("Authorization", u.bearer()).contentType("application/x-ndjson").queryParam("filename", "ok.jsonl")
                .body(lines(60).getBytes(StandardCharsets.UTF_8)).post("/api/datasets").then().statusCode(201)
                .body("total_examples", equalTo(60));
    }

    @Test
    void slmgenUploadOverTheLimitIs413WithSlmgensText() throws Exception {
        TestUser u = TestUsers.create("slmgen-limit");
        byte[] body = longLines(1700).getBytes(StandardCharsets.UTF_8); // ~1.8 MB
        given().header("Authorization", u.bearer()).multiPart("file", "big.jsonl", body, "application/octet-stream")
                .post("/slmgen/upload").then().statusCode(413).body("detail", equalTo("File too large. Maximum size is 1MB"));
        assertTrue(StubStorage.OBJECTS.keySet().stream().noneMatch(k -> k.startsWith(u.id() + "/")));
        try (Connection c = TestDatabase.superuser();
             PreparedStatement ps = c.prepareStatement("select count(*) from public.datasets where user_id = ?")) {
            ps.setObject(1, u.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
        }
    }

    // ---------- the example cap (issue 15 item 6) ----------

    @Test
    void moreExamplesThanTheCapIs413InOurShapeAndNothingIsStored() throws Exception {
        TestUser u = TestUsers.create("cap");
        // 2,001 short examples (~170 KB, far under the size limit): one more than the cap
        given().header("Authorization", u.bearer()).contentType("application/x-ndjson").queryParam("filename", "many.jsonl")
                .body(lines(MAX_EXAMPLES + 1).getBytes(StandardCharsets.UTF_8)).post("/api/datasets").then().statusCode(413)
                .body("error", equalTo("too_many_examples")).body("status", equalTo(413))
                .body("max_examples", equalTo(MAX_EXAMPLES))
                .body("message", equalTo("the file has more than 2000 valid examples, the most one upload may hold"));
        // chunked (no Content-Length), with the rest of a long body still to come: refused as well, body drained
        byte[] chunked = (lines(MAX_EXAMPLES + 1) + lines(6000)).getBytes(StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/api/datasets?filename=many.jsonl"))
                .header("Authorization", u.bearer()).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(chunked))).build();
        HttpResponse<String> resp = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, resp.statusCode(), resp.body());
        assertTrue(resp.body().contains("too_many_examples"), resp.body());
        DatasetResourceTest.awaitTrue(() -> StubStorage.OBJECTS.keySet().stream().noneMatch(k -> k.startsWith(u.id() + "/")));
        assertEquals(0, rows(u.id()));
        // exactly the cap is fine (invalid lines do not count)
        given().header("Authorization", u.bearer()).contentType("application/x-ndjson").queryParam("filename", "cap.jsonl")
                .body((lines(MAX_EXAMPLES) + "{\"messages\":[]}\n").getBytes(StandardCharsets.UTF_8)).post("/api/datasets")
                .then().statusCode(201).body("total_examples", equalTo(MAX_EXAMPLES)).body("invalid_lines", equalTo(1));
    }

    @Test
    void slmgenUploadOverTheCapIs413WithADetailAndTheAnonymousUserIsRemoved() throws Exception {
        TestUser u = TestUsers.create("slmgen-cap");
        byte[] body = lines(MAX_EXAMPLES + 1).getBytes(StandardCharsets.UTF_8);
        given().header("Authorization", u.bearer()).multiPart("file", "many.jsonl", body, "application/octet-stream")
                .post("/slmgen/upload").then().statusCode(413)
                .body("detail", equalTo("Too many examples. Maximum is 2000 examples per upload."));
        assertEquals(0, rows(u.id()));
        DatasetResourceTest.awaitTrue(() -> StubStorage.OBJECTS.keySet().stream().noneMatch(k -> k.startsWith(u.id() + "/")));

        // without a token: the anonymous user made for the upload goes again, with nothing of it stored
        int made = StubAuth.CREATED.size();
        given().header("Accept", "application/json").multiPart("file", "many.jsonl", body, "application/octet-stream")
                .post("/slmgen/upload").then().statusCode(413)
                .body("detail", equalTo("Too many examples. Maximum is 2000 examples per upload."));
        assertEquals(made + 1, StubAuth.CREATED.size());
        java.util.UUID anon = StubAuth.CREATED.get(made);
        assertEquals(0, rows(anon));
        DatasetResourceTest.awaitTrue(() -> StubAuth.calls("DELETE", "/auth/v1/admin/users/" + anon).size() == 1);
        DatasetResourceTest.awaitTrue(() -> StubStorage.OBJECTS.keySet().stream().noneMatch(k -> k.startsWith(anon + "/")));
    }
}
