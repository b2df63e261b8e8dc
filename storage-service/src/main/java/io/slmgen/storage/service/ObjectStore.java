package io.slmgen.storage.service;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.vertx.VertxContextSupport;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.identity.Caller;
import io.slmgen.storage.StorageConfig;
import io.slmgen.storage.blob.BlobStore;
import io.slmgen.storage.blob.BlobStore.Blob;
import io.slmgen.storage.blob.BlobStore.Staged;
import io.slmgen.storage.model.Bucket;
import io.slmgen.storage.model.StoredObject;
import io.slmgen.storage.model.UploadedObject;
import io.slmgen.storage.objects.ContentSafety;
import io.slmgen.storage.objects.ObjectNames;
import io.slmgen.storage.objects.StorageError;
import io.slmgen.storage.repository.BucketRepository;
import io.slmgen.storage.repository.ObjectRepository;
import io.slmgen.storage.repository.StorageRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * What every object operation (docs/SPEC.md §9) stands on: a storage.objects row read, inserted or
 * deleted as the caller, so the seed's policies decide, and bytes that move only around those
 * transactions: staged (fsynced) before the row commits, published (renamed) after, discarded when it
 * does not commit, deleted once no row records them ({@link #deleteBytesOf}, the one clean-up path).
 * Methods block: they run on worker threads because request bodies are read as streams.
 */
@ApplicationScoped
public class ObjectStore {

    private static final Logger LOG = Logger.getLogger(ObjectStore.class);
    private static final Duration DB_WAIT = Duration.ofSeconds(60);
    static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    @Inject
    CallerTransactions tx;
    @Inject
    StorageRepository repo;
    @Inject
    BucketRepository buckets;
    @Inject
    ObjectRepository objects;
    @Inject
    BlobStore blobs;
    @Inject
    StorageConfig config;
    @Inject
    UserQuota quota;

    // accessors, not fields: the other object beans reach this one through its client proxy
    CallerTransactions tx() {
        return tx;
    }

    StorageRepository repo() {
        return repo;
    }

    BucketRepository buckets() {
        return buckets;
    }

    ObjectRepository objects() {
        return objects;
    }

    BlobStore blobs() {
        return blobs;
    }

    public Bucket bucket(String id) {
        ObjectNames.bucket(id);
        return await(tx.runAsService(c -> repo.bucket(c, id))).orElseThrow(StorageError.NO_SUCH_BUCKET::exception);
    }

    long limitOf(Bucket bucket) {
        long global = config.maxFileSize().asLongValue();
        Long b = bucket.fileSizeLimit();
        return b == null || b <= 0 ? global : Math.min(b, global);
    }

    /**
     * Tests, as {@code caller}, that the object row may be inserted (or upserted) by inserting it in a
     * transaction that is always rolled back: RLS refusals (403), duplicates without upsert (409) and
     * unknown buckets answer here, before any byte is stored. Blocks.
     */
    void testInsert(Caller caller, String bucketId, String name, UUID owner, boolean upsert, JsonObject metadata) {
        try {
            await(tx.run(caller, c -> repo.put(c, UUID.randomUUID(), bucketId, name, owner, UUID.randomUUID().toString(),
                    metadata, upsert).chain(ok -> Uni.createFrom().<Void>failure(new PermissionTested()))));
        } catch (PermissionTested allowed) {
            // allowed; nothing was written
        }
    }

    /** Thrown to roll back a permission test that succeeded. */
    static final class PermissionTested extends RuntimeException {
        PermissionTested() {
            super("permission tested", null, false, false);
        }
    }

    /**
     * Inserts the row as the caller (after the owner's quota is checked under a lock, in the same
     * transaction); publishes the staged blob when it committed, discards it otherwise.
     */
    UploadedObject commit(Caller caller, Staged staged, String name, UUID owner, JsonObject metadata,
                                       boolean upsert) {
        String[] oldVersion = new String[1];
        StoredObject row;
        try {
            row = await(tx.run(caller, c -> quota.enforce(c, caller, owner, staged.bucket(), name, staged.size())
                    .chain(() -> upsert ? repo.find(c, staged.bucket(), name)
                            : Uni.createFrom().item(Optional.<StoredObject>empty()))
                    .chain(existing -> {
                        existing.ifPresent(o -> oldVersion[0] = o.version());
                        return repo.put(c, UUID.randomUUID(), staged.bucket(), name, owner, staged.version(), metadata, upsert);
                    })));
        } catch (RuntimeException e) {
            blobs.discard(staged.bucket(), staged.version());
            throw e;
        }
        publish(staged);
        if (oldVersion[0] != null && !oldVersion[0].equals(staged.version())) {
            deleteBytes(staged.bucket(), oldVersion[0]); // the version the upsert replaced
        }
        return new UploadedObject(row.id().toString(), staged.bucket() + "/" + name);
    }

    void publish(Staged staged) {
        try {
            blobs.publish(staged);
        } catch (IOException e) {
            // the row is committed and the staged bytes are safe: readers fall back to them and the
            // next start's sweep completes the rename
            LOG.warnf("publishing blob %s/%s deferred to the sweeper: %s", staged.bucket(), staged.version(), e.getMessage());
        }
    }

    Blob blobOf(StoredObject o) {
        if (o.version() == null) {
            throw StorageError.NO_SUCH_KEY.exception();
        }
        return blobs.find(o.bucketId(), o.version()).orElseThrow(StorageError.NO_SUCH_KEY::exception);
    }

    /**
     * The one clean-up path of object bytes (docs/SPEC.md §9): the blobs of rows that are gone - deleted,
     * emptied, swept as orphans, or replaced by an upsert or a move - are removed after the row change
     * committed. A row without a version never had bytes.
     */
    public void deleteBytesOf(List<StoredObject> removed) {
        for (StoredObject o : removed) {
            deleteBytes(o.bucketId(), o.version());
        }
    }

    /** The same for one stored version (e.g. the one an upsert replaced). */
    void deleteBytes(String bucket, String version) {
        if (version != null) {
            blobs.delete(bucket, version);
        }
    }

    static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /** The media type of a Content-Type (parameters dropped, lower case); a malformed one is refused (415). */
    static String mimeOf(String contentType) {
        String m = ContentSafety.normalize(contentType);
        if (!ContentSafety.isValid(m)) {
            throw StorageError.INVALID_MIME_TYPE.exception(
                    "mime type " + (m.length() > 100 ? m.substring(0, 100) : m) + " is not supported");
        }
        return m;
    }

    /**
     * The Cache-Control to store (and send back on every download): printable ASCII only, so a value
     * from a multipart field cannot carry a line break into a response header.
     */
    static String cacheControl(String value) {
        if (value == null || value.isBlank()) {
            return "no-cache";
        }
        if (value.length() > 256 || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw StorageError.INVALID_REQUEST.exception("invalid cache control");
        }
        return value;
    }

    static void checkMime(Bucket bucket, String mime) {
        List<String> allowed = bucket.allowedMimeTypes();
        if (allowed == null || allowed.isEmpty()) {
            return;
        }
        String m = mimeOf(mime);
        for (String a : allowed) {
            String x = a.toLowerCase(Locale.ROOT).trim();
            if (x.equals(m) || x.equals("*/*") || (x.endsWith("/*") && m.startsWith(x.substring(0, x.length() - 1)))) {
                return;
            }
        }
        throw StorageError.INVALID_MIME_TYPE.exception("mime type " + m + " is not supported");
    }

    static JsonObject metadata(Staged staged, String mimetype, String cacheControl) {
        return new JsonObject()
                .put("eTag", "\"" + staged.etag() + "\"")
                .put("size", staged.size())
                .put("mimetype", mimetype)
                .put("cacheControl", cacheControl)
                .put("lastModified", ISO.format(Instant.now()))
                .put("contentLength", staged.size())
                .put("httpStatusCode", 200);
    }

    /** The row at {@code bucket/name} as {@code caller} sees it (Panache; RLS hides the others): 404 when none. Blocks. */
    public StoredObject visibleObject(Caller caller, String bucket, String name) {
        StoredObject o = awaitSession(caller, () -> objects.at(bucket, name).map(r -> r == null ? null : r.toStoredObject()));
        if (o == null) {
            throw StorageError.NO_SUCH_KEY.exception();
        }
        return o;
    }

    /**
     * Runs Panache work in {@code CallerTransactions.inSession} as {@code caller} and waits for it on this
     * worker thread, as {@link #await} waits (same bound, same error vocabulary). Hibernate Reactive needs a
     * Vert.x context: {@code VertxContextSupport} runs the work on a fresh duplicated context of the event
     * loop (a worker thread has none).
     */
    public <T> T awaitSession(Caller caller, Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> tx.inSession(caller, work).ifNoItem().after(DB_WAIT).fail());
        } catch (Throwable e) {
            throw inStorageTerms(e);
        }
    }

    /** Waits for database work on this worker thread; storage-api's error vocabulary for the failures. */
    <T> T await(Uni<T> work) {
        try {
            return work.await().atMost(DB_WAIT);
        } catch (RuntimeException e) {
            throw inStorageTerms(e);
        }
    }

    /** A database failure as storage-api answers it (the unit of work already translated SQLSTATEs: DbErrors). */
    private static RuntimeException inStorageTerms(Throwable e) {
        Throwable t = StorageError.fromDb(e);
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(t);
    }
}
