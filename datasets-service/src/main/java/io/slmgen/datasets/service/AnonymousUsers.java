package io.slmgen.datasets.service;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.slmgen.datasets.client.AuthClient;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.ActingCallers;
import io.slmgen.shared.identity.Caller;
import io.slmgen.shared.jwt.JwtVerifier;
import io.smallrye.mutiny.Uni;

/**
 * Anonymous owners of SLMGEN sessions (SPEC §15, §4.1): a real anonymous user created through
 * auth-service with the service_role key (which auth-service does not limit per IP); its access token
 * is verified like any other, so the upload then runs under that user's RLS.
 */
@ApplicationScoped
public class AnonymousUsers {

    private static final Logger LOG = Logger.getLogger(AnonymousUsers.class);

    private final AuthClient auth;
    private final ActingCallers acting;
    private final JwtVerifier verifier;

    public AnonymousUsers(@RestClient AuthClient auth, ActingCallers acting, JwtVerifier verifier) {
        this.auth = auth;
        this.acting = acting;
        this.verifier = verifier;
    }

    /** A new anonymous user, as a caller whose token can be forwarded (storage-service). */
    public Uni<Caller> create() {
        String serviceKey = acting.serviceRoleKey();
        return auth.signup(Map.of(), "Bearer " + serviceKey, serviceKey)
                .onFailure().transform(e -> {
                    LOG.warnf("anonymous sign-up at auth-service failed: %s", e.getMessage());
                    return ApiException.unavailable("could not create an anonymous session, retry shortly");
                })
                .flatMap(session -> {
                    if (!(session.get("access_token") instanceof String token) || token.isEmpty()) {
                        throw ApiException.unavailable("auth-service answered no access token");
                    }
                    return Uni.createFrom().completionStage(() -> verifier.verifyAsync(token))
                            .onFailure().transform(e -> ApiException.unavailable("auth-service's token did not verify"))
                            .map(verified -> Caller.of(verified, token, acting.anonKey()));
                })
                .map(c -> {
                    if (!c.isUser()) {
                        throw ApiException.unavailable("auth-service's token is not a user's");
                    }
                    return c;
                });
    }

    /** Removes an anonymous user whose upload failed (best effort; the expiry sweep catches the rest). */
    public void deleteQuietly(UUID userId) {
        String serviceKey = acting.serviceRoleKey();
        auth.deleteUser(userId.toString(), "Bearer " + serviceKey, serviceKey).subscribe().with(ok -> {
        }, err -> LOG.debugf("could not delete anonymous user %s: %s", userId, err.getMessage()));
    }
}
