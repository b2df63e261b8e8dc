package io.slmgen.datasets.rest;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.slmgen.datasets.config.DatasetsConfig;
import io.slmgen.datasets.model.SlmgenAnalysis;
import io.slmgen.datasets.analysis.SlmgenDistribution;
import io.slmgen.datasets.model.SlmgenDuplicates;
import io.slmgen.datasets.model.SlmgenExamplePage;
import io.slmgen.datasets.model.SlmgenUpload;
import io.slmgen.datasets.service.AnonymousUsers;
import io.slmgen.datasets.service.DatasetService;
import io.slmgen.datasets.service.SlmgenSessions;
import io.slmgen.datasets.upload.Uploads;
import io.slmgen.shared.error.ApiError;
import io.slmgen.datasets.service.DatasetsError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.Caller;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * The SLMGEN v1 routes this service owns (SPEC §15): upload, analyze, preview. Thin adapters over the
 * /api upload, analysis and preview code; errors render as FastAPI's {@code {"detail"}} with SLMGEN's
 * statuses and texts. Without a token the upload belongs to a new anonymous user (expiring after
 * {@code slmgen.anonymous-ttl}); the other routes follow {@link SlmgenSessions}' session rule.
 */
@Path("/slmgen")
@Produces(MediaType.APPLICATION_JSON)
public class SlmgenResource {

    @Inject
    DatasetService datasets;
    @Inject
    SlmgenSessions sessions;
    @Inject
    AnonymousUsers anonymousUsers;
    @Inject
    CurrentCaller caller;
    @Inject
    DatasetsConfig config;
    @Inject
    Uploads uploads;
    @ConfigProperty(name = "slmgen.anonymous-ttl", defaultValue = "24h")
    Duration anonymousTtl;

    /** multipart/form-data, part {@code file}; streamed like /api/datasets (no body parameter on purpose). */
    @POST
    @Path("upload")
    public Uni<SlmgenUpload> upload(@Context HttpServerRequest request) {
        Caller current = caller.get();
        boolean anonymous = !current.isUser();
        AtomicReference<Caller> created = new AtomicReference<>();
        Supplier<Uni<Caller>> owner = anonymous
                ? () -> anonymousUsers.create(request).invoke(created::set)
                : () -> Uni.createFrom().item(current);
        return uploads.receive(request, null, owner)
                .onFailure(ApiException.class).transform(e -> uploadError((ApiException) e))
                .flatMap(upload -> anonymous
                        ? datasets.create(created.get(), upload, true, OffsetDateTime.now(ZoneOffset.UTC).plus(anonymousTtl))
                        : datasets.create(current, upload))
                .onFailure().invoke(err -> {
                    if (created.get() != null) {
                        anonymousUsers.deleteQuietly(created.get().userId());
                    }
                })
                .map(row -> new SlmgenUpload(row.sessionId(), SlmgenSessions.stats(row),
                        "Dataset uploaded! Found " + row.totalExamples() + " examples."));
    }

    /** /api's upload errors with SLMGEN's statuses and texts. */
    private ApiException uploadError(ApiException e) {
        switch (e.code()) {
            case "invalid_file_type":
                return DatasetsError.INVALID_FILE_TYPE_V1.exception();
            case "not_enough_examples":
                return DatasetsError.NOT_ENOUGH_EXAMPLES_V1.exception(e.getMessage());
            case "payload_too_large":
                return ApiError.PAYLOAD_TOO_LARGE.exception("File too large. Maximum size is "
                        + config.maxUploadSize().asLongValue() / (1024 * 1024) + "MB");
            case "too_many_examples":
                return DatasetsError.TOO_MANY_EXAMPLES.exception("Too many examples. Maximum is "
                        + config.maxExamples() + " examples per upload.");
            case "unsupported_media_type":
                return ApiError.VALIDATION_FAILED.exception("Field required: file (send multipart/form-data)")
                        .field("file");
            default:
                if ("filename".equals(e.field())) {
                    return DatasetsError.INVALID_FILE_TYPE_V1.exception();
                }
                if ("file".equals(e.field())) {
                    return ApiError.VALIDATION_FAILED.exception("Field required: file").field("file");
                }
                return e;
        }
    }

    @POST
    @Path("analyze")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<SlmgenAnalysis> analyze(SessionRequest body) {
        if (body == null || body.session_id() == null) {
            throw ApiError.VALIDATION_FAILED.exception("Field required: session_id").field("session_id");
        }
        return sessions.analyze(caller.get(), body.session_id());
    }

    public record SessionRequest(String session_id) {
    }

    @GET
    @Path("preview/{session_id}")
    public Uni<SlmgenExamplePage> preview(@PathParam("session_id") String sessionId, @QueryParam("page") String page,
                                            @QueryParam("page_size") String pageSize) {
        return sessions.preview(caller.get(), sessionId, intParam("page", page, 1), intParam("page_size", pageSize, 5));
    }

    @GET
    @Path("preview/{session_id}/distribution")
    public Uni<SlmgenDistribution> distribution(@PathParam("session_id") String sessionId) {
        return sessions.distribution(caller.get(), sessionId);
    }

    @GET
    @Path("preview/{session_id}/duplicates")
    public Uni<SlmgenDuplicates> duplicates(@PathParam("session_id") String sessionId) {
        return sessions.duplicates(caller.get(), sessionId);
    }

    /** FastAPI's int query parameters: absent → default, not an integer → 422. */
    static int intParam(String name, String value, int dflt) {
        if (value == null || value.isEmpty()) {
            return dflt;
        }
        try {
            long v = Long.parseLong(value.trim());
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        } catch (NumberFormatException e) {
            throw ApiError.VALIDATION_FAILED.exception("Input should be a valid integer: " + name).field(name);
        }
    }
}
