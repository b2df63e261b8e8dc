package io.slmgen.storage.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/**
 * {@code X-Content-Type-Options: nosniff} on every response of this service (SPEC §9 content safety):
 * object downloads of every route (public, authenticated, signed, Range, HEAD, 304) and every error,
 * including those Vert.x answers itself before a resource runs. Browsers then keep to the declared
 * type and never sniff an object into HTML or script. Added at the router, ahead of every route, so
 * no path can miss it; the gateway adds the same header, the service is safe on its own.
 */
@ApplicationScoped
public class SecurityHeaders {

    static final String NOSNIFF_HEADER = "X-Content-Type-Options";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            rc.addHeadersEndHandler(v -> rc.response().headers().set(NOSNIFF_HEADER, "nosniff"));
            rc.next();
        });
    }
}
