package io.slmgen.jobs.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * SLMGEN's training stream answers whatever the client's Accept says (FastAPI does not negotiate):
 * an unknown session is a 404 {detail} even for a client that asked for JSON, instead of a 406.
 */
public class SlmgenStreamAccept {

    @ServerRequestFilter(preMatching = true)
    public void acceptEventStream(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        if (path.startsWith("/slmgen/training/") && path.endsWith("/stream")) {
            ctx.getHeaders().putSingle(HttpHeaders.ACCEPT, MediaType.SERVER_SENT_EVENTS);
        }
    }
}
