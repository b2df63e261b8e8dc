package io.slmgen.jobs.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.slmgen.jobs.service.JobsError;
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
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * The storage-service calls that must not trust anything but storage itself, as the caller (the seed's
 * folder policies decide): the real size of an object (HEAD) and a read of its bytes that stops at a
 * limit. Nothing here holds more than {@code max} bytes, whatever the object's size or what a row
 * claims about it (SPEC §14: nothing that decides resources trusts a client-written column).
 */
@ApplicationScoped
public class StorageObjects {

    private static final Logger LOG = Logger.getLogger(StorageObjects.class);
    private static final String SERVICE = "storage-service";

    /** An object of a bucket, by its path's segments (each is encoded on the wire). */
    public record ObjectRef(String bucket, String... segments) {
        String urlPath() {
            StringBuilder b = new StringBuilder(encode(bucket));
            for (String s : segments) {
                b.append('/').append(encode(s));
            }
            return b.toString();
        }

        @Override
        public String toString() {
            return bucket + "/" + String.join("/", segments);
        }
    }

    private final HttpClient http;
    private final String base;
    private final long timeoutMs;

    public StorageObjects(Vertx vertx, @ConfigProperty(name = "quarkus.rest-client.storage.url") String storageUrl,
                          @ConfigProperty(name = "quarkus.rest-client.connect-timeout", defaultValue = "5000") int connectTimeoutMs,
                          @ConfigProperty(name = "quarkus.rest-client.read-timeout", defaultValue = "30000") long readTimeoutMs) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(connectTimeoutMs).setKeepAlive(true));
        String b = storageUrl.strip();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        this.base = b;
        this.timeoutMs = readTimeoutMs;
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /**
     * The object's size in bytes as storage reports it: {@code HEAD}'s Content-Length, else (a proxy
     * may drop it on HEAD) the object's info. A missing object fails with {@code onMissing}; anything
     * else storage refuses keeps its status (403 stays 403).
     */
    public Uni<Long> size(Caller caller, ObjectRef ref, ApiException onMissing) {
        return Uni.createFrom().completionStage(() -> http.request(options(HttpMethod.HEAD, "authenticated/", ref, caller))
                        .compose(req -> req.send())
                        .compose(resp -> resp.body().compose(body -> {
                            if (resp.statusCode() != 200) {
                                throw refused(resp.statusCode(), body, onMissing);
                            }
                            Long n = nonNegative(resp.getHeader(HttpHeaders.CONTENT_LENGTH));
                            return n != null ? Future.succeededFuture(n) : infoSize(caller, ref, onMissing);
                        }))
                        .toCompletionStage())
                .onFailure().transform(StorageObjects::unreachable);
    }

    /** storage-api's object info ({@code GET /object/info/authenticated/...}): its {@code size}. */
    private Future<Long> infoSize(Caller caller, ObjectRef ref, ApiException onMissing) {
        return http.request(options(HttpMethod.GET, "info/authenticated/", ref, caller))
                .compose(req -> req.send())
                .compose(resp -> resp.body().map(body -> {
                    if (resp.statusCode() != 200) {
                        throw refused(resp.statusCode(), body, onMissing);
                    }
                    Long n = null;
                    try {
                        n = nonNegative(String.valueOf(body.toJsonObject().getValue("size")));
                    } catch (RuntimeException ignored) {
                        // not JSON: no size
                    }
                    if (n == null) {
                        throw ApiError.BAD_GATEWAY.exception(SERVICE + " reported no size for " + ref);
                    }
                    return n;
                }));
    }

    private static Long nonNegative(String v) {
        try {
            long n = Long.parseLong(v == null ? "" : v.strip());
            return n < 0 ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The object's bytes if it has at most {@code max} of them, else empty: the read stops (the
     * connection is reset) as soon as the announced length or the bytes received pass {@code max},
     * so an object that grew since its size was read is caught too.
     */
    public Uni<Optional<byte[]>> readAtMost(Caller caller, ObjectRef ref, long max, ApiException onMissing) {
        return Uni.createFrom().completionStage(() -> http.request(options(HttpMethod.GET, "authenticated/", ref, caller))
                        .compose(req -> req.send())
                        .compose(resp -> resp.statusCode() == 200 ? bounded(resp, max)
                                : resp.body().map(body -> {
                                    throw refused(resp.statusCode(), body, onMissing);
                                }))
                        .toCompletionStage())
                .onFailure().transform(StorageObjects::unreachable);
    }

    /**
     * A signed download URL for the object ({@code POST /object/sign/...} as the caller), as storage
     * returns it (relative to its /storage/v1).
     */
    public Uni<String> sign(Caller caller, ObjectRef ref, int expiresIn, ApiException onMissing) {
        RequestOptions o = options(HttpMethod.POST, "sign/", ref, caller).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        return Uni.createFrom().completionStage(() -> http.request(o)
                        .compose(req -> req.send(new JsonObject().put("expiresIn", expiresIn).toBuffer()))
                        .compose(resp -> resp.body().map(body -> {
                            if (resp.statusCode() != 200) {
                                throw refused(resp.statusCode(), body, onMissing);
                            }
                            Object url = null;
                            try {
                                url = body.toJsonObject().getValue("signedURL");
                            } catch (RuntimeException ignored) {
                                // not JSON: no URL
                            }
                            if (!(url instanceof String u) || u.isBlank()) {
                                throw ApiError.BAD_GATEWAY.exception(SERVICE + " returned no signedURL");
                            }
                            return u;
                        }))
                        .toCompletionStage())
                .onFailure().transform(StorageObjects::unreachable);
    }

    private static Future<Optional<byte[]>> bounded(HttpClientResponse resp, long max) {
        String announced = resp.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (announced != null) {
            try {
                if (Long.parseLong(announced.strip()) > max) {
                    resp.request().reset();
                    return Future.succeededFuture(Optional.empty());
                }
            } catch (NumberFormatException ignored) {
                // no usable length: the bytes are counted as they come
            }
        }
        Promise<Optional<byte[]>> done = Promise.promise();
        Buffer bytes = Buffer.buffer();
        resp.handler(chunk -> {
            if (done.future().isComplete()) {
                return;
            }
            if ((long) bytes.length() + chunk.length() > max) {
                done.tryComplete(Optional.empty());
                resp.request().reset();
                return;
            }
            bytes.appendBuffer(chunk);
        });
        resp.exceptionHandler(t -> done.tryFail(t));
        resp.endHandler(v -> done.tryComplete(Optional.of(bytes.getBytes())));
        return done.future();
    }

    private RequestOptions options(HttpMethod method, String route, ObjectRef ref, Caller caller) {
        RequestOptions o = new RequestOptions().setMethod(method)
                .setAbsoluteURI(base + "/storage/v1/object/" + route + ref.urlPath())
                .setIdleTimeout(timeoutMs);
        if (Headers.authorization(caller) != null) {
            o.putHeader(HttpHeaders.AUTHORIZATION, Headers.authorization(caller));
        }
        if (Headers.apikey(caller) != null) {
            o.putHeader("apikey", Headers.apikey(caller));
        }
        return o;
    }

    /** Storage's answer for a request it refused, as our caller should see it (as {@link Upstream} does). */
    static ApiException refused(int status, Buffer body, ApiException onMissing) {
        String message = messageOf(body);
        // storage-api answers a missing object with 404, or 400 whose body says 404 (HEAD has no body)
        if (status == 404 || (status == 400 && (message == null || notFound(body)))) {
            return onMissing;
        }
        if (status >= 400 && status < 500) {
            // storage's own 4xx is relayed with its status
            return new ApiException(JobsError.UPSTREAM_REJECTED, status, message != null ? message
                    : SERVICE + " rejected the request (" + status + ")");
        }
        LOG.warnf("%s answered %d", SERVICE, status);
        return ApiError.BAD_GATEWAY.exception(SERVICE + " failed (" + status + ")");
    }

    private static boolean notFound(Buffer body) {
        try {
            JsonObject o = body.toJsonObject();
            return "404".equals(String.valueOf(o.getValue("statusCode"))) || "not_found".equals(o.getString("error"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String messageOf(Buffer body) {
        if (body == null || body.length() == 0) {
            return null;
        }
        try {
            JsonObject o = body.toJsonObject();
            for (String k : new String[] {"message", "msg", "error"}) {
                if (o.getValue(k) instanceof String s && !s.isBlank()) {
                    return s;
                }
            }
        } catch (RuntimeException ignored) {
            // not JSON
        }
        return null;
    }

    private static Throwable unreachable(Throwable t) {
        if (t instanceof ApiException) {
            return t;
        }
        LOG.warnf("%s unreachable: %s", SERVICE, t.getMessage());
        return ApiError.SERVICE_UNAVAILABLE.exception(SERVICE + " is unreachable");
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
