package io.slmgen.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TestUsers;
import io.slmgen.shared.testing.TestUsers.TestUser;
import io.slmgen.shared.testing.TokenMinter;
import io.slmgen.storage.service.OrphanSweeper;

/** The orphan sweep against a database with auth-service's slice (auth.users). */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {@ResourceArg(name = "name", value = "storage_orphans"),
        @ResourceArg(name = "slices", value = "auth")})
@WithTestResource(TestStorageRoot.class)
class OrphanSweepTest {

    @Inject
    OrphanSweeper sweeper;

    static RequestSpecification as(TestUser u) {
        return given().header("apikey", TokenMinter.anonKey()).header("Authorization", "Bearer " + u.token());
    }

    static void upload(RequestSpecification who, String bucket, String path, String type, String body) {
        who.contentType(type).body(body.getBytes()).post("/storage/v1/object/" + bucket + "/" + path)
                .then().statusCode(200).body("Key", equalTo(bucket + "/" + path));
    }

    @Test
    void objectsOfADeletedUserDisappearFromDatasetsAndNotebooksOthersStay() throws Exception {
        TestUser a = TestUsers.create("orphan-a");
        TestUser b = TestUsers.create("orphan-b");
        String service = TokenMinter.serviceKey();
        RequestSpecification svc = given().header("apikey", service).header("Authorization", "Bearer " + service);
        upload(as(a), "datasets", a.id() + "/job/train.jsonl", "application/x-ndjson", "{\"a\":1}\n");
        upload(as(a), "datasets", a.id() + "/job/eval.jsonl", "application/x-ndjson", "{\"a\":2}\n");
        upload(as(a), "notebooks", a.id() + "/job/n.ipynb", "application/json", "{\"cells\":[]}");
        upload(as(a), "avatars", a.id() + "/me.png", "image/png", "png");
        upload(as(b), "datasets", b.id() + "/job/train.jsonl", "application/x-ndjson", "{\"b\":1}\n");
        svc.contentType("application/x-ndjson").body("{\"s\":1}\n".getBytes())
                .post("/storage/v1/object/datasets/shared/seed.jsonl").then().statusCode(200);

        // nothing is orphaned yet
        assertEquals(0, sweeper.sweep(1));
        List<Path> aBlobs = blobs("owner = '" + a.id() + "' and bucket_id in ('datasets', 'notebooks')");
        assertEquals(3, aBlobs.size());
        aBlobs.forEach(p -> assertTrue(Files.exists(p), p.toString()));

        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            s.execute("delete from auth.users where id = '" + a.id() + "'");
        }
        // batches of one: three transactions, then an empty one
        assertEquals(3, sweeper.sweep(1));
        aBlobs.forEach(p -> assertFalse(Files.exists(p), p.toString()));
        assertEquals(List.of("avatars/" + a.id() + "/me.png", "datasets/" + b.id() + "/job/train.jsonl",
                "datasets/shared/seed.jsonl"), names());
        as(b).get("/storage/v1/object/datasets/" + b.id() + "/job/train.jsonl").then().statusCode(200)
                .body(equalTo("{\"b\":1}\n"));
        given().get("/storage/v1/object/public/avatars/" + a.id() + "/me.png").then().statusCode(200).body(equalTo("png"));
        assertEquals(0, sweeper.sweep(500));
    }

    static List<String> names() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select bucket_id || '/' || name from storage.objects order by 1")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    static List<Path> blobs(String where) throws Exception {
        List<Path> out = new ArrayList<>();
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select bucket_id, version from storage.objects where " + where)) {
            while (r.next()) {
                String v = r.getString(2);
                UUID.fromString(v);
                out.add(TestStorageRoot.root.resolve("objects").resolve(r.getString(1)).resolve(v.substring(0, 2)).resolve(v));
            }
        }
        return out;
    }
}
