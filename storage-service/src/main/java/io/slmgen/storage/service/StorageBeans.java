package io.slmgen.storage.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.slmgen.shared.identity.SharedConfig;
import io.slmgen.storage.StorageConfig;
import io.slmgen.storage.blob.BlobStore;
import io.slmgen.storage.blob.LocalBlobStore;
import io.slmgen.storage.blob.S3BlobStore;
import io.slmgen.storage.objects.SignedTokens;

/** Wires the BlobStore (STORAGE_BACKEND: local filesystem under STORAGE_ROOT, or S3) and the signed-URL token signer. */
public class StorageBeans {

    @Produces
    @ApplicationScoped
    BlobStore blobStore(StorageConfig config) {
        String backend = config.backend().strip().toLowerCase(java.util.Locale.ROOT);
        if (backend.equals("s3")) {
            StorageConfig.S3 s3 = config.s3();
            return new S3BlobStore(S3BlobStore.client(s3), s3.bucket().orElse(""), s3.keyPrefix().orElse(""),
                    config.staleTempAge());
        }
        if (!backend.equals("local")) {
            throw new IllegalArgumentException("storage.backend (STORAGE_BACKEND) must be local or s3, not " + backend);
        }
        try {
            return new LocalBlobStore(Path.of(config.root()), config.staleTempAge(), config.directIo());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare STORAGE_ROOT " + config.root(), e);
        }
    }

    @Produces
    @ApplicationScoped
    SignedTokens signedTokens(SharedConfig shared) {
        return new SignedTokens(shared.jwt().secret()
                .orElseThrow(() -> new IllegalStateException("SUPABASE_JWT_SECRET is required to sign storage URLs")));
    }
}
