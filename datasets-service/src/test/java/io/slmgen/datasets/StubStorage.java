package io.slmgen.datasets;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * A stand-in for storage-service over real HTTP: keeps uploaded objects (bytes up to 4 MiB, else only
 * size and SHA-256), records every request, answers like storage-api. Like the real policies, it
 * only lets a user write, read and delete under their own {@code {user_id}/} folder.
 */
public class StubStorage implements QuarkusTestResourceLifecycleManager {

    public record Stored(long size, String sha256, byte[] bytes) {
    }

    public record Call(String method, String path, String authorization, String apikey, String contentType,
                       long bytes, boolean completed) {
    }

    public static final Map<String, Stored> OBJECTS = new ConcurrentHashMap<>();
    public static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    /** When > 0, the next upload is answered with this status at once. */
    public static final AtomicInteger FAIL_NEXT_UPLOAD = new AtomicInteger();

    private static final String PREFIX = "/storage/v1/object/";
    private Vertx vertx;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("datasets.storage-url", "http://127.0.0.1:" + server.actualPort());
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }

    public static List<Call> calls(String method, String pathSuffix) {
        return CALLS.stream().filter(c -> c.method().equals(method) && c.path().endsWith(pathSuffix)).toList();
    }

    private void handle(HttpServerRequest req) {
        String raw = req.path();
        String path = URLDecoder.decode(raw, StandardCharsets.UTF_8);
        String auth = req.getHeader("Authorization");
        String sub = subject(auth);
        String method = req.method().name();
        if (!path.startsWith(PREFIX)) {
            req.response().setStatusCode(404).end();
            return;
        }
        String rest = path.substring(PREFIX.length());
        if (method.equals("POST") && rest.startsWith("datasets/")) {
            String object = rest.substring("datasets/".length());
            int fail = FAIL_NEXT_UPLOAD.getAndSet(0);
            if (fail > 0) {
                CALLS.add(new Call(method, object, auth, req.getHeader("apikey"), req.getHeader("Content-Type"), 0, false));
                req.response().setStatusCode(fail).putHeader("Content-Type", "application/json")
                        .end(error(fail, "stub failure"));
                return;
            }
            if (sub == null || !object.startsWith(sub + "/")) {
                CALLS.add(new Call(method, object, auth, req.getHeader("apikey"), req.getHeader("Content-Type"), 0, false));
                req.response().setStatusCode(403).end(error(403, "new row violates row-level security policy"));
                return;
            }
            MessageDigest sha = sha();
            long[] size = {0};
            Buffer keep = Buffer.buffer();
            boolean[] ended = {false};
            req.handler(b -> {
                size[0] += b.length();
                sha.update(b.getBytes());
                if (size[0] <= 4L << 20) {
                    keep.appendBuffer(b);
                }
            });
            req.endHandler(v -> {
                ended[0] = true;
                String hex = HexFormat.of().formatHex(sha.digest());
                OBJECTS.put(object, new Stored(size[0], hex, size[0] <= 4L << 20 ? keep.getBytes() : null));
                CALLS.add(new Call(method, object, auth, req.getHeader("apikey"), req.getHeader("Content-Type"), size[0], true));
                req.response().putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("Key", "datasets/" + object).put("Id", java.util.UUID.randomUUID().toString()).encode());
            });
            req.connection().closeHandler(v -> {
                if (!ended[0]) {
                    CALLS.add(new Call(method, object, auth, req.getHeader("apikey"), req.getHeader("Content-Type"), size[0], false));
                }
            });
            return;
        }
        if (method.equals("GET") && rest.startsWith("authenticated/datasets/")) {
            String object = rest.substring("authenticated/datasets/".length());
            CALLS.add(new Call(method, object, auth, req.getHeader("apikey"), null, 0, true));
            Stored s = OBJECTS.get(object);
            if (s == null || sub == null || !object.startsWith(sub + "/")) {
                req.response().setStatusCode(400).end(error(404, "Object not found"));
                return;
            }
            // serve in small chunks so the reader sees a real stream
            req.response().setChunked(true).putHeader("Content-Type", "application/x-ndjson");
            byte[] b = s.bytes();
            for (int i = 0; i < b.length; i += 4096) {
                req.response().write(Buffer.buffer().appendBytes(b, i, Math.min(4096, b.length - i)));
            }
            req.response().end();
            return;
        }
        if (method.equals("DELETE") && rest.startsWith("datasets/")) {
            String object = rest.substring("datasets/".length());
            CALLS.add(new Call(method, object, auth, req.getHeader("apikey"), null, 0, true));
            // like storage-api: the owner's folder, or anything for service_role
            boolean allowed = "service_role".equals(claim(auth, "role")) || (sub != null && object.startsWith(sub + "/"));
            if (!allowed || OBJECTS.remove(object) == null) {
                req.response().setStatusCode(400).end(error(404, "Object not found"));
                return;
            }
            req.response().putHeader("Content-Type", "application/json").end("[{\"name\":\"" + object + "\"}]");
            return;
        }
        req.response().setStatusCode(400).end(error(400, "unsupported by the stub"));
    }

    private static String error(int status, String message) {
        return new JsonObject().put("statusCode", String.valueOf(status)).put("error", status == 404 ? "not_found" : "Error")
                .put("message", message).encode();
    }

    /** The token's sub, read without verification (the stub trusts datasets-service's caller check). */
    private static String subject(String authorization) {
        return claim(authorization, "sub");
    }

    private static String claim(String authorization, String name) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        String[] parts = authorization.substring(7).split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)).getString(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
