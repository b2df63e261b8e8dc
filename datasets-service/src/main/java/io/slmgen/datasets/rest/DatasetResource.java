package io.slmgen.datasets.rest;

import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import io.slmgen.datasets.config.DatasetsConfig;
import io.slmgen.datasets.model.Dataset;
import io.slmgen.datasets.model.DatasetPreview;
import io.slmgen.datasets.model.SessionOwnerAnswer;
import io.slmgen.datasets.service.DatasetService;
import io.slmgen.datasets.upload.Uploads;
import io.slmgen.shared.api.Ids;
import io.slmgen.shared.api.Page;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.identity.Caller;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** /api/datasets (SPEC §6). */
@Path("/api/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {

    @Inject
    DatasetService datasets;
    @Inject
    CurrentCaller caller;
    @Inject
    DatasetsConfig config;
    @Inject
    Uploads uploads;

    /**
     * Upload: multipart ({@code file}) or raw {@code application/x-ndjson} with {@code ?filename=}. No
     * body parameter on purpose: the body is not read by the framework but streamed by
     * the upload pipeline ({@link Uploads}) straight from the connection.
     */
    @POST
    @RolesAllowed("authenticated")
    public Uni<RestResponse<Dataset>> upload(@Context HttpServerRequest request,
                                                         @QueryParam("filename") String filename) {
        Caller who = caller.get();
        return uploads.receive(request, filename, who)
                .flatMap(upload -> datasets.create(who, upload))
                .map(row -> RestResponse.status(RestResponse.Status.CREATED, row));
    }

    @GET
    public Uni<Page<Dataset>> list(@QueryParam("limit") Integer limit, @QueryParam("offset") Integer offset) {
        return datasets.list(caller.get(), limit, offset);
    }

    @GET
    @Path("{id}")
    public Uni<Dataset> get(@PathParam("id") String id) {
        return datasets.get(caller.get(), Ids.uuid(id, "id"));
    }

    @GET
    @Path("by-session/{session_id}")
    @RolesAllowed("authenticated")
    public Uni<Dataset> bySession(@PathParam("session_id") String sessionId) {
        return datasets.bySession(caller.get(), sessionId);
    }

    /** The first {@code limit} valid examples (after {@code offset}), streamed from storage. */
    @GET
    @Path("{id}/preview")
    public Uni<DatasetPreview> preview(@PathParam("id") String id, @QueryParam("limit") Integer limit,
                                            @QueryParam("offset") Long offset) {
        int l = limit == null ? 5 : limit;
        long o = offset == null ? 0 : offset;
        if (l < 1 || l > config.previewMax()) {
            throw ApiError.VALIDATION_FAILED.exception("limit must be between 1 and " + config.previewMax())
                    .field("limit");
        }
        if (o < 0) {
            throw ApiError.VALIDATION_FAILED.exception("offset must be 0 or more").field("offset");
        }
        return datasets.preview(caller.get(), Ids.uuid(id, "id"), l, o, config.maxLineBytes());
    }

    @DELETE
    @Path("{id}")
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id) {
        return datasets.delete(caller.get(), Ids.uuid(id, "id")).map(v -> RestResponse.noContent());
    }

    /** Links the job created for this dataset: {@code {"job_id": "<the allocated id>"}}. */
    @PUT
    @Path("{id}/job")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Dataset> linkJob(@PathParam("id") String id, JobLink body) {
        if (body == null || body.job_id() == null) {
            throw ApiError.VALIDATION_FAILED.exception("job_id is required").field("job_id");
        }
        return datasets.linkJob(caller.get(), Ids.uuid(id, "id"), Ids.uuid(body.job_id(), "job_id"));
    }

    public record JobLink(String job_id) {
    }

    /** SLMGEN session owner lookup (service_role only, SPEC §15): used by shared-jwt's SessionResolver. */
    @GET
    @Path("session-owner/{session_id}")
    @RolesAllowed("service_role")
    public Uni<SessionOwnerAnswer> sessionOwner(@PathParam("session_id") String sessionId) {
        return datasets.sessionOwner(caller.get(), sessionId);
    }

    /**
     * Remembers the session's last recommendation: {@code {"task", "deployment", "model_id" (catalog id),
     * "scores": {catalogId: number}}}; answers the updated row.
     */
    @PUT
    @Path("{id}/selection")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Dataset> select(@PathParam("id") String id, Selection body) {
        if (body == null) {
            throw ApiError.VALIDATION_FAILED.exception("a JSON body {task, deployment, model_id, scores} is required")
                    .field("task");
        }
        return datasets.select(caller.get(), Ids.uuid(id, "id"), body.task(), body.deployment(), body.model_id(),
                body.scores());
    }

    public record Selection(String task, String deployment, String model_id, Map<String, Object> scores) {
    }
}
