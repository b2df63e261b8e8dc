package io.slmgen.shared.identity;

import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.error.ErrorResponses;
import io.slmgen.shared.jwt.InvalidTokenException;
import io.slmgen.shared.jwt.JwtVerifier;
import io.slmgen.shared.jwt.VerifiedToken;
import io.smallrye.mutiny.Uni;

/**
 * Establishes the caller of every request (SPEC §3): {@code Authorization: Bearer} decides the role
 * when present, otherwise the {@code apikey} header does, otherwise the caller is anon. A token that
 * is present but fails verification is a 401 in the path's error shape - never silently anon.
 * On {@code /slmgen/*} without an Authorization header, an @supabase/ssr session cookie from an allowed
 * origin identifies the user instead (SPEC §15, {@link SessionCookieCallers}); a cookie whose token does
 * not verify (expired, foreign) is ignored, as SLMGEN treats a request without a session.
 */
public class CallerFilter {

    @Inject
    JwtVerifier verifier;

    @Inject
    CurrentCaller current;

    @Inject
    SessionCookieCallers cookieSessions;

    @ServerRequestFilter(preMatching = true)
    public Uni<Response> identify(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        if (path.startsWith("/q/")) {
            return Uni.createFrom().nullItem();
        }
        if ("OPTIONS".equals(ctx.getMethod())) {
            return Uni.createFrom().nullItem();
        }
        String authorization = ctx.getHeaderString("Authorization");
        String apikey = ctx.getHeaderString("apikey");
        String bearer = null;
        if (authorization != null && !authorization.isBlank()) {
            bearer = bearerToken(authorization.trim());
            if (bearer == null) {
                return Uni.createFrom().item(reject(ctx, "Authorization must be a Bearer token"));
            }
        }
        String apiKeyValue = apikey == null || apikey.isBlank() ? null : apikey.trim();
        String cookieToken = bearer == null && (authorization == null || authorization.isBlank())
                ? cookieSessions.accessToken(path, ctx).orElse(null) : null;
        final String bearerToken = bearer != null ? bearer : cookieToken;
        CompletableFuture<VerifiedToken> key = apiKeyValue == null
                ? CompletableFuture.completedFuture(null) : verifier.verifyAsync(apiKeyValue);
        CompletableFuture<VerifiedToken> user = bearerToken == null
                ? CompletableFuture.completedFuture(null) : verifier.verifyAsync(bearerToken);
        if (cookieToken != null) {
            // a cookie that does not verify is no session: the request goes on without it, not 401
            user = user.exceptionally(e -> null);
        }
        CompletableFuture<VerifiedToken[]> both = key.thenCombine(user, (k, u) -> new VerifiedToken[] {k, u});
        Uni<VerifiedToken[]> verifiedUni = Uni.createFrom().completionStage(both);
        if (!both.isDone()) {
            // a JWKS fetch completes on an HTTP client thread: come back to the request's Vert.x context
            // before touching request-scoped state. When both are already done (HS256, a cached token or
            // a known kid: nearly every request) we are still on that context, so no extra hop.
            io.vertx.core.Context requestContext = io.vertx.core.Vertx.currentContext();
            verifiedUni = verifiedUni.emitOn(task -> {
                if (requestContext != null) {
                    requestContext.runOnContext(ignored -> task.run());
                } else {
                    task.run();
                }
            });
        }
        return verifiedUni
                .map(verified -> {
                    if (verified[1] != null) {
                        current.set(Caller.of(verified[1], bearerToken, apiKeyValue));
                    } else if (verified[0] != null) {
                        // the key alone: its role (anon or service_role); forwarded as both headers downstream
                        current.set(Caller.of(verified[0], apiKeyValue, apiKeyValue));
                    }
                    return (Response) null;
                })
                .onFailure().recoverWithItem(err -> reject(ctx, reason(err)));
    }

    private static String reason(Throwable err) {
        Throwable t = err;
        while (t != null && !(t instanceof InvalidTokenException)) {
            t = t.getCause();
        }
        return t != null ? t.getMessage() : "invalid JWT";
    }

    private static Response reject(ContainerRequestContext ctx, String message) {
        ApiException e = ApiError.BAD_JWT.exception("invalid JWT: " + message).pgCode("PGRST301")
                .storage(403, "Unauthorized");
        return ErrorResponses.of(ctx, e);
    }

    /**
     * The token of {@code Bearer <token>} (scheme case-insensitive, any run of whitespace between), or
     * null. By hand rather than a regex split: it runs on every request.
     */
    static String bearerToken(String authorization) {
        int n = authorization.length();
        int end = 0;
        while (end < n && !isSpace(authorization.charAt(end))) {
            end++;
        }
        int start = end;
        while (start < n && isSpace(authorization.charAt(start))) {
            start++;
        }
        if (end != 6 || start == n || !authorization.regionMatches(true, 0, "bearer", 0, 6)) {
            return null;
        }
        return authorization.substring(start);
    }

    /** What {@code \\s} matches. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
