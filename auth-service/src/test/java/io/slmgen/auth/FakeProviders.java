package io.slmgen.auth;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

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

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
