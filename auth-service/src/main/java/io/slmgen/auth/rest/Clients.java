package io.slmgen.auth.rest;

import io.slmgen.auth.AuthConfig;
import io.slmgen.auth.service.ClientInfo;
import io.vertx.core.http.HttpServerRequest;

/** The client's address (first X-Forwarded-For hop behind the gateway, if trusted) and user agent. */
final class Clients {

    private Clients() {
    }

    static ClientInfo of(HttpServerRequest request, AuthConfig config) {
        String ip = null;
        if (config.rateLimit().trustForwardedFor()) {
            String xff = request.getHeader("X-Forwarded-For");
            if (xff != null && !xff.isBlank()) {
                ip = xff.split(",")[0].strip();
            }
        }
        if (ip == null && request.remoteAddress() != null) {
            ip = request.remoteAddress().hostAddress();
        }
        return new ClientInfo(ip, request.getHeader("User-Agent"));
    }
}
