package io.slmgen.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TokenMinter;
import io.slmgen.storage.service.OrphanSweeper;
import io.slmgen.storage.service.TempSweeper;

/** storage-service over HTTP against a real PostgreSQL and a temporary storage root. */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {@ResourceArg(name = "name", value = "storage")})
@WithTestResource(TestStorageRoot.class)
class StorageResourceTest {

    static final String ANON = TokenMinter.anonKey();
    static final String SERVICE = TokenMinter.serviceKey();
    static final String NDJSON = "application/x-ndjson";

    @Inject
    TempSweeper sweeper;

    @Inject
    OrphanSweeper orphans;

    static {
        io.restassured.RestAssured.config = io.restassured.RestAssured.config().encoderConfig(
                io.restassured.config.EncoderConfig.encoderConfig()
                        .encodeContentTypeAs(NDJSON, io.restassured.http.ContentType.TEXT)
                        .encodeContentTypeAs("multipart/form-data", io.restassured.http.ContentType.TEXT));
    }

    record User(UUID id, String token) {
    }

    static User newUser() {
        UUID id = UUID.randomUUID();
        return new User(id, TokenMinter.user(id));
    }

    static RequestSpecification as(User u) {
        return given().header("apikey", ANON).header("Authorization", "Bearer " + u.token());
    }

    static RequestSpecification anon() {
        return given().header("apikey", ANON);
    }

    static RequestSpecification service() {
        return given().header("apikey", SERVICE).header("Authorization", "Bearer " + SERVICE);
    }

    static void upload(User u, String bucket, String path, String type, byte[] body) {
        as(u).contentType(type).body(body).post("/storage/v1/object/" + bucket + "/" + path)
                .then().statusCode(200).body("Key", equalTo(bucket + "/" + path));
    }

    static long tempFiles() throws Exception {
        try (Stream<Path> s = Files.list(TestStorageRoot.root.resolve("tmp"))) {
            return s.count();
        }
    }

    // ---- upload / download / info / list / delete ----

    @Test
    void userUploadsDownloadsAndDeletesOwnDataset() throws Exception {
        User a = newUser();
        String path = a.id() + "/job1/train.jsonl";
        byte[] body = "{\"messages\":[]}\n{\"messages\":[]}\n".getBytes(StandardCharsets.UTF_8);
        String id = as(a).contentType(NDJSON).body(body).post("/storage/v1/object/datasets/" + path)
                .then().statusCode(200).body("Key", equalTo("datasets/" + path)).extract().path("Id");

        byte[] got = as(a).get("/storage/v1/object/authenticated/datasets/" + path).then().statusCode(200)
                .header("Content-Type", startsWith(NDJSON)).header("Content-Length", "32")
                .header("ETag", "\"" + md5(body) + "\"").extract().asByteArray();
        assertArrayEquals(body, got);
        as(a).get("/storage/v1/object/datasets/" + path).then().statusCode(200);

        as(a).get("/storage/v1/object/info/datasets/" + path).then().statusCode(200)
                .body("id", equalTo(id)).body("size", equalTo(32)).body("content_type", equalTo(NDJSON))
                .body("etag", equalTo("\"" + md5(body) + "\"")).body("bucket_id", equalTo("datasets"));

        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select owner, owner_id, metadata->>'size', metadata->>'mimetype', "
                     + "metadata->>'cacheControl', path_tokens[3] from storage.objects where id = '" + id + "'")) {
            assertTrue(r.next());
            assertEquals(a.id().toString(), r.getString(1));
            assertEquals(a.id().toString(), r.getString(2));
            assertEquals("32", r.getString(3));
            assertEquals(NDJSON, r.getString(4));
            assertEquals("no-cache", r.getString(5));
            assertEquals("train.jsonl", r.getString(6));
        }

        as(a).delete("/storage/v1/object/datasets/" + path).then().statusCode(200)
                .body("message", equalTo("Successfully deleted"));
        as(a).get("/storage/v1/object/authenticated/datasets/" + path).then().statusCode(400)
                .body("statusCode", equalTo("404")).body("error", equalTo("not_found"))
                .body("code", equalTo("NoSuchKey")).body("message", equalTo("Object not found"));
        as(a).delete("/storage/v1/object/datasets/" + path).then().statusCode(400).body("statusCode", equalTo("404"));
        try (Stream<Path> s = Files.walk(TestStorageRoot.root.resolve("objects"))) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().equals(id)));
        }
    }

    @Test
    void duplicateWithoutUpsertIsA409ShapedErrorAndUpsertReplaces() {
        User a = newUser();
        String path = a.id() + "/job/n.ipynb";
        as(a).contentType("application/x-ipynb+json").header("x-upsert", "true").body("{\"v\":1}")
                .post("/storage/v1/object/notebooks/" + path).then().statusCode(200);
        as(a).contentType("application/x-ipynb+json").body("{\"v\":2}")
                .post("/storage/v1/object/notebooks/" + path).then().statusCode(400)
                .body("statusCode", equalTo("409")).body("error", equalTo("Duplicate"))
                .body("code", equalTo("ResourceAlreadyExists"))
                .body("message", equalTo("The resource already exists"));
        as(a).contentType("application/x-ipynb+json").header("x-upsert", "true").body("{\"v\":3}")
                .post("/storage/v1/object/notebooks/" + path).then().statusCode(200);
        as(a).get("/storage/v1/object/authenticated/notebooks/" + path).then().statusCode(200)
                .body(equalTo("{\"v\":3}"));
        as(a).contentType("application/x-ipynb+json").body("{\"v\":4}")
                .put("/storage/v1/object/notebooks/" + path).then().statusCode(200);
        as(a).get("/storage/v1/object/notebooks/" + path).then().statusCode(200).body(equalTo("{\"v\":4}"));
        // our additive policy: owners delete their notebooks
        as(a).delete("/storage/v1/object/notebooks/" + path).then().statusCode(200);
    }

    @Test
    void rangeEtagAndHead() {
        User a = newUser();
        String path = a.id() + "/r.txt";
        upload(a, "datasets", path, "text/plain", "0123456789".getBytes(StandardCharsets.UTF_8));
        String etag = as(a).get("/storage/v1/object/datasets/" + path).then().statusCode(200)
                .header("Accept-Ranges", "bytes").extract().header("ETag");
        assertEquals("\"781e5e245d69b566979b86e28d23f2c7\"", etag); // md5("0123456789")
        as(a).header("Range", "bytes=2-5").get("/storage/v1/object/datasets/" + path).then().statusCode(206)
                .header("Content-Range", "bytes 2-5/10").header("Content-Length", "4").body(equalTo("2345"));
        as(a).header("Range", "bytes=-3").get("/storage/v1/object/datasets/" + path).then().statusCode(206)
                .body(equalTo("789"));
        as(a).header("Range", "bytes=20-").get("/storage/v1/object/datasets/" + path).then().statusCode(416)
                .body("statusCode", equalTo("416"));
        as(a).header("If-None-Match", etag).get("/storage/v1/object/datasets/" + path).then().statusCode(304)
                .header("ETag", etag);
        as(a).header("If-None-Match", "\"other\"").get("/storage/v1/object/datasets/" + path).then().statusCode(200);
        as(a).head("/storage/v1/object/datasets/" + path).then().statusCode(200)
                .header("Content-Length", "10").header("ETag", etag);
        as(a).head("/storage/v1/object/datasets/" + a.id() + "/missing").then().statusCode(400);
    }

    @Test
    void listShowsEntriesRelativeToThePrefixWithFolders() {
        User a = newUser();
        String u = a.id().toString();
        upload(a, "datasets", u + "/b.jsonl", NDJSON, "b".getBytes());
        upload(a, "datasets", u + "/a.jsonl", NDJSON, "aa".getBytes());
        upload(a, "datasets", u + "/job1/x.jsonl", NDJSON, "x".getBytes());
        upload(a, "datasets", u + "/job2/y.jsonl", NDJSON, "y".getBytes());

        as(a).contentType("application/json")
                .body(Map.of("prefix", u, "limit", 100, "offset", 0, "sortBy", Map.of("column", "name", "order", "asc")))
                .post("/storage/v1/object/list/datasets").then().statusCode(200)
                .body("name", contains("a.jsonl", "b.jsonl", "job1", "job2"))
                .body("[2].id", nullValue()).body("[2].metadata", nullValue())
                .body("[0].metadata.size", equalTo(2)).body("[0].metadata.mimetype", equalTo(NDJSON));
        as(a).contentType("application/json").body(Map.of("prefix", u + "/", "limit", 2, "offset", 1,
                        "sortBy", Map.of("column", "name", "order", "desc")))
                .post("/storage/v1/object/list/datasets").then().statusCode(200)
                .body("name", contains("job1", "b.jsonl"));
        as(a).contentType("application/json").body(Map.of("prefix", u, "search", "JOB"))
                .post("/storage/v1/object/list/datasets").then().statusCode(200)
                .body("name", contains("job1", "job2"));
        as(a).contentType("application/json").body(Map.of("prefix", u + "/job1"))
                .post("/storage/v1/object/list/datasets").then().statusCode(200)
                .body("name", contains("x.jsonl"));
        as(a).contentType("application/json").body(Map.of("prefix", "", "sortBy", Map.of("column", "size")))
                .post("/storage/v1/object/list/datasets").then().statusCode(400).body("statusCode", equalTo("400"));

        as(a).contentType("application/json").body(Map.of("prefixes", List.of(u + "/a.jsonl", u + "/b.jsonl", u + "/nope")))
                .delete("/storage/v1/object/datasets").then().statusCode(200)
                .body("name", containsInAnyOrder(u + "/a.jsonl", u + "/b.jsonl"))
                .body("[0].bucket_id", equalTo("datasets"));
        as(a).contentType("application/json").body(Map.of("prefix", u))
                .post("/storage/v1/object/list/datasets").then().statusCode(200).body("name", contains("job1", "job2"));
    }

    @Test
    void moveAndCopyWithinOwnFolder() {
        User a = newUser();
        String u = a.id().toString();
        upload(a, "datasets", u + "/m.jsonl", NDJSON, "move me".getBytes());
        as(a).contentType("application/json")
                .body(Map.of("bucketId", "datasets", "sourceKey", u + "/m.jsonl", "destinationKey", u + "/moved/m.jsonl"))
                .post("/storage/v1/object/move").then().statusCode(200).body("message", equalTo("Successfully moved"));
        as(a).get("/storage/v1/object/datasets/" + u + "/m.jsonl").then().statusCode(400);
        as(a).get("/storage/v1/object/datasets/" + u + "/moved/m.jsonl").then().statusCode(200).body(equalTo("move me"));

        as(a).contentType("application/json")
                .body(Map.of("bucketId", "datasets", "sourceKey", u + "/moved/m.jsonl", "destinationKey", u + "/c.jsonl"))
                .post("/storage/v1/object/copy").then().statusCode(200).body("Key", equalTo("datasets/" + u + "/c.jsonl"));
        as(a).delete("/storage/v1/object/datasets/" + u + "/moved/m.jsonl").then().statusCode(200);
        as(a).get("/storage/v1/object/datasets/" + u + "/c.jsonl").then().statusCode(200).body(equalTo("move me"));
        as(a).contentType("application/json")
                .body(Map.of("bucketId", "datasets", "sourceKey", u + "/nope", "destinationKey", u + "/x"))
                .post("/storage/v1/object/move").then().statusCode(400).body("statusCode", equalTo("404"));
    }

    // ---- authorization by PostgreSQL ----

    @Test
    void userBCannotTouchUserAsObjects() throws Exception {
        User a = newUser();
        User b = newUser();
        String path = a.id() + "/secret.jsonl";
        upload(a, "datasets", path, NDJSON, "A's data".getBytes());
        upload(b, "datasets", b.id() + "/mine.jsonl", NDJSON, "B's data".getBytes());

        // read
        as(b).get("/storage/v1/object/authenticated/datasets/" + path).then().statusCode(400)
                .body("statusCode", equalTo("404"));
        as(b).get("/storage/v1/object/info/datasets/" + path).then().statusCode(400).body("statusCode", equalTo("404"));
        anon().get("/storage/v1/object/datasets/" + path).then().statusCode(400).body("statusCode", equalTo("404"));
        anon().get("/storage/v1/object/public/datasets/" + path).then().statusCode(400).body("statusCode", equalTo("404"));
        // list
        as(b).contentType("application/json").body(Map.of("prefix", a.id().toString()))
                .post("/storage/v1/object/list/datasets").then().statusCode(200).body("$", empty());
        // overwrite, with and without upsert
        as(b).contentType(NDJSON).body("evil").post("/storage/v1/object/datasets/" + path).then().statusCode(400)
                .body("statusCode", equalTo("403")).body("error", equalTo("Unauthorized"));
        as(b).contentType(NDJSON).header("x-upsert", "true").body("evil").post("/storage/v1/object/datasets/" + path)
                .then().statusCode(400).body("statusCode", equalTo("403"));
        as(b).contentType(NDJSON).body("evil").put("/storage/v1/object/datasets/" + path).then().statusCode(400)
                .body("statusCode", equalTo("403"));
        // move onto A's folder, copy out of it
        as(b).contentType("application/json").body(Map.of("bucketId", "datasets", "sourceKey", b.id() + "/mine.jsonl",
                "destinationKey", a.id() + "/planted.jsonl")).post("/storage/v1/object/move").then().statusCode(400)
                .body("statusCode", equalTo("403"));
        as(b).contentType("application/json").body(Map.of("bucketId", "datasets", "sourceKey", path,
                "destinationKey", b.id() + "/stolen.jsonl")).post("/storage/v1/object/copy").then().statusCode(400)
                .body("statusCode", equalTo("404"));
        as(b).contentType("application/json").body(Map.of("bucketId", "datasets", "sourceKey", b.id() + "/mine.jsonl",
                "destinationKey", a.id() + "/planted.jsonl")).post("/storage/v1/object/copy").then().statusCode(400)
                .body("statusCode", equalTo("403"));
        // sign
        as(b).contentType("application/json").body(Map.of("expiresIn", 60))
                .post("/storage/v1/object/sign/datasets/" + path).then().statusCode(400).body("statusCode", equalTo("404"));
        as(b).contentType("application/json").body(Map.of("expiresIn", 60, "paths", List.of(path, b.id() + "/mine.jsonl")))
                .post("/storage/v1/object/sign/datasets").then().statusCode(200)
                .body("[0].signedURL", nullValue()).body("[0].path", equalTo(path))
                .body("[0].error", equalTo("Either the object does not exist or you do not have access to it"))
                .body("[1].error", nullValue()).body("[1].signedURL", startsWith("/object/sign/datasets/" + b.id() + "/mine.jsonl?token="));
        as(b).post("/storage/v1/object/upload/sign/datasets/" + a.id() + "/via-signed.jsonl").then().statusCode(400)
                .body("statusCode", equalTo("403"));
        // delete, one and many
        as(b).delete("/storage/v1/object/datasets/" + path).then().statusCode(400).body("statusCode", equalTo("404"));
        as(b).contentType("application/json").body(Map.of("prefixes", List.of(path)))
                .delete("/storage/v1/object/datasets").then().statusCode(200).body("$", empty());

        // nothing changed, nothing planted, nothing left staged
        as(a).get("/storage/v1/object/datasets/" + path).then().statusCode(200).body(equalTo("A's data"));
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from storage.objects where name like '" + a.id() + "/%'")) {
            r.next();
            assertEquals(1, r.getInt(1));
        }
        assertEquals(0, tempFiles());
    }

    @Test
    void avatarsArePublicAndNeedAnAuthenticatedUploader() {
        User a = newUser();
        User b = newUser();
        String path = a.id() + "/avatar.png";
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        anon().contentType("image/png").body(png).post("/storage/v1/object/avatars/" + path).then().statusCode(400)
                .body("statusCode", equalTo("403"));
        upload(a, "avatars", path, "image/png", png);
        byte[] got = given().get("/storage/v1/object/public/avatars/" + path).then().statusCode(200)
                .header("Content-Type", "image/png").extract().asByteArray();
        assertArrayEquals(png, got);
        anon().get("/storage/v1/object/avatars/" + path).then().statusCode(200);
        // B may not replace A's avatar (update policy is own folder only)
        as(b).contentType("image/png").header("x-upsert", "true").body(new byte[] {1})
                .post("/storage/v1/object/avatars/" + path).then().statusCode(400).body("statusCode", equalTo("403"));
        as(a).contentType("image/png").header("x-upsert", "true").body(new byte[] {9})
                .post("/storage/v1/object/avatars/" + path).then().statusCode(200);
        // MIME types are the bucket's
        as(a).contentType("text/html").body("<x>").post("/storage/v1/object/avatars/" + a.id() + "/x.html")
                .then().statusCode(400).body("statusCode", equalTo("415")).body("error", equalTo("invalid_mime_type"));
    }

    // ---- signed URLs ----

    @Test
    void signedDownloadUrlsServeWithoutAuthAndRejectForgeries() {
        User a = newUser();
        String path = a.id() + "/job9/notebook.ipynb";
        as(a).contentType("application/x-ipynb+json").header("x-upsert", "true").body("{\"cells\":[]}")
                .post("/storage/v1/object/notebooks/" + path).then().statusCode(200);
        String signed = as(a).contentType("application/json").body(Map.of("expiresIn", 3600))
                .post("/storage/v1/object/sign/notebooks/" + path).then().statusCode(200)
                .body("signedURL", startsWith("/object/sign/notebooks/" + path + "?token="))
                .extract().path("signedURL");
        String token = signed.substring(signed.indexOf("token=") + 6);
        given().get("/storage/v1" + signed).then().statusCode(200).body(equalTo("{\"cells\":[]}"))
                .header("Content-Type", startsWith("application/x-ipynb+json"));
        given().get("/storage/v1" + signed + "&download=nb.ipynb").then().statusCode(200)
                .header("Content-Disposition", "attachment; filename=\"nb.ipynb\"");

        // tampered signature, another object's path, expired, missing
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        given().get("/storage/v1/object/sign/notebooks/" + path + "?token=" + tampered).then().statusCode(400)
                .body("statusCode", equalTo("400")).body("error", equalTo("InvalidJWT"));
        given().get("/storage/v1/object/sign/notebooks/" + a.id() + "/job9/other.ipynb?token=" + token)
                .then().statusCode(400).body("error", equalTo("InvalidSignature"));
        long now = Instant.now().getEpochSecond();
        String expired = TokenMinter.hs256(Map.of("url", "notebooks/" + path, "iat", now - 100, "exp", now - 10));
        given().get("/storage/v1/object/sign/notebooks/" + path + "?token=" + expired).then().statusCode(400)
                .body("message", equalTo("jwt expired"));
        String otherSecret = TokenMinter.hs256(Map.of("url", "notebooks/" + path, "iat", now, "exp", now + 60),
                "another-secret-of-at-least-32-characters!!");
        given().get("/storage/v1/object/sign/notebooks/" + path + "?token=" + otherSecret).then().statusCode(400);
        given().get("/storage/v1/object/sign/notebooks/" + path).then().statusCode(400);
        // interoperability: a token made like storage-api makes it (HS256 over {url, iat, exp}) is accepted
        String theirs = TokenMinter.hs256(Map.of("url", "notebooks/" + path, "iat", now, "exp", now + 60));
        given().get("/storage/v1/object/sign/notebooks/" + path + "?token=" + theirs).then().statusCode(200);
    }

    @Test
    void signedUploadUrlUploadsAsTheSigner() throws Exception {
        User a = newUser();
        String path = a.id() + "/signed/up.jsonl";
        Map<String, String> res = as(a).post("/storage/v1/object/upload/sign/datasets/" + path).then().statusCode(200)
                .body("url", startsWith("/object/upload/sign/datasets/" + path + "?token=")).extract().as(Map.class);
        String token = res.get("token");
        assertTrue(res.get("url").endsWith("?token=" + token));
        given().contentType(NDJSON).body("{\"a\":1}\n").put("/storage/v1/object/upload/sign/datasets/" + path + "?token=" + token)
                .then().statusCode(200).body("Key", equalTo("datasets/" + path));
        as(a).get("/storage/v1/object/datasets/" + path).then().statusCode(200).body(equalTo("{\"a\":1}\n"));
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select owner from storage.objects where bucket_id = 'datasets' and name = '" + path + "'")) {
            assertTrue(r.next());
            assertEquals(a.id().toString(), r.getString(1));
        }
        // the token is for that path only, and without upsert a second use is a duplicate
        given().contentType(NDJSON).body("x").put("/storage/v1/object/upload/sign/datasets/" + a.id() + "/other?token=" + token)
                .then().statusCode(400).body("error", equalTo("InvalidSignature"));
        given().contentType(NDJSON).body("x").put("/storage/v1/object/upload/sign/datasets/" + path + "?token=" + token)
                .then().statusCode(400).body("statusCode", equalTo("409"));
    }

    // ---- multipart (storage-js Blob/File uploads) ----

    @Test
    void multipartUploadWithEmptyFieldNameAndCacheControl() {
        User a = newUser();
        String path = a.id() + "/mp/data.json";
        String boundary = "----formdata-undici-0123456789";
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"cacheControl\"\r\n\r\n"
                + "3600\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"\"; filename=\"blob\"\r\n"
                + "Content-Type: application/json\r\n\r\n"
                + "{\"x\":\"line1\\r\\n--not-a-boundary\"}\r\n"
                + "--" + boundary + "--\r\n";
        as(a).contentType("multipart/form-data; boundary=" + boundary).body(body.getBytes(StandardCharsets.UTF_8))
                .post("/storage/v1/object/datasets/" + path).then().statusCode(200).body("Key", equalTo("datasets/" + path));
        as(a).get("/storage/v1/object/datasets/" + path).then().statusCode(200)
                .header("Content-Type", startsWith("application/json")).header("Cache-Control", "max-age=3600")
                .body(equalTo("{\"x\":\"line1\\r\\n--not-a-boundary\"}"));
        as(a).contentType("multipart/form-data; boundary=" + boundary).body("--" + boundary + "\r\ngarbage")
                .post("/storage/v1/object/datasets/" + a.id() + "/bad.json").then().statusCode(400)
                .body("statusCode", equalTo("400"));
    }

    // ---- limits, path safety, crash safety ----

    @Test
    void overLimitUploadIs413EvenWhenChunked() throws Exception {
        User a = newUser();
        byte[] big = new byte[6 * 1024 * 1024]; // avatars allow 5 MiB
        // chunked: no Content-Length, so the limit is enforced while streaming
        as(a).contentType("image/png").body(new ByteArrayInputStream(big))
                .post("/storage/v1/object/avatars/" + a.id() + "/big.png").then().statusCode(413)
                .body("statusCode", equalTo("413")).body("error", equalTo("Payload too large"))
                .body("code", equalTo("EntityTooLarge"));
        as(a).contentType("image/png").body(big)
                .post("/storage/v1/object/avatars/" + a.id() + "/big2.png").then().statusCode(413)
                .body("statusCode", equalTo("413"));
        as(a).get("/storage/v1/object/avatars/" + a.id() + "/big.png").then().statusCode(400);
        assertEquals(0, tempFiles());
    }

    @Test
    void unsafeNamesAreRejectedInEveryEncoding() throws Exception {
        User a = newUser();
        String u = a.id().toString();
        List<String> bad = List.of(
                u + "/../x", u + "/%2e%2e/x", u + "/%2E%2E%2Fx", u + "/..%2f..%2f..%2fetc%2fpasswd",
                u + "/./x", u + "/%2e/x", u + "%2F..%2Fx", u + "/a%5Cb", u + "/a%00b", u + "/a%0Ab", u + "/a%7Fb",
                u + "//x", "%2F" + u + "/x", u + "/x/", u + "/%zz", u + "/" + "a".repeat(1030));
        for (String p : bad) {
            raw("POST", "/storage/v1/object/datasets/" + p, a);
            raw("GET", "/storage/v1/object/datasets/" + p, a);
            raw("DELETE", "/storage/v1/object/datasets/" + p, a);
        }
        // decoded once: a literal %2e in a name stays a name, not a traversal
        as(a).urlEncodingEnabled(false).contentType(NDJSON).body("ok").post("/storage/v1/object/datasets/" + u + "/%252e%252e")
                .then().statusCode(200).body("Key", equalTo("datasets/" + u + "/%2e%2e"));
        as(a).urlEncodingEnabled(false).contentType(NDJSON).body("sp").post("/storage/v1/object/datasets/" + u + "/with%20space.jsonl")
                .then().statusCode(200).body("Key", equalTo("datasets/" + u + "/with space.jsonl"));
        // bucket names too
        as(a).urlEncodingEnabled(false).contentType(NDJSON).body("x").post("/storage/v1/object/..%2F/x")
                .then().statusCode(400);
        // everything lives under the root's objects/ and tmp/ only
        try (Stream<Path> s = Files.list(TestStorageRoot.root)) {
            assertEquals(List.of("objects", "tmp"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(0, tempFiles());
    }

    @Test
    void interruptedUploadLeavesNoObjectAndNoTempFile() throws Exception {
        User a = newUser();
        String path = "/storage/v1/object/datasets/" + a.id() + "/cut.jsonl";
        try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            var out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\napikey: " + ANON + "\r\nAuthorization: Bearer "
                    + a.token() + "\r\nContent-Type: " + NDJSON + "\r\nContent-Length: 10000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[3_000_000]);
            out.flush();
            Thread.sleep(300);
        } // connection dropped after 3 of 10 MB
        long deadline = System.currentTimeMillis() + 5000;
        while (tempFiles() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(0, tempFiles());
        as(a).get(path).then().statusCode(400).body("statusCode", equalTo("404"));
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from storage.objects where owner = '" + a.id() + "'")) {
            r.next();
            assertEquals(0, r.getInt(1));
        }
    }

    @Test
    void sweeperRollsForwardCommittedAndDeletesOrphanTempFiles() throws Exception {
        User a = newUser();
        Path tmp = TestStorageRoot.root.resolve("tmp");
        String orphan = UUID.randomUUID().toString();
        Path orphanFile = tmp.resolve("datasets__" + orphan + ".part");
        Files.writeString(orphanFile, "half an upload");
        String committed = UUID.randomUUID().toString();
        Path committedFile = tmp.resolve("datasets__" + committed + ".part");
        Files.writeString(committedFile, "committed bytes");
        Path fresh = tmp.resolve("datasets__" + UUID.randomUUID() + ".part");
        Files.writeString(fresh, "an upload in progress");
        FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
        Files.setLastModifiedTime(orphanFile, old);
        Files.setLastModifiedTime(committedFile, old);
        String name = a.id() + "/crashed.jsonl";
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            s.execute("insert into storage.objects (bucket_id, name, owner, version, metadata) values ('datasets', '"
                    + name + "', '" + a.id() + "', '" + committed + "', '{\"size\":15,\"mimetype\":\"text/plain\",\"eTag\":\"\\\"e\\\"\"}')");
        }
        assertEquals(2, sweeper.sweep());
        assertFalse(Files.exists(orphanFile));
        assertFalse(Files.exists(committedFile));
        assertTrue(Files.exists(fresh));
        Files.delete(fresh);
        as(a).get("/storage/v1/object/datasets/" + name).then().statusCode(200).body(equalTo("committed bytes"));
    }

    @Test
    void orphanSweepDoesNothingWithoutAuthUsers() {
        // this database has no auth slice: owners cannot be checked, so nothing is an orphan
        User a = newUser();
        upload(a, "datasets", a.id() + "/keep/me.jsonl", NDJSON, "{}\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, orphans.sweep(10));
        as(a).get("/storage/v1/object/datasets/" + a.id() + "/keep/me.jsonl").then().statusCode(200).body(equalTo("{}\n"));
    }

    // ---- bucket admin ----

    @Test
    void bucketAdminIsForServiceRoleOnly() {
        User a = newUser();
        as(a).get("/storage/v1/bucket").then().statusCode(400).body("statusCode", equalTo("403"));
        anon().contentType("application/json").body(Map.of("name", "x")).post("/storage/v1/bucket").then().statusCode(400);
        service().get("/storage/v1/bucket").then().statusCode(200).body("id", org.hamcrest.Matchers.hasItems("avatars", "datasets", "notebooks"));
        service().get("/storage/v1/bucket/datasets").then().statusCode(200).body("public", equalTo(false))
                .body("file_size_limit", equalTo(1073741824))
                .body("allowed_mime_types", contains("application/x-ndjson", "application/jsonl", "application/json",
                        "text/plain", "application/octet-stream"));
        service().get("/storage/v1/bucket/avatars").then().statusCode(200).body("public", equalTo(true))
                .body("file_size_limit", equalTo(5242880));
        service().get("/storage/v1/bucket/notebooks").then().statusCode(200).body("file_size_limit", equalTo(52428800));
        service().get("/storage/v1/bucket/nope").then().statusCode(400).body("statusCode", equalTo("404"));

        service().contentType("application/json").body(Map.of("id", "scratch", "name", "scratch", "public", true,
                "file_size_limit", "1MB")).post("/storage/v1/bucket").then().statusCode(200).body("name", equalTo("scratch"));
        service().contentType("application/json").body(Map.of("id", "scratch", "name", "scratch"))
                .post("/storage/v1/bucket").then().statusCode(400).body("statusCode", equalTo("409"));
        service().get("/storage/v1/bucket/scratch").then().statusCode(200).body("file_size_limit", equalTo(1048576));
        service().contentType("text/plain").body("hello").post("/storage/v1/object/scratch/f.txt").then().statusCode(200);
        given().get("/storage/v1/object/public/scratch/f.txt").then().statusCode(200).body(equalTo("hello"));
        service().contentType("application/json").body(Map.of("id", "scratch", "public", false))
                .put("/storage/v1/bucket/scratch").then().statusCode(200);
        given().get("/storage/v1/object/public/scratch/f.txt").then().statusCode(400);
        service().delete("/storage/v1/bucket/scratch").then().statusCode(400).body("statusCode", equalTo("409"));
        service().post("/storage/v1/bucket/scratch/empty").then().statusCode(200).body("message", equalTo("Successfully emptied"));
        service().delete("/storage/v1/bucket/scratch").then().statusCode(200);
        service().get("/storage/v1/bucket/scratch").then().statusCode(400);
    }

    @Test
    void badTokensAndMalformedBodiesAre4xxJson() {
        given().header("Authorization", "Bearer not-a-jwt").get("/storage/v1/object/datasets/x/y").then()
                .statusCode(401).body("statusCode", equalTo("403"));
        User a = newUser();
        as(a).contentType("application/json").body("{bad").post("/storage/v1/object/list/datasets").then()
                .statusCode(400);
        as(a).contentType("application/json").body(Map.of("expiresIn", "soon"))
                .post("/storage/v1/object/sign/datasets/" + a.id() + "/x").then().statusCode(400)
                .body("statusCode", equalTo("400"));
        as(a).contentType(NDJSON).body("x").post("/storage/v1/object/nobucket/" + a.id() + "/x").then().statusCode(400)
                .body("statusCode", equalTo("404")).body("message", equalTo("Bucket not found"));
    }

    /** java.net's client sends the path byte for byte (no dot-segment normalisation). */
    static void raw(String method, String path, User u) throws Exception {
        var url = new java.net.URL("http://localhost:" + io.restassured.RestAssured.port + path);
        var conn = (java.net.HttpURLConnection) url.openConnection();
        conn.setRequestMethod(method);
        conn.setRequestProperty("apikey", ANON);
        conn.setRequestProperty("Authorization", "Bearer " + u.token());
        conn.setRequestProperty("Content-Type", NDJSON);
        if (method.equals("POST")) {
            conn.setDoOutput(true);
            conn.getOutputStream().write("x".getBytes());
        }
        int status = conn.getResponseCode();
        assertEquals(400, status, method + " " + path);
        if (path.contains("%zz")) {
            return; // malformed escapes are refused by the HTTP layer itself, before routing
        }
        String body = new String(conn.getErrorStream().readAllBytes());
        assertTrue(body.contains("\"statusCode\":\"400\""), body);
    }

    static String md5(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(b));
    }
}
