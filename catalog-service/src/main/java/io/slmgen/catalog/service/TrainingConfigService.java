package io.slmgen.catalog.service;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Validator;

import io.slmgen.catalog.model.NewTrainingConfig;
import io.slmgen.catalog.model.TrainingConfig;
import io.slmgen.catalog.model.TrainingConfigChange;
import io.slmgen.catalog.model.TrainingConfigEntity;
import io.slmgen.catalog.repository.TrainingConfigRepository;
import io.slmgen.shared.api.Page;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.error.ValidationErrors;
import io.slmgen.shared.identity.Caller;
import io.slmgen.shared.training.TrainingRules;
import io.slmgen.shared.training.TrainingValues;
import io.smallrye.mutiny.Uni;

/**
 * Training configs (SPEC §5): a user lists their own and the system presets, and changes only their
 * own. The seed's policies enforce that in PostgreSQL; the checks here give the caller a precise answer
 * (403 for a preset, 404 for what they cannot see) and keep at most one default per user.
 * <p>
 * A request record's constraints are checked here, after the caller is known (an anonymous caller gets
 * its 401 whatever the body), and before the hand-written rules, in the order the answers always had.
 */
@ApplicationScoped
public class TrainingConfigService {

    @Inject
    CallerTransactions tx;
    @Inject
    TrainingConfigRepository configs;
    @Inject
    Validator validator;

    public Uni<Page<TrainingConfig>> list(Caller caller, Integer limit, Integer offset) {
        caller.requireUser();
        int[] b = Page.bounds(limit == null ? Page.MAX_LIMIT : limit, offset);
        return tx.inSession(caller, () -> configs.listVisible(b[0], b[1])
                .flatMap(items -> configs.count().map(total ->
                        new Page<>(items.stream().map(TrainingConfig::of).toList(), total, b[0], b[1]))));
    }

    public Uni<TrainingConfig> get(Caller caller, UUID id) {
        caller.requireUser();
        return tx.inSession(caller, () -> configs.find(id)).map(found -> TrainingConfig.of(found.orElseThrow(() -> notFound(id))));
    }

    public Uni<TrainingConfig> create(Caller caller, NewTrainingConfig input) {
        UUID user = caller.requireUser();
        if (input == null) {
            throw ApiError.VALIDATION_FAILED.exception("a JSON body with at least a name is required").field("name");
        }
        validate(input);
        String name = checkName(input.name(), true);
        TrainingValues values = TrainingValues.DEFAULTS.with(input.values());
        TrainingRules.check(values);
        boolean isDefault = Boolean.TRUE.equals(input.is_default());
        TrainingConfigEntity row = new TrainingConfigEntity();
        row.userId = user;
        row.name = name;
        row.isDefault = isDefault;
        row.isSystem = false;
        row.setValues(values);
        return tx.inSession(caller, () -> (isDefault ? configs.clearDefault(user, null) : Uni.createFrom().item(0))
                .chain(() -> configs.insert(row))
                .map(TrainingConfig::of));
    }

    /** Partial update: absent fields keep their value. */
    public Uni<TrainingConfig> update(Caller caller, UUID id, TrainingConfigChange input) {
        UUID user = caller.requireUser();
        if (input == null) {
            throw ApiError.VALIDATION_FAILED_BAD_REQUEST.exception("a JSON body is required");
        }
        TrainingRules.check(input.values());
        String newName = input.name() == null ? null : checkName(input.name(), true);
        return tx.inSession(caller, () -> configs.find(id).flatMap(found -> {
            TrainingConfigEntity row = found.orElseThrow(() -> notFound(id));
            TrainingConfig current = TrainingConfig.of(row);
            requireOwnEditable(current);
            TrainingValues merged = current.values().with(input.values());
            TrainingRules.check(merged);
            boolean isDefault = input.is_default() != null ? input.is_default() : Boolean.TRUE.equals(current.is_default());
            return (isDefault ? configs.clearDefault(user, id) : Uni.createFrom().item(0)).chain(() -> {
                row.name = newName != null ? newName : current.name();
                row.isDefault = isDefault;
                row.setValues(merged);
                return configs.save(row);
            }).map(TrainingConfig::of);
        }));
    }

    public Uni<Void> delete(Caller caller, UUID id) {
        caller.requireUser();
        return tx.inSession(caller, () -> configs.find(id).flatMap(found -> {
            requireOwnEditable(TrainingConfig.of(found.orElseThrow(() -> notFound(id))));
            return configs.delete("id", id).map(n -> n > 0); // one statement, never deleteById (shared-rls README)
        })).map(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
            return null;
        });
    }

    /**
     * The values a job uses: the named config (if visible to the caller), else the caller's default,
     * else the Balanced preset. Exposed for jobs-service through {@code /api/training-configs/resolve}.
     */
    public Uni<TrainingConfig> resolve(Caller caller, Optional<UUID> configId) {
        UUID user = caller.requireUser();
        return tx.inSession(caller, () -> pick(user, configId)).map(TrainingConfig::of);
    }

    private Uni<TrainingConfigEntity> pick(UUID user, Optional<UUID> configId) {
        if (configId.isPresent()) {
            return configs.find(configId.get()).map(f -> f.orElseThrow(() -> notFound(configId.get())));
        }
        return configs.findDefault(user).flatMap(d -> d.isPresent() ? Uni.createFrom().item(d.get())
                : configs.findSystemPreset("Balanced").map(p -> p.orElseThrow(
                        () -> ApiError.SERVICE_UNAVAILABLE.exception("the Balanced preset is missing"))));
    }

    private void validate(Object request) {
        var violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw ValidationErrors.toApiException(violations);
        }
    }

    private static void requireOwnEditable(TrainingConfig config) {
        if (config.preset()) {
            throw CatalogError.SYSTEM_PRESET_IMMUTABLE.exception();
        }
    }

    private static String checkName(String name, boolean required) {
        if (name == null || name.isBlank()) {
            if (required) {
                throw ApiError.VALIDATION_FAILED.exception("name must not be empty").field("name");
            }
            return null;
        }
        String trimmed = name.strip();
        if (trimmed.length() > 100) {
            throw ApiError.VALIDATION_FAILED.exception("name must be at most 100 characters").field("name");
        }
        if (trimmed.chars().anyMatch(ch -> ch < 0x20)) {
            throw ApiError.VALIDATION_FAILED.exception("name must not contain control characters").field("name");
        }
        return trimmed;
    }

    private static ApiException notFound(UUID id) {
        return ApiError.NOT_FOUND.exception("no training config with id " + id);
    }
}
