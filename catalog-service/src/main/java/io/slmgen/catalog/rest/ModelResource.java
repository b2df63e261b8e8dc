package io.slmgen.catalog.rest;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.slmgen.catalog.service.CatalogService;
import io.slmgen.shared.api.Page;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;

@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    private final CatalogService catalog;
    private final CurrentCaller caller;

    public ModelResource(CatalogService catalog, CurrentCaller caller) {
        this.catalog = catalog;
        this.caller = caller;
    }

    @GET
    public Uni<Page<Map<String, Object>>> list(@QueryParam("task") String task, @QueryParam("deploy") String deploy,
                                               @QueryParam("limit") Integer limit, @QueryParam("offset") Integer offset) {
        return catalog.list(caller.get(), task, deploy, limit, offset);
    }

    @GET
    @Path("{id}")
    public Uni<Map<String, Object>> get(@PathParam("id") String id) {
        return catalog.get(caller.get(), id);
    }
}
