package io.slmgen.shared.slmgen;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** datasets-service's owner lookup, service_role only: {@code GET /api/datasets/session-owner/{session_id}}. */
@RegisterRestClient(configKey = "datasets")
@Path("/api/datasets/session-owner")
@Produces(MediaType.APPLICATION_JSON)
public interface SessionOwnerClient {

    @GET
    @Path("{sessionId}")
    Uni<SessionOwner> owner(@PathParam("sessionId") String sessionId, @HeaderParam("Authorization") String authorization,
                            @HeaderParam("apikey") String apikey);
}
