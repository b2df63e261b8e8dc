package io.slmgen.jobs.client;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.slmgen.shared.identity.ForwardCallerHeaders;
import io.smallrye.mutiny.Uni;

/** datasets-service, called with the caller's token so its RLS decides what is visible. */
@RegisterRestClient(configKey = "datasets")
@RegisterClientHeaders(ForwardCallerHeaders.class)
@Path("/api/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface DatasetsClient {

    @GET
    @Path("{id}")
    Uni<Map<String, Object>> get(@PathParam("id") String id);

    /** Links the dataset to its job (datasets.job_id); the job row must be committed first (FK). */
    @PUT
    @Path("{id}/job")
    Uni<Map<String, Object>> link(@PathParam("id") String id, Map<String, Object> body);
}
