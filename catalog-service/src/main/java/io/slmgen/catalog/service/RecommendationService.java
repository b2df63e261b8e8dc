package io.slmgen.catalog.service;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.slmgen.catalog.client.DatasetsClient;
import io.slmgen.catalog.model.Recommendation;
import io.slmgen.catalog.recommend.DatasetProfile;
import io.slmgen.catalog.recommend.ModelScorer;
import io.slmgen.catalog.recommend.ScoredModel;
import io.slmgen.catalog.recommend.ScoringRules;
import io.slmgen.catalog.repository.ModelRepository;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.db.DbErrors;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;

/**
 * Recommendations (SPEC §5, §8.5): the dataset's stats come from datasets-service with the caller's
 * token (so a foreign dataset is simply not found), the models from the catalog as the caller, and
 * SLMGEN's scorer ranks them.
 */
@ApplicationScoped
public class RecommendationService {

    private final CallerTransactions tx;
    private final ModelRepository models;
    private final DatasetsClient datasets;
    private final ModelScorer scorer = new ModelScorer(ScoringRules.SLMGEN);

    public RecommendationService(CallerTransactions tx, ModelRepository models, @RestClient DatasetsClient datasets) {
        this.tx = tx;
        this.models = models;
        this.datasets = datasets;
    }

    public Uni<Recommendation> recommend(Caller caller, UUID datasetId, String task, String target) {
        caller.requireUser();
        requireChoice("task_type", task, CatalogService.TASKS);
        requireChoice("deployment_target", target, CatalogService.TARGETS);
        return datasets.get(datasetId.toString())
                .onFailure().transform(RecommendationService::datasetFailure)
                .flatMap(dataset -> rank(caller, dataset.profile(), task, target))
                .map(ranked -> Recommendation.of(datasetId.toString(), task, target, ranked));
    }

    /** Every visible catalog model scored for the profile, best first. */
    public Uni<List<ScoredModel>> rank(Caller caller, DatasetProfile profile, String task, String target) {
        requireChoice("task_type", task, CatalogService.TASKS);
        requireChoice("deployment_target", target, CatalogService.TARGETS);
        return tx.inSession(caller, models::all).map(catalog -> {
            if (catalog.isEmpty()) {
                throw ApiError.SERVICE_UNAVAILABLE.exception("the model catalog is empty");
            }
            return scorer.rank(catalog, task, target, profile);
        });
    }

    static void requireChoice(String field, String value, java.util.Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw ApiError.VALIDATION_FAILED.exception(field + " must be one of " + allowed.stream().sorted().toList())
                    .field(field);
        }
    }

    static Throwable datasetFailure(Throwable t) {
        if (t instanceof WebApplicationException w) {
            int s = w.getResponse().getStatus();
            if (s == 404 || s == 403) {
                return ApiError.NOT_FOUND.exception("no such dataset").field("dataset_id");
            }
            if (s == 401) {
                return ApiError.NO_AUTHORIZATION.exception("datasets-service refused the token");
            }
            return ApiError.SERVICE_UNAVAILABLE.exception("datasets-service answered " + s);
        }
        if (t instanceof ApiException) {
            return t;
        }
        if (DbErrors.isConnectivity(t) || t instanceof java.net.ConnectException) {
            return ApiError.SERVICE_UNAVAILABLE.exception("datasets-service is unreachable");
        }
        return ApiError.SERVICE_UNAVAILABLE.exception("datasets-service failed: " + t.getClass().getSimpleName());
    }
}
