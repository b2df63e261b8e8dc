package io.slmgen.jobs.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.slmgen.shared.identity.ForwardCallerHeaders;
import io.smallrye.mutiny.Uni;

/** catalog-service: recommendations, models and training configs. */
@RegisterRestClient(configKey = "catalog")
@RegisterClientHeaders(ForwardCallerHeaders.class)
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface CatalogClient {

    @POST
    @Path("recommendations")
    Uni<Recommendation> recommend(@HeaderParam("Authorization") String authorization, @HeaderParam("apikey") String apikey, Requests.Recommend body);

    @GET
    @Path("models/{id}")
    Uni<CatalogModel> model(@PathParam("id") String id, @HeaderParam("Authorization") String authorization, @HeaderParam("apikey") String apikey);

    /** The given config if visible, else the caller's default, else Balanced. */
    @GET
    @Path("training-configs/resolve")
    Uni<TrainingConfig> resolveConfig(@QueryParam("id") String id, @HeaderParam("Authorization") String authorization, @HeaderParam("apikey") String apikey);

    /** The catalog (a Page: items with id, name, hf_model_id, ...), readable by anyone. */
    @GET
    @Path("models")
    Uni<CatalogModel.Page> models(@QueryParam("limit") int limit, @HeaderParam("Authorization") String authorization, @HeaderParam("apikey") String apikey);
}
