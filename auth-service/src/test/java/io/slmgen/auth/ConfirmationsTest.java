package io.slmgen.auth;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.slmgen.shared.testing.TestDatabase;

/** Confirmations on (auth.autoconfirm=false): sign-up mails a link, email changes are confirmed by mail. */
@QuarkusTest
@TestProfile(ConfirmationsTest.ConfirmationsOn.class)
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "auth"), @ResourceArg(name = "slices", value = "")})
class ConfirmationsTest {

    public static class ConfirmationsOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.autoconfirm", "false");
        }
    }

    @Inject
    MockMailbox mailbox;

    @BeforeEach
    void clearMail() {
        mailbox.clear();
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
        client().body(Map.of("email", email, "password", "hunter22")).post("/auth/v1/signup").then().statusCode(200)
                .body("id", equalTo(id));
        assertEquals(2, mailbox.getMailsSentTo(email).size());
        String stale = linkToken(mailbox.getMailsSentTo(email).get(0).getText());
        String token = linkToken(mailbox.getMailsSentTo(email).get(1).getText());
        client().body(Map.of("type", "signup", "token_hash", stale)).post("/auth/v1/verify").then().statusCode(403);

        String location = client().redirects().follow(false).queryParam("token", token).queryParam("type", "signup")
                .queryParam("redirect_to", "http://localhost:3000/confirmed").get("/auth/v1/verify")
                .then().statusCode(303).extract().header("Location");
        assertTrue(location.startsWith("http://localhost:3000/confirmed#access_token="), location);
        assertEquals(id, claims(location.replaceAll(".*access_token=([^&]+).*", "$1")).getString("sub"));
        passwordGrant(email, "hunter22").then().statusCode(200).body("user.email_confirmed_at", notNullValue());
        assertEquals(1, count("select count(*) from auth.users where id = ? and email_confirmed_at is not null", UUID.fromString(id)));
    }

    @Test
    void emailChangeIsAppliedOnlyAfterTheNewAddressConfirms() throws Exception {
        String email = email("mover");
        String id = client().body(Map.of("email", email, "password", "hunter22")).post("/auth/v1/signup")
                .then().statusCode(200).extract().path("id");
        client().body(Map.of("type", "signup", "token_hash", linkToken(mailbox.getMailsSentTo(email).get(0).getText())))
                .post("/auth/v1/verify").then().statusCode(200);
        String access = passwordGrant(email, "hunter22").then().statusCode(200).extract().path("access_token");

        String next = email("moved");
        as(access).body(Map.of("email", next)).put("/auth/v1/user").then().statusCode(200)
                .body("email", equalTo(email)).body("new_email", equalTo(next));
        assertEquals(email, string("select email from auth.users where id = ?", UUID.fromString(id)));
        String token = linkToken(mailbox.getMailsSentTo(next).get(0).getText());
        client().body(Map.of("type", "email_change", "token_hash", token)).post("/auth/v1/verify").then().statusCode(200)
                .body("user.email", equalTo(next)).body("user", not(hasKey("new_email")));
        assertEquals(next, string("select email from public.profiles where id = ?", UUID.fromString(id)));
        passwordGrant(next, "hunter22").then().statusCode(200);
    }

    @Test
    void anonymousUsersStillAddAnEmailDirectly() {
        String access = client().body(Map.of()).post("/auth/v1/signup").then().statusCode(200)
                .body("user.is_anonymous", equalTo(true)).extract().path("access_token");
        String email = email("anon-upgrade");
        as(access).body(Map.of("email", email, "password", "hunter22")).put("/auth/v1/user").then().statusCode(200)
                .body("email", equalTo(email)).body("is_anonymous", equalTo(false));
    }
}
