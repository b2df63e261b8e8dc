package io.slmgen.shared.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

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
        Caller caller = current.get();
        if (!headers.containsKey("Authorization")) {
            caller.authorizationHeader().ifPresent(v -> headers.putSingle("Authorization", v));
        }
        if (!headers.containsKey("apikey") && caller.apikey() != null) {
            headers.putSingle("apikey", caller.apikey());
        }
        return headers;
    }
}
