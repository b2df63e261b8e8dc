package io.slmgen.postgrest;

import static io.slmgen.postgrest.Fixtures.anon;
import static io.slmgen.postgrest.Fixtures.as;
import static io.slmgen.postgrest.Fixtures.job;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TestUsers;
import io.slmgen.shared.testing.TestUsers.TestUser;

/**
 * Reads at /rest/v1 exactly as postgrest-js sends them, against the seed's jobs and profiles tables
 * under their real RLS policies.
 */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "postgrest"), @ResourceArg(name = "slices", value = "auth,jobs")})
class PostgrestReadTest {

    TestUser alice;
    UUID a1;
    UUID a2;
    UUID a3;

    /** Alice owns three jobs: a(10 examples, running), b(20, null notebook), c(30, "x,y" file). */
    @BeforeEach
    void arrange() {
        alice = TestUsers.create("alice");
        a1 = job(alice, "sa-" + alice.id(), "alpha.jsonl", 10, 0.5, "running", "{\"epochs\":3,\"lr\":0.0002}", "nb-a.ipynb");
        a2 = job(alice, "sb-" + alice.id(), "Beta.csv", 20, 0.75, "created", "{\"epochs\":1}", null);
        a3 = job(alice, "sc-" + alice.id(), "gamma,delta.jsonl", 30, 0.9, "completed", "{}", "nb-c.ipynb");
    }

    // ---- select ----

    @Test
    void selectColumnListReturnsOnlyThoseKeysInOrder() {
        as(alice).queryParam("select", "dataset_filename,total_examples").queryParam("order", "total_examples.asc")
                .header("Accept-Profile", "public")
                .get("/rest/v1/jobs").then().statusCode(200)
                .header("Content-Type", startsWith("application/json"))
                .header("Content-Range", "0-2/*")
                .body("size()", equalTo(3))
                .body("[0].size()", equalTo(2))
                .body("[0].dataset_filename", equalTo("alpha.jsonl"))
                .body("[2].total_examples", equalTo(30))
                .body("dataset_filename", contains("alpha.jsonl", "Beta.csv", "gamma,delta.jsonl"));
    }

    @Test
    void selectStarRendersEveryColumnAsPostgrestDoes() {
        as(alice).queryParam("select", "*").queryParam("id", "eq." + a1)
                .get("/rest/v1/jobs").then().statusCode(200)
                .body("[0].size()", equalTo(20))
                .body("[0].id", equalTo(a1.toString()))
                .body("[0].user_id", equalTo(alice.id().toString()))
                .body("[0].training_config.epochs", equalTo(3))
                .body("[0].quality_score", equalTo(0.5f))
                .body("[0].notebook_path", nullValue())
                .body("[0].created_at", startsWith("20"));
    }

    @Test
    void aliasesCastsAndJsonPathsInSelect() {
        as(alice).queryParam("select", "file:dataset_filename,total_examples::text,epochs:training_config->>epochs,training_config->lr")
                .queryParam("id", "eq." + a1)
                .get("/rest/v1/jobs").then().statusCode(200)
                .body("[0].file", equalTo("alpha.jsonl"))
                .body("[0].total_examples", equalTo("10"))
                .body("[0].epochs", equalTo("3"))
                .body("[0].lr", equalTo(0.0002f));
    }

    @Test
    void noSelectParameterMeansEveryColumn() {
        as(alice).queryParam("id", "eq." + a2).get("/rest/v1/jobs").then().statusCode(200)
                .body("[0].session_id", equalTo("sb-" + alice.id()))
                .body("[0].notebook_filename", nullValue());
    }

    // ---- every operator ----

    @Test
    void comparisonOperators() {
        String sel = "dataset_filename";
        as(alice).queryParam("select", sel).queryParam("total_examples", "eq.20").get("/rest/v1/jobs").then()
                .body("dataset_filename", contains("Beta.csv"));
        as(alice).queryParam("select", sel).queryParam("total_examples", "neq.20").queryParam("order", "total_examples")
                .get("/rest/v1/jobs").then().body("dataset_filename", contains("alpha.jsonl", "gamma,delta.jsonl"));
        as(alice).queryParam("select", sel).queryParam("total_examples", "gt.20").get("/rest/v1/jobs").then()
                .body("dataset_filename", contains("gamma,delta.jsonl"));
        as(alice).queryParam("select", sel).queryParam("total_examples", "gte.20").queryParam("order", "total_examples")
                .get("/rest/v1/jobs").then().body("dataset_filename", contains("Beta.csv", "gamma,delta.jsonl"));
        as(alice).queryParam("select", sel).queryParam("quality_score", "lt.0.75").get("/rest/v1/jobs").then()
                .body("dataset_filename", contains("alpha.jsonl"));
        as(alice).queryParam("select", sel).queryParam("quality_score", "lte.0.75").queryParam("order", "quality_score")
                .get("/rest/v1/jobs").then().body("dataset_filename", contains("alpha.jsonl", "Beta.csv"));
        as(alice).queryParam("select", sel).queryParam("created_at", "lt.2000-01-01T00:00:00Z")
                .get("/rest/v1/jobs").then().statusCode(200).body("$", empty());
    }

    @Test
    void patternOperators() {
        String sel = "dataset_filename";
        as(alice).queryParam("select", sel).queryParam("dataset_filename", "like.*.jsonl").queryParam("order", "dataset_filename")
                .get("/rest/v1/jobs").then().body("dataset_filename", contains("alpha.jsonl", "gamma,delta.jsonl"));
        as(alice).queryParam("select", sel).queryParam("dataset_filename", "like.beta*").get("/rest/v1/jobs").then()
                .body("$", empty());
        as(alice).queryParam("select", sel).queryParam("dataset_filename", "ilike.beta*").get("/rest/v1/jobs").then()
                .body("dataset_filename", contains("Beta.csv"));
        as(alice).queryParam("select", sel).queryParam("dataset_filename", "match.^[ab]").get("/rest/v1/jobs").then()
                .body("dataset_filename", contains("alpha.jsonl"));
        as(alice).queryParam("select", sel).queryParam("dataset_filename", "imatch.^[ab]").queryParam("order", "total_examples")
                .get("/rest/v1/jobs").then().body("dataset_filename", contains("alpha.jsonl", "Beta.csv"));
        as(alice).queryParam("select", sel).queryParam("dataset_filename", "like(any).{*.csv,gamma*}").queryParam("order", "total_examples")
                .get("/rest/v1/jobs").then().body("dataset_filename", contains("Beta.csv", "gamma,delta.jsonl"));
        as(alice).queryParam("select", sel).queryParam("dataset_filename", "ilike(all).{*A*,*.JSONL}").queryParam("order", "total_examples")
                .get("/rest/v1/jobs").then().body("dataset_filename", contains("alpha.jsonl", "gamma,delta.jsonl"));
    }

    @Test
    void isInAndDistinctOperators() {
        String sel = "dataset_filename";
        as(alice).queryParam("select", sel).queryParam("notebook_filename", "is.null").get("/rest/v1/jobs").then()
                .body("dataset_filename", contains("Beta.csv"));
        as(alice).queryParam("select", sel).queryParam("notebook_filename", "not.is.null").queryParam("order", "total_examples")
                .get("/rest/v1/jobs").then().body("dataset_filename", contains("alpha.jsonl", "gamma,delta.jsonl"));
        // values with reserved characters arrive double-quoted, as postgrest-js's in() sends them
        as(alice).queryParam("select", sel).queryParam("dataset_filename", "in.(Beta.csv,\"gamma,delta.jsonl\",nothing)")
                .queryParam("order", "total_examples").get("/rest/v1/jobs").then()
                .body("dataset_filename", contains("Beta.csv", "gamma,delta.jsonl"));
        as(alice).queryParam("select", sel).queryParam("total_examples", "not.in.(10,30)").get("/rest/v1/jobs").then()
                .body("dataset_filename", contains("Beta.csv"));
        as(alice).queryParam("select", sel).queryParam("id", "in.()").get("/rest/v1/jobs").then()
                .statusCode(200).body("$", empty());
        as(alice).queryParam("select", sel).queryParam("notebook_filename", "isdistinct.nb-a.ipynb")
                .queryParam("order", "total_examples").get("/rest/v1/jobs").then()
                .body("dataset_filename", contains("Beta.csv", "gamma,delta.jsonl"));
        as(alice).queryParam("select", sel).queryParam("status", "not.eq.running").queryParam("order", "total_examples")
                .get("/rest/v1/jobs").then().body("dataset_filename", contains("Beta.csv", "gamma,delta.jsonl"));
    }

    @Test
    void booleanIsAndJsonContainment() {
        as(alice).queryParam("select", "email").queryParam("notifications_enabled", "is.true")
                .get("/rest/v1/profiles").then().statusCode(200).body("email", contains(alice.email()));
        as(alice).queryParam("select", "email").queryParam("notifications_enabled", "is.false")
                .get("/rest/v1/profiles").then().statusCode(200).body("$", empty());
        as(alice).queryParam("select", "dataset_filename").queryParam("training_config", "cs.{\"epochs\":3}")
                .get("/rest/v1/jobs").then().statusCode(200).body("dataset_filename", contains("alpha.jsonl"));
        as(alice).queryParam("select", "dataset_filename").queryParam("training_config->>epochs", "eq.1")
                .get("/rest/v1/jobs").then().statusCode(200).body("dataset_filename", contains("Beta.csv"));
    }

    @Test
    void orAndLogicTrees() {
        as(alice).queryParam("select", "dataset_filename")
                .queryParam("or", "(total_examples.eq.10,dataset_filename.eq.\"gamma,delta.jsonl\")")
                .queryParam("order", "total_examples").get("/rest/v1/jobs").then().statusCode(200)
                .body("dataset_filename", contains("alpha.jsonl", "gamma,delta.jsonl"));
        as(alice).queryParam("select", "dataset_filename")
                .queryParam("or", "(status.eq.created,and(total_examples.gt.20,notebook_filename.not.is.null))")
                .queryParam("order", "total_examples").get("/rest/v1/jobs").then().statusCode(200)
                .body("dataset_filename", contains("Beta.csv", "gamma,delta.jsonl"));
        as(alice).queryParam("select", "dataset_filename").queryParam("not.or", "(total_examples.eq.10,total_examples.eq.30)")
                .get("/rest/v1/jobs").then().statusCode(200).body("dataset_filename", contains("Beta.csv"));
    }

    @Test
    void queryStringsEncodedAsUrlSearchParamsDoDecodePlusAsSpace() {
        job(alice, Fixtures.sid("sp"), "my data+1.csv", 40, 0.1, "created", "{}", null);
        // URLSearchParams (postgrest-js) writes a space as '+' and a '+' as %2B
        as(alice).urlEncodingEnabled(false).get("/rest/v1/jobs?select=total_examples&dataset_filename=eq.my+data%2B1.csv")
                .then().statusCode(200).body("total_examples", contains(40));
    }

    // ---- order, paging, Range and counts ----

    @Test
    void orderDescendingAndNullsPlacement() {
        as(alice).queryParam("select", "total_examples").queryParam("order", "total_examples.desc")
                .get("/rest/v1/jobs").then().body("total_examples", contains(30, 20, 10));
        as(alice).queryParam("select", "notebook_filename").queryParam("order", "notebook_filename.asc.nullsfirst")
                .get("/rest/v1/jobs").then().body("notebook_filename", contains(null, "nb-a.ipynb", "nb-c.ipynb"));
        as(alice).queryParam("select", "notebook_filename").queryParam("order", "notebook_filename.desc.nullslast")
                .get("/rest/v1/jobs").then().body("notebook_filename", contains("nb-c.ipynb", "nb-a.ipynb", null));
        as(alice).queryParam("select", "total_examples").queryParam("order", "task_type.asc,quality_score.desc")
                .get("/rest/v1/jobs").then().body("total_examples", contains(30, 20, 10));
    }

    @Test
    void limitAndOffsetAsPostgrestJsRangeSendsThem() {
        // .range(1, 2) arrives as offset=1&limit=2
        as(alice).queryParam("select", "total_examples").queryParam("order", "total_examples")
                .queryParam("offset", "1").queryParam("limit", "2")
                .get("/rest/v1/jobs").then().statusCode(200)
                .header("Content-Range", "1-2/*")
                .body("total_examples", contains(20, 30));
    }

    @Test
    void countExactGivesTotalAndPartialContent() {
        as(alice).queryParam("select", "total_examples").queryParam("order", "total_examples").queryParam("limit", "2")
                .header("Prefer", "count=exact")
                .get("/rest/v1/jobs").then().statusCode(206)
                .header("Content-Range", "0-1/3")
                .body("total_examples", contains(10, 20));
        as(alice).queryParam("select", "total_examples").header("Prefer", "count=exact")
                .get("/rest/v1/jobs").then().statusCode(200).header("Content-Range", "0-2/3");
        as(alice).queryParam("select", "id").queryParam("status", "eq.nothing").header("Prefer", "count=exact")
                .get("/rest/v1/jobs").then().statusCode(200).header("Content-Range", "*/0").body("$", empty());
        as(alice).queryParam("select", "id").queryParam("status", "eq.nothing")
                .get("/rest/v1/jobs").then().statusCode(200).header("Content-Range", "*/*");
    }

    @Test
    void offsetBeyondTheCountIs416() {
        as(alice).queryParam("offset", "10").header("Prefer", "count=exact").get("/rest/v1/jobs").then()
                .statusCode(416)
                .header("Content-Range", "*/3")
                .body("code", equalTo("PGRST103"))
                .body("message", equalTo("Requested range not satisfiable"))
                .body("details", equalTo("An offset of 10 was requested, but there are only 3 rows."));
    }

    @Test
    void rangeHeaderIsHonoured() {
        as(alice).queryParam("select", "total_examples").queryParam("order", "total_examples")
                .header("Range-Unit", "items").header("Range", "1-1").header("Prefer", "count=exact")
                .get("/rest/v1/jobs").then().statusCode(206)
                .header("Content-Range", "1-1/3")
                .body("total_examples", contains(20));
        as(alice).queryParam("select", "total_examples").queryParam("order", "total_examples")
                .header("Range", "1-")
                .get("/rest/v1/jobs").then().statusCode(200)
                .header("Content-Range", "1-2/*")
                .body("total_examples", contains(20, 30));
    }

    @Test
    void headAnswersTheCountWithoutBody() {
        as(alice).header("Prefer", "count=exact").head("/rest/v1/jobs").then().statusCode(200)
                .header("Content-Range", "0-2/3")
                .header("Content-Type", startsWith("application/json"))
                .body(emptyString());
        as(alice).header("Prefer", "count=exact").queryParam("status", "eq.nothing").head("/rest/v1/jobs").then()
                .statusCode(200).header("Content-Range", "*/0");
    }

    // ---- single object ----

    @Test
    void singleObjectAcceptGivesABareObjectOr406() {
        as(alice).header("Accept", "application/vnd.pgrst.object+json").queryParam("select", "session_id")
                .queryParam("id", "eq." + a2).get("/rest/v1/jobs").then().statusCode(200)
                .header("Content-Type", startsWith("application/vnd.pgrst.object+json"))
                .body("session_id", equalTo("sb-" + alice.id()));
        as(alice).header("Accept", "application/vnd.pgrst.object+json").queryParam("id", "eq." + UUID.randomUUID())
                .get("/rest/v1/jobs").then().statusCode(406)
                .body("code", equalTo("PGRST116"))
                .body("details", equalTo("The result contains 0 rows"))
                .body("message", equalTo("Cannot coerce the result to a single JSON object"))
                .body("hint", nullValue());
        as(alice).header("Accept", "application/vnd.pgrst.object+json").get("/rest/v1/jobs").then().statusCode(406)
                .body("code", equalTo("PGRST116")).body("details", equalTo("The result contains 3 rows"));
    }

    @Test
    void strippedNullsLeaveNullKeysOut() {
        as(alice).header("Accept", "application/vnd.pgrst.array+json;nulls=stripped")
                .queryParam("select", "session_id,notebook_filename").queryParam("id", "eq." + a2)
                .get("/rest/v1/jobs").then().statusCode(200)
                .body("[0].size()", equalTo(1));
    }

    // ---- RLS ----

    @Test
    void anotherUserAndAnonSeeNoneOfAlicesRows() {
        TestUser bob = TestUsers.create("bob");
        as(bob).queryParam("id", "in.(" + a1 + "," + a2 + "," + a3 + ")").header("Prefer", "count=exact")
                .get("/rest/v1/jobs").then().statusCode(200).header("Content-Range", "*/0").body("$", empty());
        as(bob).get("/rest/v1/profiles").then().statusCode(200)
                .body("id", contains(bob.id().toString()));
        anon().get("/rest/v1/jobs").then().statusCode(200).body("$", empty());
        anon().get("/rest/v1/profiles").then().statusCode(200).body("$", empty());
    }

    // ---- bad input: 4xx in PostgREST's shape, never 500 ----

    @Test
    void unknownTableIs404Pgrst205() {
        as(alice).get("/rest/v1/model_catalog").then().statusCode(404)
                .body("code", equalTo("PGRST205"))
                .body("message", equalTo("Could not find the table 'public.model_catalog' in the schema cache"))
                .body("details", nullValue()).body("hint", nullValue());
        // exists in the database but not exposed by this service
        as(alice).get("/rest/v1/databasechangelog").then().statusCode(404).body("code", equalTo("PGRST205"));
    }

    @Test
    void unknownColumnsAre42703() {
        as(alice).queryParam("select", "id,nope").get("/rest/v1/jobs").then().statusCode(400)
                .body("code", equalTo("42703")).body("message", equalTo("column jobs.nope does not exist"));
        as(alice).queryParam("nope", "eq.1").get("/rest/v1/jobs").then().statusCode(400).body("code", equalTo("42703"));
        as(alice).queryParam("order", "nope.desc").get("/rest/v1/jobs").then().statusCode(400).body("code", equalTo("42703"));
    }

    @Test
    void parseErrorsArePgrst100() {
        as(alice).queryParam("select", "id,profiles(email)").get("/rest/v1/jobs").then().statusCode(400)
                .body("code", equalTo("PGRST100"));
        as(alice).queryParam("status", "almost.running").get("/rest/v1/jobs").then().statusCode(400)
                .body("code", equalTo("PGRST100"));
        as(alice).queryParam("status", "running").get("/rest/v1/jobs").then().statusCode(400)
                .body("code", equalTo("PGRST100"));
        as(alice).queryParam("notebook_filename", "is.maybe").get("/rest/v1/jobs").then().statusCode(400)
                .body("code", equalTo("PGRST100"));
        as(alice).queryParam("limit", "-1").get("/rest/v1/jobs").then().statusCode(400).body("code", equalTo("PGRST100"));
        as(alice).queryParam("order", "total_examples.sideways").get("/rest/v1/jobs").then().statusCode(400)
                .body("code", equalTo("PGRST100"));
        as(alice).queryParam("order", "total_examples.nullsfirst.asc").get("/rest/v1/jobs").then().statusCode(400)
                .body("code", equalTo("PGRST100"));
        as(alice).queryParam("or", "(total_examples.eq.1").get("/rest/v1/jobs").then().statusCode(400)
                .body("code", equalTo("PGRST100"));
    }

    @Test
    void badValuesAre22P02() {
        as(alice).queryParam("id", "eq.not-a-uuid").get("/rest/v1/jobs").then().statusCode(400)
                .body("code", equalTo("22P02"))
                .body("message", equalTo("invalid input syntax for type uuid: \"not-a-uuid\""));
        as(alice).queryParam("total_examples", "gt.ten").get("/rest/v1/jobs").then().statusCode(400)
                .body("code", equalTo("22P02"));
    }

    @Test
    void otherSchemasAndMediaTypesAre406() {
        as(alice).header("Accept-Profile", "auth").get("/rest/v1/jobs").then().statusCode(406)
                .body("code", equalTo("PGRST106"))
                .body("message", equalTo("The schema must be one of the following: public"));
        as(alice).header("Accept", "text/csv").get("/rest/v1/jobs").then().statusCode(406)
                .body("code", equalTo("PGRST107"));
    }

    @Test
    void sqlInjectionInIdentifiersAndValuesIsRejectedOrInert() {
        as(alice).queryParam("select", "id;drop table public.jobs").get("/rest/v1/jobs").then().statusCode(400)
                .body("code", equalTo("42703"));
        as(alice).queryParam("select", "x:\"id\" from auth.users --").get("/rest/v1/jobs").then().statusCode(400);
        as(alice).queryParam("select", "id::text;drop table public.jobs").get("/rest/v1/jobs").then().statusCode(400)
                .body("code", equalTo("PGRST100"));
        as(alice).queryParam("select", "bad\"alias:id").get("/rest/v1/jobs").then().statusCode(400);
        as(alice).queryParam("order", "id;delete from public.jobs").get("/rest/v1/jobs").then().statusCode(400);
        as(alice).queryParam("id\" is not null or \"1", "eq.1").get("/rest/v1/jobs").then().statusCode(400)
                .body("code", equalTo("42703"));
        as(alice).queryParam("status", "eq.running' or '1'='1").get("/rest/v1/jobs").then().statusCode(200)
                .body("$", empty());
        as(alice).queryParam("dataset_filename", "in.(x'); delete from public.jobs; --)").get("/rest/v1/jobs")
                .then().statusCode(400).body("code", equalTo("PGRST100"));
        as(alice).queryParam("dataset_filename", "in.(\"x'); delete from public.jobs; --\")").get("/rest/v1/jobs")
                .then().statusCode(200).body("$", empty());
        as(alice).queryParam("training_config->>epochs'); drop table public.jobs; --", "eq.1").get("/rest/v1/jobs")
                .then().statusCode(200).body("$", empty());
        as(alice).queryParam("dataset_filename", "fts(english'); drop table x; --).alpha").get("/rest/v1/jobs")
                .then().statusCode(400);
        // every row is still there
        as(alice).header("Prefer", "count=exact").get("/rest/v1/jobs").then().statusCode(200)
                .header("Content-Range", "0-2/3");
        as(alice).get("/rest/v1/jobs;drop").then().statusCode(404);
        as(alice).get("/rest/v1/jobs%22").then().statusCode(404).body("code", equalTo("PGRST205"));
    }

    @Test
    void badTokensAre401InPostgrestShape() {
        io.restassured.RestAssured.given().header("apikey", Fixtures.ANON).header("Authorization", "Bearer nonsense")
                .get("/rest/v1/jobs").then().statusCode(401)
                .body("code", equalTo("PGRST301"))
                .body("details", nullValue());
    }

    @Test
    void containsAnyOrderSanity() {
        as(alice).queryParam("select", "status").get("/rest/v1/jobs").then()
                .body("status", containsInAnyOrder("running", "created", "completed")).body("$", hasSize(3));
    }
    // ---- statement_timeout per role (SPEC §3; this test app: anon 500 ms, authenticated 1.5 s, service_role none) ----

    /** The only row of postgrest_slow, whose read policy sleeps {@code seconds} for it. */
    static UUID slowRow(double seconds) {
        try (java.sql.Connection c = TestDatabase.superuser(); java.sql.Statement s = c.createStatement()) {
            s.execute("delete from public.postgrest_slow");
            try (java.sql.ResultSet rs = s.executeQuery(
                    "insert into public.postgrest_slow (delay_seconds) values (" + seconds + ") returning id")) {
                rs.next();
                return (UUID) rs.getObject(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anonQueryLongerThanAnonsStatementTimeoutIsCancelledWith504InPostgrestShape() {
        UUID id = slowRow(1.0);
        anon().queryParam("id", "eq." + id).get("/rest/v1/postgrest_slow").then().statusCode(504)
                .header("Content-Type", startsWith("application/json"))
                .body("code", equalTo("57014"))
                .body("message", equalTo("canceling statement due to statement timeout"))
                .body("details", nullValue())
                .body("hint", org.hamcrest.Matchers.containsString("anon role"));
    }

    @Test
    void eachRoleHasItsOwnStatementTimeout() {
        UUID id = slowRow(1.0);
        // one second: over anon's 500 ms, within authenticated's 1.5 s
        as(alice).queryParam("id", "eq." + id).get("/rest/v1/postgrest_slow").then().statusCode(200)
                .body("[0].id", equalTo(id.toString()));
        anon().queryParam("id", "eq." + id).get("/rest/v1/postgrest_slow").then().statusCode(504);
        UUID slower = slowRow(2.0);
        as(alice).queryParam("id", "eq." + slower).get("/rest/v1/postgrest_slow").then().statusCode(504)
                .body("code", equalTo("57014")).body("hint", org.hamcrest.Matchers.containsString("authenticated role"));
        // service_role has none here (and the timeouts were SET LOCAL: none outlives its transaction)
        Fixtures.service().queryParam("id", "eq." + slower).get("/rest/v1/postgrest_slow").then().statusCode(200)
                .body("[0].id", equalTo(slower.toString()));
    }
}
