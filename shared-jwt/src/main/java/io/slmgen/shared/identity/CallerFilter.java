package io.slmgen.shared.identity;

import java.util.function.BiConsumer;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.error.ErrorResponses;
import io.slmgen.shared.jwt.InvalidTokenException;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Establishes the caller of every request (docs/SPEC.md §3) through Quarkus Security: has
 * {@link CallerAuthMechanism} authenticate the request (lazy authentication, asked for here so that it runs
 * on every API request, after shared-migration's MigrationGate has let it through) and
 * keeps the resulting {@link Caller} in {@link CurrentCaller}. A token that is present but fails
 * verification is a 401 in the path's error shape - never silently anon, never Quarkus' empty 401.
 */
public class CallerFilter {

    /** We answer authentication failures ourselves (below): Quarkus must not also send its challenge. */
    private static final BiConsumer<RoutingContext, Throwable> FAILURE_ANSWERED_BY_FILTER = (context, failure) -> {
    };

    @Inject
    CurrentCaller current;

    @Inject
    CurrentIdentityAssociation identities;

    @ServerRequestFilter(preMatching = true)
    public Uni<Response> identify(ContainerRequestContext ctx, RoutingContext routing) {
        String path = ctx.getUriInfo().getPath();
        if (path.startsWith("/q/")) {
            return Uni.createFrom().nullItem();
        }
        if ("OPTIONS".equals(ctx.getMethod())) {
            return Uni.createFrom().nullItem();
        }
        routing.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, FAILURE_ANSWERED_BY_FILTER);
        return QuarkusHttpUser.getSecurityIdentity(routing, null)
                .map(identity -> {
                    if (identity == null) {
                        // no authentication ran at all: a wiring fault, never to be taken for anon
                        return ErrorResponses.of(ctx, ApiError.UNEXPECTED_FAILURE.exception(
                                "the request could not be authenticated"));
                    }
                    // resolved now: later readers of the identity (@RolesAllowed, @Inject SecurityIdentity or
                    // JsonWebToken) get it without waiting
                    identities.setIdentity(identity);
                    current.set(identity);
                    return (Response) null;
                })
                .onFailure().recoverWithItem(err -> reject(ctx, reason(err)));
    }

    /** The reason shown to the caller: the {@link InvalidTokenException}'s message (no token material). */
    private static String reason(Throwable err) {
        Throwable t = err;
        while (t != null && !(t instanceof InvalidTokenException)) {
            t = t.getCause();
        }
        return t != null ? t.getMessage() : "invalid JWT";
    }

    /** The 401 of a request whose credentials do not verify, in the path's shape (SPEC §3). */
    static Response reject(ContainerRequestContext ctx, String message) {
        return ErrorResponses.of(ctx, invalid(message));
    }

    static ApiException invalid(String message) {
        return ApiError.BAD_JWT.exception("invalid JWT: " + message).pgCode("PGRST301")
                .storage(403, "Unauthorized");
    }
}
