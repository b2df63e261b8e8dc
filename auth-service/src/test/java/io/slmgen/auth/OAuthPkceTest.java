package io.slmgen.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.slmgen.auth.AuthTestSupport.claims;
import static io.slmgen.auth.AuthTestSupport.client;
import static io.slmgen.auth.AuthTestSupport.count;
import static io.slmgen.auth.AuthTestSupport.email;
import static io.slmgen.auth.AuthTestSupport.linkToken;
import static io.slmgen.auth.AuthTestSupport.signUp;
import static io.slmgen.auth.AuthTestSupport.string;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.slmgen.shared.testing.TestDatabase;

/** PKCE (grant_type=pkce) and OAuth sign-in with GitHub and Google played by WireMock. */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "auth"), @ResourceArg(name = "slices", value = "")})
// the mail goes over SMTP to a real server (not the in-process mock mailbox), so OAuthPkceIT reads it too
@WithTestResource(MailServer.class)
@WithTestResource(FakeProviders.class)
class OAuthPkceTest {

    // the S256 challenge of VERIFIER_RFC, computed outside Java:
    // python3 -c "import hashlib,base64;print(base64.urlsafe_b64encode(hashlib.sha256(b'<verifier>').digest()).rstrip(b'='))"
    static final String VERIFIER = "dBjftJeZ4CVP-mJ92K9o8ScUsYDr5aN7M1lEwO1Xs8E1";
    static final String VERIFIER_RFC = "dBjftJeZ4CVP-mJ92K9o8ScUsYDr5aN7M1lEwO1Xs8E";
    static final String CHALLENGE_RFC = "jIdCCVL8PKHr_2HPmW1Cso1QDn2YeGXadX75zN3cwgU";

    @BeforeEach
    void reset() {
        MailServer.clear();
    }

    @Test
    void pkceMagicLinkRedirectsWithACodeThatOnlyTheVerifierExchangesOnce() {
        String email = email("pkce");
        String id = signUp(email, "hunter22").getString("user.id");
        client().body(Map.of("email", email, "code_challenge", CHALLENGE_RFC, "code_challenge_method", "s256"))
                .post("/auth/v1/magiclink").then().statusCode(200);
        String token = linkToken(MailServer.text(MailServer.message(email, 0)));
        String location = client().redirects().follow(false).queryParam("token", token).queryParam("type", "magiclink")
                .queryParam("redirect_to", "http://localhost:3000/cb").get("/auth/v1/verify")
                .then().statusCode(303).extract().header("Location");
        assertTrue(location.startsWith("http://localhost:3000/cb?code="), location);
        String code = location.substring(location.indexOf("code=") + 5);

        pkce(code, VERIFIER).then().statusCode(400).body("error_code", org.hamcrest.Matchers.equalTo("bad_code_verifier"));
        pkce(code, VERIFIER_RFC).then().log().ifValidationFails().statusCode(200).body("user.id", org.hamcrest.Matchers.equalTo(id))
                .body("access_token", notNullValue()).body("refresh_token", notNullValue());
        pkce(code, VERIFIER_RFC).then().statusCode(404).body("error_code", org.hamcrest.Matchers.equalTo("flow_state_not_found"));
        pkce("", VERIFIER_RFC).then().statusCode(400);
        client().body(Map.of("email", email, "code_challenge", "short")).post("/auth/v1/magiclink").then().statusCode(400);
    }

    @Test
    void authorizeRedirectsToTheProviderWithASignedState() {
        client().queryParam("provider", "twitter").get("/auth/v1/authorize").then().statusCode(400);
        String location = client().redirects().follow(false).queryParam("provider", "github")
                .queryParam("redirect_to", "http://localhost:3000/after").get("/auth/v1/authorize")
                .then().statusCode(302).extract().header("Location");
        assertTrue(location.startsWith(FakeProviders.server.baseUrl() + "/github/login/oauth/authorize?client_id=gh-client"
                + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fauth%2Fv1%2Fcallback&response_type=code&scope="), location);
        assertTrue(location.contains("&state="), location);
        // a page load that accepts only HTML still gets the redirect (GoTrue ignores Accept here)
        client().redirects().follow(false).header("Accept", "text/html").queryParam("provider", "github")
                .get("/auth/v1/authorize").then().statusCode(302);
        client().redirects().follow(false).header("Accept", "text/html").queryParam("token", "no-such-token")
                .queryParam("type", "magiclink").queryParam("redirect_to", "http://localhost:3000/after")
                .get("/auth/v1/verify").then().statusCode(org.hamcrest.Matchers.not(406));
        client().get("/auth/v1/settings").then().body("external.github", org.hamcrest.Matchers.equalTo(true))
                .body("external.google", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void githubSignInCreatesTheUserWithIdentityAndProfileThenSignsTheSameUserInAgain() throws Exception {
        String email = email("octo");
        stubGithub("code-octo", "gho_octo", 4242, "octocat", "Octo Cat", email, true);
        String first = callback("github", "http://localhost:3000/after", "code-octo", null);
        assertTrue(first.startsWith("http://localhost:3000/after#access_token="), first);
        assertTrue(first.contains("&provider_token=gho_octo&"), first);
        String access = first.replaceAll(".*access_token=([^&]+).*", "$1");
        String id = claims(access).getString("sub");
        assertEquals("oauth", claims(access).getString("amr[0].method"));
        assertEquals("github", claims(access).getString("app_metadata.provider"));
        assertEquals("Octo Cat", string("select full_name from public.profiles where id = ?", UUID.fromString(id)));
        assertEquals("https://avatars.example.test/4242.png", string("select avatar_url from public.profiles where id = ?", UUID.fromString(id)));
        assertEquals(1, count("select count(*) from auth.identities where provider = 'github' and provider_id = '4242'"));
        FakeProviders.server.verify(postRequestedFor(urlEqualTo("/github/login/oauth/access_token"))
                .withRequestBody(containing("client_secret=gh-secret")).withRequestBody(containing("code=code-octo")));

        String again = callback("github", "http://localhost:3000/after", "code-octo", null);
        assertEquals(id, claims(again.replaceAll(".*access_token=([^&]+).*", "$1")).getString("sub"));
        assertEquals(1, count("select count(*) from auth.identities where provider = 'github' and provider_id = '4242'"));
    }

    @Test
    void googleWithAVerifiedEmailLinksToTheExistingAccountUnderPkce() throws Exception {
        String email = email("linked");
        String id = signUp(email, "hunter22").getString("user.id");
        FakeProviders.server.stubFor(post(urlEqualTo("/google/token")).withRequestBody(containing("code=code-g"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"ya29.g\",\"refresh_token\":\"1//r\",\"token_type\":\"Bearer\"}")));
        FakeProviders.server.stubFor(get(urlEqualTo("/google/userinfo")).withHeader("Authorization", equalTo("Bearer ya29.g"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(
                        "{\"sub\":\"1099\",\"email\":\"" + email + "\",\"email_verified\":true,\"name\":\"Linked Person\",\"picture\":\"https://p.example.test/a.png\"}")));
        String location = callback("google", "http://localhost:3000/after", "code-g", CHALLENGE_RFC);
        assertTrue(location.startsWith("http://localhost:3000/after?code="), location);
        String code = location.substring(location.indexOf("code=") + 5);
        pkce(code, VERIFIER_RFC).then().log().ifValidationFails().statusCode(200).body("user.id", org.hamcrest.Matchers.equalTo(id))
                .body("provider_token", org.hamcrest.Matchers.equalTo("ya29.g"))
                .body("user.app_metadata.providers", hasItems("email", "google"))
                .body("user.identities.provider", hasItems("email", "google"));
    }

    @Test
    void badStateProviderErrorsAndUnverifiedLinksNeverSignIn() throws Exception {
        client().queryParam("code", "x").queryParam("state", "forged").get("/auth/v1/callback").then().statusCode(400)
                .body("error_code", org.hamcrest.Matchers.equalTo("bad_oauth_state"));
        FakeProviders.Started started = FakeProviders.authorize("github", "http://localhost:3000/after", null);
        String denied = client().redirects().follow(false).queryParam("error", "access_denied")
                .queryParam("error_description", "The user has denied your application access.").queryParam("state", started.state())
                .cookie(started.cookieName(), started.cookieValue())
                .get("/auth/v1/callback").then().statusCode(303).extract().header("Location");
        assertTrue(denied.startsWith("http://localhost:3000/after#error=access_denied"), denied);

        String email = email("victim");
        signUp(email, "hunter22");
        stubGithub("code-evil", "gho_evil", 666, "evil", "Evil", email, false);
        String refused = callback("github", "http://localhost:3000/after", "code-evil", null);
        assertTrue(refused.startsWith("http://localhost:3000/after#error=access_denied&error_code=provider_email_needs_verification"), refused);
        assertEquals(0, count("select count(*) from auth.identities where provider = 'github' and provider_id = '666'"));

        FakeProviders.server.stubFor(post(urlEqualTo("/github/login/oauth/access_token")).withRequestBody(containing("code=code-500"))
                .willReturn(aResponse().withStatus(500)));
        String failed = callback("github", "http://localhost:3000/after", "code-500", null);
        assertTrue(failed.startsWith("http://localhost:3000/after#error="), failed);
    }

    @Test
    void implicitCallbackOnlyCompletesInTheBrowserThatStartedIt() throws Exception {
        // login CSRF: an attacker starts a sign-in with their own GitHub account, stops at the callback URL and
        // gets the victim's browser to open it - the victim would be signed in to the attacker's account
        String email = email("csrf-attacker");
        stubGithub("code-csrf", "gho_csrf", 5150, "attacker", "Attacker", email, true);
        FakeProviders.Started attacker = FakeProviders.authorize("github", "http://localhost:3000/after", null);
        assertTrue(attacker.setCookie().startsWith(attacker.cookieName() + "="), attacker.setCookie());
        assertTrue(attacker.cookieName().startsWith("slmgen-oauth-"), attacker.cookieName());
        String attrs = attacker.setCookie().toLowerCase();
        assertTrue(attrs.contains("httponly") && attrs.contains("samesite=lax") && attrs.contains("path=/auth/v1/callback")
                && attrs.contains("max-age=600"), attacker.setCookie());

        // the victim's browser has no cookie, or its own one from another sign-in it started
        FakeProviders.Started victim = FakeProviders.authorize("github", "http://localhost:3000/after", null);
        client().redirects().follow(false).queryParam("code", "code-csrf").queryParam("state", attacker.state())
                .get("/auth/v1/callback").then().statusCode(400).body("error_code", org.hamcrest.Matchers.equalTo("bad_oauth_state"));
        client().redirects().follow(false).queryParam("code", "code-csrf").queryParam("state", attacker.state())
                .cookie(victim.cookieName(), victim.cookieValue())
                .get("/auth/v1/callback").then().statusCode(400).body("error_code", org.hamcrest.Matchers.equalTo("bad_oauth_state"));
        client().redirects().follow(false).queryParam("code", "code-csrf").queryParam("state", attacker.state())
                .cookie(attacker.cookieName(), victim.cookieValue())
                .get("/auth/v1/callback").then().statusCode(400).body("error_code", org.hamcrest.Matchers.equalTo("bad_oauth_state"));
        // the provider's code was never used and nobody was created
        FakeProviders.server.verify(0, postRequestedFor(urlEqualTo("/github/login/oauth/access_token"))
                .withRequestBody(containing("code=code-csrf")));
        assertEquals(0, count("select count(*) from auth.identities where provider = 'github' and provider_id = '5150'"));

        // the browser that started it completes it, and the binding cookie is cleared
        Response done = client().redirects().follow(false).queryParam("code", "code-csrf").queryParam("state", attacker.state())
                .cookie(attacker.cookieName(), attacker.cookieValue()).get("/auth/v1/callback");
        done.then().statusCode(303);
        assertTrue(done.header("Location").startsWith("http://localhost:3000/after#access_token="), done.header("Location"));
        String cleared = done.header("Set-Cookie");
        assertTrue(cleared != null && cleared.startsWith(attacker.cookieName() + "=;") && cleared.toLowerCase().contains("max-age=0"), cleared);
        // PKCE flows carry no cookie: the code verifier binds them to the client
        assertEquals(null, FakeProviders.authorize("github", "http://localhost:3000/after", CHALLENGE_RFC).setCookie());
    }

    // ---- helpers ----

    private static Response pkce(String code, String verifier) {
        return client().queryParam("grant_type", "pkce").body(Map.of("auth_code", code, "code_verifier", verifier))
                .post("/auth/v1/token");
    }

    /** authorize → (the provider sends the browser back) → callback; answers the final redirect. */
    private static String callback(String provider, String redirectTo, String code, String challenge) {
        return FakeProviders.signIn(provider, redirectTo, code, challenge);
    }

    private static void stubGithub(String code, String token, long id, String login, String name, String email, boolean verified) {
        FakeProviders.stubGithub(code, token, id, login, name, email, verified);
    }
}
