package io.slmgen.postgrest;

import static io.slmgen.postgrest.Fixtures.anon;
import static io.slmgen.postgrest.Fixtures.as;
import static io.slmgen.postgrest.Fixtures.count;
import static io.slmgen.postgrest.Fixtures.job;
import static io.slmgen.postgrest.Fixtures.service;
import static io.slmgen.postgrest.Fixtures.sid;
import static io.slmgen.postgrest.Fixtures.string;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TestUsers;
import io.slmgen.shared.testing.TestUsers.TestUser;

/** Inserts, upserts, updates and deletes at /rest/v1 as postgrest-js sends them, under the seed's RLS. */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "postgrest"), @ResourceArg(name = "slices", value = "auth,jobs")})
class PostgrestWriteTest {

    TestUser alice;
    TestUser bob;

    @BeforeEach
    void arrange() {
        alice = TestUsers.create("alice");
        bob = TestUsers.create("bob");
    }

    static String jobJson(UUID owner, String session, String file, int examples) {
        return "{\"user_id\":\"" + owner + "\",\"session_id\":\"" + session + "\",\"dataset_filename\":\"" + file
                + "\",\"dataset_path\":\"datasets/" + file + "\",\"total_examples\":" + examples
                + ",\"total_tokens\":" + (examples * 100) + ",\"quality_score\":0.8,\"task_type\":\"qa\","
                + "\"deployment_target\":\"edge\",\"selected_model_id\":\"gemma2\",\"selected_model_name\":\"Gemma 2\","
                + "\"model_score\":0.7,\"training_config\":{\"epochs\":2,\"targets\":[\"q\",\"v\"]}}";
    }

    // ---- insert ----

    @Test
    void insertOneWithRepresentationAnswers201AndTheRows() {
        String s = sid("ins");
        as(alice).contentType(ContentType.JSON).header("Content-Profile", "public")
                .header("Prefer", "return=representation").queryParam("select", "*")
                .body(jobJson(alice.id(), s, "one.jsonl", 5))
                .post("/rest/v1/jobs").then().statusCode(201)
                .header("Content-Range", "*/*")
                .body("size()", equalTo(1))
                .body("[0].session_id", equalTo(s))
                .body("[0].user_id", equalTo(alice.id().toString()))
                .body("[0].status", equalTo("created"))
                .body("[0].training_config.targets", contains("q", "v"))
                .body("[0].created_at", startsWith("20"));
        assertEquals(1, count("select count(*) from public.jobs where session_id = ?", s));
    }

    @Test
    void insertIsMinimalByDefault() {
        String s = sid("min");
        as(alice).contentType(ContentType.JSON).body(jobJson(alice.id(), s, "min.jsonl", 5))
                .post("/rest/v1/jobs").then().statusCode(201).body(emptyString());
        as(alice).contentType(ContentType.JSON).header("Prefer", "return=minimal")
                .body(jobJson(alice.id(), s + "b", "min.jsonl", 5))
                .post("/rest/v1/jobs").then().statusCode(201).body(emptyString());
        assertEquals(2, count("select count(*) from public.jobs where session_id like ?", s + "%"));
    }

    @Test
    void bulkInsertWithColumnsCountAndSelect() {
        String s = sid("bulk");
        String body = "[" + jobJson(alice.id(), s + "-1", "b1.jsonl", 1) + "," + jobJson(alice.id(), s + "-2", "b2.jsonl", 2) + "]";
        as(alice).contentType(ContentType.JSON)
                .header("Prefer", "count=exact, return=representation")
                .queryParam("columns", "\"user_id\",\"session_id\",\"dataset_filename\",\"dataset_path\",\"total_examples\","
                        + "\"total_tokens\",\"quality_score\",\"task_type\",\"deployment_target\",\"selected_model_id\","
                        + "\"selected_model_name\",\"model_score\",\"training_config\"")
                .queryParam("select", "session_id,total_examples")
                .body(body)
                .post("/rest/v1/jobs").then().statusCode(201)
                .header("Content-Range", "*/2")
                .body("session_id", contains(s + "-1", s + "-2"))
                .body("[0].size()", equalTo(2));
    }

    @Test
    void missingKeysAreNullUnlessMissingDefaultIsPreferred() {
        String s = sid("miss");
        String withStatus = jobJson(alice.id(), s + "-1", "m1.jsonl", 1).replace("{\"user_id\"", "{\"status\":\"queued\",\"user_id\"");
        String without = jobJson(alice.id(), s + "-2", "m2.jsonl", 2);
        String columns = "\"status\",\"user_id\",\"session_id\",\"dataset_filename\",\"dataset_path\",\"total_examples\","
                + "\"total_tokens\",\"quality_score\",\"task_type\",\"deployment_target\",\"selected_model_id\","
                + "\"selected_model_name\",\"model_score\",\"training_config\"";
        // postgrest-js's default (defaultToNull): a key missing from one object is inserted as null
        as(alice).contentType(ContentType.JSON).header("Prefer", "return=representation")
                .queryParam("columns", columns).queryParam("select", "status")
                .body("[" + withStatus + "," + without + "]")
                .post("/rest/v1/jobs").then().statusCode(201)
                .body("status", contains("queued", null));
        // defaultToNull: false sends Prefer: missing=default, and the column default applies
        as(alice).contentType(ContentType.JSON).header("Prefer", "return=representation, missing=default")
                .queryParam("columns", columns).queryParam("select", "status,training_config")
                .body("[" + withStatus.replace(s + "-1", s + "-3") + "," + without.replace(s + "-2", s + "-4") + "]")
                .post("/rest/v1/jobs").then().statusCode(201)
                .body("status", contains("queued", "created"))
                .body("[1].training_config.epochs", equalTo(2));
    }

    @Test
    void emptyArrayInsertsNothing() {
        as(alice).contentType(ContentType.JSON).header("Prefer", "return=representation").body("[]")
                .post("/rest/v1/jobs").then().statusCode(201).body("$", empty());
    }

    @Test
    void insertWithSingleObjectAcceptReturnsTheObject() {
        String s = sid("one");
        as(alice).contentType(ContentType.JSON).header("Prefer", "return=representation")
                .header("Accept", "application/vnd.pgrst.object+json").queryParam("select", "session_id")
                .body(jobJson(alice.id(), s, "o.jsonl", 1))
                .post("/rest/v1/jobs").then().statusCode(201)
                .body("session_id", equalTo(s));
    }

    @Test
    void upsertMergesOnConflictColumnAndPrimaryKey() {
        String s = sid("up");
        UUID id = job(alice, s, "orig.jsonl", 10, 0.5, "created", "{}", null);
        as(alice).contentType(ContentType.JSON)
                .header("Prefer", "resolution=merge-duplicates, return=representation")
                .queryParam("on_conflict", "session_id")
                .body(jobJson(alice.id(), s, "merged.jsonl", 11))
                .post("/rest/v1/jobs").then().statusCode(201)
                .body("[0].id", equalTo(id.toString()))
                .body("[0].dataset_filename", equalTo("merged.jsonl"))
                .body("[0].total_examples", equalTo(11));
        assertEquals(1, count("select count(*) from public.jobs where session_id = ?", s));

        // on the primary key when no on_conflict is given
        String withId = "{\"id\":\"" + id + "\"," + jobJson(alice.id(), s, "by-pk.jsonl", 12).substring(1);
        as(alice).contentType(ContentType.JSON).header("Prefer", "resolution=merge-duplicates")
                .body(withId).post("/rest/v1/jobs").then().statusCode(201).body(emptyString());
        assertEquals("by-pk.jsonl", string("select dataset_filename from public.jobs where id = ?", id));
    }

    @Test
    void upsertIgnoringDuplicatesKeepsTheExistingRow() {
        String s = sid("ign");
        job(alice, s, "keep.jsonl", 10, 0.5, "created", "{}", null);
        as(alice).contentType(ContentType.JSON)
                .header("Prefer", "resolution=ignore-duplicates, return=representation")
                .queryParam("on_conflict", "session_id")
                .body(jobJson(alice.id(), s, "ignored.jsonl", 11))
                .post("/rest/v1/jobs").then().statusCode(201).body("$", empty());
        assertEquals("keep.jsonl", string("select dataset_filename from public.jobs where session_id = ?", s));
    }

    @Test
    void duplicateIs409With23505() {
        String s = sid("dup");
        job(alice, s, "first.jsonl", 10, 0.5, "created", "{}", null);
        as(alice).contentType(ContentType.JSON).body(jobJson(alice.id(), s, "second.jsonl", 1))
                .post("/rest/v1/jobs").then().statusCode(409)
                .body("code", equalTo("23505"))
                .body("message", equalTo("duplicate key value violates unique constraint \"jobs_session_id_key\""))
                // PostgreSQL withholds the key's value from the error when the table has RLS enabled
                .body("details", nullValue());
    }

    @Test
    void foreignKeyViolationIs409With23503() {
        // the service role bypasses RLS, so the foreign key is what stops a job for nobody
        service().contentType(ContentType.JSON).body(jobJson(UUID.randomUUID(), sid("fk"), "fk.jsonl", 1))
                .post("/rest/v1/jobs").then().statusCode(409).body("code", equalTo("23503"));
    }

    @Test
    void badValuesAndMissingRequiredColumnsAre400() {
        as(alice).contentType(ContentType.JSON).body(jobJson(alice.id(), sid("bad"), "x", 1).replace(
                        "\"total_examples\":1", "\"total_examples\":\"many\""))
                .post("/rest/v1/jobs").then().statusCode(400).body("code", equalTo("22P02"));
        as(alice).contentType(ContentType.JSON).body("{\"user_id\":\"not-a-uuid\"}")
                .post("/rest/v1/jobs").then().statusCode(400).body("code", equalTo("22P02"));
        as(alice).contentType(ContentType.JSON)
                .body("{\"user_id\":\"" + alice.id() + "\",\"session_id\":\"" + sid("nn") + "\"}")
                .post("/rest/v1/jobs").then().statusCode(400).body("code", equalTo("23502"));
    }

    @Test
    void unknownPayloadColumnsAndBadJsonAre400() {
        as(alice).contentType(ContentType.JSON).body("{\"user_id\":\"" + alice.id() + "\",\"nope\":1}")
                .post("/rest/v1/jobs").then().statusCode(400)
                .body("code", equalTo("PGRST204"))
                .body("message", equalTo("Could not find the 'nope' column of 'jobs' in the schema cache"));
        as(alice).contentType(ContentType.JSON).body("{\"status\\\") values (1); drop table public.jobs; --\":1}")
                .post("/rest/v1/jobs").then().statusCode(400).body("code", equalTo("PGRST204"));
        as(alice).contentType(ContentType.JSON).queryParam("columns", "\"user_id\",\"x\\\"; drop table public.jobs\"")
                .body("[{\"user_id\":\"" + alice.id() + "\"}]")
                .post("/rest/v1/jobs").then().statusCode(400).body("code", equalTo("PGRST204"));
        as(alice).contentType(ContentType.JSON).body("{\"user_id\":").post("/rest/v1/jobs").then().statusCode(400)
                .body("code", equalTo("PGRST102"));
        as(alice).contentType(ContentType.JSON).body("[1,2]").post("/rest/v1/jobs").then().statusCode(400)
                .body("code", equalTo("PGRST102"));
        as(alice).contentType(ContentType.JSON).header("Content-Profile", "storage")
                .body(jobJson(alice.id(), sid("p"), "p", 1)).post("/rest/v1/jobs").then().statusCode(406)
                .body("code", equalTo("PGRST106"));
        assertEquals(1, count("select count(*) from pg_tables where schemaname = 'public' and tablename = 'jobs'"));
    }

    @Test
    void insertingForAnotherUserIs403AndAnonIs401() {
        String s = sid("rls");
        as(bob).contentType(ContentType.JSON).body(jobJson(alice.id(), s, "theft.jsonl", 1))
                .post("/rest/v1/jobs").then().statusCode(403)
                .body("code", equalTo("42501"))
                .body("message", equalTo("new row violates row-level security policy for table \"jobs\""));
        anon().contentType(ContentType.JSON).body(jobJson(alice.id(), s, "anon.jsonl", 1))
                .post("/rest/v1/jobs").then().statusCode(401).body("code", equalTo("42501"));
        assertEquals(0, count("select count(*) from public.jobs where session_id = ?", s));
    }

    // ---- update ----

    @Test
    void patchWithFilterIs204AndChangesOnlyMatchingRows() {
        UUID a = job(alice, sid("pa"), "a.jsonl", 1, 0.5, "created", "{}", null);
        UUID b = job(alice, sid("pb"), "b.jsonl", 2, 0.5, "created", "{}", null);
        as(alice).contentType(ContentType.JSON).queryParam("id", "eq." + a)
                .body("{\"status\":\"running\",\"training_config\":{\"epochs\":4},\"colab_url\":null}")
                .patch("/rest/v1/jobs").then().statusCode(204).body(emptyString());
        assertEquals("running", string("select status from public.jobs where id = ?", a));
        assertEquals("{\"epochs\": 4}", string("select training_config::text from public.jobs where id = ?", a));
        assertEquals("created", string("select status from public.jobs where id = ?", b));
    }

    @Test
    void patchWithRepresentationAnswers200WithTheRows() {
        String s = sid("pr");
        job(alice, s + "-1", "a.jsonl", 1, 0.5, "created", "{}", null);
        job(alice, s + "-2", "b.jsonl", 2, 0.5, "created", "{}", null);
        as(alice).contentType(ContentType.JSON).header("Prefer", "return=representation, count=exact")
                .queryParam("session_id", "like." + s + "*").queryParam("select", "session_id,status")
                .body("{\"status\":\"completed\"}")
                .patch("/rest/v1/jobs").then().statusCode(200)
                .header("Content-Range", "0-1/2")
                .body("status", contains("completed", "completed"));
        as(alice).contentType(ContentType.JSON).header("Prefer", "return=representation")
                .queryParam("id", "eq." + UUID.randomUUID()).body("{\"status\":\"x\"}")
                .patch("/rest/v1/jobs").then().statusCode(200).body("$", empty());
    }

    @Test
    void singleObjectPatchOfTwoRowsIs406AndRolledBack() {
        String s = sid("ps");
        job(alice, s + "-1", "a.jsonl", 1, 0.5, "created", "{}", null);
        job(alice, s + "-2", "b.jsonl", 2, 0.5, "created", "{}", null);
        as(alice).contentType(ContentType.JSON).header("Prefer", "return=representation")
                .header("Accept", "application/vnd.pgrst.object+json")
                .queryParam("session_id", "like." + s + "*").body("{\"status\":\"failed\"}")
                .patch("/rest/v1/jobs").then().statusCode(406).body("code", equalTo("PGRST116"))
                .body("details", equalTo("The result contains 2 rows"));
        assertEquals(0, count("select count(*) from public.jobs where session_id like ? and status = 'failed'", s + "%"));
    }

    @Test
    void anotherUsersPatchAndDeleteAffectNothing() {
        String s = sid("iso");
        UUID a = job(alice, s, "a.jsonl", 1, 0.5, "created", "{}", null);
        UUID mine = job(bob, sid("bobs"), "bob.jsonl", 1, 0.5, "created", "{}", null);
        as(bob).contentType(ContentType.JSON).header("Prefer", "return=representation")
                .queryParam("id", "eq." + a).body("{\"status\":\"hijacked\"}")
                .patch("/rest/v1/jobs").then().statusCode(200).body("$", empty());
        // no filter at all: RLS limits it to bob's own rows
        as(bob).contentType(ContentType.JSON).body("{\"status\":\"bobbed\"}")
                .patch("/rest/v1/jobs").then().statusCode(204);
        as(bob).header("Prefer", "return=representation").queryParam("id", "eq." + a)
                .delete("/rest/v1/jobs").then().statusCode(200).body("$", empty());
        as(bob).queryParam("id", "eq." + a).delete("/rest/v1/jobs").then().statusCode(204);
        assertEquals("created", string("select status from public.jobs where id = ?", a));
        assertEquals("bobbed", string("select status from public.jobs where id = ?", mine));
        assertEquals(1, count("select count(*) from public.jobs where id = ?", a));
        // anon holds no DELETE right on jobs: 401 as PostgREST answers for anon permission errors
        anon().queryParam("id", "eq." + a).delete("/rest/v1/jobs").then().statusCode(401).body("code", equalTo("42501"));
        assertEquals(1, count("select count(*) from public.jobs where id = ?", a));
    }

    // ---- delete ----

    @Test
    void deleteIs204OrTheDeletedRowsWithRepresentation() {
        UUID a = job(alice, sid("da"), "a.jsonl", 1, 0.5, "created", "{}", null);
        UUID b = job(alice, sid("db"), "b.jsonl", 2, 0.5, "created", "{}", null);
        as(alice).queryParam("id", "eq." + a).delete("/rest/v1/jobs").then().statusCode(204).body(emptyString());
        assertEquals(0, count("select count(*) from public.jobs where id = ?", a));
        as(alice).header("Prefer", "return=representation").queryParam("id", "eq." + b).queryParam("select", "id,dataset_filename")
                .delete("/rest/v1/jobs").then().statusCode(200)
                .body("id", contains(b.toString())).body("[0].dataset_filename", equalTo("b.jsonl"));
        assertEquals(0, count("select count(*) from public.jobs where id = ?", b));
    }

    @Test
    void maxAffectedWithStrictHandlingRollsBack() {
        String s = sid("max");
        job(alice, s + "-1", "a.jsonl", 1, 0.5, "created", "{}", null);
        job(alice, s + "-2", "b.jsonl", 2, 0.5, "created", "{}", null);
        as(alice).header("Prefer", "handling=strict, max-affected=1").queryParam("session_id", "like." + s + "*")
                .delete("/rest/v1/jobs").then().statusCode(400).body("code", equalTo("PGRST124"));
        assertEquals(2, count("select count(*) from public.jobs where session_id like ?", s + "%"));
    }

    @Test
    void profilesFollowTheirGrantsAndPolicies() {
        as(alice).contentType(ContentType.JSON).header("Prefer", "return=representation")
                .queryParam("id", "eq." + alice.id()).body("{\"full_name\":\"Alice A.\",\"theme\":\"light\"}")
                .patch("/rest/v1/profiles").then().statusCode(200)
                .body("[0].full_name", equalTo("Alice A.")).body("[0].theme", equalTo("light"));
        // the seed grants no DELETE on profiles to authenticated users
        as(alice).queryParam("id", "eq." + alice.id()).delete("/rest/v1/profiles").then().statusCode(403)
                .body("code", equalTo("42501"));
        assertEquals(1, count("select count(*) from public.profiles where id = ?", alice.id()));
    }

    @Test
    void bodiesThatAreNotJsonAre400PGRST102AndWriteNothing() {
        // as PostgREST: 400, PGRST102, "Content-Type not acceptable: <type>"
        String s = sid("ctype");
        as(alice).contentType("text/plain").body(jobJson(alice.id(), s, "t.jsonl", 5))
                .post("/rest/v1/jobs").then().statusCode(400).body("code", org.hamcrest.Matchers.equalTo("PGRST102"))
                .body("message", org.hamcrest.Matchers.equalTo("Content-Type not acceptable: text/plain"));
        as(alice).contentType("text/plain").queryParam("session_id", "eq." + s).body("{\"status\":\"failed\"}")
                .patch("/rest/v1/jobs").then().statusCode(400).body("code", org.hamcrest.Matchers.equalTo("PGRST102"));
        as(alice).queryParam("session_id", "eq." + s).get("/rest/v1/jobs").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(0));
    }
}
