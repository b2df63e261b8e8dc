package io.slmgen.catalog.service;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.catalog.repository.TrainingConfigRepository;
import io.slmgen.catalog.rest.TrainingConfigInput;
import io.slmgen.shared.api.Page;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.Caller;
import io.slmgen.shared.training.TrainingRules;
import io.slmgen.shared.training.TrainingValues;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Training configs (SPEC §5): a user lists their own and the system presets, and changes only their
 * own. The seed's policies enforce that in PostgreSQL; the checks here give the caller a precise answer
 * (403 for a preset, 404 for what they cannot see) and keep at most one default per user.
 */
@ApplicationScoped
public class TrainingConfigService {

    @Inject
    CallerTransactions tx;
    @Inject
    TrainingConfigRepository configs;

    public Uni<Page<Map<String, Object>>> list(Caller caller, Integer limit, Integer offset) {
        caller.requireUser();
        int[] b = Page.bounds(limit == null ? Page.MAX_LIMIT : limit, offset);
        return tx.run(caller, c -> configs.listVisible(c, b[0], b[1])
                .flatMap(items -> configs.countVisible(c).map(total -> new Page<>(items, total, b[0], b[1]))));
    }

    public Uni<Map<String, Object>> get(Caller caller, UUID id) {
        caller.requireUser();
        return tx.run(caller, c -> configs.find(c, id)).map(found -> found.orElseThrow(() -> notFound(id)));
    }

    public Uni<Map<String, Object>> create(Caller caller, TrainingConfigInput input) {
        UUID user = caller.requireUser();
        if (input == null) {
            throw ApiError.VALIDATION_FAILED.exception("a JSON body with at least a name is required").field("name");
        }
        String name = checkName(input.name(), true);
        TrainingValues values = TrainingValues.DEFAULTS.with(input.values());
        TrainingRules.check(values);
        boolean isDefault = Boolean.TRUE.equals(input.is_default());
        return tx.run(caller, c -> (isDefault ? configs.clearDefault(c, user, null) : Uni.createFrom().voidItem())
                .chain(() -> configs.insert(c, user, name, isDefault, values)));
    }

    /** Partial update: absent fields keep their value. */
    public Uni<Map<String, Object>> update(Caller caller, UUID id, TrainingConfigInput input) {
        UUID user = caller.requireUser();
        if (input == null) {
            throw ApiError.VALIDATION_FAILED_BAD_REQUEST.exception("a JSON body is required");
        }
        TrainingRules.check(input.values());
        String newName = input.name() == null ? null : checkName(input.name(), true);
        return tx.run(caller, c -> configs.find(c, id).flatMap(found -> {
            Map<String, Object> row = found.orElseThrow(() -> notFound(id));
            requireOwnEditable(row);
            TrainingValues merged = valuesOf(row).with(input.values());
            TrainingRules.check(merged);
            boolean isDefault = input.is_default() != null ? input.is_default() : Boolean.TRUE.equals(row.get("is_default"));
            String name = newName != null ? newName : (String) row.get("name");
            return (isDefault ? configs.clearDefault(c, user, id) : Uni.createFrom().voidItem())
                    .chain(() -> configs.update(c, id, name, isDefault, merged))
                    .map(updated -> updated.orElseThrow(() -> notFound(id)));
        }));
    }

    public Uni<Void> delete(Caller caller, UUID id) {
        caller.requireUser();
        return tx.run(caller, c -> configs.find(c, id).flatMap(found -> {
            requireOwnEditable(found.orElseThrow(() -> notFound(id)));
            return configs.delete(c, id);
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
    public Uni<Map<String, Object>> resolve(Caller caller, Optional<UUID> configId) {
        UUID user = caller.requireUser();
        return tx.run(caller, c -> pick(c, user, configId));
    }

    private Uni<Map<String, Object>> pick(SqlConnection c, UUID user, Optional<UUID> configId) {
        if (configId.isPresent()) {
            return configs.find(c, configId.get()).map(f -> f.orElseThrow(() -> notFound(configId.get())));
        }
        return configs.findDefault(c, user).flatMap(d -> d.isPresent() ? Uni.createFrom().item(d.get())
                : configs.findSystemPreset(c, "Balanced").map(p -> p.orElseThrow(
                        () -> ApiError.SERVICE_UNAVAILABLE.exception("the Balanced preset is missing"))));
    }

    public static TrainingValues valuesOf(Map<String, Object> row) {
        return new TrainingValues(intOf(row.get("lora_rank")), intOf(row.get("lora_alpha")),
                doubleOf(row.get("lora_dropout")), doubleOf(row.get("learning_rate")), intOf(row.get("num_epochs")),
                intOf(row.get("batch_size")), intOf(row.get("gradient_accumulation_steps")),
                doubleOf(row.get("warmup_ratio")), intOf(row.get("max_seq_length")), (String) row.get("optimizer"),
                (String) row.get("scheduler"));
    }

    private static void requireOwnEditable(Map<String, Object> row) {
        if (Boolean.TRUE.equals(row.get("is_system"))) {
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

    private static Integer intOf(Object o) {
        return o == null ? null : ((Number) o).intValue();
    }

    private static Double doubleOf(Object o) {
        return o == null ? null : ((Number) o).doubleValue();
    }
}
