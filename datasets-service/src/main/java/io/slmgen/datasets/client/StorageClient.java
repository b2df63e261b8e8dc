package io.slmgen.datasets.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.slmgen.datasets.analysis.Example;
import io.slmgen.datasets.analysis.ExampleReader;
import io.slmgen.datasets.config.DatasetsConfig;
import io.slmgen.datasets.service.DatasetsError;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * storage-service's object API (SPEC §9) over Vert.x' HTTP client, which streams request and response
 * bodies with backpressure (the MicroProfile REST client would buffer them). Every call carries the
 * caller's {@code Authorization} and {@code apikey}, so storage applies the caller's policies.
 */
@ApplicationScoped
public class StorageClient {

    private static final Logger LOG = Logger.getLogger(StorageClient.class);

    private final HttpClient http;
    private final DatasetsConfig config;
    private final String base;

    public StorageClient(Vertx vertx, DatasetsConfig config) {
        this.config = config;
        URI uri = URI.create(config.storageUrl());
        String path = uri.getPath() == null ? "" : uri.getPath();
        this.base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        HttpClientOptions options = new HttpClientOptions()
                .setDefaultHost(uri.getHost())
                .setDefaultPort(uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80))
                .setSsl("https".equals(uri.getScheme()))
                .setMaxPoolSize(32)
                .setIdleTimeout(config.storageIdleTimeoutSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
        this.http = vertx.createHttpClient(options);
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /** /storage/v1/object/{bucket}/{path}, each path segment encoded. */
    public String objectUri(String prefix, String objectPath) {
        StringBuilder sb = new StringBuilder(base).append("/storage/v1/object/").append(prefix).append(config.bucket());
        for (String seg : objectPath.split("/")) {
            sb.append('/').append(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    /** Opens a chunked upload; the caller writes the body and ends (or resets to abort) it. */
    public Future<HttpClientRequest> openUpload(Caller caller, String objectPath, String contentType) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setURI(objectUri("", objectPath))
                .setIdleTimeout(config.storageIdleTimeoutSeconds() * 1000L);
        return http.request(o).map(req -> {
            authorize(req, caller);
            req.putHeader("Content-Type", contentType);
            req.putHeader("x-upsert", "false");
            req.setChunked(true);
            return req;
        });
    }

    /** Opens a download of the object (authenticated route); the response streams. */
    public Future<HttpClientResponse> download(Caller caller, String objectPath) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setURI(objectUri("authenticated/", objectPath))
                .setIdleTimeout(config.storageIdleTimeoutSeconds() * 1000L);
        return http.request(o).compose(req -> {
            authorize(req, caller);
            return req.send();
        });
    }

    /**
     * Streams the stored object through {@link ExampleReader} and returns valid examples
     * [offset, offset + limit); the download is cut as soon as enough were read.
     */
    public Uni<List<Example>> readExamples(Caller caller, String objectPath, long offset, int limit, int maxLineBytes) {
        List<Example> out = new ArrayList<>();
        if (limit <= 0) {
            return Uni.createFrom().item(out);
        }
        return scanExamples(caller, objectPath, maxLineBytes, e -> {
            if (e.index() >= offset) {
                out.add(e);
            }
            return out.size() < limit;
        }).replaceWith(out);
    }

    /**
     * Streams the stored object through {@link ExampleReader}: every valid example, in order, goes to
     * the consumer, which returns false to stop early (the download is then cut). Completes after the
     * last example the consumer saw.
     */
    public Uni<Void> scanExamples(Caller caller, String objectPath, int maxLineBytes, Predicate<Example> consumer) {
        Promise<Void> done = Promise.promise();
        download(caller, objectPath).onComplete(ar -> {
            if (ar.failed()) {
                done.tryFail(ar.cause());
                return;
            }
            HttpClientResponse resp = ar.result();
            if (resp.statusCode() != 200) {
                resp.body().onComplete(b -> done.tryFail(resp.statusCode() == 400 || resp.statusCode() == 404
                        ? ApiError.NOT_FOUND.exception("the dataset's file is missing from storage")
                        : storageError(resp.statusCode(), b.succeeded() ? b.result() : null)));
                return;
            }
            ExampleReader reader = new ExampleReader(maxLineBytes, consumer);
            byte[][] scratch = {new byte[64 * 1024]};
            resp.handler(buf -> {
                if (reader.isDone()) {
                    return;
                }
                int len = buf.length();
                if (scratch[0].length < len) {
                    scratch[0] = new byte[len];
                }
                buf.getBytes(0, len, scratch[0], 0);
                try {
                    reader.feed(scratch[0], 0, len);
                } catch (RuntimeException e) {
                    done.tryFail(e);
                    resp.request().reset();
                    return;
                }
                if (reader.isDone()) {
                    done.tryComplete();
                    resp.request().reset(); // enough: stop the download
                }
            });
            resp.endHandler(v -> {
                try {
                    reader.finish();
                    done.tryComplete();
                } catch (RuntimeException e) {
                    done.tryFail(e);
                }
            });
            resp.exceptionHandler(t -> done.tryFail(t));
        });
        return Uni.createFrom().completionStage(done.future().toCompletionStage())
                .onFailure(t -> !(t instanceof ApiException)).transform(StorageClient::unreachable);
    }

    /**
     * Deletes the object. True when it was deleted or did not exist (storage-api answers a missing
     * object with 400/404 {"error": "not_found"}); an error for anything else.
     */
    public Uni<Boolean> delete(Caller caller, String objectPath) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.DELETE).setURI(objectUri("", objectPath))
                .setIdleTimeout(config.storageIdleTimeoutSeconds() * 1000L);
        Future<Boolean> f = http.request(o).compose(req -> {
            authorize(req, caller);
            return req.send();
        }).compose(resp -> resp.body().map(body -> {
            int s = resp.statusCode();
            if (s >= 200 && s < 300) {
                return true;
            }
            if (s == 404 || (s == 400 && body.toString().toLowerCase().contains("not")
                    && body.toString().toLowerCase().contains("found"))) {
                return true;
            }
            throw storageError(s, body);
        }));
        return Uni.createFrom().completionStage(f.toCompletionStage())
                .onFailure(t -> !(t instanceof ApiException)).transform(StorageClient::unreachable);
    }

    /** Any HTTP answer from storage-service (its status code); fails when it cannot be reached. */
    public Uni<Integer> ping() {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setURI(base + "/storage/v1/status")
                .setTimeout(3000);
        Future<Integer> f = http.request(o).compose(HttpClientRequest::send)
                .compose(resp -> resp.body().map(b -> resp.statusCode()));
        return Uni.createFrom().completionStage(f.toCompletionStage());
    }

    /** Best effort removal after a failed upload; logged, never thrown. */
    public void deleteQuietly(Caller caller, String objectPath) {
        delete(caller, objectPath).subscribe().with(ok -> {
        }, err -> LOG.warnf("could not remove %s after a failed upload: %s", objectPath, err.getMessage()));
    }

    static void authorize(HttpClientRequest req, Caller caller) {
        caller.authorizationHeader().ifPresent(v -> req.putHeader("Authorization", v));
        if (caller.apikey() != null) {
            req.putHeader("apikey", caller.apikey());
        }
    }

    /** storage's answer as our error: its status for client errors, 502 for its own failures. */
    public static ApiException storageError(int status, Buffer body) {
        String message = "storage rejected the request";
        try {
            JsonObject o = body == null || body.length() == 0 ? null : body.toJsonObject();
            if (o != null && o.getValue("message") != null) {
                message = "storage: " + o.getValue("message");
            }
        } catch (RuntimeException ignored) {
            // not JSON: keep the generic text
        }
        switch (status) {
            case 401:
                return ApiError.NO_AUTHORIZATION.exception(message);
            case 403:
                return ApiError.FORBIDDEN.exception(message);
            case 409:
                return ApiError.CONFLICT.exception(message);
            case 413:
                return ApiError.PAYLOAD_TOO_LARGE.exception(message);
            case 415:
                return ApiError.UNSUPPORTED_MEDIA_TYPE.exception(message);
            default:
                if (status == 503) {
                    return ApiError.SERVICE_UNAVAILABLE.exception("storage unavailable, retry shortly");
                }
                return DatasetsError.STORAGE_ERROR.exception(message + " (status " + status + ")");
        }
    }

    public static Throwable unreachable(Throwable t) {
        if (t instanceof ApiException) {
            return t;
        }
        return ApiError.SERVICE_UNAVAILABLE.exception("storage unreachable, retry shortly");
    }
}
