package io.slmgen.catalog.rest;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.slmgen.catalog.model.Recommendation;
import io.slmgen.catalog.model.RecommendationRequest;
import io.slmgen.catalog.service.RecommendationService;
import io.slmgen.shared.api.Ids;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;

@Path("/api/recommendations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RecommendationResource {

    @Inject
    RecommendationService recommendations;
    @Inject
    CurrentCaller caller;

    @POST
    public Uni<Recommendation> recommend(@Valid RecommendationRequest request) {
        if (request == null) {
            throw ApiError.VALIDATION_FAILED.exception(
                    "a JSON body with dataset_id, task_type and deployment_target is required").field("dataset_id");
        }
        return recommendations.recommend(caller.get(), Ids.uuid(request.dataset_id(), "dataset_id"),
                request.task_type(), request.deployment_target());
    }
}
