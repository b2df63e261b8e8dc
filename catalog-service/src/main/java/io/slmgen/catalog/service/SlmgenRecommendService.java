package io.slmgen.catalog.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.slmgen.catalog.client.DatasetStats;
import io.slmgen.catalog.client.DatasetsClient;
import io.slmgen.catalog.model.SlmgenRecommendation;
import io.slmgen.catalog.recommend.ScoredModel;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.identity.Caller;
import io.slmgen.shared.slmgen.SessionResolver;
import io.smallrye.mutiny.Uni;

/**
 * SLMGEN v1's {@code POST /recommend} (SPEC §15) on the same scorer as /api/recommendations: the
 * session's dataset is read as its owner, the catalog ranked, and the session remembers the task,
 * target, primary and every model's score for generate-notebook.
 */
@ApplicationScoped
public class SlmgenRecommendService {

    public static final String SESSION_NOT_FOUND = "Session not found, expired, or access denied. Please upload again.";

    private final SessionResolver sessions;
    private final RecommendationService recommendations;
    private final DatasetsClient datasets;

    public SlmgenRecommendService(SessionResolver sessions, RecommendationService recommendations,
                                  @RestClient DatasetsClient datasets) {
        this.sessions = sessions;
        this.recommendations = recommendations;
        this.datasets = datasets;
    }

    public Uni<SlmgenRecommendation> recommend(Caller current, String sessionId, String task, String deployment) {
        RecommendationService.requireChoice("task", task, CatalogService.TASKS);
        RecommendationService.requireChoice("deployment", deployment, CatalogService.TARGETS);
        return sessions.callerFor(current, sessionId, SESSION_NOT_FOUND).flatMap(caller -> {
            String auth = caller.authorizationHeader().orElse(null);
            return datasets.bySession(sessionId, auth, caller.apikey())
                    .onFailure(WebApplicationException.class).transform(SlmgenRecommendService::notFoundOr)
                    .flatMap(dataset -> recommendations.rank(caller, dataset.profile(), task, deployment)
                            .flatMap(ranked -> remember(dataset, ranked, task, deployment, auth, caller)
                                    .replaceWith(SlmgenRecommendation.of(ranked))));
        });
    }

    private Uni<Map<String, Object>> remember(DatasetStats dataset, List<ScoredModel> ranked, String task,
                                              String deployment, String auth, Caller caller) {
        Map<String, Object> scores = new LinkedHashMap<>();
        ranked.forEach(s -> scores.put(s.model().id(), (double) s.score()));
        Map<String, Object> selection = new LinkedHashMap<>();
        selection.put("task", task);
        selection.put("deployment", deployment);
        selection.put("model_id", ranked.get(0).model().id());
        selection.put("scores", scores);
        return datasets.select(String.valueOf(dataset.id()), selection, auth, caller.apikey())
                .onFailure(WebApplicationException.class).transform(SlmgenRecommendService::notFoundOr);
    }

    static Throwable notFoundOr(Throwable t) {
        int status = ((WebApplicationException) t).getResponse().getStatus();
        if (status == 404 || status == 403) {
            return ApiError.NOT_FOUND.exception(SESSION_NOT_FOUND);
        }
        return ApiError.SERVICE_UNAVAILABLE.exception("datasets-service answered " + status);
    }
}
