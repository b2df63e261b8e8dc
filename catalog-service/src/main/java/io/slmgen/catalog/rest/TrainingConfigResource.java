package io.slmgen.catalog.rest;

import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import io.slmgen.catalog.model.NewTrainingConfig;
import io.slmgen.catalog.model.TrainingConfig;
import io.slmgen.catalog.model.TrainingConfigChange;
import io.slmgen.catalog.service.TrainingConfigService;
import io.slmgen.shared.api.Ids;
import io.slmgen.shared.api.Page;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;

@Path("/api/training-configs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TrainingConfigResource {

    @Inject
    TrainingConfigService configs;
    @Inject
    CurrentCaller caller;

    @GET
    public Uni<Page<TrainingConfig>> list(@QueryParam("limit") Integer limit, @QueryParam("offset") Integer offset) {
        return configs.list(caller.get(), limit, offset);
    }

    @POST
    public Uni<RestResponse<TrainingConfig>> create(NewTrainingConfig input) {
        return configs.create(caller.get(), input).map(row -> RestResponse.status(RestResponse.Status.CREATED, row));
    }

    /** What a job would use: {@code ?id=} if given, else the caller's default, else Balanced. */
    @GET
    @Path("resolve")
    public Uni<TrainingConfig> resolve(@QueryParam("id") String id) {
        return configs.resolve(caller.get(), Optional.ofNullable(id).map(v -> Ids.uuid(v, "id")));
    }

    @GET
    @Path("{id}")
    public Uni<TrainingConfig> get(@PathParam("id") String id) {
        return configs.get(caller.get(), Ids.uuid(id, "id"));
    }

    @PUT
    @Path("{id}")
    public Uni<TrainingConfig> replace(@PathParam("id") String id, TrainingConfigChange input) {
        return configs.update(caller.get(), Ids.uuid(id, "id"), input);
    }

    @PATCH
    @Path("{id}")
    public Uni<TrainingConfig> patch(@PathParam("id") String id, TrainingConfigChange input) {
        return configs.update(caller.get(), Ids.uuid(id, "id"), input);
    }

    @DELETE
    @Path("{id}")
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id) {
        return configs.delete(caller.get(), Ids.uuid(id, "id")).map(v -> RestResponse.noContent());
    }
}
