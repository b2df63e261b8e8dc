package io.slmgen.catalog.client;

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

/** datasets-service, called with the caller's own token so its RLS decides what we may read. */
@RegisterRestClient(configKey = "datasets")
@RegisterClientHeaders(ForwardCallerHeaders.class)
@Path("/api/datasets")
@Produces(MediaType.APPLICATION_JSON)
public interface DatasetsClient {

    @GET
    @Path("{id}")
    Uni<DatasetStats> get(@PathParam("id") String id);

    /** A session's dataset, read as the given caller (an SLMGEN session's acting owner). */
    @GET
    @Path("by-session/{sessionId}")
    Uni<DatasetStats> bySession(@PathParam("sessionId") String sessionId,
                                       @HeaderParam("Authorization") String authorization,
                                       @HeaderParam("apikey") String apikey);

    /** Remembers the session's task, target and primary (SPEC §15) for generate-notebook. */
    @PUT
    @Path("{id}/selection")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Map<String, Object>> select(@PathParam("id") String id, Map<String, Object> selection,
                                    @HeaderParam("Authorization") String authorization,
                                    @HeaderParam("apikey") String apikey);
}
