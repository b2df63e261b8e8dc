package io.slmgen.catalog.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.slmgen.catalog.client.DatasetsClient;
import io.slmgen.catalog.recommend.CatalogModel;
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
import io.vertx.mutiny.sqlclient.Row;

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

    public Uni<Map<String, Object>> recommend(Caller caller, UUID datasetId, String task, String target) {
        caller.requireUser();
        requireChoice("task_type", task, CatalogService.TASKS);
        requireChoice("deployment_target", target, CatalogService.TARGETS);
        return datasets.get(datasetId.toString())
                .onFailure().transform(RecommendationService::datasetFailure)
                .flatMap(row -> recommend(caller, profileOf(row), task, target))
                .map(body -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("dataset_id", datasetId.toString());
                    out.putAll(body);
                    return out;
                });
    }

    /** Scores the catalog for a dataset profile (also used where the stats are already at hand). */
    public Uni<Map<String, Object>> recommend(Caller caller, DatasetProfile profile, String task, String target) {
        return rank(caller, profile, task, target).map(ranked -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("task_type", task);
            out.put("deployment_target", target);
            out.put("primary", render(ranked.get(0)));
            out.put("alternatives", ranked.subList(1, Math.min(4, ranked.size())).stream()
                    .map(RecommendationService::render).toList());
            return out;
        });
    }

    /** Every visible catalog model scored for the profile, best first. */
    public Uni<List<ScoredModel>> rank(Caller caller, DatasetProfile profile, String task, String target) {
        requireChoice("task_type", task, CatalogService.TASKS);
        requireChoice("deployment_target", target, CatalogService.TARGETS);
        return tx.run(caller, models::allRows).map(rows -> {
            List<CatalogModel> catalog = rows.stream().map(RecommendationService::modelOf).toList();
            if (catalog.isEmpty()) {
                throw ApiError.SERVICE_UNAVAILABLE.exception("the model catalog is empty");
            }
            return scorer.rank(catalog, task, target, profile);
        });
    }

    static Map<String, Object> render(ScoredModel s) {
        CatalogModel m = s.model();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model_id", m.id());
        r.put("model_name", m.name());
        r.put("hf_model_id", m.hf_model_id());
        r.put("unsloth_model_id", m.unsloth_model_id());
        r.put("chat_template", m.chat_template());
        r.put("load_in_4bit", m.load_in_4bit());
        r.put("architecture", m.architecture());
        r.put("size", m.size());
        r.put("context_window", m.context_window());
        r.put("vram_required_gb", m.vram_required_gb());
        r.put("is_gated", m.is_gated());
        r.put("score", (double) s.score());
        r.put("reasons", s.reasons());
        r.put("estimated_training_minutes", s.estimated_training_minutes());
        return r;
    }

    static CatalogModel modelOf(Row r) {
        return new CatalogModel(r.getString("id"), r.getString("name"), r.getString("size"),
                r.getInteger("context_window"), r.getBoolean("is_gated"), List.of(r.getArrayOfStrings("strengths")),
                List.of(r.getArrayOfStrings("good_for_tasks")), List.of(r.getArrayOfStrings("good_for_deploy")),
                r.getInteger("min_examples"), r.getString("hf_model_id"), r.getString("unsloth_model_id"),
                r.getString("chat_template"), r.getBoolean("load_in_4bit"), r.getString("architecture"),
                r.getDouble("vram_required_gb"));
    }

    public static DatasetProfile profileOf(Map<String, Object> row) {
        return new DatasetProfile(intOf(row.get("total_examples")), intOf(row.get("avg_tokens_per_example")),
                Boolean.TRUE.equals(row.get("is_multilingual")), Boolean.TRUE.equals(row.get("looks_like_json")),
                Boolean.TRUE.equals(row.get("is_multi_turn")));
    }

    private static int intOf(Object o) {
        return o instanceof Number n ? n.intValue() : 0;
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
