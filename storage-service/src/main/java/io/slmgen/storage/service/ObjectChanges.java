package io.slmgen.storage.service;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.shared.identity.Caller;
import io.slmgen.storage.blob.BlobStore.Staged;
import io.slmgen.storage.objects.ObjectNames;
import io.slmgen.storage.objects.StorageError;
import io.slmgen.storage.model.Answers.Message;
import io.slmgen.storage.model.Bucket;
import io.slmgen.storage.model.StoredObject;
import io.slmgen.storage.model.UploadedObject;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/** Changes to stored objects (docs/SPEC.md §9): deletes, moves and copies, as the caller. Methods block. */
@ApplicationScoped
public class ObjectChanges {

    @Inject
    ObjectStore store;
    @Inject
    UserQuota quota;

    public Message deleteOne(Caller caller, String bucketId, String name) {
        List<StoredObject> removed = store.await(store.tx().run(caller, c -> store.repo().delete(c, bucketId, new String[] {name})));
        if (removed.isEmpty()) {
            throw StorageError.NO_SUCH_KEY.exception();
        }
        store.deleteBytesOf(removed);
        return new Message("Successfully deleted");
    }

    /** Deletes the named objects the caller may delete; answers their rows as storage-api does. */
    public List<StoredObject> deleteMany(Caller caller, String bucketId, List<String> prefixes) {
        if (prefixes == null || prefixes.isEmpty()) {
            throw StorageError.INVALID_REQUEST.exception("body must have required property 'prefixes'");
        }
        if (prefixes.size() > 1000) {
            throw StorageError.INVALID_REQUEST.exception("body/prefixes must NOT have more than 1000 items");
        }
        store.bucket(bucketId);
        String[] names = prefixes.stream().filter(p -> p != null).toArray(String[]::new);
        List<StoredObject> removed = store.await(store.tx().run(caller, c -> store.repo().delete(c, bucketId, names)));
        store.deleteBytesOf(removed);
        return removed;
    }

    public Message move(Caller caller, String bucketId, String from, String to, String toBucket) {
        String destBucket = toBucket == null || toBucket.isEmpty() ? bucketId : ObjectNames.bucket(toBucket);
        ObjectNames.name(from);
        ObjectNames.name(to);
        store.bucket(bucketId);
        store.bucket(destBucket);
        if (destBucket.equals(bucketId)) {
            // hand-written: the row keeps its id, deleted and inserted again in one transaction so that
            // the delete and the insert policies both decide (storage-api's move); Hibernate flushes
            // inserts before deletes, so the same id cannot be re-inserted through it
            store.await(store.tx().run(caller, c -> store.repo().find(c, bucketId, from).chain(src -> {
                StoredObject o = src.orElseThrow(StorageError.NO_SUCH_KEY::exception);
                return store.repo().delete(c, bucketId, new String[] {from}).chain(gone -> {
                    if (gone.isEmpty()) {
                        return Uni.createFrom().failure(StorageError.ACCESS_DENIED.exception(
                                "you may not move this object"));
                    }
                    return store.repo().put(c, o.id(), bucketId, to, o.owner(), o.version(), o.metadataJson(), false);
                });
            })));
            return new Message("Successfully moved");
        }
        StoredObject src = store.visibleObject(caller, bucketId, from);
        // into another bucket: its MIME types, its limit and the insert permission, before a byte is copied
        checkCopy(caller, src, store.bucket(destBucket), to, src.owner(), false);
        Staged staged = stageCopy(src, destBucket);
        try {
            store.await(store.tx().run(caller, c -> store.repo().delete(c, bucketId, new String[] {from}).chain(gone -> gone.isEmpty()
                    ? Uni.createFrom().failure(StorageError.ACCESS_DENIED.exception("you may not move this object"))
                    : store.repo().put(c, src.id(), destBucket, to, src.owner(), staged.version(), src.metadataJson(), false))));
        } catch (RuntimeException e) {
            store.blobs().discard(destBucket, staged.version());
            throw e;
        }
        store.publish(staged);
        store.deleteBytesOf(List.of(src));
        return new Message("Successfully moved");
    }

    public UploadedObject copy(Caller caller, String bucketId, String from, String to, String toBucket, boolean upsert) {
        String destBucket = toBucket == null || toBucket.isEmpty() ? bucketId : ObjectNames.bucket(toBucket);
        ObjectNames.name(from);
        ObjectNames.name(to);
        store.bucket(bucketId);
        store.bucket(destBucket);
        StoredObject src = store.visibleObject(caller, bucketId, from);
        long size = checkCopy(caller, src, store.bucket(destBucket), to, caller.userId(), upsert);
        OptionalLong allowance = quota.allowance(caller.userId(), destBucket, to);
        if (allowance.isPresent() && size > allowance.getAsLong()) {
            throw StorageError.QUOTA_EXCEEDED.exception();
        }
        Staged staged = stageCopy(src, destBucket);
        JsonObject meta = src.metadata() == null ? new JsonObject() : src.metadataJson().copy();
        meta.put("lastModified", ObjectStore.ISO.format(Instant.now()));
        return store.commit(caller, staged, to, caller.userId(), meta, upsert);
    }

    /**
     * A copy is an upload of the source's bytes with the source's type: the destination bucket's MIME
     * types and size limit apply, and the insert permission is tested as the caller (rolled back)
     * before the bytes are copied. Returns the source's size.
     */
    private long checkCopy(Caller caller, StoredObject src, Bucket dest, String to, UUID owner, boolean upsert) {
        String mimetype = ObjectStore.mimeOf(src.mimetype());
        ObjectStore.checkMime(dest, mimetype);
        long size = sizeOf(src);
        long limit = store.limitOf(dest);
        if (size > limit) {
            throw StorageError.ENTITY_TOO_LARGE.exception();
        }
        store.testInsert(caller, dest.id(), to, owner, upsert, new JsonObject().put("mimetype", mimetype).put("contentLength", size));
        return size;
    }

    private long sizeOf(StoredObject o) {
        Object v = o.metadata() == null ? null : o.metadata().get("size");
        if (v instanceof Number n) {
            return n.longValue();
        }
        return store.blobOf(o).size();
    }

    private Staged stageCopy(StoredObject src, String destBucket) {
        if (src.version() == null) {
            throw StorageError.NO_SUCH_KEY.exception();
        }
        try {
            return store.blobs().stageCopy(src.bucketId(), src.version(), destBucket, UUID.randomUUID().toString());
        } catch (IOException e) {
            throw StorageError.NO_SUCH_KEY.exception();
        }
    }
}
