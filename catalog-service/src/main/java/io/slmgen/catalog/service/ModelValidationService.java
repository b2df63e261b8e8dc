package io.slmgen.catalog.service;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.logging.Logger;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.slmgen.catalog.client.HubClient;
import io.slmgen.catalog.client.HubClient.HubResponse;
import io.slmgen.catalog.config.HubConfig;
import io.slmgen.catalog.hub.HubAnswers;
import io.slmgen.catalog.hub.HubAnswers.ConfigAccess;
import io.slmgen.catalog.hub.HubModelId;
import io.slmgen.catalog.hub.ModelValidation;
import io.slmgen.catalog.repository.ModelRepository;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;

/**
 * SLMGEN's custom-model validation (SPEC §15): is this Hugging Face id a model Unsloth can fine-tune?
 * A catalog model is answered from its row; any other id is looked up on the hub ({@code HF_ENDPOINT})
 * once per cache period - answers, "not found" included, are kept in the bounded "hub-models" cache;
 * failures (hub down, slow, rate-limiting us) are not, and are a 503.
 */
@ApplicationScoped
public class ModelValidationService {

    private static final Logger LOG = Logger.getLogger(ModelValidationService.class);

    public static final String INVALID_ID = "Invalid model_id: expected a Hugging Face model id like 'owner/name' "
            + "(letters, digits, '-', '_' and '.', at most " + HubModelId.MAX_LENGTH + " characters)";
    public static final String HUB_UNAVAILABLE = "Could not reach the Hugging Face Hub to validate the model. Please try again.";
    static final String BUSY = "Too many model validations in progress. Please try again.";

    /** A cached lookup: the model, or the text of SLMGEN's 404 for it. */
    record Lookup(ModelValidation model, String notFound) {
    }

    private final CallerTransactions tx;
    private final ModelRepository models;
    private final HubClient hub;
    private final HubConfig config;
    private final Cache cache;
    private final ObjectMapper json;
    private final AtomicInteger inFlight = new AtomicInteger();

    public ModelValidationService(CallerTransactions tx, ModelRepository models, HubClient hub, HubConfig config,
                                  @CacheName("hub-models") Cache cache, ObjectMapper json) {
        this.tx = tx;
        this.models = models;
        this.hub = hub;
        this.config = config;
        this.cache = cache;
        this.json = json;
    }

    /** The id is checked before anything else: a malformed one is a 400 and causes no outbound request. */
    public Uni<ModelValidation> validate(Caller caller, String rawId) {
        HubModelId id = HubModelId.parse(rawId).orElseThrow(() -> CatalogError.INVALID_MODEL_ID.exception(INVALID_ID));
        return tx.inSession(caller, () -> models.findByHfModelId(id.id()))
                .flatMap(row -> row.filter(m -> m.architecture() != null)
                        .map(r -> Uni.createFrom().item(HubAnswers.fromCatalog(id.id(), r)))
                        .orElseGet(() -> fromHub(id)));
    }

    private Uni<ModelValidation> fromHub(HubModelId id) {
        return cache.<String, Lookup>getAsync(id.id(), key -> lookup(id)).map(l -> {
            if (l.model() == null) {
                throw ApiError.NOT_FOUND.exception(l.notFound());
            }
            return l.model();
        });
    }

    /** Model info and config.json, asked at once, within one time bound. */
    private Uni<Lookup> lookup(HubModelId id) {
        if (inFlight.incrementAndGet() > config.maxConcurrentLookups()) {
            inFlight.decrementAndGet();
            return Uni.createFrom().failure(ApiError.SERVICE_UNAVAILABLE.exception(BUSY));
        }
        return Uni.combine().all().unis(hub.modelInfo(id), hub.config(id)).asTuple()
                .ifNoItem().after(config.timeout()).failWith(() -> new TimeoutException("the hub took longer than " + config.timeout()))
                .map(t -> interpret(id, t.getItem1(), t.getItem2()))
                .onFailure(f -> !(f instanceof ApiException)).transform(f -> {
                    LOG.warnf("Hugging Face Hub lookup of %s failed: %s", id, describe(f));
                    return ApiError.SERVICE_UNAVAILABLE.exception(HUB_UNAVAILABLE);
                })
                .onTermination().invoke(inFlight::decrementAndGet);
    }

    /** What the two answers mean, as SLMGEN's registry reads them (huggingface_hub's error classes). */
    Lookup interpret(HubModelId id, HubResponse info, HubResponse config) {
        if (!info.ok()) {
            int s = info.status();
            if ((s == 401 || s == 403) && "GatedRepo".equals(info.errorCode())) {
                return new Lookup(HubAnswers.gatedWithoutInfo(id), null);
            }
            if (s == 404 || s == 401 || "RepoNotFound".equals(info.errorCode())) {
                return new Lookup(null, "Model '" + id.id() + "' not found on Hugging Face Hub");
            }
            if (s == 429 || s >= 500) {
                throw hubFailed(id, "model info", s);
            }
            return new Lookup(null, "Failed to fetch model info: the Hugging Face Hub answered " + s);
        }
        JsonNode infoJson = parse(info).filter(JsonNode::isObject).orElseThrow(() -> hubFailed(id, "model info", info.status()));
        ConfigAccess access;
        JsonNode configJson = null;
        if (config.ok()) {
            configJson = parse(config).filter(JsonNode::isObject).orElse(null);
            access = configJson != null ? ConfigAccess.READ : ConfigAccess.MISSING;
        } else if (config.status() == 401 || config.status() == 403) {
            access = ConfigAccess.GATED;
        } else if (config.status() == 404 || config.status() == 410) {
            access = ConfigAccess.MISSING;
        } else {
            // a transient failure must not be cached as "architecture unknown"
            throw hubFailed(id, "config.json", config.status());
        }
        return new Lookup(HubAnswers.fromHub(id, infoJson, access, configJson), null);
    }

    private Optional<JsonNode> parse(HubResponse r) {
        if (r.body() == null || r.body().length() == 0) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(json.readTree(r.body().getBytes()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static ApiException hubFailed(HubModelId id, String what, int status) {
        LOG.warnf("Hugging Face Hub answered %d for the %s of %s", status, what, id);
        return ApiError.SERVICE_UNAVAILABLE.exception(HUB_UNAVAILABLE);
    }

    private static String describe(Throwable f) {
        return f.getClass().getSimpleName() + (f.getMessage() == null ? "" : ": " + f.getMessage());
    }
}
