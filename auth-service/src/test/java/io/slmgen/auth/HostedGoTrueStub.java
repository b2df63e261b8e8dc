package io.slmgen.auth;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.slmgen.shared.testing.TokenMinter;

/** A hosted GoTrue played by WireMock; the app runs in auth.mode=supabase against it. */
public class HostedGoTrueStub implements QuarkusTestResourceLifecycleManager {

    static final String HOSTED_ANON_KEY = TokenMinter.anonKey();
    static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        return Map.of("auth.mode", "supabase",
                "auth.supabase-anon-key", HOSTED_ANON_KEY,
                "quarkus.rest-client.gotrue.url", server.baseUrl() + "/auth/v1");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
