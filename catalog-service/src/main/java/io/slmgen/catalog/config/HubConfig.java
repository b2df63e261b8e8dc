package io.slmgen.catalog.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The Hugging Face Hub that POST /slmgen/validate-model asks (SPEC §15). application.properties maps
 * each key to its environment variable; the cache itself is Quarkus' "hub-models" cache.
 */
@ConfigMapping(prefix = "slmgen.hub")
public interface HubConfig {

    /** Base URL of the hub (HF_ENDPOINT, as huggingface_hub names it): https://huggingface.co or a mirror. */
    @WithDefault("https://huggingface.co")
    String endpoint();

    /**
     * Optional hub token (HF_TOKEN) sent to the endpoint's own origin only: gated models whose licence its
     * account accepted are then validated in full. Never logged.
     */
    Optional<String> token();

    /** Bound on one whole lookup (model info and config.json, redirects included); past it → 503. */
    @WithDefault("5s")
    Duration timeout();

    /** Lookups that may wait on the hub at once; more → 503 with Retry-After (the hub would rate-limit us). */
    @WithDefault("16")
    int maxConcurrentLookups();
}
