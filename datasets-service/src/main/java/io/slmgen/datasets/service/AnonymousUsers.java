package io.slmgen.datasets.service;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.slmgen.datasets.client.AuthClient;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.identity.ActingCallers;
import io.slmgen.shared.identity.Caller;
import io.slmgen.shared.identity.ClientAddress;
import io.slmgen.shared.jwt.JwtVerifier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Anonymous owners of SLMGEN sessions (SPEC §15, §4.1): a real anonymous user created through
 * auth-service with the service_role key; its access token is verified like any other, so the upload then
 * runs under that user's RLS. The end client's address (shared-jwt's ClientAddress, as auth-service resolves
 * it) goes along, so auth-service's per-IP anonymous sign-in limit (RATE_LIMIT_ANONYMOUS_USERS) counts these
 * users as if the client had signed in anonymously itself; over it the upload is refused with 429.
 */
@ApplicationScoped
public class AnonymousUsers {

    private static final Logger LOG = Logger.getLogger(AnonymousUsers.class);

    private final AuthClient auth;
    private final ActingCallers acting;
    private final JwtVerifier verifier;
    private final ClientAddress clientAddress;

    public AnonymousUsers(@RestClient AuthClient auth, ActingCallers acting, JwtVerifier verifier, ClientAddress clientAddress) {
        this.auth = auth;
        this.acting = acting;
        this.verifier = verifier;
        this.clientAddress = clientAddress;
    }

    /**
     * A new anonymous user for the client of {@code request}, as a caller whose token can be forwarded
     * (storage-service). 429 when that client made too many anonymous users lately.
     */
    public Uni<Caller> create(HttpServerRequest request) {
        String client = clientAddress.of(request);
        String serviceKey = acting.serviceRoleKey();
        return auth.signup(Map.of(), "Bearer " + serviceKey, serviceKey, client)
                .onFailure().transform(AnonymousUsers::signupFailure)
                .flatMap(session -> {
                    String token = session == null ? null : session.accessToken();
                    if (token == null || token.isEmpty()) {
                        throw ApiError.SERVICE_UNAVAILABLE.exception("auth-service answered no access token");
                    }
                    return Uni.createFrom().completionStage(() -> verifier.verifyAsync(token))
                            .onFailure().transform(e -> ApiError.SERVICE_UNAVAILABLE.exception(
                                    "auth-service's token did not verify"))
                            .map(verified -> Caller.of(verified, token, acting.anonKey()));
                })
                .map(c -> {
                    if (!c.isUser()) {
                        throw ApiError.SERVICE_UNAVAILABLE.exception("auth-service's token is not a user's");
                    }
                    return c;
                });
    }

    private static Throwable signupFailure(Throwable e) {
        if (e instanceof WebApplicationException w && w.getResponse() != null && w.getResponse().getStatus() == 429) {
            String retry = w.getResponse().getHeaderString("Retry-After");
            return DatasetsError.OVER_REQUEST_RATE_LIMIT.exception()
                    .header("Retry-After", retry == null || !retry.matches("\\d{1,9}") ? "60" : retry);
        }
        LOG.warnf("anonymous sign-up at auth-service failed: %s", e.getMessage());
        return ApiError.SERVICE_UNAVAILABLE.exception("could not create an anonymous session, retry shortly");
    }

    /** Removes an anonymous user whose upload failed (best effort; the expiry sweep catches the rest). */
    public void deleteQuietly(UUID userId) {
        String serviceKey = acting.serviceRoleKey();
        auth.deleteUser(userId.toString(), "Bearer " + serviceKey, serviceKey).subscribe().with(ok -> {
        }, err -> LOG.debugf("could not delete anonymous user %s: %s", userId, err.getMessage()));
    }
}
