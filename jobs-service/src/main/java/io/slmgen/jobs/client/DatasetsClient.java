package io.slmgen.jobs.client;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.slmgen.shared.identity.ForwardCallerHeaders;
import io.smallrye.mutiny.Uni;

/**
 * datasets-service, called with the acting caller's token so its RLS decides what is visible. Every
 * method takes the caller's headers explicitly ({@link Headers}): the acting caller is not always the
 * request's (SLMGEN anonymous sessions); null headers fall back to the request's caller.
 */
@RegisterRestClient(configKey = "datasets")
@RegisterClientHeaders(ForwardCallerHeaders.class)
@Path("/api/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface DatasetsClient {

    @GET
    @Path("{id}")
    Uni<Dataset> get(@PathParam("id") String id, @HeaderParam("Authorization") String authorization, @HeaderParam("apikey") String apikey);

    /** Links the dataset to its job (datasets.job_id); the job row must be committed first (FK). */
    @PUT
    @Path("{id}/job")
    Uni<Map<String, Object>> link(@PathParam("id") String id, @HeaderParam("Authorization") String authorization, @HeaderParam("apikey") String apikey,
                                    Requests.LinkJob body);

    /** The SLMGEN session's dataset row (with the selection columns), visible to the caller. */
    @GET
    @Path("by-session/{session_id}")
    Uni<Dataset> bySession(@PathParam("session_id") String sessionId, @HeaderParam("Authorization") String authorization, @HeaderParam("apikey") String apikey);
}
