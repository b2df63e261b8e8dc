package io.slmgen.storage.service;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.shared.identity.Caller;
import io.slmgen.storage.blob.BlobStore.Blob;
import io.slmgen.storage.objects.ObjectNames;
import io.slmgen.storage.objects.SignedTokens;
import io.slmgen.storage.objects.StorageError;
import io.slmgen.storage.model.Bucket;
import io.slmgen.storage.model.ListedEntry;
import io.slmgen.storage.model.ObjectInfo;
import io.slmgen.storage.model.StoredObject;

/** Reads (docs/SPEC.md §9): downloads (as the caller, public buckets, signed URLs), object info and listings. Methods block. */
@ApplicationScoped
public class ObjectReads {

    @Inject
    ObjectStore store;
    @Inject
    SignedTokens tokens;

    /** What to serve for a download. */
    public record Download(StoredObject object, Blob blob) {
    }

    public Download download(Caller caller, String bucketId, String name) {
        StoredObject o = store.await(store.tx().run(caller, c -> store.repo().find(c, bucketId, name)))
                .orElseThrow(StorageError.NO_SUCH_KEY::exception);
        return new Download(o, store.blobOf(o));
    }

    public Download downloadPublic(String bucketId, String name) {
        Bucket bucket = store.bucket(bucketId);
        if (!bucket.servedPublicly()) {
            throw StorageError.NO_SUCH_KEY.exception();
        }
        StoredObject o = store.await(store.tx().runAsService(c -> store.repo().find(c, bucketId, name)))
                .orElseThrow(StorageError.NO_SUCH_KEY::exception);
        return new Download(o, store.blobOf(o));
    }

    public Download downloadSigned(String bucketId, String name, String token) {
        tokens.verify(token, bucketId + "/" + name);
        StoredObject o = store.await(store.tx().runAsService(c -> store.repo().find(c, bucketId, name)))
                .orElseThrow(StorageError.NO_SUCH_KEY::exception);
        return new Download(o, store.blobOf(o));
    }

    /** storage-api's object info (storage-js info() camelises it). */
    public ObjectInfo info(Caller caller, String bucketId, String name) {
        return ObjectInfo.of(store.visibleObject(caller, bucketId, name));
    }

    /** storage.search's listing; hand-written SQL (StorageRepository.list). */
    public List<ListedEntry> list(Caller caller, String bucketId, String prefix, String search, Integer limit,
                          Integer offset, String column, String order) {
        store.bucket(bucketId);
        String p = ObjectNames.prefix(prefix);
        int lim = limit == null ? 100 : Math.max(1, Math.min(limit, 1000));
        int off = offset == null ? 0 : Math.max(0, offset);
        String col = column == null ? "name" : column;
        if (!Set.of("name", "created_at", "updated_at", "last_accessed_at").contains(col)) {
            throw StorageError.INVALID_REQUEST.exception(
                    "sortBy.column must be one of name, created_at, updated_at, last_accessed_at");
        }
        boolean desc = order != null && order.equalsIgnoreCase("desc");
        return store.await(store.tx().run(caller, c -> store.repo().list(c, bucketId, p, search == null ? "" : search, lim, off, col, desc)));
    }
}
