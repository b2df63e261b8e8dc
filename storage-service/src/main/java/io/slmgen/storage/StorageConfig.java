package io.slmgen.storage;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** storage-service settings (application.properties documents each key and its environment variable). */
@ConfigMapping(prefix = "storage")
public interface StorageConfig {

    /** STORAGE_BACKEND: {@code local} (files under {@link #root()}) or {@code s3} (see {@link #s3()}). */
    @WithDefault("local")
    String backend();

    /** STORAGE_ROOT: the local BlobStore's directory. */
    String root();

    /** STORAGE_DIRECT_IO: the local BlobStore writes staged files with O_DIRECT where the filesystem supports it. */
    @WithDefault("true")
    boolean directIo();

    /** The S3-compatible BlobStore (storage.backend=s3). */
    S3 s3();

    /** STORAGE_S3_*: where the S3 BlobStore keeps blobs. */
    interface S3 {
        /** Endpoint for S3-compatible servers (MinIO, R2, Supabase's S3 protocol); AWS when empty. */
        Optional<String> endpoint();

        @WithDefault("us-east-1")
        String region();

        /** The bucket holding every blob (required when the backend is s3). */
        Optional<String> bucket();

        /** Static credentials; the AWS default chain (AWS_* env, profiles, instance roles) when empty. */
        Optional<String> accessKey();

        Optional<String> secretKey();

        /** Path-style URLs ({@code endpoint/bucket/key}), what MinIO and most S3-compatible servers want. */
        @WithDefault("false")
        boolean forcePathStyle();

        /** Prefix of every key in the bucket (e.g. {@code slmgen/}); empty by default. */
        Optional<String> keyPrefix();
    }

    /** Global ceiling for one object; bucket limits can only lower it. */
    MemorySize maxFileSize();

    /** Lifetime of signed upload URLs. */
    Duration uploadUrlExpiry();

    /** Staged blobs older than this (not written to for this long) are swept: rolled forward or deleted. */
    Duration staleTempAge();

    /**
     * How often staged blobs are swept while running (besides at start); 0 disables. With several
     * replicas on S3, this is what cleans up after a replica that crashed mid-upload.
     */
    @WithDefault("5m")
    Duration stagingSweepInterval();

    /** STORAGE_USER_QUOTA: bytes one user's objects may take in all buckets together; unset or 0: no quota. */
    Optional<MemorySize> userQuota();

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
