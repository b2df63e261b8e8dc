package io.slmgen.catalog.service;

import io.slmgen.shared.error.ErrorCode;

/**
 * catalog-service's own codes (docs/SPEC.md §5). Shared failures (not_found, validation_failed,
 * service_unavailable, ...) come from {@link io.slmgen.shared.error.ApiError}.
 */
public enum CatalogError implements ErrorCode {
    INVALID_MODEL_ID(400, "invalid_model_id", "invalid model id"),
    SYSTEM_PRESET_IMMUTABLE(403, "system_preset_immutable", "system presets cannot be changed or deleted");

    private final Entry entry;

    CatalogError(int status, String code, String defaultMessage) {
        this.entry = Entry.of(status, code, defaultMessage);
    }

    @Override
    public Entry entry() {
        return entry;
    }
}
