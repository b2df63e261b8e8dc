package io.slmgen.shared.identity;

import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.slmgen.shared.jwt.InvalidTokenException;
import io.slmgen.shared.jwt.JwtVerifier;
import io.slmgen.shared.jwt.VerifiedToken;
import io.smallrye.mutiny.Uni;

/**
 * Turns a request's {@link CallerCredentials} into its {@link SecurityIdentity} (SPEC §3): the bearer token
 * decides the role when present, otherwise the apikey does, otherwise the caller is anon. The identity's
 * principal is a {@link CallerJsonWebToken} of the verified claims, its one role is the token's
 * {@code role} claim (anon, authenticated, service_role) and its {@link #CALLER_ATTRIBUTE} is the
 * {@link Caller} the services work with.
 *
 * <p>A token that is present but fails verification fails the authentication (a 401 in the path's shape,
 * answered by {@link CallerFilter}) - never silently anon - except a session cookie's token, which is
 * ignored as SLMGEN treats a request without a session (SPEC §15).
 *
 * <p>Verification is our {@link JwtVerifier} (HS256 secret, JWKS ES256/RS256 by kid, verified-token
 * cache), not smallrye-jwt's single-key parser: nearly every request is answered from the cache without
 * leaving the event loop.
 */
@ApplicationScoped
public class CallerIdentityProvider implements IdentityProvider<CallerCredentials> {

    /** The {@link SecurityIdentity} attribute holding the request's {@link Caller}. */
    public static final String CALLER_ATTRIBUTE = Caller.class.getName();

    /** No credentials: always the same identity, so an anonymous request builds nothing. */
    private static final SecurityIdentity NOBODY = identityOf(Caller.nobody());

    private final JwtVerifier verifier;

    @Inject
    public CallerIdentityProvider(JwtVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Class<CallerCredentials> getRequestType() {
        return CallerCredentials.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(CallerCredentials request, AuthenticationRequestContext context) {
        if (request.badAuthorization() != null) {
            return Uni.createFrom().failure(failed(new InvalidTokenException(request.badAuthorization())));
        }
        String bearer = request.bearer();
        String apikey = request.apikey();
        if (bearer == null && apikey == null) {
            return Uni.createFrom().item(NOBODY);
        }
        CompletableFuture<VerifiedToken> key = apikey == null
                ? CompletableFuture.completedFuture(null) : verifier.verifyAsync(apikey);
        CompletableFuture<VerifiedToken> user = bearer == null
                ? CompletableFuture.completedFuture(null) : verifier.verifyAsync(bearer);
        if (request.fromCookie()) {
            // a cookie that does not verify is no session: the request goes on without it, not 401
            user = user.exceptionally(e -> null);
        }
        CompletableFuture<VerifiedToken[]> both = key.thenCombine(user, (k, u) -> new VerifiedToken[] {k, u});
        Uni<VerifiedToken[]> verified = Uni.createFrom().completionStage(both);
        if (!both.isDone()) {
            // a JWKS fetch completes on an HTTP client thread: come back to the request's Vert.x context
            // before touching request-scoped state. When both are already done (HS256, a cached token or
            // a known kid: nearly every request) we are still on that context, so no extra hop.
            io.vertx.core.Context requestContext = io.vertx.core.Vertx.currentContext();
            verified = verified.emitOn(task -> {
                if (requestContext != null) {
                    requestContext.runOnContext(ignored -> task.run());
                } else {
                    task.run();
                }
            });
        }
        return verified
                .map(tokens -> {
                    if (tokens[1] != null) {
                        return identityOf(Caller.of(tokens[1], bearer, apikey));
                    }
                    if (tokens[0] != null) {
                        // the key alone: its role (anon or service_role); forwarded as both headers downstream
                        return identityOf(Caller.of(tokens[0], apikey, apikey));
                    }
                    return NOBODY;
                })
                .onFailure(e -> !(e instanceof AuthenticationFailedException)).transform(CallerIdentityProvider::failed);
    }

    /** The identity of a caller: principal, role and the caller itself. */
    public static SecurityIdentity identityOf(Caller caller) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new CallerJsonWebToken(caller))
                .addRole(caller.role())
                .addAttribute(CALLER_ATTRIBUTE, caller)
                .build();
    }

    /** The caller an identity carries; anon for an identity that is not ours (none on our paths). */
    public static Caller callerOf(SecurityIdentity identity) {
        Caller caller = identity == null ? null : identity.getAttribute(CALLER_ATTRIBUTE);
        return caller != null ? caller : Caller.nobody();
    }

    /**
     * An authentication failure keeping the reason the caller is shown: the {@link InvalidTokenException}
     * found among the causes (its message names no token material), else the generic "invalid JWT".
     */
    private static AuthenticationFailedException failed(Throwable err) {
        Throwable t = err;
        while (t != null && !(t instanceof InvalidTokenException)) {
            t = t.getCause();
        }
        InvalidTokenException invalid = t != null ? (InvalidTokenException) t : new InvalidTokenException("invalid JWT");
        return new AuthenticationFailedException(invalid.getMessage(), invalid);
    }
}
