package io.slmgen.jobs.rest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestResponse;

import io.slmgen.jobs.client.StorageClient;
import io.slmgen.jobs.model.Job;
import io.slmgen.jobs.slmgen.SlmgenJobs;
import io.slmgen.jobs.slmgen.SlmgenNotebooks;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;

/**
 * SLMGEN v1 at {@code /slmgen} (SPEC §15), the routes jobs-service owns: generate-notebook, the
 * token download, the public notebook for Colab and the History page's {@code /jobs}. Thin adapters
 * over {@link SlmgenNotebooks} / {@link SlmgenJobs}; errors are {@code {"detail": ...}} (shared mapper).
 */
@Path("/slmgen")
@Produces(MediaType.APPLICATION_JSON)
public class SlmgenResource {

    private final SlmgenNotebooks notebooks;
    private final SlmgenJobs jobs;
    private final CurrentCaller caller;
    private final boolean publicNotebooks;

    public SlmgenResource(SlmgenNotebooks notebooks, SlmgenJobs jobs, CurrentCaller caller,
                          @ConfigProperty(name = "slmgen.public-notebooks", defaultValue = "true") boolean publicNotebooks) {
        this.notebooks = notebooks;
        this.jobs = jobs;
        this.caller = caller;
        this.publicNotebooks = publicNotebooks;
    }

    @POST
    @Path("generate-notebook")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> generate(Map<String, Object> body) {
        return notebooks.generate(caller.get(), body);
    }

    @GET
    @Path("download/{sid}")
    @Produces({StorageClient.IPYNB, MediaType.APPLICATION_JSON})
    public Uni<RestResponse<String>> download(@PathParam("sid") String sid, @QueryParam("token") String token) {
        return notebooks.download(sid, token).map(nb -> RestResponse.ResponseBuilder.ok(new String(nb.bytes(), StandardCharsets.UTF_8), StorageClient.IPYNB)
                .header("Content-Disposition", "attachment; filename=\"" + nb.filename() + "\"")
                .header("Cache-Control", "no-store").build());
    }

    @GET
    @Path("notebooks/{sid}.ipynb")
    public Uni<RestResponse<String>> publicNotebook(@PathParam("sid") String sid) {
        if (!publicNotebooks) {
            throw ApiError.NOT_FOUND.exception("Not Found");
        }
        return notebooks.publicNotebook(sid).map(nb -> RestResponse.ResponseBuilder.ok(new String(nb.bytes(), StandardCharsets.UTF_8), MediaType.APPLICATION_JSON)
                .header("Content-Disposition", "inline; filename=" + nb.filename())
                .header("Access-Control-Allow-Origin", "*")
                .header("Cache-Control", "no-cache").build());
    }

    // ---- /jobs (token required) ----

    @GET
    @Path("jobs")
    public Uni<List<Job>> list(@QueryParam("limit") Integer limit, @QueryParam("offset") Integer offset) {
        return jobs.list(caller.get(), limit, offset);
    }

    @POST
    @Path("jobs")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Job>> create(Map<String, Object> body) {
        return jobs.create(caller.get(), body).map(j -> RestResponse.status(RestResponse.Status.CREATED, j));
    }

    @GET
    @Path("jobs/session/{sid}")
    public Uni<Job> bySession(@PathParam("sid") String sid) {
        return jobs.bySession(caller.get(), sid);
    }

    @GET
    @Path("jobs/{id}")
    public Uni<Job> get(@PathParam("id") String id) {
        return jobs.get(caller.get(), id);
    }

    @PATCH
    @Path("jobs/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Job> patch(@PathParam("id") String id, Map<String, Object> body) {
        return jobs.patch(caller.get(), id, body);
    }

    @DELETE
    @Path("jobs/{id}")
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id) {
        return jobs.delete(caller.get(), id).map(v -> RestResponse.noContent());
    }
}
