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
        return Map.of("slmgen.hub.endpoint", hub.baseUrl() + "/",
                "slmgen.hub.token", TOKEN,
                "slmgen.hub.timeout", "2500ms",
                "slmgen.hub.max-concurrent-lookups", "4");
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
