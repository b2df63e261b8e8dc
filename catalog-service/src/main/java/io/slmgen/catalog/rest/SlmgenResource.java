package io.slmgen.catalog.rest;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.slmgen.catalog.model.SlmgenRecommendation;
import io.slmgen.catalog.service.ModelValidationService;
import io.slmgen.catalog.service.SlmgenRecommendService;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;

/** The SLMGEN v1 routes this service owns (SPEC §15); errors render as FastAPI's {detail}. */
@Path("/slmgen")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SlmgenResource {

    @Inject
    SlmgenRecommendService recommend;
    @Inject
    ModelValidationService validations;
    @Inject
    CurrentCaller caller;

    @POST
    @Path("recommend")
    public Uni<SlmgenRecommendation> recommend(SlmgenRecommendRequest request) {
        if (request == null || request.session_id() == null) {
            throw ApiError.VALIDATION_FAILED.exception("Field required: session_id").field("session_id");
        }
        return recommend.recommend(caller.get(), request.session_id(), request.task(), request.deployment());
    }

    /**
     * SLMGEN's "Use a Custom Model → Validate": {@code {model_id}} → its ValidateModelResponse. No token
     * needed (the app sends none). 404 unknown, 400 malformed, 503 hub unreachable, all {detail}.
     */
    @POST
    @Path("validate-model")
    public Uni<Map<String, Object>> validateModel(Map<String, Object> body) {
        return validations.validate(caller.get(), modelIdOf(body)).map(v -> v.slmgenBody());
    }

    /** pydantic's {@code model_id: str}: required and a string (a number is not coerced). */
    static String modelIdOf(Map<String, Object> body) {
        Object id = body == null ? null : body.get("model_id");
        if (id == null) {
            throw ApiError.VALIDATION_FAILED.exception("Field required: model_id").field("model_id");
        }
        if (!(id instanceof String s)) {
            throw ApiError.VALIDATION_FAILED.exception("model_id: Input should be a valid string").field("model_id");
        }
        return s;
    }
}
