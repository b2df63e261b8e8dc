package io.slmgen.datasets;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TokenMinter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * A stand-in for auth-service's anonymous sign-up over real HTTP: {@code POST /auth/v1/signup} with
 * body {} creates a real anonymous row in auth.users of the test database (the profiles trigger follows)
 * and answers a GoTrue session whose access token is a real HS256 JWT with {@code is_anonymous: true};
 * {@code DELETE /auth/v1/admin/users/{id}} deletes the user. Records every call.
 */
public class StubAuth implements QuarkusTestResourceLifecycleManager {

    public record Call(String method, String path, String authorization, String apikey, String body) {
    }

    public static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    public static final List<UUID> CREATED = new CopyOnWriteArrayList<>();
    /** When > 0, the next sign-up is answered with this status. */
    public static final AtomicInteger FAIL_NEXT = new AtomicInteger();

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.rest-client.auth.url", "http://127.0.0.1:" + server.actualPort());
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }

    public static List<Call> calls(String method, String pathPrefix) {
        return CALLS.stream().filter(c -> c.method().equals(method) && c.path().startsWith(pathPrefix)).toList();
    }

    /** The claims of a JWT (unverified), for assertions. */
    public static JsonObject claims(String token) {
        String[] parts = token.split("\\.");
        return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            String path = req.path();
            CALLS.add(new Call(req.method().name(), path, req.getHeader("Authorization"), req.getHeader("apikey"),
                    body.toString()));
            if (req.method().name().equals("POST") && path.equals("/auth/v1/signup")) {
                int fail = FAIL_NEXT.getAndSet(0);
                if (fail > 0) {
                    req.response().setStatusCode(fail).putHeader("Content-Type", "application/json")
                            .end("{\"code\":" + fail + ",\"msg\":\"stub failure\"}");
                    return;
                }
                vertx.<String>executeBlocking(() -> signUp()).onComplete(ar -> {
                    if (ar.failed()) {
                        req.response().setStatusCode(500).end(ar.cause().getMessage());
                    } else {
                        req.response().putHeader("Content-Type", "application/json").end(ar.result());
                    }
                });
                return;
            }
            if (req.method().name().equals("DELETE") && path.startsWith("/auth/v1/admin/users/")) {
                UUID id = UUID.fromString(path.substring("/auth/v1/admin/users/".length()));
                vertx.executeBlocking(() -> {
                    try (Connection c = TestDatabase.superuser();
                         PreparedStatement ps = c.prepareStatement("delete from auth.users where id = ?")) {
                        ps.setObject(1, id);
                        ps.executeUpdate();
                    }
                    return null;
                }).onComplete(ar -> req.response().putHeader("Content-Type", "application/json").end("{}"));
                return;
            }
            req.response().setStatusCode(404).end();
        });
    }

    private static String signUp() throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = TestDatabase.superuser();
             PreparedStatement ps = c.prepareStatement(
                     "insert into auth.users (id, raw_user_meta_data, raw_app_meta_data, aud, role, is_anonymous) "
                             + "values (?, '{}'::jsonb, '{}'::jsonb, 'authenticated', 'authenticated', true)")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
        CREATED.add(id);
        Map<String, Object> claims = TokenMinter.userClaims(id, "");
        claims.put("app_metadata", Map.of());
        claims.put("amr", List.of(Map.of("method", "anonymous", "timestamp", System.currentTimeMillis() / 1000)));
        claims.put("is_anonymous", true);
        String token = TokenMinter.hs256(claims);
        return new JsonObject().put("access_token", token).put("token_type", "bearer").put("expires_in", 3600)
                .put("refresh_token", "stub-refresh").put("user", new JsonObject().put("id", id.toString())
                        .put("is_anonymous", true).put("role", "authenticated")).encode();
    }
}
