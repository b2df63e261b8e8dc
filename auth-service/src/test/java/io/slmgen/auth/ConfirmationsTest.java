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

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
@WithTestResource(MailServer.class)
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

    @Test
    void emailChangeIsAppliedOnlyAfterTheNewAddressConfirms() throws Exception {
        String email = email("mover");
        String id = client().body(Map.of("email", email, "password", "hunter22")).post("/auth/v1/signup")
                .then().statusCode(200).extract().path("id");
        client().body(Map.of("type", "signup", "token_hash", linkToken(MailServer.text(MailServer.message(email, 0)))))
                .post("/auth/v1/verify").then().statusCode(200);
        String access = passwordGrant(email, "hunter22").then().statusCode(200).extract().path("access_token");

        String next = email("moved");
        as(access).body(Map.of("email", next)).put("/auth/v1/user").then().statusCode(200)
                .body("email", equalTo(email)).body("new_email", equalTo(next));
        assertEquals(email, string("select email from auth.users where id = ?", UUID.fromString(id)));
        MimeMessage mail = MailServer.message(next, 0);
        assertEquals("Confirm your new email", mail.getSubject());
        String link = MailServer.link(next, 0);
        assertEquals("email_change", MailServer.query(link).get("type"));
        String location = MailServer.follow(link).then().statusCode(303).extract().header("Location");
        assertTrue(location.startsWith("http://localhost:3000#access_token="), location);
        assertTrue(location.contains("&type=email_change"), location);
        as(location.replaceAll(".*access_token=([^&]+).*", "$1")).get("/auth/v1/user").then().statusCode(200)
                .body("email", equalTo(next)).body("$", not(hasKey("new_email")));
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
