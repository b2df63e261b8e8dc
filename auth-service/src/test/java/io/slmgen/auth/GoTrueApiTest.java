package io.slmgen.auth;

import static io.slmgen.auth.AuthTestSupport.ANON;
import static io.slmgen.auth.AuthTestSupport.admin;
import static io.slmgen.auth.AuthTestSupport.as;
import static io.slmgen.auth.AuthTestSupport.claims;
import static io.slmgen.auth.AuthTestSupport.client;
import static io.slmgen.auth.AuthTestSupport.count;
import static io.slmgen.auth.AuthTestSupport.email;
import static io.slmgen.auth.AuthTestSupport.exec;
import static io.slmgen.auth.AuthTestSupport.linkToken;
import static io.slmgen.auth.AuthTestSupport.otpCode;
import static io.slmgen.auth.AuthTestSupport.passwordGrant;
import static io.slmgen.auth.AuthTestSupport.refresh;
import static io.slmgen.auth.AuthTestSupport.signUp;
import static io.slmgen.auth.AuthTestSupport.string;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.internet.MimeMessage;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.arc.Arc;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.slmgen.auth.repository.UserRepository;
import io.slmgen.auth.service.AnonymousSweeper;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TokenMinter;

/** auth-service over real HTTP against a real PostgreSQL, autoconfirm on (the local default). */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "auth"), @ResourceArg(name = "slices", value = "")})
@WithTestResource(MailServer.class)
class GoTrueApiTest {

    /**
     * A bean of the service, looked up rather than injected: GoTrueApiIT (the built artifact, which refuses
     * {@code @Inject}) extends this class and leaves out the tests that use one.
     */
    static <T> T bean(Class<T> type) {
        return Arc.container().instance(type).get();
    }

    @BeforeEach
    void clearMail() {
        MailServer.clear();
    }

    // ---- sign-up ----

    @Test
    void signupReturnsASessionWithSupabaseClaimsAndTheSeedTriggerCreatesTheProfile() throws Exception {
        String email = email("Signup").toUpperCase().replace("@EXAMPLE.TEST", "@Example.test");
        long before = System.currentTimeMillis() / 1000;
        JsonPath s = client().body(Map.of("email", email, "password", "hunter22", "data", Map.of("full_name", "Ada Lovelace"),
                        "gotrue_meta_security", Map.of(), "code_challenge", ""))
                .post("/auth/v1/signup").then().statusCode(200)
                .body("token_type", equalTo("bearer"))
                .body("expires_in", equalTo(3600))
                .body("refresh_token", notNullValue())
                .body("user.email", equalTo(email.toLowerCase()))
                .body("user.aud", equalTo("authenticated"))
                .body("user.role", equalTo("authenticated"))
                .body("user.app_metadata.provider", equalTo("email"))
                .body("user.app_metadata.providers", equalTo(List.of("email")))
                .body("user.user_metadata.full_name", equalTo("Ada Lovelace"))
                .body("user.identities[0].provider", equalTo("email"))
                .body("user.identities[0].identity_data.email", equalTo(email.toLowerCase()))
                .body("user.is_anonymous", equalTo(false))
                .body("user", hasKey("email_confirmed_at"))
                .body("user", hasKey("last_sign_in_at"))
                .extract().jsonPath();
        long expiresAt = s.getLong("expires_at");
        assertTrue(expiresAt >= before + 3600 && expiresAt <= before + 3605, "expires_at = now + 3600");
        String id = s.getString("user.id");

        JsonPath c = claims(s.getString("access_token"));
        assertEquals("http://127.0.0.1:8080/auth/v1", c.getString("iss"));
        assertEquals(id, c.getString("sub"));
        assertEquals("authenticated", c.getString("aud"));
        assertEquals("authenticated", c.getString("role"));
        assertEquals(email.toLowerCase(), c.getString("email"));
        assertEquals("", c.getString("phone"));
        assertEquals("aal1", c.getString("aal"));
        assertEquals("password", c.getString("amr[0].method"));
        assertEquals(expiresAt, c.getLong("exp"));
        assertEquals(expiresAt - 3600, c.getLong("iat"));
        assertEquals(false, c.getBoolean("is_anonymous"));
        assertEquals("email", c.getString("app_metadata.provider"));
        assertEquals("Ada Lovelace", c.getString("user_metadata.full_name"));
        UUID sessionId = UUID.fromString(c.getString("session_id"));
        // HS256 with the project's secret: verifies with a plain JOSE library
        new JwtConsumerBuilder().setVerificationKey(new HmacKey(TokenMinter.SECRET.getBytes(StandardCharsets.UTF_8)))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256)
                .setExpectedAudience("authenticated").setExpectedIssuer("http://127.0.0.1:8080/auth/v1")
                .build().process(s.getString("access_token"));

        UUID uid = UUID.fromString(id);
        assertEquals("Ada Lovelace", string("select full_name from public.profiles where id = ?", uid));
        assertEquals(email.toLowerCase(), string("select email from public.profiles where id = ?", uid));
        assertTrue(string("select encrypted_password from auth.users where id = ?", uid).startsWith("$2"), "bcrypt hash");
        assertEquals(1, count("select count(*) from auth.sessions where id = ? and user_id = ?", sessionId, uid));
        // the refresh token is kept only as a hash
        assertEquals(0, count("select count(*) from auth.refresh_tokens where token = ?", s.getString("refresh_token")));
        assertEquals(1, count("select count(*) from auth.refresh_tokens where session_id = ? and not revoked", sessionId));
    }

    @Test
    void duplicateEmailIsUserAlreadyExistsInBothErrorShapes() throws Exception {
        String email = email("dup");
        signUp(email, "hunter22");
        client().body(Map.of("email", email.toUpperCase(), "password", "another1")).post("/auth/v1/signup")
                .then().statusCode(422).body("code", equalTo(422)).body("error_code", equalTo("user_already_exists"))
                .body("msg", equalTo("User already registered"));
        client().header("X-Supabase-Api-Version", "2024-01-01").body(Map.of("email", email, "password", "another1"))
                .post("/auth/v1/signup").then().statusCode(422).header("X-Supabase-Api-Version", "2024-01-01")
                .body("code", equalTo("user_already_exists")).body("message", equalTo("User already registered"));
        assertEquals(1, count("select count(*) from auth.users where lower(email) = lower(?)", email));
    }

    @Test
    void weakPasswordIs422WithReasonsAndCreatesNothing() throws Exception {
        String email = email("weak");
        client().header("X-Supabase-Api-Version", "2024-01-01").body(Map.of("email", email, "password", "12345"))
                .post("/auth/v1/signup").then().statusCode(422)
                .body("code", equalTo("weak_password"))
                .body("weak_password.reasons", equalTo(List.of("length")));
        client().body(Map.of("email", email, "password", "x".repeat(73))).post("/auth/v1/signup")
                .then().statusCode(422).body("error_code", equalTo("validation_failed"));
        assertEquals(0, count("select count(*) from auth.users where email = ?", email));
    }

    @Test
    void invalidSqlLookingAndEmojiEmailsAre400AndCreateNothing() throws Exception {
        long users = count("select count(*) from auth.users");
        for (String bad : List.of("not-an-email", "😀@example.test", "ada@😀.test", "'; DROP TABLE auth.users; --@x.test",
                "a@b@c.test", "x".repeat(250) + "@example.test", " ")) {
            client().body(Map.of("email", bad, "password", "hunter22")).post("/auth/v1/signup")
                    .then().statusCode(400).body("error_code", equalTo("validation_failed"))
                    .body("msg", equalTo("Unable to validate email address: invalid format"));
        }
        assertEquals(users, count("select count(*) from auth.users"));
        assertEquals(1, count("select count(*) from information_schema.tables where table_schema = 'auth' and table_name = 'users'"));
    }

    @Test
    void malformedAndWronglyTypedJsonAre400InGoTrueShape() throws Exception {
        long users = count("select count(*) from auth.users");
        client().body("{\"email\": \"a@b.test\", \"password\": ").post("/auth/v1/signup")
                .then().statusCode(400).body("code", equalTo(400)).body("error_code", equalTo("bad_json"));
        client().body("{\"email\": {\"$ne\": 1}, \"password\": \"hunter22\"}").post("/auth/v1/signup")
                .then().statusCode(400).body("error_code", equalTo("validation_failed"));
        client().queryParam("grant_type", "password").body("[1,2]").post("/auth/v1/token")
                .then().statusCode(400).body("code", equalTo(400));
        assertEquals(users, count("select count(*) from auth.users"));
    }

    // ---- anonymous sign-in ----

    @Test
    void anonymousSignInThenAddingEmailAndPasswordKeepsTheId() throws Exception {
        JsonPath s = client().body(Map.of("data", Map.of("full_name", "Guest"), "gotrue_meta_security", Map.of()))
                .post("/auth/v1/signup").then().statusCode(200)
                .body("user.is_anonymous", equalTo(true))
                .body("user.email", equalTo(""))
                .body("user.identities", equalTo(List.of()))
                .extract().jsonPath();
        String id = s.getString("user.id");
        JsonPath c = claims(s.getString("access_token"));
        assertEquals(true, c.getBoolean("is_anonymous"));
        assertEquals("authenticated", c.getString("role"));
        assertEquals("anonymous", c.getString("amr[0].method"));
        UUID uid = UUID.fromString(id);
        assertEquals(1, count("select count(*) from auth.users where id = ? and is_anonymous", uid));
        assertEquals("", string("select email from public.profiles where id = ?", uid));

        String email = email("upgraded");
        as(s.getString("access_token")).body(Map.of("email", email, "password", "hunter22")).put("/auth/v1/user")
                .then().statusCode(200).body("id", equalTo(id)).body("email", equalTo(email))
                .body("is_anonymous", equalTo(false)).body("app_metadata.provider", equalTo("email"))
                .body("user_metadata.full_name", equalTo("Guest"));
        passwordGrant(email, "hunter22").then().statusCode(200).body("user.id", equalTo(id))
                .body("user.is_anonymous", equalTo(false));
        assertEquals(email, string("select email from public.profiles where id = ?", uid));
    }

    // ---- anonymous expiry (SPEC §15) ----

    private static UUID anonymousUser() {
        return UUID.fromString(client().body(Map.of()).post("/auth/v1/signup").then().statusCode(200)
                .body("user.is_anonymous", equalTo(true)).extract().path("user.id"));
    }

    private static void age(UUID id, int hours) throws Exception {
        exec("update auth.users set created_at = now() - make_interval(hours => ?) where id = ?", hours, id);
    }

    private static long present(UUID id) throws Exception {
        return count("select count(*) from auth.users where id = ?", id) + count("select count(*) from public.profiles where id = ?", id);
    }

    @Test
    void expiredAnonymousUsersAreSweptWithTheirProfilesInBoundedBatches() throws Exception {
        UUID old1 = anonymousUser();
        UUID old2 = anonymousUser();
        UUID old3 = anonymousUser();
        UUID fresh = anonymousUser();
        JsonPath up = client().body(Map.of()).post("/auth/v1/signup").then().statusCode(200).extract().jsonPath();
        UUID upgraded = UUID.fromString(up.getString("user.id"));
        as(up.getString("access_token")).body(Map.of("email", email("kept"), "password", "hunter22")).put("/auth/v1/user")
                .then().statusCode(200).body("is_anonymous", equalTo(false));
        UUID member = UUID.fromString(signUp(email("member"), "hunter22").getString("user.id"));
        age(old1, 25);
        age(old2, 48);
        age(old3, 30);
        age(fresh, 23);
        age(upgraded, 72);
        age(member, 72);
        assertEquals(1, count("select count(*) from auth.sessions where user_id = ?", old1));

        // bounded: batches of 2, one batch per run, oldest first
        AnonymousSweeper small = new AnonymousSweeper(bean(CallerTransactions.class), bean(UserRepository.class), bean(AuthConfig.class), java.time.Duration.ofHours(24), 2, 1);
        assertEquals(2, small.sweep().await().atMost(java.time.Duration.ofSeconds(10)));
        assertEquals(0, present(old2));
        assertEquals(0, present(old3));
        assertEquals(2, present(old1));
        // the configured sweeper (TTL 24h, batches of 500) takes the rest, then finds nothing
        assertEquals(1, bean(AnonymousSweeper.class).sweep().await().atMost(java.time.Duration.ofSeconds(10)));
        assertEquals(0, bean(AnonymousSweeper.class).sweep().await().atMost(java.time.Duration.ofSeconds(10)));
        assertEquals(0, present(old1));
        assertEquals(0, count("select count(*) from auth.sessions where user_id = ?", old1));
        assertEquals(0, count("select count(*) from auth.refresh_tokens where user_id = ?", old1.toString()));
        assertEquals(2, present(fresh));
        assertEquals(2, present(upgraded));
        assertEquals(2, present(member));
        // the job is scheduled (its first run is delayed past the tests)
        assertNotNull(bean(Scheduler.class).getScheduledJob("anonymous-sweep"));
    }

    @Test
    void anonymousSignInsAreLimitedPerClientAddressAlsoWhenAServiceCreatesThemForAClient() throws Exception {
        // the test limit is 5 anonymous sign-ins per address per hour (RATE_LIMIT_ANONYMOUS_USERS)
        var anon = given().header("apikey", ANON).header("X-Forwarded-For", "10.201.0.2").contentType("application/json");
        for (int i = 0; i < 5; i++) {
            anon.body(Map.of()).post("/auth/v1/signup").then().statusCode(200).body("user.is_anonymous", equalTo(true));
        }
        anon.body(Map.of()).post("/auth/v1/signup").then().statusCode(429).header("Retry-After", notNullValue())
                .body("error_code", equalTo("over_request_rate_limit"));
        // naming another client is a service's privilege: from an anon caller the header changes nothing
        anon.header("X-Client-IP", "203.0.113.99").body(Map.of()).post("/auth/v1/signup").then().statusCode(429);
        // the anonymous limit is its own: the address can still sign up with an email
        given().header("apikey", ANON).header("X-Forwarded-For", "10.201.0.2").contentType("application/json")
                .body(Map.of("email", email("after-anon"), "password", "hunter22")).post("/auth/v1/signup").then().statusCode(200);

        // datasets-service creates the anonymous owners of /slmgen uploads with the service key and names the
        // uploading client: the same limit applies to that client
        var forClient = given().header("apikey", AuthTestSupport.SERVICE).header("Authorization", "Bearer " + AuthTestSupport.SERVICE)
                .header("X-Forwarded-For", "10.201.0.3").header("X-Client-IP", "203.0.113.7").contentType("application/json");
        for (int i = 0; i < 5; i++) {
            forClient.body(Map.of()).post("/auth/v1/signup").then().statusCode(200);
        }
        forClient.body(Map.of()).post("/auth/v1/signup").then().statusCode(429).header("Retry-After", notNullValue())
                .body("error_code", equalTo("over_request_rate_limit"));
        assertEquals(5, count("select count(*) from auth.sessions where ip = '203.0.113.7'::inet"));
        // a service's own calls, naming no client, are not limited per address
        var service = given().header("apikey", AuthTestSupport.SERVICE).header("Authorization", "Bearer " + AuthTestSupport.SERVICE)
                .header("X-Forwarded-For", "10.201.0.1").contentType("application/json");
        for (int i = 0; i < 7; i++) {
            service.body(Map.of()).post("/auth/v1/signup").then().statusCode(200).body("user.is_anonymous", equalTo(true));
        }
    }

    @Test
    void theClientAddressIsReadFromTheRightOfXForwardedFor() throws Exception {
        // the client writes whatever it likes at the left; the proxy in front (trusted) appended the real address
        for (int i = 0; i < 5; i++) {
            given().header("apikey", ANON).header("X-Forwarded-For", "6.6.6." + i + ", 198.51.100.77").contentType("application/json")
                    .body(Map.of()).post("/auth/v1/signup").then().statusCode(200);
        }
        given().header("apikey", ANON).header("X-Forwarded-For", "6.6.6.250, 198.51.100.77").contentType("application/json")
                .body(Map.of()).post("/auth/v1/signup").then().statusCode(429);
        assertEquals(5, count("select count(*) from auth.sessions where ip = '198.51.100.77'::inet"));
        assertEquals(0, count("select count(*) from auth.sessions where ip << '6.6.6.0/24'::inet"));
    }

    // ---- password grant ----

    @Test
    void passwordGrantSignsInAndWrongCredentialsAreInvalidCredentials() {
        String email = email("login");
        String id = signUp(email, "hunter22").getString("user.id");
        Response ok = passwordGrant(email.toUpperCase(), "hunter22");
        ok.then().statusCode(200).body("user.id", equalTo(id)).body("token_type", equalTo("bearer"));
        assertNotEquals(claims(ok.jsonPath().getString("access_token")).getString("session_id"), null);
        passwordGrant(email, "wrong-password").then().statusCode(400)
                .body("error_code", equalTo("invalid_credentials")).body("msg", equalTo("Invalid login credentials"));
        passwordGrant("nobody-" + email, "hunter22").then().statusCode(400).body("error_code", equalTo("invalid_credentials"));
        client().queryParam("grant_type", "password").body(Map.of("email", email)).post("/auth/v1/token")
                .then().statusCode(400).body("error_code", equalTo("validation_failed"));
        client().queryParam("grant_type", "magic").body(Map.of()).post("/auth/v1/token")
                .then().statusCode(400).body("error_code", equalTo("unsupported_grant_type"));
    }

    @Test
    void passwordAttemptsOverTheLimitAre429WithRetryAfter() {
        String email = email("limited");
        signUp(email, "hunter22");
        var ip = given().header("apikey", ANON).header("X-Forwarded-For", "10.200.0.1").contentType("application/json");
        for (int i = 0; i < 10; i++) {
            // each against another address: the per-account limit stays out of the way
            ip.queryParam("grant_type", "password").body(Map.of("email", email("spray"), "password", "wrong" + i))
                    .post("/auth/v1/token").then().statusCode(400);
        }
        ip.queryParam("grant_type", "password").body(Map.of("email", email, "password", "hunter22"))
                .post("/auth/v1/token").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("error_code", equalTo("over_request_rate_limit"));
        // another address is not limited
        passwordGrant(email, "hunter22").then().statusCode(200);
    }

    // ---- user ----

    @Test
    void getUserNeedsAValidTokenAndUpdateUserChangesDataPasswordAndEmail() throws Exception {
        String email = email("me");
        JsonPath s = signUp(email, "hunter22");
        String token = s.getString("access_token");
        String id = s.getString("user.id");
        as(token).get("/auth/v1/user").then().statusCode(200).body("id", equalTo(id)).body("email", equalTo(email));
        client().get("/auth/v1/user").then().statusCode(401).body("error_code", equalTo("no_authorization"));
        as("not.a.jwt").get("/auth/v1/user").then().statusCode(401).body("error_code", equalTo("bad_jwt"));
        as(TokenMinter.user(UUID.randomUUID())).get("/auth/v1/user").then().statusCode(403)
                .body("error_code", equalTo("user_not_found"));

        as(token).body(Map.of("data", Map.of("theme", "light"))).put("/auth/v1/user").then().statusCode(200)
                .body("user_metadata.theme", equalTo("light"));
        as(token).body(Map.of("password", "hunter22")).put("/auth/v1/user").then().statusCode(422)
                .body("error_code", equalTo("same_password"));
        as(token).body(Map.of("password", "abc")).put("/auth/v1/user").then().statusCode(422)
                .body("error_code", equalTo("weak_password"));
        as(token).body(Map.of("password", "correct-horse")).put("/auth/v1/user").then().statusCode(200);
        passwordGrant(email, "hunter22").then().statusCode(400).body("error_code", equalTo("invalid_credentials"));
        passwordGrant(email, "correct-horse").then().statusCode(200);

        String taken = email("taken");
        signUp(taken, "hunter22");
        as(token).body(Map.of("email", taken)).put("/auth/v1/user").then().statusCode(422)
                .body("error_code", equalTo("email_exists"));
        // a permanent user's new address is confirmed first, confirmations on or off (as GoTrue)
        String fresh = email("renamed");
        as(token).body(Map.of("email", fresh)).put("/auth/v1/user").then().statusCode(200)
                .body("email", equalTo(email)).body("new_email", equalTo(fresh));
        assertEquals(email, string("select email from public.profiles where id = ?", UUID.fromString(id)));
        assertEquals(0, MailServer.to(email).size());
        String location = MailServer.follow(MailServer.link(fresh, 0)).then().statusCode(303).extract().header("Location");
        assertTrue(location.contains("access_token=") && location.contains("&type=email_change"), location);
        as(token).get("/auth/v1/user").then().statusCode(200).body("email", equalTo(fresh)).body("$", not(hasKey("new_email")));
        assertEquals(fresh, string("select email from public.profiles where id = ?", UUID.fromString(id)));
        as(token).body("{").put("/auth/v1/user").then().statusCode(400);
    }

    // ---- refresh ----

    @Test
    void refreshRotatesAndReuseInsideTheIntervalReturnsTheSameSession() {
        JsonPath s = signUp(email("rot"), "hunter22");
        String first = s.getString("refresh_token");
        String session = claims(s.getString("access_token")).getString("session_id");
        JsonPath r1 = refresh(first).then().statusCode(200).body("user.id", equalTo(s.getString("user.id")))
                .extract().jsonPath();
        String second = r1.getString("refresh_token");
        assertNotEquals(first, second);
        assertEquals(session, claims(r1.getString("access_token")).getString("session_id"));
        // a racing tab presents the old token right away: same session, a usable token
        JsonPath r2 = refresh(first).then().statusCode(200).extract().jsonPath();
        assertEquals(session, claims(r2.getString("access_token")).getString("session_id"));
        refresh(r2.getString("refresh_token")).then().statusCode(200);
        refresh(second).then().statusCode(200);
    }

    @Test
    void refreshTokenReusedAfterTheIntervalRevokesTheFamily() throws Exception {
        JsonPath s = signUp(email("reuse"), "hunter22");
        String first = s.getString("refresh_token");
        String second = refresh(first).then().statusCode(200).extract().path("refresh_token");
        Thread.sleep(2300); // the test reuse interval is 2 s
        refresh(first).then().statusCode(400).body("error_code", equalTo("refresh_token_already_used"))
                .body("msg", equalTo("Invalid Refresh Token: Already Used"));
        refresh(second).then().statusCode(400).body("error_code", equalTo("refresh_token_already_used"));
        String session = claims(s.getString("access_token")).getString("session_id");
        assertEquals(0, count("select count(*) from auth.refresh_tokens where session_id = ? and not revoked",
                UUID.fromString(session)));
    }

    @Test
    void badRefreshTokensAre400NeverServerErrors() {
        refresh("nope").then().statusCode(400).body("error_code", equalTo("refresh_token_not_found"));
        refresh("x".repeat(5000)).then().statusCode(400).body("error_code", equalTo("refresh_token_not_found"));
        refresh("' or 1=1 --").then().statusCode(400).body("error_code", equalTo("refresh_token_not_found"));
        client().queryParam("grant_type", "refresh_token").body(Map.of()).post("/auth/v1/token")
                .then().statusCode(400).body("error_code", equalTo("validation_failed"));
    }

    // ---- logout ----

    @Test
    void logoutLocalEndsThatSessionOnly() {
        String email = email("out");
        JsonPath a = signUp(email, "hunter22");
        JsonPath b = passwordGrant(email, "hunter22").then().statusCode(200).extract().jsonPath();
        as(a.getString("access_token")).queryParam("scope", "local").post("/auth/v1/logout")
                .then().statusCode(204).body(emptyString());
        refresh(a.getString("refresh_token")).then().statusCode(400).body("error_code", equalTo("refresh_token_not_found"));
        as(a.getString("access_token")).get("/auth/v1/user").then().statusCode(403)
                .body("error_code", equalTo("session_not_found"));
        refresh(b.getString("refresh_token")).then().statusCode(200);
    }

    @Test
    void logoutGlobalAndOthers() {
        String email = email("global");
        JsonPath a = signUp(email, "hunter22");
        JsonPath b = passwordGrant(email, "hunter22").then().statusCode(200).extract().jsonPath();
        JsonPath c = passwordGrant(email, "hunter22").then().statusCode(200).extract().jsonPath();
        as(c.getString("access_token")).queryParam("scope", "others").post("/auth/v1/logout").then().statusCode(204);
        refresh(a.getString("refresh_token")).then().statusCode(400);
        refresh(b.getString("refresh_token")).then().statusCode(400);
        String cNext = refresh(c.getString("refresh_token")).then().statusCode(200).extract().path("refresh_token");
        as(c.getString("access_token")).post("/auth/v1/logout").then().statusCode(204); // default scope: global
        refresh(cNext).then().statusCode(400).body("error_code", equalTo("refresh_token_not_found"));
        client().post("/auth/v1/logout").then().statusCode(401);
        as(c.getString("access_token")).queryParam("scope", "everything").post("/auth/v1/logout").then().statusCode(400);
    }

    // ---- admin ----

    @Test
    void adminUsersApiNeedsTheServiceRoleAndBansWork() throws Exception {
        client().get("/auth/v1/admin/users").then().statusCode(403).body("error_code", equalTo("not_admin"));
        JsonPath someone = signUp(email("plain"), "hunter22");
        as(someone.getString("access_token")).get("/auth/v1/admin/users").then().statusCode(403);

        String email = email("admin-made");
        String id = admin().body(Map.of("email", email, "password", "hunter22", "email_confirm", true,
                        "user_metadata", Map.of("full_name", "Made By Admin")))
                .post("/auth/v1/admin/users").then().statusCode(200).body("email", equalTo(email))
                .body("email_confirmed_at", notNullValue()).extract().path("id");
        admin().body(Map.of("email", email, "password", "hunter22")).post("/auth/v1/admin/users")
                .then().statusCode(422).body("error_code", equalTo("email_exists"));
        admin().get("/auth/v1/admin/users/" + id).then().statusCode(200).body("user_metadata.full_name", equalTo("Made By Admin"));
        admin().queryParam("per_page", 1000).get("/auth/v1/admin/users").then().statusCode(200)
                .header("X-Total-Count", notNullValue()).body("aud", equalTo("authenticated"))
                .body("users.id", hasItem(id));
        admin().get("/auth/v1/admin/users/not-a-uuid").then().statusCode(400);
        admin().get("/auth/v1/admin/users/" + UUID.randomUUID()).then().statusCode(404).body("error_code", equalTo("user_not_found"));

        JsonPath s = passwordGrant(email, "hunter22").then().statusCode(200).extract().jsonPath();
        admin().body(Map.of("ban_duration", "24h")).put("/auth/v1/admin/users/" + id).then().statusCode(200)
                .body("banned_until", notNullValue());
        passwordGrant(email, "hunter22").then().statusCode(400).body("error_code", equalTo("user_banned"));
        refresh(s.getString("refresh_token")).then().statusCode(400);
        admin().body(Map.of("ban_duration", "forever")).put("/auth/v1/admin/users/" + id).then().statusCode(400);
        admin().body(Map.of("ban_duration", "none")).put("/auth/v1/admin/users/" + id).then().statusCode(200)
                .body("$", not(hasKey("banned_until")));
        passwordGrant(email, "hunter22").then().statusCode(200);

        admin().body(Map.of("should_soft_delete", false)).delete("/auth/v1/admin/users/" + id).then().statusCode(200);
        admin().get("/auth/v1/admin/users/" + id).then().statusCode(404);
        assertEquals(0, count("select count(*) from public.profiles where id = ?", UUID.fromString(id)));
        admin().delete("/auth/v1/admin/users/" + id).then().statusCode(404);
    }

    // ---- settings, health, jwks ----

    @Test
    void settingsHealthAndJwks() {
        client().get("/auth/v1/settings").then().statusCode(200).body("external.email", equalTo(true))
                .body("external.anonymous_users", equalTo(true)).body("mailer_autoconfirm", equalTo(true))
                .body("disable_signup", equalTo(false));
        client().get("/auth/v1/health").then().statusCode(200).body("name", equalTo("GoTrue"));
        given().get("/auth/v1/.well-known/jwks.json").then().statusCode(200).header("Cache-Control", containsString("max-age"))
                .body("keys", equalTo(List.of()));
    }

    // ---- mail flows ----

    @Test
    void magicLinkVerifiesOnceWithARedirectCarryingTheSession() throws Exception {
        String email = email("magic");
        String id = signUp(email, "hunter22").getString("user.id");
        client().queryParam("redirect_to", "http://localhost:3000/welcome").body(Map.of("email", email))
                .post("/auth/v1/magiclink").then().statusCode(200);
        MimeMessage mail = MailServer.message(email, 0);
        assertEquals(1, MailServer.to(email).size());
        assertEquals("Your magic link", mail.getSubject());
        assertEquals("SLMGEN <noreply@slmgen.local>", mail.getFrom()[0].toString());
        String link = MailServer.link(email, 0);
        assertTrue(link.startsWith("http://127.0.0.1:8080/auth/v1/verify?token="), link);
        assertEquals("magiclink", MailServer.query(link).get("type"));
        assertEquals("http://localhost:3000/welcome", MailServer.query(link).get("redirect_to"));
        assertTrue(MailServer.html(mail).contains("<a href=\"" + link.replace("&", "&amp;") + "\">"), MailServer.html(mail));
        String token = MailServer.query(link).get("token");
        String location = MailServer.follow(link).then().statusCode(303).extract().header("Location");
        assertTrue(location.startsWith("http://localhost:3000/welcome#access_token="), location);
        assertTrue(location.contains("&token_type=bearer&type=magiclink"), location);
        String access = location.replaceAll(".*access_token=([^&]+).*", "$1");
        assertEquals(id, claims(access).getString("sub"));
        assertEquals("otp", claims(access).getString("amr[0].method"));
        // single use
        String again = MailServer.follow(link).then().statusCode(303).extract().header("Location");
        assertTrue(again.startsWith("http://localhost:3000/welcome#error=access_denied&error_code=otp_expired"), again);
        String bare = client().redirects().follow(false).queryParam("token", token).queryParam("type", "magiclink")
                .get("/auth/v1/verify").then().statusCode(303).extract().header("Location");
        assertTrue(bare.startsWith("http://localhost:3000#error=access_denied&error_code=otp_expired"), bare);
    }

    @Test
    void redirectToAnotherOriginFallsBackToTheSiteUrl() {
        String email = email("evil");
        signUp(email, "hunter22");
        client().body(Map.of("email", email)).post("/auth/v1/magiclink").then().statusCode(200);
        String token = linkToken(MailServer.text(MailServer.message(email, 0)));
        String location = client().redirects().follow(false).queryParam("token", token).queryParam("type", "magiclink")
                .queryParam("redirect_to", "http://localhost:3000.evil.test/steal").get("/auth/v1/verify")
                .then().statusCode(303).extract().header("Location");
        assertTrue(location.startsWith("http://localhost:3000#access_token="), location);
    }

    @Test
    void otpCodeVerifiesWithEmailAndTokenAndNewUsersAreCreated() throws Exception {
        String email = email("otp");
        client().body(Map.of("email", email, "create_user", true, "data", Map.of("full_name", "Otp User")))
                .post("/auth/v1/otp").then().statusCode(200);
        assertEquals(1, count("select count(*) from auth.users where email = ? and email_confirmed_at is null", email));
        String code = otpCode(MailServer.text(MailServer.message(email, 0)));
        client().body(Map.of("type", "email", "email", email, "token", code.equals("000000") ? "111111" : "000000"))
                .post("/auth/v1/verify").then().statusCode(403).body("error_code", equalTo("otp_expired"));
        client().body(Map.of("type", "email", "email", email, "token", code)).post("/auth/v1/verify")
                .then().statusCode(200).body("user.email", equalTo(email)).body("user.email_confirmed_at", notNullValue())
                .body("access_token", notNullValue());
        client().body(Map.of("type", "email", "email", email, "token", code)).post("/auth/v1/verify")
                .then().statusCode(403).body("error_code", equalTo("otp_expired"));
        assertEquals("Otp User", string("select full_name from public.profiles where email = ?", email));
        assertEquals(0, count("select count(*) from auth.one_time_tokens t join auth.users u on u.id = t.user_id where u.email = ?", email));

        client().body(Map.of("email", email("nobody"), "create_user", false)).post("/auth/v1/otp")
                .then().statusCode(422).body("error_code", equalTo("otp_disabled"));
    }

    @Test
    void oneTimeTokensAreHashedAtRestAndExpire() throws Exception {
        String email = email("expiring");
        signUp(email, "hunter22");
        client().body(Map.of("email", email)).post("/auth/v1/recover").then().statusCode(200);
        String token = linkToken(MailServer.text(MailServer.message(email, 0)));
        assertEquals(0, count("select count(*) from auth.one_time_tokens where token_hash = ?", token));
        assertEquals(1, count("select count(*) from auth.one_time_tokens where relates_to = ? and token_type = 'recovery_token'", email));
        exec("update auth.one_time_tokens set expires_at = now() - interval '1 second' where relates_to = ?", email);
        client().body(Map.of("type", "recovery", "token_hash", token)).post("/auth/v1/verify")
                .then().statusCode(403).body("error_code", equalTo("otp_expired"));
    }

    @Test
    void recoverThenSetANewPassword() throws Exception {
        String email = email("recover");
        signUp(email, "hunter22");
        client().body(Map.of("email", email)).post("/auth/v1/recover").then().statusCode(200);
        client().body(Map.of("email", email("unknown"))).post("/auth/v1/recover").then().statusCode(200);
        String token = linkToken(MailServer.text(MailServer.message(email, 0)));
        client().body(Map.of("type", "magiclink", "token_hash", token)).post("/auth/v1/verify").then().statusCode(403);
        MimeMessage mail = MailServer.message(email, 0);
        assertEquals("Reset your password", mail.getSubject());
        String location = MailServer.follow(MailServer.link(email, 0)).then().statusCode(303).extract().header("Location");
        assertTrue(location.startsWith("http://localhost:3000#access_token="), location);
        assertTrue(location.contains("&type=recovery"), location);
        String access = location.replaceAll(".*access_token=([^&]+).*", "$1");
        assertEquals("recovery", claims(access).getString("amr[0].method"));
        client().body(Map.of("type", "recovery", "token_hash", token)).post("/auth/v1/verify").then().statusCode(403);
        as(access).body(Map.of("password", "brand-new-pw")).put("/auth/v1/user").then().statusCode(200);
        passwordGrant(email, "brand-new-pw").then().statusCode(200);
        assertEquals(1, MailServer.total());
    }

    @Test
    void mailsPerAddressOverTheLimitAre429() {
        String email = email("spam");
        signUp(email, "hunter22");
        for (int i = 0; i < 3; i++) {
            client().body(Map.of("email", email)).post("/auth/v1/recover").then().statusCode(200);
        }
        client().body(Map.of("email", email)).post("/auth/v1/recover").then().statusCode(429)
                .header("Retry-After", notNullValue()).body("error_code", equalTo("over_email_send_rate_limit"));
        assertEquals(3, MailServer.to(email).size());
    }

    @Test
    void verifyWithoutTypeOrTokenIs4xx() {
        client().body(Map.of("type", "sideways", "token_hash", "abc")).post("/auth/v1/verify").then().statusCode(400);
        client().body(Map.of("type", "email")).post("/auth/v1/verify").then().statusCode(400);
        client().body(Map.of("type", "signup", "token_hash", "abc")).post("/auth/v1/verify").then().statusCode(403);
    }

    // ---- password changes end the other sessions and every mailed token (SPEC §14) ----

    @Test
    void aPasswordChangeEndsTheOtherSessionsAndEveryMailedTokenButKeepsTheCurrentSession() throws Exception {
        String email = email("pw-change");
        JsonPath a = signUp(email, "hunter22");
        UUID id = UUID.fromString(a.getString("user.id"));
        // someone else signed in with the old password, and links were mailed before the change
        JsonPath b = passwordGrant(email, "hunter22").then().statusCode(200).extract().jsonPath();
        client().body(Map.of("email", email)).post("/auth/v1/recover").then().statusCode(200);
        client().body(Map.of("email", email)).post("/auth/v1/magiclink").then().statusCode(200);
        String recovery = linkToken(MailServer.text(MailServer.message(email, 0)));
        String magic = linkToken(MailServer.text(MailServer.message(email, 1)));
        String magicCode = otpCode(MailServer.text(MailServer.message(email, 1)));
        assertEquals(2, count("select count(*) from auth.one_time_tokens where user_id = ?", id));

        as(a.getString("access_token")).body(Map.of("password", "brand-new-1")).put("/auth/v1/user").then().statusCode(200);

        refresh(b.getString("refresh_token")).then().statusCode(400).body("error_code", equalTo("refresh_token_not_found"));
        as(b.getString("access_token")).get("/auth/v1/user").then().statusCode(403).body("error_code", equalTo("session_not_found"));
        as(a.getString("access_token")).get("/auth/v1/user").then().statusCode(200);
        String aNext = refresh(a.getString("refresh_token")).then().statusCode(200).extract().path("refresh_token");
        client().body(Map.of("type", "recovery", "token_hash", recovery)).post("/auth/v1/verify")
                .then().statusCode(403).body("error_code", equalTo("otp_expired"));
        client().body(Map.of("type", "magiclink", "token_hash", magic)).post("/auth/v1/verify").then().statusCode(403);
        client().body(Map.of("type", "email", "email", email, "token", magicCode)).post("/auth/v1/verify").then().statusCode(403);
        assertEquals(0, count("select count(*) from auth.one_time_tokens where user_id = ?", id));
        passwordGrant(email, "hunter22").then().statusCode(400).body("error_code", equalTo("invalid_credentials"));

        // the seed's update-password is the same core: the caller's session stays, the others end
        JsonPath c = passwordGrant(email, "brand-new-1").then().statusCode(200).extract().jsonPath();
        as(c.getString("access_token")).body(Map.of("password", "brand-new-2")).post("/auth/update-password").then().statusCode(200);
        refresh(aNext).then().statusCode(400);
        String cNext = refresh(c.getString("refresh_token")).then().statusCode(200).extract().path("refresh_token");

        // an admin's change ends every session
        admin().body(Map.of("password", "brand-new-3")).put("/auth/v1/admin/users/" + id).then().statusCode(200);
        refresh(cNext).then().statusCode(400);
        assertEquals(0, count("select count(*) from auth.sessions where user_id = ?", id));
        passwordGrant(email, "brand-new-3").then().statusCode(200);
    }

    @Test
    void aPasswordSetThroughARecoveryLinkEndsEveryOtherSession() throws Exception {
        String email = email("recovered");
        JsonPath stolen = signUp(email, "hunter22");
        client().body(Map.of("email", email)).post("/auth/v1/recover").then().statusCode(200);
        String location = MailServer.follow(MailServer.link(email, 0)).then().statusCode(303).extract().header("Location");
        String access = location.replaceAll(".*access_token=([^&]+).*", "$1");
        String refreshToken = location.replaceAll(".*refresh_token=([^&]+).*", "$1");
        as(access).body(Map.of("password", "taken-back-1")).put("/auth/v1/user").then().statusCode(200);
        refresh(stolen.getString("refresh_token")).then().statusCode(400);
        refresh(refreshToken).then().statusCode(200);
    }

    @Test
    void adminGenerateLinkAnswersTheLinkAndCodeInsteadOfMailingThem() throws Exception {
        String email = email("generated");
        String id = signUp(email, "hunter22").getString("user.id");
        client().body(Map.of("type", "magiclink", "email", email)).post("/auth/v1/admin/generate_link").then().statusCode(403)
                .body("error_code", equalTo("not_admin"));
        JsonPath link = admin().queryParam("redirect_to", "http://localhost:3000/in").body(Map.of("type", "magiclink", "email", email))
                .post("/auth/v1/admin/generate_link").then().statusCode(200).body("id", equalTo(id)).body("email", equalTo(email))
                .body("verification_type", equalTo("magiclink")).body("redirect_to", equalTo("http://localhost:3000/in"))
                .extract().jsonPath();
        assertTrue(link.getString("email_otp").matches("\\d{6}"));
        assertTrue(link.getString("action_link").startsWith("http://127.0.0.1:8080/auth/v1/verify?token=" + link.getString("hashed_token")
                + "&type=magiclink&redirect_to="), link.getString("action_link"));
        assertEquals(0, MailServer.to(email).size());
        client().body(Map.of("type", "magiclink", "token_hash", link.getString("hashed_token"))).post("/auth/v1/verify")
                .then().statusCode(200).body("user.id", equalTo(id));
        String code = admin().body(Map.of("type", "recovery", "email", email)).post("/auth/v1/admin/generate_link")
                .then().statusCode(200).body("verification_type", equalTo("recovery")).extract().path("email_otp");
        client().body(Map.of("type", "recovery", "email", email, "token", code)).post("/auth/v1/verify").then().statusCode(200);
        admin().body(Map.of("type", "recovery", "email", email("nobody"))).post("/auth/v1/admin/generate_link").then().statusCode(404);
        admin().body(Map.of("type", "invite", "email", email)).post("/auth/v1/admin/generate_link").then().statusCode(400);
        // a magic link for an unknown address creates the user, unconfirmed: its link confirms the address
        String fresh = email("generated-new");
        JsonPath signup = admin().body(Map.of("type", "magiclink", "email", fresh)).post("/auth/v1/admin/generate_link")
                .then().statusCode(200).body("verification_type", equalTo("signup")).extract().jsonPath();
        client().body(Map.of("type", "signup", "token_hash", signup.getString("hashed_token"))).post("/auth/v1/verify")
                .then().statusCode(200).body("user.email_confirmed_at", notNullValue());
    }

    // ---- guessing and mail abuse (SPEC §14) ----

    @Test
    void failedSignInsLockTheAccountForAWhileWithoutRevealingWhetherItExists() throws Exception {
        String email = email("locked");
        signUp(email, "hunter22");
        String ghost = email("ghost");
        // every request from another address (client()): the per-IP limit plays no part
        for (int i = 0; i < 10; i++) {
            passwordGrant(email, "wrong-" + i).then().statusCode(400).body("error_code", equalTo("invalid_credentials"));
            passwordGrant(ghost, "wrong-" + i).then().statusCode(400).body("error_code", equalTo("invalid_credentials"));
        }
        Response locked = passwordGrant(email, "hunter22");
        locked.then().statusCode(429).body("error_code", equalTo("over_request_rate_limit"));
        long retry = Long.parseLong(locked.header("Retry-After"));
        assertTrue(retry >= 1 && retry <= 900, "Retry-After within the 15 minute window: " + retry);
        Response ghostLocked = passwordGrant(ghost, "hunter22");
        ghostLocked.then().statusCode(429);
        assertEquals(locked.body().asString(), ghostLocked.body().asString());
        client().body(Map.of("email", email.toUpperCase(), "password", "hunter22")).post("/auth/login").then().statusCode(429);
        // other accounts are not affected
        String other = email("unlocked");
        signUp(other, "hunter22");
        passwordGrant(other, "hunter22").then().statusCode(200);

        // when the window ends the right password works, and a success clears the count
        exec("update auth.rate_limits set expires_at = now() - interval '1 second' where bucket = 'failed_sign_in' and key = ?",
                io.slmgen.auth.token.Secrets.sha256(email));
        passwordGrant(email, "hunter22").then().statusCode(200);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 9; i++) {
                passwordGrant(email, "again-" + i).then().statusCode(400);
            }
            passwordGrant(email, "hunter22").then().statusCode(200);
        }
    }

    @Test
    void aSixDigitCodeDiesAfterFiveWrongGuesses() throws Exception {
        String email = email("guess");
        signUp(email, "hunter22");
        client().body(Map.of("email", email)).post("/auth/v1/otp").then().statusCode(200);
        String code = otpCode(MailServer.text(MailServer.message(email, 0)));
        for (int i = 1; i <= 5; i++) {
            String wrong = String.format("%06d", (Integer.parseInt(code) + i) % 1_000_000);
            client().body(Map.of("type", "email", "email", email, "token", wrong)).post("/auth/v1/verify")
                    .then().statusCode(403).body("error_code", equalTo("otp_expired"));
        }
        client().body(Map.of("type", "email", "email", email, "token", code)).post("/auth/v1/verify")
                .then().statusCode(403).body("error_code", equalTo("otp_expired"));
        assertEquals(0, count("select count(*) from auth.one_time_tokens where relates_to = ?", email));

        // a new code; wrong guesses under the limit do not stop it, and they are counted per code
        client().body(Map.of("email", email)).post("/auth/v1/otp").then().statusCode(200);
        String next = otpCode(MailServer.text(MailServer.message(email, 1)));
        for (int i = 1; i <= 4; i++) {
            String wrong = String.format("%06d", (Integer.parseInt(next) + i) % 1_000_000);
            client().body(Map.of("type", "magiclink", "email", email, "token", wrong)).post("/auth/v1/verify").then().statusCode(403);
        }
        client().body(Map.of("type", "magiclink", "email", email, "token", next)).post("/auth/v1/verify")
                .then().statusCode(200).body("access_token", notNullValue());
    }

    @Test
    void everyMailSendingRouteIsLimitedPerClientAddress() throws Exception {
        // the test limit is 5 mail-sending requests per address per window, shared by the routes
        java.util.function.Supplier<io.restassured.specification.RequestSpecification> ip = () -> given()
                .header("apikey", ANON).header("X-Forwarded-For", "10.202.0.1").contentType("application/json");
        ip.get().body(Map.of("email", email("otp-ip"))).post("/auth/v1/otp").then().statusCode(200);
        ip.get().body(Map.of("email", email("ml-ip"))).post("/auth/v1/magiclink").then().statusCode(200);
        ip.get().body(Map.of("email", email("rec-ip"))).post("/auth/v1/recover").then().statusCode(200);
        ip.get().body(Map.of("type", "signup", "email", email("res-ip"))).post("/auth/v1/resend").then().statusCode(200);
        ip.get().body(Map.of("email", email("seed-ip"))).post("/auth/magic-link").then().statusCode(200);
        int mails = MailServer.total();
        for (String[] route : List.of(new String[] {"/auth/v1/otp", null}, new String[] {"/auth/v1/magiclink", null},
                new String[] {"/auth/v1/recover", null}, new String[] {"/auth/v1/resend", "signup"},
                new String[] {"/auth/magic-link", null}, new String[] {"/auth/reset-password", null})) {
            Map<String, Object> body = route[1] == null ? Map.of("email", email("over")) : Map.of("type", route[1], "email", email("over"));
            ip.get().body(body).post(route[0]).then().statusCode(429).header("Retry-After", notNullValue())
                    .body("error_code", equalTo("over_request_rate_limit"));
        }
        // an email change mails too
        JsonPath s = signUp(email("mover-ip"), "hunter22");
        ip.get().header("Authorization", "Bearer " + s.getString("access_token")).body(Map.of("email", email("moved-ip")))
                .put("/auth/v1/user").then().statusCode(429);
        assertEquals(mails, MailServer.total());
        // other addresses are not limited
        client().body(Map.of("email", email("free"))).post("/auth/v1/otp").then().statusCode(200);
    }

    // ---- rate limits live in PostgreSQL: every replica shares them (SPEC §11) ----

    /** A pool of its own, as another replica would have (the service's database settings, read in-process). */
    private io.vertx.mutiny.sqlclient.Pool separatePool() {
        var appConfig = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        var connect = io.vertx.pgclient.PgConnectOptions.fromUri(appConfig.getValue("quarkus.datasource.reactive.url", String.class))
                .setUser(appConfig.getValue("quarkus.datasource.username", String.class))
                .setPassword(appConfig.getValue("quarkus.datasource.password", String.class));
        return io.vertx.mutiny.pgclient.PgPool.pool(bean(io.vertx.mutiny.core.Vertx.class), connect,
                new io.vertx.sqlclient.PoolOptions().setMaxSize(4));
    }

    @Test
    void twoLimiterInstancesOnTwoPoolsShareOneCount() throws Exception {
        var one = separatePool();
        var two = separatePool();
        try {
            var a = new io.slmgen.auth.service.RateLimiter(one, new io.slmgen.auth.repository.RateLimitRepository(), bean(AuthConfig.class));
            var b = new io.slmgen.auth.service.RateLimiter(two, new io.slmgen.auth.repository.RateLimitRepository(), bean(AuthConfig.class));
            var limit = new io.slmgen.auth.service.RateLimiter.Limit("test_shared", 3, java.time.Duration.ofMinutes(5),
                    io.slmgen.auth.service.GoTrueError.OVER_REQUEST_RATE_LIMIT, "Request rate limit reached");
            java.time.Duration wait = java.time.Duration.ofSeconds(10);
            String key = "client-" + UUID.randomUUID();
            a.hit(limit, key).await().atMost(wait);
            b.hit(limit, key).await().atMost(wait);
            a.hit(limit, key).await().atMost(wait);
            var refused = org.junit.jupiter.api.Assertions.assertThrows(io.slmgen.shared.error.ApiException.class,
                    () -> b.hit(limit, key).await().atMost(wait));
            assertEquals(429, refused.status());
            long retry = Long.parseLong(refused.headers().get("Retry-After"));
            assertTrue(retry >= 1 && retry <= 300, "Retry-After " + retry);
            // the key is kept hashed
            assertEquals(0, count("select count(*) from auth.rate_limits where key = ?", key));

            // hits racing on both instances are all counted, none lost
            String raced = "race-" + UUID.randomUUID();
            var big = new io.slmgen.auth.service.RateLimiter.Limit("test_shared", 1000, java.time.Duration.ofMinutes(5),
                    io.slmgen.auth.service.GoTrueError.OVER_REQUEST_RATE_LIMIT, "Request rate limit reached");
            List<io.smallrye.mutiny.Uni<Void>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                all.add((i % 2 == 0 ? a : b).hit(big, raced));
            }
            io.smallrye.mutiny.Uni.join().all(all).andFailFast().await().atMost(wait);
            assertEquals(20, count("select hits from auth.rate_limits where bucket = 'test_shared' and key = ?",
                    io.slmgen.auth.token.Secrets.sha256(raced)));

            // a closed window starts over, and closed windows are swept away
            exec("update auth.rate_limits set expires_at = now() - interval '1 second' where bucket = 'test_shared'");
            b.hit(limit, key).await().atMost(wait);
            assertEquals(1, count("select hits from auth.rate_limits where bucket = 'test_shared' and key = ?",
                    io.slmgen.auth.token.Secrets.sha256(key)));
            exec("update auth.rate_limits set expires_at = now() - interval '1 second' where bucket = 'test_shared'");
            assertTrue(bean(io.slmgen.auth.service.RateLimitSweeper.class).sweep().await().atMost(wait) >= 2);
            assertEquals(0, count("select count(*) from auth.rate_limits where bucket = 'test_shared'"));
            assertNotNull(bean(Scheduler.class).getScheduledJob("rate-limit-sweep"));
        } finally {
            one.closeAndAwait();
            two.closeAndAwait();
        }
    }

    // ---- the seed's /auth endpoints ----

    @Test
    void seedEndpointsRunOnTheSameCore() {
        String email = email("seed");
        String id = client().body(Map.of("email", email, "password", "hunter22", "full_name", "Seed User"))
                .post("/auth/signup").then().statusCode(200).body("user.user_metadata.full_name", equalTo("Seed User"))
                .extract().path("user.id");
        client().body(Map.of("email", email, "password", "nope-nope")).post("/auth/login").then().statusCode(400)
                .body("error_code", equalTo("invalid_credentials"));
        JsonPath s = client().body(Map.of("email", email, "password", "hunter22")).post("/auth/login")
                .then().statusCode(200).body("user.id", equalTo(id)).extract().jsonPath();
        as(s.getString("access_token")).body(Map.of("password", "seed-password-2")).post("/auth/update-password")
                .then().statusCode(200).body("id", equalTo(id));
        client().body(Map.of("password", "x1234567")).post("/auth/update-password").then().statusCode(401);
        as(s.getString("access_token")).post("/auth/logout").then().statusCode(204);
        refresh(s.getString("refresh_token")).then().statusCode(400);

        client().body(Map.of("email", email)).post("/auth/magic-link").then().statusCode(200);
        String token = linkToken(MailServer.text(MailServer.message(email, 0)));
        client().queryParam("token_hash", token).queryParam("type", "magiclink").get("/auth/callback")
                .then().statusCode(200).body("user.id", equalTo(id)).body("access_token", notNullValue());
        client().queryParam("token_hash", token).queryParam("type", "magiclink").get("/auth/callback")
                .then().statusCode(403).body("error_code", equalTo("otp_expired"));
        client().get("/auth/callback").then().statusCode(400);

        client().body(Map.of("email", email)).post("/auth/reset-password").then().statusCode(200);
        String reset = linkToken(MailServer.text(MailServer.message(email, 1)));
        client().queryParam("token_hash", reset).queryParam("type", "recovery").get("/auth/callback").then().statusCode(200);
        client().body(Map.of("email", "bad")).post("/auth/signup").then().statusCode(400);
        client().body("{oops").post("/auth/login").then().statusCode(400).body("error_code", equalTo("bad_json"));
    }

    // ---- profiles ----

    @Test
    void profileIsReadAndPatchedUnderRls() throws Exception {
        JsonPath s = signUp(email("profile"), "hunter22");
        String token = s.getString("access_token");
        String id = s.getString("user.id");
        as(token).get("/api/profile").then().statusCode(200).body("id", equalTo(id)).body("theme", equalTo("dark"))
                .body("notifications_enabled", equalTo(true));
        as(token).body(Map.of("full_name", "New Name", "bio", "hi 👋", "theme", "light", "notifications_enabled", false,
                        "avatar_url", "avatars/" + id + "/avatar.png"))
                .patch("/api/profile").then().statusCode(200).body("full_name", equalTo("New Name"))
                .body("bio", equalTo("hi 👋")).body("theme", equalTo("light")).body("notifications_enabled", equalTo(false))
                .body("avatar_url", equalTo("avatars/" + id + "/avatar.png"));
        as(token).body(Map.of("theme", "neon")).patch("/api/profile").then().statusCode(422)
                .body("error", equalTo("validation_failed")).body("field", equalTo("theme"));
        as(token).body(Map.of("id", UUID.randomUUID().toString())).patch("/api/profile").then().statusCode(422)
                .body("field", equalTo("id"));
        as(token).body(Map.of("avatar_url", "avatars/" + UUID.randomUUID() + "/avatar.png")).patch("/api/profile")
                .then().statusCode(422).body("field", equalTo("avatar_url"));
        as(token).body(Map.of("notifications_enabled", "yes")).patch("/api/profile").then().statusCode(422);
        as(token).body("{bad").patch("/api/profile").then().statusCode(400);
        client().get("/api/profile").then().statusCode(401).body("error", equalTo("no_authorization"));
        // someone else's token sees only their own row
        JsonPath other = signUp(email("other"), "hunter22");
        as(other.getString("access_token")).get("/api/profile").then().statusCode(200)
                .body("id", equalTo(other.getString("user.id"))).body("full_name", equalTo(""));
        assertEquals("New Name", string("select full_name from public.profiles where id = ?", UUID.fromString(id)));
        assertFalse(Boolean.parseBoolean(string("select notifications_enabled::text from public.profiles where id = ?", UUID.fromString(id))));
    }

    @Test
    void apiVersionedErrorsUseTheNewShape() {
        client().header("X-Supabase-Api-Version", "2024-01-01").queryParam("grant_type", "password")
                .body(Map.of("email", email("x"), "password", "whatever")).post("/auth/v1/token")
                .then().statusCode(400).header("X-Supabase-Api-Version", startsWith("2024"))
                .body("code", equalTo("invalid_credentials")).body("message", equalTo("Invalid login credentials"))
                .body("$", not(hasKey("msg")));
    }

    // ---- PostgREST at /rest/v1/profiles (shared-postgrest), as the SLMGEN app uses it ----

    @Test
    void restV1ProfilesAsTheSlmgenAppUsesThem() {
        JsonPath a = signUp(email("rest-a"), "correct-horse-battery");
        JsonPath b = signUp(email("rest-b"), "correct-horse-battery");
        String aId = a.getString("user.id");
        String aToken = a.getString("access_token");
        String bToken = b.getString("access_token");
        as(aToken).header("Accept", "application/vnd.pgrst.object+json").queryParam("select", "*")
                .queryParam("id", "eq." + aId).get("/rest/v1/profiles").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.equalTo(aId)).body("theme", org.hamcrest.Matchers.equalTo("dark"))
                .body("notifications_enabled", org.hamcrest.Matchers.equalTo(true));
        // B asks for A's profile with .single(): nothing visible → 406 PGRST116
        as(bToken).header("Accept", "application/vnd.pgrst.object+json").queryParam("id", "eq." + aId)
                .get("/rest/v1/profiles").then().statusCode(406).body("code", org.hamcrest.Matchers.equalTo("PGRST116"));
        as(aToken).contentType("application/json").queryParam("id", "eq." + aId)
                .body("{\"full_name\":\"Ada L\",\"bio\":\"hi\",\"theme\":\"light\"}")
                .patch("/rest/v1/profiles").then().statusCode(204);
        as(bToken).contentType("application/json").queryParam("id", "eq." + aId)
                .body("{\"full_name\":\"pwned\"}").patch("/rest/v1/profiles").then().statusCode(204);
        as(aToken).queryParam("select", "full_name,bio,theme").queryParam("id", "eq." + aId)
                .get("/rest/v1/profiles").then().statusCode(200)
                .body("[0].full_name", org.hamcrest.Matchers.equalTo("Ada L")).body("[0].theme", org.hamcrest.Matchers.equalTo("light"));
    }

    @Test
    void emptyNullOrTrailingGarbageBodiesAreBadJsonAndCreateNobody() throws Exception {
        long before = AuthTestSupport.count("select count(*) from auth.users");
        client().body("").post("/auth/v1/signup").then().statusCode(400);
        client().body("null").post("/auth/v1/signup").then().statusCode(400)
                .body("error_code", org.hamcrest.Matchers.equalTo("bad_json"));
        client().body("{} extra").post("/auth/v1/signup").then().statusCode(400);
        client().body("{\"email\":\"x@example.test\",\"password\":\"long-enough\"} {}").post("/auth/v1/signup")
                .then().statusCode(400);
        org.junit.jupiter.api.Assertions.assertEquals(before, AuthTestSupport.count("select count(*) from auth.users"));
    }
}
