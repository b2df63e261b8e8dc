package io.slmgen.shared.slmgen;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.identity.ActingCallers;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;

/**
 * SLMGEN's session access rule (SPEC §15, /work/notes contract): a signed-in caller acts as
 * themselves (RLS then hides foreign sessions); a caller without a token may reach a session only when
 * its owner is an anonymous user created for it and it has not expired, and then acts as that owner.
 * Everything else is "not found", so session ids of real users are never confirmed to strangers.
 */
@ApplicationScoped
public class SessionResolver {

    private final SessionOwnerClient owners;
    private final ActingCallers acting;

    public SessionResolver(@RestClient SessionOwnerClient owners, ActingCallers acting) {
        this.owners = owners;
        this.acting = acting;
    }

    /** Session ids are UUIDs in this suite; anything else outside [A-Za-z0-9_-]{1,100} is unknown. */
    public static boolean isWellFormed(String sessionId) {
        return sessionId != null && sessionId.matches("[A-Za-z0-9_-]{1,100}");
    }

    /**
     * @param notFound the 404 detail SLMGEN uses on this route
     */
    public Uni<Caller> callerFor(Caller current, String sessionId, String notFound) {
        if (!isWellFormed(sessionId)) {
            // never let an odd id (lone surrogates, slashes) reach another service's URL
            return Uni.createFrom().failure(ApiError.NOT_FOUND.exception(notFound));
        }
        if (current.isUser()) {
            return Uni.createFrom().item(current);
        }
        String serviceKey = acting.serviceRoleKey();
        return owners.owner(sessionId, "Bearer " + serviceKey, serviceKey)
                .onFailure(WebApplicationException.class).transform(e -> {
                    int status = ((WebApplicationException) e).getResponse().getStatus();
                    return status == 404 || status == 400 ? ApiError.NOT_FOUND.exception(notFound)
                            : ApiError.SERVICE_UNAVAILABLE.exception("datasets-service answered " + status);
                })
                .map(owner -> {
                    if (owner == null || !owner.owner_is_anonymous() || owner.expired()) {
                        throw ApiError.NOT_FOUND.exception(notFound);
                    }
                    return acting.anonymousOwner(owner.user_id());
                });
    }
}
