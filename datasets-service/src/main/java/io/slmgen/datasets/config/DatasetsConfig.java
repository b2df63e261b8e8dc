package io.slmgen.datasets.config;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** datasets-service settings (prefix {@code datasets}). */
@ConfigMapping(prefix = "datasets")
public interface DatasetsConfig {

    /** Largest accepted upload (the file's bytes); larger → 413. */
    @WithDefault("1G")
    MemorySize maxUploadSize();

    /** Base URL of storage-service (SPEC §2: STORAGE_SERVICE_URL), without /storage/v1. */
    @WithDefault("http://127.0.0.1:8085")
    String storageUrl();

    /** Bucket holding datasets. */
    @WithDefault("datasets")
    String bucket();

    /** Largest {@code limit} of GET /api/datasets/{id}/preview. */
    @WithDefault("100")
    int previewMax();

    /**
     * Most valid examples one upload may hold (env {@code DATASETS_MAX_EXAMPLES}); one more → 413 and
     * nothing stored. Bounds the analyser's memory (≈ 24 bytes per distinct example for the duplicate
     * keys: 1,000,000 ≈ 24 MiB) and every later read of the dataset.
     */
    @WithDefault("1000000")
    long maxExamples();

    /** Longest line the analyser accepts (longer lines are invalid lines). */
    @WithDefault("1048576")
    int maxLineBytes();

    /** Threads analysing uploads off the event loops; 0 = one per core. */
    @WithDefault("0")
    int analysisThreads();

    /** Seconds without progress before a storage call is abandoned. */
    @WithDefault("60")
    int storageIdleTimeoutSeconds();

    /**
     * How long an upload may take from its first byte to its row (env {@code DATASETS_CREATION_TIMEOUT}).
     * An upload marker older than this belongs to an upload the service died in (SPEC §14): the sweeper
     * deletes its object; an upload still running then fails with 503 and leaves nothing behind.
     */
    @WithDefault("2h")
    Duration creationTimeout();

    /** How often the sweeper looks for such markers (env {@code DATASETS_CREATION_SWEEP_INTERVAL}). */
    @WithDefault("5m")
    Duration creationSweepInterval();
}
