package io.slmgen.auth;

import static io.slmgen.auth.AuthTestSupport.admin;
import static io.slmgen.auth.AuthTestSupport.as;
import static io.slmgen.auth.AuthTestSupport.client;
import static io.slmgen.auth.AuthTestSupport.count;
import static io.slmgen.auth.AuthTestSupport.email;
import static io.slmgen.auth.AuthTestSupport.exec;
import static io.slmgen.auth.AuthTestSupport.signUp;
import static io.slmgen.auth.AuthTestSupport.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.slmgen.auth.model.GoTrueUser;
import io.slmgen.auth.model.ProfileEntity;
import io.slmgen.auth.model.User;
import io.slmgen.auth.repository.UserRepository;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;

/**
 * The Panache paths (CallerTransactions.inSession): the caller's policies hold inside a Hibernate Reactive
 * session, and users read through the entities render exactly as the SQL read (jsonb_agg) renders them.
 */
@QuarkusTest
@WithTestResource(value = io.slmgen.shared.testing.TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "auth"), @ResourceArg(name = "slices", value = "")})
@WithTestResource(MailServer.class)
class PanacheSessionsTest {

    @Inject
    CallerTransactions tx;
    @Inject
    UserRepository users;
    @Inject
    ObjectMapper json;

    @Test
    void aProfilePatchStampsUpdatedAtWithTheDatabasesClockAndAnswersWhatTheRowHolds() throws Exception {
        JsonPath a = signUp(email("panache-stamp"), "hunter22");
        UUID id = UUID.fromString(a.getString("user.id"));
        exec("update public.profiles set updated_at = '2020-01-01 00:00:00+00' where id = ?", id);
        String answered = as(a.getString("access_token")).body(Map.of("bio", "stamped")).patch("/api/profile")
                .then().statusCode(200).extract().path("updated_at");
        assertEquals("true", string("select (updated_at = ?::timestamptz)::text from public.profiles where id = ?", answered, id),
                "the answer's updated_at is the row's: " + answered);
        assertEquals("true", string("select (updated_at > now() - interval '1 minute')::text from public.profiles where id = ?", id));
    }

    @Test
    void aProfileEntityOfAnotherUserIsNeitherFoundNorChangedInTheCallersSession() throws Throwable {
        JsonPath a = signUp(email("panache-a"), "hunter22");
        JsonPath b = signUp(email("panache-b"), "hunter22");
        UUID aId = UUID.fromString(a.getString("user.id"));
        UUID bId = UUID.fromString(b.getString("user.id"));
        Caller callerA = user(aId);
        Caller callerB = user(bId);

        assertNull(await(() -> tx.inSession(callerB, () -> ProfileEntity.<ProfileEntity>findById(aId))));
        assertEquals(aId, await(() -> tx.inSession(callerA, () -> ProfileEntity.<ProfileEntity>findById(aId))).id);
        assertEquals(0, await(() -> tx.inSession(callerB,
                () -> ProfileEntity.update("fullName = ?1 where id = ?2", "pwned", aId))));
        assertNotNull(await(() -> tx.inSessionAsService(() -> ProfileEntity.<ProfileEntity>findById(aId))));

        // over HTTP: B's PATCH changes B's row only
        as(b.getString("access_token")).body(Map.of("full_name", "B's name")).patch("/api/profile").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.equalTo(bId.toString()));
        assertEquals("", string("select full_name from public.profiles where id = ?", aId));
        assertEquals("B's name", string("select full_name from public.profiles where id = ?", bId));
    }

    @Test
    void aUserReadThroughTheEntitiesRendersExactlyAsTheSqlRead() throws Throwable {
        JsonPath s = signUp(email("panache-user"), "hunter22");
        UUID id = UUID.fromString(s.getString("user.id"));
        // a second identity, and timestamps whose text PostgreSQL shortens (trailing zeros, whole seconds)
        exec("insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at) "
                + "values (?, ?, '{\"sub\": \"gh-1\", \"name\": \"Ada\", \"email\": \"Ada@Example.test\", \"n\": 1.5}'::jsonb, "
                + "'github', '2030-01-01 00:00:00.1+00', '2030-01-01 00:00:00+00')", "gh-" + id, id);
        exec("update auth.identities set updated_at = '2029-06-30 12:34:56.000120+00' where user_id = ? and provider = 'email'", id);
        exec("update auth.users set raw_user_meta_data = '{\"zz\": {\"b\": [1, 2.25, null]}, \"a\": true}'::jsonb, "
                + "banned_until = '2001-01-01 00:00:00.5+00' where id = ?", id);

        User bySql = await(() -> tx.runAsService(c -> users.findById(c, id))).orElseThrow();
        User byEntities = await(() -> tx.inSessionAsService(() -> users.find(id))).orElseThrow();
        String expected = json.writeValueAsString(GoTrueUser.of(bySql));
        assertEquals(expected, json.writeValueAsString(GoTrueUser.of(byEntities)));
        assertTrue(expected.contains("\"created_at\":\"2030-01-01T00:00:00.1+00:00\""), expected);
        assertTrue(expected.contains("\"updated_at\":\"2030-01-01T00:00:00+00:00\""), expected);
        assertTrue(expected.contains("\"updated_at\":\"2029-06-30T12:34:56.00012+00:00\""), expected);
        assertTrue(expected.contains("\"banned_until\":\"2001-01-01T00:00:00.500Z\""), expected);
        // GET /user reads through the entities
        assertEquals(expected, as(s.getString("access_token")).get("/auth/v1/user").then().statusCode(200).extract().asString());
    }

    @Test
    void anAdminSoftDeleteKeepsTheRowWithoutItsCredentialsAndEndsItsSessions() throws Exception {
        JsonPath s = client().body(Map.of("email", email("soft"), "password", "hunter22", "data", Map.of("full_name", "Ada")))
                .post("/auth/v1/signup").then().statusCode(200).extract().jsonPath();
        UUID id = UUID.fromString(s.getString("user.id"));
        admin().body(Map.of("should_soft_delete", true)).delete("/auth/v1/admin/users/" + id).then().statusCode(200)
                .body(org.hamcrest.Matchers.equalTo("{}"));
        assertEquals("true|null|null||{}|email", string("select concat_ws('|', (deleted_at is not null)::text, "
                + "coalesce(email, 'null'), coalesce(phone, 'null'), encrypted_password, raw_user_meta_data::text, "
                + "raw_app_meta_data->>'provider') from auth.users where id = ?", id));
        assertEquals(0, count("select count(*) from auth.sessions where user_id = ?", id));
        admin().get("/auth/v1/admin/users/" + id).then().statusCode(404).body("error_code", org.hamcrest.Matchers.equalTo("user_not_found"));
        admin().body(Map.of("should_soft_delete", true)).delete("/auth/v1/admin/users/" + id).then().statusCode(404);
        // a hard delete still removes the soft-deleted row
        admin().delete("/auth/v1/admin/users/" + id).then().statusCode(200);
        assertEquals(0, count("select count(*) from auth.users where id = ?", id));
    }

    private static Caller user(UUID id) {
        String claims = "{\"sub\":\"" + id + "\",\"role\":\"authenticated\"}";
        return new Caller("authenticated", id, null, false, claims, Map.of("sub", id.toString(), "role", "authenticated"),
                null, null);
    }

    private static <T> T await(Supplier<Uni<T>> work) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(work);
    }
}
