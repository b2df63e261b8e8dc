package io.slmgen.shared.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

import io.quarkus.arc.Arc;

/**
 * For REST clients to other services: forwards the caller's {@code Authorization} and {@code apikey}
 * so the next service verifies the same identity and PostgreSQL applies the same policies.
 * Use with {@code @RegisterClientHeaders(ForwardCallerHeaders.class)}. A header the method sets itself
 * (a {@code @HeaderParam}) is kept, so a client can also speak for another caller.
 */
@ApplicationScoped
public class ForwardCallerHeaders implements ClientHeadersFactory {

    @Inject
    CurrentCaller current;

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
                                                 MultivaluedMap<String, String> outgoing) {
        // headers the client method sets explicitly (@HeaderParam, e.g. when acting for a session's
        // owner) win over the request's caller
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>(outgoing);
        boolean needsAuthorization = !headers.containsKey("Authorization");
        boolean needsApikey = !headers.containsKey("apikey");
        // background work (sweepers on a timer) runs outside any request: it always names its caller
        // explicitly, and there is no request caller to fall back on (asking for one would throw)
        if (!(needsAuthorization || needsApikey) || !Arc.container().requestContext().isActive()) {
            return headers;
        }
        Caller caller = current.get();
        if (needsAuthorization) {
            caller.authorizationHeader().ifPresent(v -> headers.putSingle("Authorization", v));
        }
        if (needsApikey && caller.apikey() != null) {
            headers.putSingle("apikey", caller.apikey());
        }
        return headers;
    }
}
