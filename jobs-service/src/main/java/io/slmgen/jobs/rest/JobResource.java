package io.slmgen.jobs.rest;

import java.net.URI;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

import io.slmgen.jobs.model.CreateJobInput;
import io.slmgen.jobs.model.CreatedJob;
import io.slmgen.jobs.model.Job;
import io.slmgen.jobs.model.JobEvent;
import io.slmgen.jobs.service.JobService;
import io.slmgen.jobs.service.ProgressService;
import io.slmgen.shared.api.Ids;
import io.slmgen.shared.api.Page;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;

@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    @Inject
    JobService jobs;
    @Inject
    ProgressService progress;
    @Inject
    CurrentCaller caller;

    /** Creates the job with its notebook: 201 with the row, {@code notebook_url} and {@code job_secret} (shown once). */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<CreatedJob>> create(CreateJobInput input) {
        return jobs.create(caller.get(), input).map(job -> RestResponse.status(RestResponse.Status.CREATED, job));
    }

    /** The caller's jobs, newest first: a {@link Page} (rendered straight from the rows). */
    @GET
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Page.class)))
    public Uni<byte[]> list(@QueryParam("limit") Integer limit, @QueryParam("offset") Integer offset) {
        return jobs.listJson(caller.get(), limit, offset);
    }

    @GET
    @Path("by-session/{session_id}")
    @RolesAllowed("authenticated")
    public Uni<Job> bySession(@PathParam("session_id") String sessionId) {
        return jobs.bySession(caller.get(), sessionId);
    }

    @GET
    @Path("{id}")
    public Uni<Job> get(@PathParam("id") String id) {
        return jobs.get(caller.get(), Ids.uuid(id, "id"));
    }

    @DELETE
    @Path("{id}")
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id) {
        return jobs.delete(caller.get(), Ids.uuid(id, "id")).map(v -> RestResponse.noContent());
    }

    /** 302 to a fresh signed link to the notebook. */
    @GET
    @Path("{id}/notebook")
    public Uni<RestResponse<Void>> notebook(@PathParam("id") String id) {
        return jobs.notebookUrl(caller.get(), Ids.uuid(id, "id"))
                .map(url -> RestResponse.ResponseBuilder.<Void>create(RestResponse.Status.FOUND)
                        .location(URI.create(url)).header("Cache-Control", "no-store").build());
    }

    @POST
    @Path("{id}/cancel")
    public Uni<Job> cancel(@PathParam("id") String id) {
        return jobs.cancel(caller.get(), Ids.uuid(id, "id"));
    }

    /** The notebook's progress report, authenticated by the job's secret (not a user token). */
    @POST
    @Path("{id}/events")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<JobEvent.Recorded>> report(@PathParam("id") String id,
                                                          @HeaderParam("X-Job-Secret") String secret,
                                                          Map<String, Object> event) {
        return progress.record(Ids.uuid(id, "id"), secret, event)
                .map(e -> RestResponse.status(RestResponse.Status.CREATED, e));
    }
}
