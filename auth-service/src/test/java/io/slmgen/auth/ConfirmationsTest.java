package io.slmgen.auth;

import static io.restassured.RestAssured.given;
import static io.slmgen.auth.AuthTestSupport.as;
import static io.slmgen.auth.AuthTestSupport.claims;
import static io.slmgen.auth.AuthTestSupport.client;
import static io.slmgen.auth.AuthTestSupport.count;
import static io.slmgen.auth.AuthTestSupport.email;
import static io.slmgen.auth.AuthTestSupport.linkToken;
import static io.slmgen.auth.AuthTestSupport.passwordGrant;
import static io.slmgen.auth.AuthTestSupport.string;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.slmgen.shared.testing.TestDatabase;

/**
 * Confirmations on (auth.autoconfirm=false): sign-up mails a link, email changes (anonymous users too) are confirmed
 * by mail, and account pre-hijacking through an unconfirmed address gains nothing (SPEC §14).
 */
@QuarkusTest
@TestProfile(ConfirmationsTest.ConfirmationsOn.class)
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "auth"), @ResourceArg(name = "slices", value = "")})
@WithTestResource(MailServer.class)
@WithTestResource(FakeProviders.class)
class ConfirmationsTest {

    public static class ConfirmationsOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.autoconfirm", "false");
        }
    }

    @BeforeEach
    void clearMail() {
        MailServer.clear();
    }

    @Test
    void signupMailsAConfirmationAndSignInWaitsForIt() throws Exception {
        String email = email("confirm");
        String id = client().queryParam("redirect_to", "http://localhost:3000/confirmed")
                .body(Map.of("email", email, "password", "hunter22")).post("/auth/v1/signup")
                .then().statusCode(200)
                .body("$", not(hasKey("access_token")))
                .body("email", equalTo(email)).body("confirmation_sent_at", notNullValue())
                .body("$", not(hasKey("email_confirmed_at")))
                .extract().path("id");
        client().get("/auth/v1/settings").then().body("mailer_autoconfirm", equalTo(false));
        passwordGrant(email, "hunter22").then().statusCode(400).body("error_code", equalTo("email_not_confirmed"));

        // signing up again while unconfirmed resends; the answer does not reveal the account
        client().queryParam("redirect_to", "http://localhost:3000/confirmed")
                .body(Map.of("email", email, "password", "hunter22")).post("/auth/v1/signup").then().statusCode(200)
                .body("id", equalTo(id));
        assertEquals(2, MailServer.to(email).size());
        String stale = linkToken(MailServer.text(MailServer.message(email, 0)));
        String token = linkToken(MailServer.text(MailServer.message(email, 1)));
        client().body(Map.of("type", "signup", "token_hash", stale)).post("/auth/v1/verify").then().statusCode(403);

        MimeMessage mail = MailServer.message(email, 1);
        assertEquals("Confirm your signup", mail.getSubject());
        String link = MailServer.link(email, 1);
        assertEquals(token, MailServer.query(link).get("token"));
        assertEquals("signup", MailServer.query(link).get("type"));
        assertEquals("http://localhost:3000/confirmed", MailServer.query(link).get("redirect_to"));
        String location = MailServer.follow(link).then().statusCode(303).extract().header("Location");
        assertTrue(location.startsWith("http://localhost:3000/confirmed#access_token="), location);
        assertEquals(id, claims(location.replaceAll(".*access_token=([^&]+).*", "$1")).getString("sub"));
        passwordGrant(email, "hunter22").then().statusCode(200).body("user.email_confirmed_at", notNullValue());
        assertEquals(1, count("select count(*) from auth.users where id = ? and email_confirmed_at is not null", UUID.fromString(id)));
    }

    private static String confirmedUser(String email) throws Exception {
        String id = client().body(Map.of("email", email, "password", "hunter22")).post("/auth/v1/signup")
                .then().statusCode(200).extract().path("id");
        client().body(Map.of("type", "signup", "token_hash", linkToken(MailServer.text(MailServer.message(email, 0)))))
                .post("/auth/v1/verify").then().statusCode(200);
        return id;
    }

    @Test
    void emailChangeIsAppliedOnlyWhenBothTheCurrentAndTheNewAddressConfirm() throws Exception {
        String email = email("mover");
        String id = confirmedUser(email);
        String access = passwordGrant(email, "hunter22").then().statusCode(200).extract().path("access_token");

        String next = email("moved");
        as(access).body(Map.of("email", next)).put("/auth/v1/user").then().statusCode(200)
                .body("email", equalTo(email)).body("new_email", equalTo(next));
        assertEquals(email, string("select email from auth.users where id = ?", UUID.fromString(id)));
        MimeMessage toNew = MailServer.message(next, 0);
        assertEquals("Confirm your new email", toNew.getSubject());
        MimeMessage toCurrent = MailServer.message(email, 1);
        assertEquals("Confirm the change of your email address", toCurrent.getSubject());
        String newLink = MailServer.link(next, 0);
        String currentLink = MailServer.link(email, 1);
        assertEquals("email_change", MailServer.query(newLink).get("type"));
        assertEquals("email_change", MailServer.query(currentLink).get("type"));

        // the new address alone is not enough (secure email change, as GoTrue)
        String first = MailServer.follow(newLink).then().statusCode(303).extract().header("Location");
        assertTrue(first.startsWith("http://localhost:3000#message=Confirmation+link+accepted"), first);
        assertFalse(first.contains("access_token"), first);
        as(access).get("/auth/v1/user").then().statusCode(200).body("email", equalTo(email)).body("new_email", equalTo(next));
        String location = MailServer.follow(currentLink).then().statusCode(303).extract().header("Location");
        assertTrue(location.startsWith("http://localhost:3000#access_token="), location);
        assertTrue(location.contains("&type=email_change"), location);
        as(location.replaceAll(".*access_token=([^&]+).*", "$1")).get("/auth/v1/user").then().statusCode(200)
                .body("email", equalTo(next)).body("$", not(hasKey("new_email")));
        assertEquals(next, string("select email from public.profiles where id = ?", UUID.fromString(id)));
        passwordGrant(next, "hunter22").then().statusCode(200);
        // both links were used up
        MailServer.follow(newLink).then().statusCode(303).header("Location", org.hamcrest.Matchers.containsString("error_code=otp_expired"));
    }

    @Test
    void anAnonymousUserAddingAnEmailMustConfirmItSoNobodyPreClaimsAnAddress() throws Exception {
        // the attacker signs in anonymously and claims the victim's address (and a password for it)
        JsonPath anon = client().body(Map.of()).post("/auth/v1/signup").then().statusCode(200)
                .body("user.is_anonymous", equalTo(true)).extract().jsonPath();
        UUID anonId = UUID.fromString(anon.getString("user.id"));
        String victim = email("victim");
        as(anon.getString("access_token")).body(Map.of("email", victim, "password", "attacker-pw")).put("/auth/v1/user")
                .then().statusCode(200).body("email", equalTo("")).body("new_email", equalTo(victim))
                .body("is_anonymous", equalTo(true)).body("$", not(hasKey("email_confirmed_at")));
        assertEquals(0, count("select count(*) from auth.users where id = ? and (email is not null or email_confirmed_at is not null)", anonId));
        assertEquals("Confirm your new email", MailServer.message(victim, 0).getSubject());
        // nothing was gained: the address signs nobody in, and its owner can still sign up
        passwordGrant(victim, "attacker-pw").then().statusCode(400).body("error_code", equalTo("invalid_credentials"));
        String owner = client().body(Map.of("email", victim, "password", "owner-pw-1")).post("/auth/v1/signup")
                .then().statusCode(200).extract().path("id");
        assertNotEquals(anonId.toString(), owner);
        // the claim's link is dead once the address is someone else's
        String location = MailServer.follow(MailServer.link(victim, 0)).then().statusCode(303).extract().header("Location");
        assertTrue(location.contains("error_code=email_exists"), location);
        assertEquals(1, count("select count(*) from auth.users where id = ? and is_anonymous and email is null", anonId));

        // an anonymous user who owns the address: the link makes it a permanent user, same id
        JsonPath guest = client().body(Map.of()).post("/auth/v1/signup").then().statusCode(200).extract().jsonPath();
        String mine = email("mine");
        as(guest.getString("access_token")).body(Map.of("email", mine, "password", "hunter22")).put("/auth/v1/user")
                .then().statusCode(200).body("new_email", equalTo(mine));
        String ok = MailServer.follow(MailServer.link(mine, 0)).then().statusCode(303).extract().header("Location");
        assertTrue(ok.contains("access_token="), ok);
        as(guest.getString("access_token")).get("/auth/v1/user").then().statusCode(200)
                .body("email", equalTo(mine)).body("is_anonymous", equalTo(false)).body("email_confirmed_at", notNullValue());
        passwordGrant(mine, "hunter22").then().statusCode(200).body("user.id", equalTo(guest.getString("user.id")));
    }

    @Test
    void aVerifiedProviderIdentityTakesOverAnUnconfirmedAccountAndDropsWhatItsOwnerSetUp() throws Exception {
        // the attacker pre-registers the victim's address with a password; it stays unconfirmed
        String victim = email("prehijack");
        String id = client().body(Map.of("email", victim, "password", "attacker-pw", "data", Map.of("full_name", "Not You")))
                .post("/auth/v1/signup").then().statusCode(200).extract().path("id");
        // the victim signs in with GitHub, which verified the address
        FakeProviders.stubGithub("code-victim", "gho_victim", 7007, "victim", "Real Victim", victim, true);
        String location = FakeProviders.signIn("github", "http://localhost:3000/after", "code-victim", null);
        assertTrue(location.startsWith("http://localhost:3000/after#access_token="), location);
        String access = location.replaceAll(".*access_token=([^&]+).*", "$1");
        assertEquals(id, claims(access).getString("sub"));
        as(access).get("/auth/v1/user").then().statusCode(200).body("email_confirmed_at", notNullValue())
                .body("user_metadata.full_name", equalTo("Real Victim"))
                .body("identities.provider", equalTo(java.util.List.of("github")))
                .body("app_metadata.providers", equalTo(java.util.List.of("github")));
        // the attacker's password is gone: the now confirmed account is not theirs
        passwordGrant(victim, "attacker-pw").then().statusCode(400).body("error_code", equalTo("invalid_credentials"));
        // and the confirmation mailed to the victim at the attacker's sign-up no longer works
        client().body(Map.of("type", "signup", "token_hash", linkToken(MailServer.text(MailServer.message(victim, 0)))))
                .post("/auth/v1/verify").then().statusCode(403);
    }

    @Test
    void anAnonymousClaimOnAnAddressNeverLinksAProviderIdentityToTheClaimant() throws Exception {
        JsonPath anon = client().body(Map.of()).post("/auth/v1/signup").then().statusCode(200).extract().jsonPath();
        String victim = email("oauth-victim");
        as(anon.getString("access_token")).body(Map.of("email", victim)).put("/auth/v1/user").then().statusCode(200);
        FakeProviders.stubGithub("code-ov", "gho_ov", 7008, "ovictim", "O Victim", victim, true);
        String location = FakeProviders.signIn("github", "http://localhost:3000/after", "code-ov", null);
        String sub = claims(location.replaceAll(".*access_token=([^&]+).*", "$1")).getString("sub");
        assertNotEquals(anon.getString("user.id"), sub);
        as(anon.getString("access_token")).get("/auth/v1/user").then().statusCode(200).body("email", equalTo(""))
                .body("identities", equalTo(java.util.List.of()));
    }

    @Test
    void anUnverifiedProviderAddressGetsAConfirmationMailBeforeAnySignIn() throws Exception {
        String email = email("unverified-gh");
        FakeProviders.stubGithub("code-unv", "gho_unv", 7009, "unv", "Unverified", email, false);
        String location = FakeProviders.signIn("github", "http://localhost:3000/after", "code-unv", null);
        assertTrue(location.startsWith("http://localhost:3000/after#error=access_denied&error_code=provider_email_needs_verification"), location);
        assertFalse(location.contains("access_token"), location);
        assertEquals(1, count("select count(*) from auth.users where email = ? and email_confirmed_at is null", email));
        assertEquals("Confirm your signup", MailServer.message(email, 0).getSubject());
        String confirmed = MailServer.follow(MailServer.link(email, 0)).then().statusCode(303).extract().header("Location");
        assertTrue(confirmed.contains("access_token="), confirmed);
        // confirmed: GitHub signs in now
        String again = FakeProviders.signIn("github", "http://localhost:3000/after", "code-unv", null);
        assertTrue(again.startsWith("http://localhost:3000/after#access_token="), again);
    }

    @Test
    void signUpsThatMailAConfirmationAreLimitedLikeEveryMailSendingRoute() throws Exception {
        // the test limit is 5 mail-sending requests per address per window (10 sign-ups would be allowed)
        java.util.function.Supplier<io.restassured.specification.RequestSpecification> ip = () -> given()
                .header("apikey", AuthTestSupport.ANON).header("X-Forwarded-For", "10.203.0.1").contentType("application/json");
        for (int i = 0; i < 5; i++) {
            ip.get().body(Map.of("email", email("mailed-signup"), "password", "hunter22")).post("/auth/v1/signup").then().statusCode(200);
        }
        String refused = email("refused-signup");
        ip.get().body(Map.of("email", refused, "password", "hunter22")).post("/auth/v1/signup").then().statusCode(429)
                .header("Retry-After", notNullValue()).body("error_code", equalTo("over_request_rate_limit"));
        assertEquals(0, count("select count(*) from auth.users where email = ?", refused));
        assertEquals(0, MailServer.to(refused).size());
    }

    @Test
    void resendMailsTheConfirmationAgainOnlyWhenThereIsOneToConfirm() throws Exception {
        String email = email("resend");
        client().body(Map.of("email", email, "password", "hunter22")).post("/auth/v1/signup").then().statusCode(200);
        client().body(Map.of("type", "signup", "email", email)).post("/auth/v1/resend").then().statusCode(200)
                .body("$", equalTo(Map.of()));
        assertEquals(2, MailServer.to(email).size());
        String token = linkToken(MailServer.text(MailServer.message(email, 1)));
        client().body(Map.of("type", "signup", "token_hash", token)).post("/auth/v1/verify").then().statusCode(200);
        // confirmed, unknown: {} and no mail
        client().body(Map.of("type", "signup", "email", email)).post("/auth/v1/resend").then().statusCode(200);
        client().body(Map.of("type", "signup", "email", email("nobody"))).post("/auth/v1/resend").then().statusCode(200);
        assertEquals(2, MailServer.to(email).size());
        client().body(Map.of("type", "sideways", "email", email)).post("/auth/v1/resend").then().statusCode(400)
                .body("error_code", equalTo("validation_failed"));
    }
}
