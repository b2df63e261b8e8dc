package io.slmgen.storage.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.Caller;
import io.slmgen.storage.blob.BlobStore;
import io.slmgen.storage.blob.BlobStore.Staged;
import io.slmgen.storage.objects.MultipartReader;
import io.slmgen.storage.objects.SignedTokens;
import io.slmgen.storage.objects.StorageError;
import io.slmgen.storage.model.Bucket;
import io.slmgen.storage.model.UploadedObject;
import io.vertx.core.json.JsonObject;

/**
 * Uploads (docs/SPEC.md §9): storage-api's POST/PUT of an object, multipart or raw, as the caller or
 * through a signed upload URL. Everything that can refuse an upload is decided before a byte is stored
 * ({@link #prepare}); raw bodies stream through {@link RawBodyUploads} between {@link #prepareRaw} and
 * {@link #commitRaw}. Methods block.
 */
@ApplicationScoped
public class ObjectUploads {

    @Inject
    ObjectStore store;
    @Inject
    SignedTokens tokens;
    @Inject
    UserQuota quota;

    /** An upload request body as it arrived. */
    public record Body(InputStream in, String contentType, String cacheControl, Long contentLength) {
    }

    /** Upload as the caller (RLS decides). Answers storage-api's {Id, Key}. */
    public UploadedObject upload(Caller caller, String bucketId, String name, Body body, boolean upsert) {
        return store(caller, bucketId, name, body, upsert, caller.userId());
    }

    /** Upload through a signed upload URL: the token's owner and upsert, no RLS (as storage-api does). */
    public UploadedObject uploadSigned(String bucketId, String name, String token, Body body) {
        SignedTokens.Grant grant;
        try {
            grant = tokens.verify(token, bucketId + "/" + name);
        } catch (ApiException e) {
            Bodies.drain(body.in());
            throw e;
        }
        return store(Caller.serviceRole(), bucketId, name, body, grant.upsert(), ownerOf(grant));
    }

    /**
     * An upload decided before a byte of its body is stored: where the bytes go (bucket, version), who
     * inserts the row and as whom, the MIME type checked against the bucket (and stored, the same
     * value), and how many bytes may arrive: the bucket's limit, or less when the owner's quota leaves
     * less ({@code quotaBound}).
     */
    public record RawUpload(Caller caller, String bucket, String name, UUID owner, boolean upsert, String version,
                            long limit, boolean quotaBound, String mimetype, String cacheControl) {

        /** The answer when more than {@link #limit} bytes arrived. */
        public ApiException overLimit() {
            return quotaBound ? StorageError.QUOTA_EXCEEDED.exception() : StorageError.ENTITY_TOO_LARGE.exception();
        }
    }

    /** Checks a raw-body upload as the caller before its body is read (see {@link #prepare}). Blocks. */
    public RawUpload prepareRaw(Caller caller, String bucketId, String name, String contentType, String cacheControl,
                                Long contentLength, boolean upsert) {
        return prepare(caller, store.bucket(bucketId), name, caller.userId(), upsert, ObjectStore.mimeOf(contentType),
                store.cacheControl(cacheControl), contentLength);
    }

    /** Same for a signed upload URL: the token's owner and upsert, inserted as service_role. Blocks. */
    public RawUpload prepareRawSigned(String bucketId, String name, String token, String contentType,
                                      String cacheControl, Long contentLength) {
        SignedTokens.Grant grant = tokens.verify(token, bucketId + "/" + name);
        return prepare(Caller.serviceRole(), store.bucket(bucketId), name, ownerOf(grant), grant.upsert(), ObjectStore.mimeOf(contentType),
                store.cacheControl(cacheControl), contentLength);
    }

    /**
     * Everything that can refuse an upload, decided before its body is streamed anywhere (SPEC §9):
     * the MIME type against the bucket's allowed types (the type checked is the type stored), a
     * declared length against the bucket's limit and the owner's quota, and the insert permission,
     * tested as the caller by inserting the row in a transaction that is rolled back (storage-api's
     * canUpload): an upload the policies refuse, or a duplicate without upsert, never writes a byte.
     * Blocks.
     */
    private RawUpload prepare(Caller caller, Bucket bucket, String name, UUID owner, boolean upsert, String mimetype,
                              String cacheControl, Long contentLength) {
        ObjectStore.checkMime(bucket, mimetype);
        long bucketLimit = store.limitOf(bucket);
        if (contentLength != null && contentLength > bucketLimit) {
            throw StorageError.ENTITY_TOO_LARGE.exception();
        }
        store.testInsert(caller, bucket.id(), name, owner, upsert, new JsonObject().put("mimetype", mimetype)
                .put("contentLength", contentLength));
        OptionalLong allowance = quota.allowance(owner, bucket.id(), name);
        boolean quotaBound = allowance.isPresent() && allowance.getAsLong() < bucketLimit;
        long limit = quotaBound ? Math.max(0, allowance.getAsLong()) : bucketLimit;
        if (quotaBound && contentLength != null && contentLength > limit) {
            throw StorageError.QUOTA_EXCEEDED.exception();
        }
        return new RawUpload(caller, bucket.id(), name, owner, upsert, UUID.randomUUID().toString(), limit, quotaBound,
                mimetype, cacheControl);
    }

    /** Opens the staging sink of a raw upload (blocks). */
    public BlobStore.Sink openSink(RawUpload u) throws IOException {
        return store.blobs().openSink(u.bucket(), u.version());
    }

    /**
     * The body of a raw upload is staged (durable, size and ETag counted while it streamed): insert
     * the row as the caller, commit, publish - or discard the blob when the row does not commit.
     * Blocks.
     */
    public UploadedObject commitRaw(RawUpload u, Staged staged) {
        return store.commit(u.caller(), staged, u.name(), u.owner(), store.metadata(staged, u.mimetype(), u.cacheControl()), u.upsert());
    }

    /** Drops the staged file of a raw upload that failed while streaming. */
    public void discardRaw(RawUpload u) {
        store.blobs().discard(u.bucket(), u.version());
    }

    private static UUID ownerOf(SignedTokens.Grant grant) {
        if (grant.owner() == null || grant.owner().isEmpty()) {
            return null;
        }
        try {
            return UUID.fromString(grant.owner());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private UploadedObject store(Caller caller, String bucketId, String name, Body body, boolean upsert, UUID owner) {
        InputStream raw = body.in();
        RawUpload upload = null;
        try {
            Bucket bucket = store.bucket(bucketId);
            String boundary = ObjectStore.isMultipart(body.contentType()) ? MultipartReader.boundary(body.contentType()) : null;
            InputStream bytes;
            if (boundary != null) {
                // storage-api's rule (fastify-multipart hands over the first file with the fields before it):
                // fields sent before the file part decide the type and cache control; nothing after the
                // file part changes them, so the type checked is the type stored, whatever the order
                MultipartReader reader = new MultipartReader(raw, boundary);
                Map<String, String> fields = new LinkedHashMap<>();
                MultipartReader.Part part;
                while ((part = reader.next()) != null && !part.isFile()) {
                    if (part.name() != null && fields.size() < 20) {
                        fields.put(part.name(), new String(part.body().readNBytes(64 * 1024), StandardCharsets.UTF_8));
                    }
                }
                if (part == null) {
                    throw StorageError.INVALID_REQUEST.exception("No content provided");
                }
                String declared = fields.get("contentType");
                String mimetype = ObjectStore.mimeOf(declared == null || declared.isBlank() ? part.contentType() : declared);
                String cc = fields.get("cacheControl");
                upload = prepare(caller, bucket, name, owner, upsert, mimetype,
                        cc == null || cc.isBlank() ? "no-cache" : store.cacheControl("max-age=" + cc.trim()), null);
                bytes = part.body();
            } else {
                upload = prepare(caller, bucket, name, owner, upsert, ObjectStore.mimeOf(body.contentType()),
                        store.cacheControl(body.cacheControl()), body.contentLength());
                bytes = raw;
            }
            Staged staged = store.blobs().stage(bucketId, upload.version(), bytes, upload.limit());
            Bodies.drain(raw); // the parts after the file, if any: read, never stored
            return store.commit(caller, staged, name, owner, store.metadata(staged, upload.mimetype(), upload.cacheControl()), upsert);
        } catch (BlobStore.TooLargeException e) {
            Bodies.drain(raw);
            throw upload != null ? upload.overLimit() : StorageError.ENTITY_TOO_LARGE.exception();
        } catch (MultipartReader.MalformedMultipartException e) {
            Bodies.drain(raw);
            throw StorageError.INVALID_REQUEST.exception("malformed multipart body");
        } catch (ApiException e) {
            Bodies.drain(raw);
            throw e;
        } catch (IOException e) {
            throw StorageError.INVALID_REQUEST.exception("upload interrupted: " + e.getMessage());
        }
    }
}
