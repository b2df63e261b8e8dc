package io.slmgen.catalog;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A local stand-in for the Hugging Face Hub (HF_ENDPOINT) over real HTTP, and a second server on
 * another origin playing the hub's file CDN. Tests register the answers; nothing reaches the internet.
 * The lookup timeout is short so the "slow hub" test is quick; a token is configured so tests can see
 * where it is (and is not) sent.
 */
public class HubStub implements QuarkusTestResourceLifecycleManager {

    static final String TOKEN = "hf_test_token_not_a_secret";
    static WireMockServer hub;
    static WireMockServer cdn;

    @Override
    public Map<String, String> start() {
        hub = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        hub.start();
        cdn = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        cdn.start();
        // WireMock's first answer is slow (its server warms up): take that here, not in a timed test
        warmUp(hub);
        warmUp(cdn);
        return Map.of("slmgen.hub.endpoint", hub.baseUrl() + "/",
                "slmgen.hub.token", TOKEN,
                "slmgen.hub.timeout", "4s",
                "slmgen.hub.max-concurrent-lookups", "4");
    }

    private static void warmUp(WireMockServer server) {
        try {
            java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(server.baseUrl() + "/__admin/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            // only a warm-up
        }
    }

    @Override
    public void stop() {
        if (hub != null) {
            hub.stop();
        }
        if (cdn != null) {
            cdn.stop();
        }
    }
}
