package io.slmgen.jobs.service;

import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.slmgen.jobs.client.CatalogClient;
import io.slmgen.jobs.client.CatalogModel;
import io.slmgen.jobs.client.Headers;
import io.slmgen.jobs.client.ModelValidation;
import io.slmgen.jobs.client.ModelValidationClient;
import io.slmgen.jobs.client.Requests;
import io.slmgen.jobs.client.Upstream;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;

/**
 * The model a job is made for: a catalog id ("qwen25") is the catalog's row; a Hugging Face id
 * ("owner/name") is validated by catalog-service on every use - the client's word that it was validated
 * is never taken - and is then either the catalog model it names or a custom model, if Unsloth can
 * fine-tune it (SPEC §15). The answer has a catalog row's shape, so the job is built the same way:
 * a custom model's {@code id} and {@code hf_model_id} are its Hugging Face id, the notebook loads that
 * id, in 4-bit, with the tokenizer's own chat template; {@code custom} is true.
 */
@ApplicationScoped
public class ModelResolver {

    private final CatalogClient catalog;
    private final ModelValidationClient validation;

    public ModelResolver(@RestClient CatalogClient catalog, @RestClient ModelValidationClient validation) {
        this.catalog = catalog;
        this.validation = validation;
    }

    /** A Hugging Face id has an owner; catalog ids never contain '/'. */
    public static boolean isHubId(String modelId) {
        return modelId != null && modelId.indexOf('/') > 0;
    }

    /**
     * The model for {@code modelId}, as {@code caller}. {@code invalid} turns "no such model" (its text)
     * into the caller's error; an unreachable catalog or hub stays a 503.
     */
    public Uni<CatalogModel> model(Caller caller, String modelId, Function<String, ApiException> invalid) {
        if (isHubId(modelId)) {
            return validated(caller, modelId, invalid);
        }
        return catalogModel(caller, modelId, invalid);
    }

    /** A Hugging Face id checked by catalog-service: its catalog model, or a compatible custom model. */
    public Uni<CatalogModel> validated(Caller caller, String hfModelId, Function<String, ApiException> invalid) {
        return validation.validate(Headers.authorization(caller), Headers.apikey(caller), new Requests.ValidateModel(hfModelId))
                .onFailure(WebApplicationException.class).transform(t -> refused((WebApplicationException) t, invalid))
                .onFailure(f -> !(f instanceof ApiException)).transform(t -> Upstream.translate(t, "catalog-service", null))
                .flatMap(v -> {
                    if (v.catalogId() != null) {
                        return catalogModel(caller, v.catalogId(), invalid);
                    }
                    if (!Boolean.TRUE.equals(v.isCompatible())) {
                        throw invalid.apply(String.valueOf(v.compatibilityReason()));
                    }
                    return Uni.createFrom().item(custom(hfModelId, v));
                });
    }

    /**
     * catalog-service said no: malformed (400/422) or not on the hub (404) is an invalid model; a hub it
     * could not reach (503) stays a 503 with its text; anything else is catalog-service failing.
     */
    static Throwable refused(WebApplicationException w, Function<String, ApiException> invalid) {
        int status = w.getResponse().getStatus();
        String message = messageOf(w.getResponse());
        if (status == 400 || status == 404 || status == 422) {
            return invalid.apply(message != null ? message : "model not found");
        }
        if (status == 503) {
            return ApiError.SERVICE_UNAVAILABLE.exception(message != null ? message : "catalog-service is unavailable");
        }
        return Upstream.translate(w, "catalog-service", invalid);
    }

    @SuppressWarnings("unchecked")
    private static String messageOf(Response r) {
        try {
            r.bufferEntity();
            Map<String, Object> body = r.readEntity(Map.class);
            Object m = body == null ? null : body.get("message");
            return m instanceof String s && !s.isBlank() ? s : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Uni<CatalogModel> catalogModel(Caller caller, String id, Function<String, ApiException> invalid) {
        return catalog.model(id, Headers.authorization(caller), Headers.apikey(caller))
                .onFailure().transform(Upstream.failure("catalog-service", invalid));
    }

    /** A validated custom model in a catalog row's shape. */
    static CatalogModel custom(String hfModelId, ModelValidation v) {
        String name = v.name() != null && !v.name().isBlank() ? v.name() : hfModelId.substring(hfModelId.indexOf('/') + 1);
        return new CatalogModel(hfModelId, name, hfModelId, hfModelId, null, true, Boolean.TRUE.equals(v.isGated()),
                v.architecture(), v.size(), v.contextWindow(), null, v.parameters(), true);
    }
}
