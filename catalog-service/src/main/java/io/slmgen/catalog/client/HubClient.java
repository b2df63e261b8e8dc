package io.slmgen.catalog.client;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.annotation.PreDestroy;

import io.quarkus.runtime.Startup;
import io.slmgen.catalog.config.HubConfig;
import io.slmgen.catalog.hub.HubModelId;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * The two Hugging Face Hub requests SLMGEN's validation makes ({@code HfApi.model_info} and the
 * {@code config.json} download), against {@code HF_ENDPOINT}. Ids are {@link HubModelId}s, already
 * strictly checked, so they go into the path as they are. Redirects (renamed repos, file CDNs) are
 * followed by hand, at most {@value #MAX_REDIRECTS}: the token goes only to the endpoint's own origin.
 * Statuses are returned, not thrown: what a 401 or a 404 means is the caller's decision.
 */
@ApplicationScoped
@Startup // a malformed HF_ENDPOINT stops the service at start, not at its first validation
public class HubClient {

    static final int MAX_REDIRECTS = 3;

    /** A hub answer: status, the hub's {@code X-Error-Code} (e.g. GatedRepo, RepoNotFound) and the body. */
    public record HubResponse(int status, String errorCode, Buffer body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final WebClient client;
    private final URI endpoint;
    private final String base;
    private final Optional<String> token;
    private final long timeoutMs;

    public HubClient(Vertx vertx, HubConfig config) {
        this.base = stripTrailingSlash(config.endpoint());
        this.endpoint = URI.create(base);
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || endpoint.getHost() == null) {
            throw new IllegalArgumentException("HF_ENDPOINT must be an http(s) URL, e.g. https://huggingface.co");
        }
        this.token = config.token().filter(t -> !t.isBlank());
        this.timeoutMs = Math.max(1, config.timeout().toMillis());
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setUserAgent("slmgen-catalog (validate-model)")
                .setFollowRedirects(false)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
                .setMaxPoolSize(Math.max(4, config.maxConcurrentLookups() * 2))
                .setKeepAlive(true));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** {@code GET {endpoint}/api/models/{owner}/{name}}: the model's info (gated, downloads, likes, config, ...). */
    public Uni<HubResponse> modelInfo(HubModelId id) {
        return get(base + "/api/models/" + id.owner() + "/" + id.name(), 0);
    }

    /** {@code GET {endpoint}/{owner}/{name}/resolve/main/config.json}. */
    public Uni<HubResponse> config(HubModelId id) {
        return get(base + "/" + id.owner() + "/" + id.name() + "/resolve/main/config.json", 0);
    }

    private Uni<HubResponse> get(String url, int redirects) {
        URI uri = URI.create(url);
        // the service bounds the whole lookup; this also ends a request the hub stopped answering
        HttpRequest<Buffer> request = client.requestAbs(HttpMethod.GET, url).timeout(timeoutMs)
                .putHeader("Accept", "application/json");
        if (token.isPresent() && sameOrigin(uri)) {
            request.putHeader("Authorization", "Bearer " + token.get());
        }
        return request.send().flatMap(r -> {
            String location = r.getHeader("Location");
            if (isRedirect(r.statusCode()) && location != null && redirects < MAX_REDIRECTS) {
                URI next = uri.resolve(location);
                String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("https") || scheme.equals("http")) && next.getHost() != null) {
                    return get(next.toString(), redirects + 1);
                }
            }
            return Uni.createFrom().item(answer(r));
        });
    }

    private static HubResponse answer(HttpResponse<Buffer> r) {
        return new HubResponse(r.statusCode(), r.getHeader("X-Error-Code"), r.body());
    }

    private boolean sameOrigin(URI uri) {
        return endpoint.getScheme().equalsIgnoreCase(uri.getScheme()) && endpoint.getHost().equalsIgnoreCase(uri.getHost())
                && port(endpoint) == port(uri);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static String stripTrailingSlash(String s) {
        String t = s.trim();
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }
}
