package io.slmgen.jobs;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * catalog-, datasets- and storage-service stubbed over real HTTP by one WireMock server; the app's
 * REST clients point at it. The public URL is set, so notebooks report progress and links are absolute.
 */
public class WireMockServices implements QuarkusTestResourceLifecycleManager {

    public static final String PUBLIC_URL = "https://sb.example.test";
    private static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        String base = server.baseUrl();
        return Map.of(
                "quarkus.rest-client.catalog.url", base,
                "quarkus.rest-client.datasets.url", base,
                "quarkus.rest-client.storage.url", base,
                "slmgen.jobs.public-url", PUBLIC_URL,
                "slmgen.jobs.embed-dataset-max-bytes", "4096",
                "slmgen.jobs.subscriber-buffer", "16");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    public static WireMockServer server() {
        return server;
    }
}
