package io.slmgen.auth.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.slmgen.shared.error.ErrorResponses;

/**
 * GoTrue answers X-Supabase-Api-Version: auth-js reads an error's {@code code} as the error code only
 * when the response carries that header (and the body is then in the versioned shape).
 */
public class ApiVersionFilter {

    @ServerResponseFilter
    public void version(ContainerRequestContext req, ContainerResponseContext res) {
        String path = req.getUriInfo().getPath();
        if (path.startsWith("/auth/") && req.getHeaderString(ErrorResponses.API_VERSION_HEADER) != null) {
            res.getHeaders().putSingle(ErrorResponses.API_VERSION_HEADER, "2024-01-01");
        }
    }
}
