package io.slmgen.catalog.rest;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.slmgen.catalog.service.SlmgenRecommendService;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;

/** The SLMGEN v1 route this service owns (SPEC §15); errors render as FastAPI's {detail}. */
@Path("/slmgen")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SlmgenResource {

    private final SlmgenRecommendService recommend;
    private final CurrentCaller caller;

    public SlmgenResource(SlmgenRecommendService recommend, CurrentCaller caller) {
        this.recommend = recommend;
        this.caller = caller;
    }

    @POST
    @Path("recommend")
    public Uni<Map<String, Object>> recommend(SlmgenRecommendRequest request) {
        if (request == null || request.session_id() == null) {
            throw ApiException.invalidField("session_id", "Field required: session_id");
        }
        return recommend.recommend(caller.get(), request.session_id(), request.task(), request.deployment());
    }
}
