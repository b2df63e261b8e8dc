package io.slmgen.catalog.rest;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.slmgen.catalog.model.CatalogModel;
import io.slmgen.catalog.service.CatalogService;
import io.slmgen.catalog.service.ModelValidationService;
import io.slmgen.shared.api.Page;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;

@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    @Inject
    CatalogService catalog;
    @Inject
    ModelValidationService validations;
    @Inject
    CurrentCaller caller;

    @GET
    public Uni<Page<CatalogModel>> list(@QueryParam("task") String task, @QueryParam("deploy") String deploy,
                                               @QueryParam("limit") Integer limit, @QueryParam("offset") Integer offset) {
        return catalog.list(caller.get(), task, deploy, limit, offset);
    }

    @GET
    @Path("{id}")
    public Uni<CatalogModel> get(@PathParam("id") String id) {
        return catalog.get(caller.get(), id);
    }

    /**
     * The same validation as POST /slmgen/validate-model, for services (jobs-service checks a custom
     * model_id here before it renders a notebook): SLMGEN's fields plus parameters, size and catalog_id.
     */
    @POST
    @Path("validate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> validate(Map<String, Object> body) {
        return validations.validate(caller.get(), SlmgenResource.modelIdOf(body)).map(v -> v.apiBody());
    }
}
