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

/** The configured size limit (here 1 MiB): 413 for a declared length and for a chunked body. */
@QuarkusTest
@TestProfile(UploadLimitTest.SmallLimit.class)
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "datasets_limit"), @ResourceArg(name = "slices", value = "auth,jobs")})
@WithTestResource(StubStorage.class)
class UploadLimitTest {

    public static class SmallLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("datasets.max-upload-size", "1M");
        }
    }

    @TestHTTPResource("/")
    URI base;

    static String lines(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("{\"messages\":[{\"role\":\"user\",\"content\":\"q").append(i)
                    .append("\"},{\"role\":\"assistant\",\"content\":\"a long enough reply\"}]}\n");
        }
        return sb.toString();
    }

    @Test
    void declaredLengthOverTheLimitIs413() {
        TestUser u = TestUsers.create("limit");
        byte[] body = lines(20000).getBytes(StandardCharsets.UTF_8); // ~1.7 MB
        given().header("Authorization", u.bearer()).contentType("application/x-ndjson").queryParam("filename", "big.jsonl")
                .body(body).post("/api/datasets").then().statusCode(413).body("error", equalTo("payload_too_large"));
        assertTrue(StubStorage.OBJECTS.keySet().stream().noneMatch(k -> k.startsWith(u.id() + "/")));
    }

    @Test
    void chunkedBodyOverTheLimitIs413AndIsDrained() throws Exception {
        TestUser u = TestUsers.create("chunked");
        byte[] body = lines(30000).getBytes(StandardCharsets.UTF_8); // ~2.5 MB, no Content-Length
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
        byte[] body = lines(20000).getBytes(StandardCharsets.UTF_8); // ~1.7 MB
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
}
