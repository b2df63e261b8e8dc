package io.slmgen.storage;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;

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
}
