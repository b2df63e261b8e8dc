package io.slmgen.shared.error;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Builds the HTTP response for an {@link ApiException} in the shape of the called path. */
public final class ErrorResponses {

    public static final String API_VERSION_HEADER = "X-Supabase-Api-Version";

    private ErrorResponses() {
    }

    public static Response of(ContainerRequestContext ctx, ApiException e) {
        return of(ctx.getUriInfo().getPath(), ctx.getHeaderString(API_VERSION_HEADER) != null, e);
    }

    public static Response of(UriInfo uri, HttpHeaders headers, ApiException e) {
        return of(uri.getPath(), headers.getHeaderString(API_VERSION_HEADER) != null, e);
    }

    public static Response of(String path, boolean apiVersioned, ApiException e) {
        ErrorShape shape = ErrorShape.forPath(path);
        Response.ResponseBuilder b = Response.status(e.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(shape.body(e, apiVersioned));
        e.headers().forEach(b::header);
        return b.build();
    }
}
