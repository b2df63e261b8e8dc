package io.slmgen.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.slmgen.auth.AuthTestSupport.client;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** GitHub and Google played by one WireMock server over real HTTP; the app's provider URLs point at it. */
public class FakeProviders implements QuarkusTestResourceLifecycleManager {

    static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        String base = server.baseUrl();
        return Map.ofEntries(
                Map.entry("auth.external.github.enabled", "true"),
                Map.entry("auth.external.github.client-id", "gh-client"),
                Map.entry("auth.external.github.secret", "gh-secret"),
                Map.entry("auth.external.github.authorize-url", base + "/github/login/oauth/authorize"),
                Map.entry("auth.external.github.token-url", base + "/github/login/oauth/access_token"),
                Map.entry("auth.external.github.userinfo-url", base + "/github/user"),
                Map.entry("auth.external.github.emails-url", base + "/github/user/emails"),
                Map.entry("auth.external.google.enabled", "true"),
                Map.entry("auth.external.google.client-id", "google-client"),
                Map.entry("auth.external.google.secret", "google-secret"),
                Map.entry("auth.external.google.authorize-url", base + "/google/auth"),
                Map.entry("auth.external.google.token-url", base + "/google/token"),
                Map.entry("auth.external.google.userinfo-url", base + "/google/userinfo"));
    }

    /** GitHub answers code → token → a user whose primary address is {@code email} (verified or not). */
    static void stubGithub(String code, String token, long id, String login, String name, String email, boolean verified) {
        server.stubFor(post(urlEqualTo("/github/login/oauth/access_token")).withRequestBody(containing("code=" + code))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\",\"scope\":\"read:user\"}")));
        server.stubFor(get(urlEqualTo("/github/user")).withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"id\":" + id
                        + ",\"login\":\"" + login + "\",\"name\":\"" + name + "\",\"email\":null,\"avatar_url\":\"https://avatars.example.test/"
                        + id + ".png\"}")));
        server.stubFor(get(urlEqualTo("/github/user/emails")).withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("[{\"email\":\"other@example.test\","
                        + "\"primary\":false,\"verified\":true},{\"email\":\"" + email + "\",\"primary\":true,\"verified\":" + verified + "}]")));
    }

    /** A browser's start of an OAuth sign-in: the state and (implicit flow) the cookie binding it to the browser. */
    record Started(String state, String cookieName, String cookieValue, String setCookie) {
    }

    static Started authorize(String provider, String redirectTo, String challenge) {
        var req = client().redirects().follow(false).queryParam("provider", provider).queryParam("redirect_to", redirectTo);
        if (challenge != null) {
            req = req.queryParam("code_challenge", challenge).queryParam("code_challenge_method", "s256");
        }
        var res = req.get("/auth/v1/authorize").then().statusCode(302).extract().response();
        String location = res.header("Location");
        String state = URLDecoder.decode(location.substring(location.indexOf("state=") + 6), StandardCharsets.UTF_8);
        String setCookie = res.header("Set-Cookie");
        if (setCookie == null) {
            return new Started(state, null, null, null);
        }
        String pair = setCookie.split(";", 2)[0];
        return new Started(state, pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1), setCookie);
    }

    /** authorize → (the provider sends the same browser back) → callback; answers the final redirect. */
    static String signIn(String provider, String redirectTo, String code, String challenge) {
        Started s = authorize(provider, redirectTo, challenge);
        var req = client().redirects().follow(false).queryParam("code", code).queryParam("state", s.state());
        if (s.cookieName() != null) {
            req = req.cookie(s.cookieName(), s.cookieValue());
        }
        String location = req.get("/auth/v1/callback").then().statusCode(303).extract().header("Location");
        assertTrue(location != null && !location.isEmpty());
        return location;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
