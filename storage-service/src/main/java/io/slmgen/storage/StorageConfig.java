package io.slmgen.storage;

import java.time.Duration;
import java.util.List;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** storage-service settings (application.properties documents each key and its environment variable). */
@ConfigMapping(prefix = "storage")
public interface StorageConfig {

    /** STORAGE_ROOT: the local BlobStore's directory. */
    String root();

    /** Global ceiling for one object; bucket limits can only lower it. */
    MemorySize maxFileSize();

    /** Lifetime of signed upload URLs. */
    Duration uploadUrlExpiry();

    /** Temp files older than this are swept at start. */
    Duration staleTempAge();

    /** Objects of deleted users (owner gone from auth.users) are removed this often; 0 disables. */
    @WithDefault("1h")
    Duration orphanSweepInterval();

    /** Rows deleted per orphan-sweep transaction (each batch commits before its blobs are deleted). */
    @WithDefault("500")
    int orphanSweepBatch();

    /** Buckets the orphan sweep looks at (objects elsewhere, e.g. avatars, are left alone). */
    @WithDefault("datasets,notebooks")
    List<String> orphanSweepBuckets();
}
