package io.slmgen.shared.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/**
 * For REST clients to other services: forwards the caller's {@code Authorization} and {@code apikey}
 * so the next service verifies the same identity and PostgreSQL applies the same policies.
 * Use with {@code @RegisterClientHeaders(ForwardCallerHeaders.class)}.
 */
@ApplicationScoped
public class ForwardCallerHeaders implements ClientHeadersFactory {

    @Inject
    CurrentCaller current;

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
                                                 MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        Caller caller = current.get();
        caller.authorizationHeader().ifPresent(v -> headers.putSingle("Authorization", v));
        if (caller.apikey() != null) {
            headers.putSingle("apikey", caller.apikey());
        }
        return headers;
    }
}
