package io.slmgen.auth.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.auth.AuthConfig;
import io.slmgen.auth.service.ClientInfo;
import io.slmgen.shared.identity.ClientAddress;
import io.slmgen.shared.identity.CurrentCaller;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who is on the other end of a request (per-IP limits, the session row). The address comes from shared-jwt's
 * {@link ClientAddress} (X-Forwarded-For read from the right past the trusted proxies). A service_role caller
 * (another service acting for an end client, e.g. datasets-service creating the anonymous owner of an upload)
 * names that client in {@value #CLIENT_IP_HEADER}, and the per-IP limits apply to that address; its own calls,
 * naming nobody, are not limited per IP. From any other caller the header is ignored.
 */
@ApplicationScoped
public class Clients {

    public static final String CLIENT_IP_HEADER = "X-Client-IP";

    @Inject
    ClientAddress addresses;
    @Inject
    AuthConfig config;
    @Inject
    CurrentCaller caller;

    public ClientInfo of(HttpServerRequest request) {
        String userAgent = request.getHeader("User-Agent");
        if (caller.get().isServiceRole()) {
            return new ClientInfo(ClientAddress.canonical(request.getHeader(CLIENT_IP_HEADER)), userAgent);
        }
        String ip = config.rateLimit().trustForwardedFor() ? addresses.of(request)
                : request.remoteAddress() == null ? null : ClientAddress.canonical(request.remoteAddress().hostAddress());
        return new ClientInfo(ip, userAgent);
    }
}
