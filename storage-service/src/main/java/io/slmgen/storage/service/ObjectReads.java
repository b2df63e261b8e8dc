package io.slmgen.storage.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.shared.identity.Caller;
import io.slmgen.storage.blob.BlobStore.Blob;
import io.slmgen.storage.objects.ObjectNames;
import io.slmgen.storage.objects.SignedTokens;
import io.slmgen.storage.objects.StorageError;
import io.slmgen.storage.repository.StorageRepository.Bucket;
import io.slmgen.storage.repository.StorageRepository.StoredObject;
import io.vertx.core.json.JsonObject;

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
        if (!bucket.isPublic()) {
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
    public Map<String, Object> info(Caller caller, String bucketId, String name) {
        StoredObject o = store.await(store.tx().run(caller, c -> store.repo().find(c, bucketId, name)))
                .orElseThrow(StorageError.NO_SUCH_KEY::exception);
        JsonObject m = o.metadata() == null ? new JsonObject() : o.metadata();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", o.id().toString());
        out.put("name", o.name());
        out.put("version", o.version());
        out.put("bucket_id", o.bucket());
        out.put("size", m.getValue("size"));
        out.put("content_type", m.getString("mimetype"));
        out.put("cache_control", m.getString("cacheControl"));
        out.put("etag", m.getString("eTag"));
        out.put("metadata", o.row().get("user_metadata"));
        out.put("last_modified", m.getString("lastModified"));
        out.put("created_at", o.row().get("created_at"));
        return out;
    }

    public List<Map<String, Object>> list(Caller caller, String bucketId, String prefix, String search, Integer limit,
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
