package io.slmgen.postgrest;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * Which tables of schema {@code public} this service serves at {@code /rest/v1/{table}} (SPEC §10):
 * {@code slmgen.postgrest.tables=model_catalog,training_configs}. Absent: none (every table is a 404).
 */
@ConfigMapping(prefix = "slmgen.postgrest")
public interface PostgrestConfig {

    /** The tables this service owns and exposes; anything else answers 404 PGRST205. */
    Optional<List<String>> tables();
}
