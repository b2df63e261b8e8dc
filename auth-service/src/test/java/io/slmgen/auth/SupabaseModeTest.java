package io.slmgen.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.slmgen.auth.AuthTestSupport.as;
import static io.slmgen.auth.AuthTestSupport.client;
import static io.slmgen.auth.AuthTestSupport.count;
import static io.slmgen.auth.HostedGoTrueStub.HOSTED_ANON_KEY;
import static io.slmgen.auth.HostedGoTrueStub.server;
import static org.hamcrest.Matchers.emptyString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.http.Fault;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.slmgen.shared.testing.TokenMinter;

/** auth.mode=supabase: the seed's /auth endpoints relay to a hosted GoTrue (WireMock) and answer what it answered. */
@QuarkusTest
@WithTestResource(value = HostedDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "auth"), @ResourceArg(name = "slices", value = "")})
@WithTestResource(HostedGoTrueStub.class)
class SupabaseModeTest {

    static final String SESSION = "{\"access_token\":\"hosted-access\",\"token_type\":\"bearer\",\"expires_in\":3600,"
            + "\"expires_at\":1900000000,\"refresh_token\":\"hosted-refresh\",\"user\":{\"id\":\"11111111-1111-1111-1111-111111111111\"}}";

    @BeforeEach
    void reset() {
        server.resetAll();
    }

    @Test
    void loginAndSignupAreRelayedWithTheProjectKey() throws Exception {
        server.stubFor(post(urlEqualTo("/auth/v1/token?grant_type=password")).withHeader("apikey", equalTo(HOSTED_ANON_KEY))
                .withRequestBody(equalToJson("{\"email\":\"ada@example.test\",\"password\":\"hunter22\"}"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(SESSION)));
        client().body(Map.of("email", "ada@example.test", "password", "hunter22")).post("/auth/login").then().statusCode(200)
                .body("access_token", org.hamcrest.Matchers.equalTo("hosted-access"))
                .body("refresh_token", org.hamcrest.Matchers.equalTo("hosted-refresh"))
                .body("user.id", org.hamcrest.Matchers.equalTo("11111111-1111-1111-1111-111111111111"));

        server.stubFor(post(urlEqualTo("/auth/v1/signup")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(SESSION)));
        client().body(Map.of("email", "new@example.test", "password", "hunter22", "full_name", "New Person"))
                .post("/auth/signup").then().statusCode(200).body("access_token", org.hamcrest.Matchers.equalTo("hosted-access"));
        server.verify(postRequestedFor(urlEqualTo("/auth/v1/signup")).withRequestBody(equalToJson(
                "{\"email\":\"new@example.test\",\"password\":\"hunter22\",\"data\":{\"full_name\":\"New Person\"}}")));
        // nothing was written locally
        assertEquals(0, count("select count(*) from auth.users where email = 'new@example.test'"));
    }

    @Test
    void onlyProfilesAndItsTriggerAreMigratedNoAuthTables() throws Exception {
        assertEquals(1, count("select count(*) from information_schema.tables where table_schema = 'public' and table_name = 'profiles'"));
        assertEquals(0, count("select count(*) from information_schema.tables where table_schema = 'auth' and table_name in "
                + "('sessions', 'refresh_tokens', 'identities', 'one_time_tokens', 'flow_state', 'signing_keys')"));
        // the seed's trigger works on the platform's auth.users
        UUID id = UUID.randomUUID();
        AuthTestSupport.exec("insert into auth.users (id, email, raw_user_meta_data) values (?, 'hosted@example.test', "
                + "'{\"full_name\": \"Hosted\"}'::jsonb)", id);
        assertEquals("Hosted", AuthTestSupport.string("select full_name from public.profiles where id = ?", id));
    }

    @Test
    void hostedErrorsComeBackUnchangedInTheRequestedShape() {
        server.stubFor(post(urlPathEqualTo("/auth/v1/token")).withHeader("X-Supabase-Api-Version", equalTo("2024-01-01"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withHeader("X-Supabase-Api-Version", "2024-01-01")
                        .withBody("{\"code\":\"invalid_credentials\",\"message\":\"Invalid login credentials\"}")));
        client().header("X-Supabase-Api-Version", "2024-01-01").body(Map.of("email", "ada@example.test", "password", "nope"))
                .post("/auth/login").then().statusCode(400).header("X-Supabase-Api-Version", "2024-01-01")
                .body("code", org.hamcrest.Matchers.equalTo("invalid_credentials"))
                .body("message", org.hamcrest.Matchers.equalTo("Invalid login credentials"));
    }

    @Test
    void userCallsForwardTheCallersOwnToken() {
        String token = TokenMinter.user(UUID.randomUUID());
        server.stubFor(post(urlEqualTo("/auth/v1/logout?scope=global")).withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withStatus(204)));
        as(token).post("/auth/logout").then().statusCode(204).body(emptyString());
        server.stubFor(put(urlEqualTo("/auth/v1/user")).withHeader("Authorization", equalTo("Bearer " + token))
                .withRequestBody(equalToJson("{\"password\":\"new-password\"}"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"id\":\"x\"}")));
        as(token).body(Map.of("password", "new-password")).post("/auth/update-password").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.equalTo("x"));
        client().body(Map.of("password", "new-password")).post("/auth/update-password").then().statusCode(401);
    }

    @Test
    void mailLinksAndCallbackAreRelayed() {
        server.stubFor(post(urlEqualTo("/auth/v1/magiclink?redirect_to=http%3A%2F%2Flocalhost%3A3000%2Fcb"))
                .withRequestBody(equalToJson("{\"email\":\"ada@example.test\"}")).willReturn(aResponse()
                        .withHeader("Content-Type", "application/json").withBody("{}")));
        client().body(Map.of("email", "ada@example.test", "redirect_to", "http://localhost:3000/cb")).post("/auth/magic-link")
                .then().statusCode(200);
        server.stubFor(post(urlEqualTo("/auth/v1/recover")).willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{}")));
        client().body(Map.of("email", "ada@example.test")).post("/auth/reset-password").then().statusCode(200);
        server.stubFor(post(urlEqualTo("/auth/v1/verify")).withRequestBody(equalToJson("{\"type\":\"magiclink\",\"token_hash\":\"th\"}"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(SESSION)));
        client().queryParam("token_hash", "th").queryParam("type", "magiclink").get("/auth/callback").then().statusCode(200)
                .body("access_token", org.hamcrest.Matchers.equalTo("hosted-access"));
    }

    @Test
    void anUnreachableHostedGoTrueIs503() {
        server.stubFor(post(urlPathEqualTo("/auth/v1/token")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        client().body(Map.of("email", "ada@example.test", "password", "hunter22")).post("/auth/login").then().statusCode(503)
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }
}
