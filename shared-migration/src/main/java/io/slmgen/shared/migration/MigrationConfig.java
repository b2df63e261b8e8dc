package io.slmgen.shared.migration;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a service migrates its slice (docs/SPEC.md §1): what it waits for, how often it retries, which contexts run. */
@ConfigMapping(prefix = "slmgen.migration")
public interface MigrationConfig {

    /** Tables of other slices this slice references; the service waits (not ready) until they exist. */
    Optional<List<String>> requires();

    @WithDefault("2s")
    Duration retryInterval();

    /** The Liquibase contexts to run (e.g. "local" for tables hosted Supabase already has). */
    @WithDefault("local")
    String contexts();
}
