package io.slmgen.storage.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.Caller;
import io.slmgen.storage.StorageConfig;
import io.slmgen.storage.blob.BlobStore;
import io.slmgen.storage.blob.BlobStore.Blob;
import io.slmgen.storage.blob.BlobStore.Staged;
import io.slmgen.storage.objects.ContentSafety;
import io.slmgen.storage.objects.MultipartReader;
import io.slmgen.storage.objects.ObjectNames;
import io.slmgen.storage.objects.SignedTokens;
import io.slmgen.storage.objects.StorageError;
import io.slmgen.storage.repository.StorageRepository;
import io.slmgen.storage.repository.StorageRepository.Bucket;
import io.slmgen.storage.repository.StorageRepository.StoredObject;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Objects (SPEC §9). Every read, insert and delete of a storage.objects row runs as the caller, so the
 * seed's policies decide; bytes move only around those transactions: staged (fsynced) before the row
 * commits, published (renamed) after, discarded when it does not commit. Methods block: they are
 * called on worker threads because request bodies are read as streams.
 */
@ApplicationScoped
public class ObjectService {

    private static final Logger LOG = Logger.getLogger(ObjectService.class);
    private static final Duration DB_WAIT = Duration.ofSeconds(60);
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    static final String NOT_VISIBLE = "Either the object does not exist or you do not have access to it";

    @Inject
    CallerTransactions tx;
    @Inject
    StorageRepository repo;
    @Inject
    BlobStore blobs;
    @Inject
    StorageConfig config;
    @Inject
    SignedTokens tokens;
    @Inject
    UserQuota quota;

    /** An upload request body as it arrived. */
    public record Body(InputStream in, String contentType, String cacheControl, Long contentLength) {
    }

    /** What to serve for a download. */
    public record Download(StoredObject object, Blob blob) {
    }

    // ---------------------------------------------------------------- uploads

    /** Upload as the caller (RLS decides). Answers storage-api's {Id, Key}. */
    public Map<String, Object> upload(Caller caller, String bucketId, String name, Body body, boolean upsert) {
        return store(caller, bucketId, name, body, upsert, caller.userId());
    }

    /** Upload through a signed upload URL: the token's owner and upsert, no RLS (as storage-api does). */
    public Map<String, Object> uploadSigned(String bucketId, String name, String token, Body body) {
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
        return prepare(caller, bucket(bucketId), name, caller.userId(), upsert, mimeOf(contentType),
                cacheControl(cacheControl), contentLength);
    }

    /** Same for a signed upload URL: the token's owner and upsert, inserted as service_role. Blocks. */
    public RawUpload prepareRawSigned(String bucketId, String name, String token, String contentType,
                                      String cacheControl, Long contentLength) {
        SignedTokens.Grant grant = tokens.verify(token, bucketId + "/" + name);
        return prepare(Caller.serviceRole(), bucket(bucketId), name, ownerOf(grant), grant.upsert(), mimeOf(contentType),
                cacheControl(cacheControl), contentLength);
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
        checkMime(bucket, mimetype);
        long bucketLimit = limitOf(bucket);
        if (contentLength != null && contentLength > bucketLimit) {
            throw StorageError.ENTITY_TOO_LARGE.exception();
        }
        testInsert(caller, bucket.id(), name, owner, upsert, new JsonObject().put("mimetype", mimetype)
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
        return blobs.openSink(u.bucket(), u.version());
    }

    /**
     * The body of a raw upload is staged (durable, size and ETag counted while it streamed): insert
     * the row as the caller, commit, publish - or discard the blob when the row does not commit.
     * Blocks.
     */
    public Map<String, Object> commitRaw(RawUpload u, Staged staged) {
        return commit(u.caller(), staged, u.name(), u.owner(), metadata(staged, u.mimetype(), u.cacheControl()), u.upsert());
    }

    /** Drops the staged file of a raw upload that failed while streaming. */
    public void discardRaw(RawUpload u) {
        blobs.discard(u.bucket(), u.version());
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

    private Map<String, Object> store(Caller caller, String bucketId, String name, Body body, boolean upsert, UUID owner) {
        InputStream raw = body.in();
        RawUpload upload = null;
        try {
            Bucket bucket = bucket(bucketId);
            String boundary = isMultipart(body.contentType()) ? MultipartReader.boundary(body.contentType()) : null;
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
                String mimetype = mimeOf(declared == null || declared.isBlank() ? part.contentType() : declared);
                String cc = fields.get("cacheControl");
                upload = prepare(caller, bucket, name, owner, upsert, mimetype,
                        cc == null || cc.isBlank() ? "no-cache" : cacheControl("max-age=" + cc.trim()), null);
                bytes = part.body();
            } else {
                upload = prepare(caller, bucket, name, owner, upsert, mimeOf(body.contentType()),
                        cacheControl(body.cacheControl()), body.contentLength());
                bytes = raw;
            }
            Staged staged = blobs.stage(bucketId, upload.version(), bytes, upload.limit());
            Bodies.drain(raw); // the parts after the file, if any: read, never stored
            return commit(caller, staged, name, owner, metadata(staged, upload.mimetype(), upload.cacheControl()), upsert);
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

    /**
     * Tests, as {@code caller}, that the object row may be inserted (or upserted) by inserting it in a
     * transaction that is always rolled back: RLS refusals (403), duplicates without upsert (409) and
     * unknown buckets answer here, before any byte is stored. Blocks.
     */
    private void testInsert(Caller caller, String bucketId, String name, UUID owner, boolean upsert, JsonObject metadata) {
        try {
            await(tx.run(caller, c -> repo.put(c, UUID.randomUUID(), bucketId, name, owner, UUID.randomUUID().toString(),
                    metadata, upsert).chain(ok -> Uni.createFrom().<Void>failure(new PermissionTested()))));
        } catch (PermissionTested allowed) {
            // allowed; nothing was written
        }
    }

    /**
     * Inserts the row as the caller (after the owner's quota is checked under a lock, in the same
     * transaction); publishes the staged blob when it committed, discards it otherwise.
     */
    private Map<String, Object> commit(Caller caller, Staged staged, String name, UUID owner, JsonObject metadata,
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
            blobs.delete(staged.bucket(), oldVersion[0]);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Id", row.id().toString());
        out.put("Key", staged.bucket() + "/" + name);
        return out;
    }

    private void publish(Staged staged) {
        try {
            blobs.publish(staged);
        } catch (IOException e) {
            // the row is committed and the staged bytes are safe: readers fall back to them and the
            // next start's sweep completes the rename
            LOG.warnf("publishing blob %s/%s deferred to the sweeper: %s", staged.bucket(), staged.version(), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- reads

    public Download download(Caller caller, String bucketId, String name) {
        StoredObject o = await(tx.run(caller, c -> repo.find(c, bucketId, name)))
                .orElseThrow(StorageError.NO_SUCH_KEY::exception);
        return new Download(o, blobOf(o));
    }

    public Download downloadPublic(String bucketId, String name) {
        Bucket bucket = bucket(bucketId);
        if (!bucket.isPublic()) {
            throw StorageError.NO_SUCH_KEY.exception();
        }
        StoredObject o = await(tx.runAsService(c -> repo.find(c, bucketId, name)))
                .orElseThrow(StorageError.NO_SUCH_KEY::exception);
        return new Download(o, blobOf(o));
    }

    public Download downloadSigned(String bucketId, String name, String token) {
        tokens.verify(token, bucketId + "/" + name);
        StoredObject o = await(tx.runAsService(c -> repo.find(c, bucketId, name)))
                .orElseThrow(StorageError.NO_SUCH_KEY::exception);
        return new Download(o, blobOf(o));
    }

    private Blob blobOf(StoredObject o) {
        if (o.version() == null) {
            throw StorageError.NO_SUCH_KEY.exception();
        }
        return blobs.find(o.bucket(), o.version()).orElseThrow(StorageError.NO_SUCH_KEY::exception);
    }

    /** storage-api's object info (storage-js info() camelises it). */
    public Map<String, Object> info(Caller caller, String bucketId, String name) {
        StoredObject o = await(tx.run(caller, c -> repo.find(c, bucketId, name)))
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
        bucket(bucketId);
        String p = ObjectNames.prefix(prefix);
        int lim = limit == null ? 100 : Math.max(1, Math.min(limit, 1000));
        int off = offset == null ? 0 : Math.max(0, offset);
        String col = column == null ? "name" : column;
        if (!Set.of("name", "created_at", "updated_at", "last_accessed_at").contains(col)) {
            throw StorageError.INVALID_REQUEST.exception(
                    "sortBy.column must be one of name, created_at, updated_at, last_accessed_at");
        }
        boolean desc = order != null && order.equalsIgnoreCase("desc");
        return await(tx.run(caller, c -> repo.list(c, bucketId, p, search == null ? "" : search, lim, off, col, desc)));
    }

    // ---------------------------------------------------------------- deletes

    public Map<String, Object> deleteOne(Caller caller, String bucketId, String name) {
        List<StoredObject> removed = await(tx.run(caller, c -> repo.delete(c, bucketId, new String[] {name})));
        if (removed.isEmpty()) {
            throw StorageError.NO_SUCH_KEY.exception();
        }
        removed.forEach(o -> deleteBlob(o));
        return Map.of("message", "Successfully deleted");
    }

    public List<Map<String, Object>> deleteMany(Caller caller, String bucketId, List<String> prefixes) {
        if (prefixes == null || prefixes.isEmpty()) {
            throw StorageError.INVALID_REQUEST.exception("body must have required property 'prefixes'");
        }
        if (prefixes.size() > 1000) {
            throw StorageError.INVALID_REQUEST.exception("body/prefixes must NOT have more than 1000 items");
        }
        bucket(bucketId);
        String[] names = prefixes.stream().filter(p -> p != null).toArray(String[]::new);
        List<StoredObject> removed = await(tx.run(caller, c -> repo.delete(c, bucketId, names)));
        removed.forEach(this::deleteBlob);
        return removed.stream().map(o -> {
            Map<String, Object> m = new LinkedHashMap<>(o.row());
            m.remove("version");
            m.put("version", o.version());
            return m;
        }).collect(Collectors.toList());
    }

    private void deleteBlob(StoredObject o) {
        if (o.version() != null) {
            blobs.delete(o.bucket(), o.version());
        }
    }

    // ---------------------------------------------------------------- move / copy

    public Map<String, Object> move(Caller caller, String bucketId, String from, String to, String toBucket) {
        String destBucket = toBucket == null || toBucket.isEmpty() ? bucketId : ObjectNames.bucket(toBucket);
        ObjectNames.name(from);
        ObjectNames.name(to);
        bucket(bucketId);
        bucket(destBucket);
        if (destBucket.equals(bucketId)) {
            await(tx.run(caller, c -> repo.find(c, bucketId, from).chain(src -> {
                StoredObject o = src.orElseThrow(StorageError.NO_SUCH_KEY::exception);
                return repo.delete(c, bucketId, new String[] {from}).chain(gone -> {
                    if (gone.isEmpty()) {
                        return Uni.createFrom().failure(StorageError.ACCESS_DENIED.exception(
                                "you may not move this object"));
                    }
                    return repo.put(c, o.id(), bucketId, to, ownerOf(o), o.version(), o.metadata(), false);
                });
            })));
            return Map.of("message", "Successfully moved");
        }
        StoredObject src = await(tx.run(caller, c -> repo.find(c, bucketId, from))).orElseThrow(StorageError.NO_SUCH_KEY::exception);
        // into another bucket: its MIME types, its limit and the insert permission, before a byte is copied
        checkCopy(caller, src, bucket(destBucket), to, ownerOf(src), false);
        Staged staged = stageCopy(src, destBucket);
        try {
            await(tx.run(caller, c -> repo.delete(c, bucketId, new String[] {from}).chain(gone -> gone.isEmpty()
                    ? Uni.createFrom().failure(StorageError.ACCESS_DENIED.exception("you may not move this object"))
                    : repo.put(c, src.id(), destBucket, to, ownerOf(src), staged.version(), src.metadata(), false))));
        } catch (RuntimeException e) {
            blobs.discard(destBucket, staged.version());
            throw e;
        }
        publish(staged);
        deleteBlob(src);
        return Map.of("message", "Successfully moved");
    }

    public Map<String, Object> copy(Caller caller, String bucketId, String from, String to, String toBucket, boolean upsert) {
        String destBucket = toBucket == null || toBucket.isEmpty() ? bucketId : ObjectNames.bucket(toBucket);
        ObjectNames.name(from);
        ObjectNames.name(to);
        bucket(bucketId);
        bucket(destBucket);
        StoredObject src = await(tx.run(caller, c -> repo.find(c, bucketId, from))).orElseThrow(StorageError.NO_SUCH_KEY::exception);
        long size = checkCopy(caller, src, bucket(destBucket), to, caller.userId(), upsert);
        OptionalLong allowance = quota.allowance(caller.userId(), destBucket, to);
        if (allowance.isPresent() && size > allowance.getAsLong()) {
            throw StorageError.QUOTA_EXCEEDED.exception();
        }
        Staged staged = stageCopy(src, destBucket);
        JsonObject meta = src.metadata() == null ? new JsonObject() : src.metadata().copy();
        meta.put("lastModified", ISO.format(Instant.now()));
        return commit(caller, staged, to, caller.userId(), meta, upsert);
    }

    /**
     * A copy is an upload of the source's bytes with the source's type: the destination bucket's MIME
     * types and size limit apply, and the insert permission is tested as the caller (rolled back)
     * before the bytes are copied. Returns the source's size.
     */
    private long checkCopy(Caller caller, StoredObject src, Bucket dest, String to, UUID owner, boolean upsert) {
        String mimetype = mimeOf(src.mimetype());
        checkMime(dest, mimetype);
        long size = sizeOf(src);
        long limit = limitOf(dest);
        if (size > limit) {
            throw StorageError.ENTITY_TOO_LARGE.exception();
        }
        testInsert(caller, dest.id(), to, owner, upsert, new JsonObject().put("mimetype", mimetype).put("contentLength", size));
        return size;
    }

    private long sizeOf(StoredObject o) {
        Object v = o.metadata() == null ? null : o.metadata().getValue("size");
        if (v instanceof Number n) {
            return n.longValue();
        }
        return blobOf(o).size();
    }

    private Staged stageCopy(StoredObject src, String destBucket) {
        if (src.version() == null) {
            throw StorageError.NO_SUCH_KEY.exception();
        }
        try {
            return blobs.stageCopy(src.bucket(), src.version(), destBucket, UUID.randomUUID().toString());
        } catch (IOException e) {
            throw StorageError.NO_SUCH_KEY.exception();
        }
    }

    private static UUID ownerOf(StoredObject o) {
        Object v = o.row().get("owner");
        return v == null ? null : UUID.fromString(v.toString());
    }

    // ---------------------------------------------------------------- signing

    public Map<String, Object> sign(Caller caller, String bucketId, String name, Object expiresIn) {
        long seconds = expiresIn(expiresIn);
        await(tx.run(caller, c -> repo.find(c, bucketId, name))).orElseThrow(StorageError.NO_SUCH_KEY::exception);
        return Map.of("signedURL", signedUrl(bucketId, name, seconds));
    }

    public List<Map<String, Object>> signMany(Caller caller, String bucketId, Object expiresIn, List<String> paths) {
        long seconds = expiresIn(expiresIn);
        if (paths == null || paths.isEmpty()) {
            throw StorageError.INVALID_REQUEST.exception("body must have required property 'paths'");
        }
        if (paths.size() > 1000) {
            throw StorageError.INVALID_REQUEST.exception("body/paths must NOT have more than 1000 items");
        }
        String[] names = paths.stream().filter(p -> p != null).toArray(String[]::new);
        Set<String> visible = await(tx.run(caller, c -> c.preparedQuery(
                        "select name from storage.objects where bucket_id = $1 and name = any($2)")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(bucketId).addArrayOfString(names))
                .map(rows -> {
                    Set<String> s = new java.util.HashSet<>();
                    rows.forEach(r -> s.add(r.getString(0)));
                    return s;
                })));
        List<Map<String, Object>> out = new ArrayList<>();
        for (String p : paths) {
            Map<String, Object> m = new LinkedHashMap<>();
            boolean ok = p != null && visible.contains(p);
            m.put("error", ok ? null : NOT_VISIBLE);
            m.put("path", p);
            m.put("signedURL", ok ? signedUrl(bucketId, p, seconds) : null);
            out.add(m);
        }
        return out;
    }

    private String signedUrl(String bucketId, String name, long seconds) {
        String token = tokens.sign(bucketId + "/" + name, seconds, Map.of());
        return "/object/sign/" + bucketId + "/" + name + "?token=" + token;
    }

    /** A signed upload URL: the caller must be allowed to insert there (tested in a rolled-back transaction). */
    public Map<String, Object> signUpload(Caller caller, String bucketId, String name, boolean upsert) {
        bucket(bucketId);
        testInsert(caller, bucketId, name, caller.userId(), upsert, new JsonObject());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("owner", caller.userId() == null ? null : caller.userId().toString());
        claims.put("upsert", upsert);
        claims.values().removeIf(v -> v == null);
        String token = tokens.sign(bucketId + "/" + name, config.uploadUrlExpiry().toSeconds(), claims);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", "/object/upload/sign/" + bucketId + "/" + name + "?token=" + token);
        out.put("token", token);
        return out;
    }

    /** Thrown to roll back a permission test that succeeded. */
    static final class PermissionTested extends RuntimeException {
        PermissionTested() {
            super("permission tested", null, false, false);
        }
    }

    private static long expiresIn(Object v) {
        long seconds;
        if (v instanceof Number n) {
            seconds = n.longValue();
        } else if (v instanceof String s && s.matches("\\d{1,12}")) {
            seconds = Long.parseLong(s);
        } else {
            throw StorageError.INVALID_REQUEST.exception("body must have required property 'expiresIn'");
        }
        if (seconds < 1) {
            throw StorageError.INVALID_REQUEST.exception("body/expiresIn must be >= 1");
        }
        return Math.min(seconds, ChronoUnit.YEARS.getDuration().getSeconds() * 10);
    }

    // ---------------------------------------------------------------- helpers

    public Bucket bucket(String id) {
        ObjectNames.bucket(id);
        return await(tx.runAsService(c -> repo.bucket(c, id))).orElseThrow(StorageError.NO_SUCH_BUCKET::exception);
    }

    private long limitOf(Bucket bucket) {
        long global = config.maxFileSize().asLongValue();
        Long b = bucket.fileSizeLimit();
        return b == null || b <= 0 ? global : Math.min(b, global);
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
    private static String cacheControl(String value) {
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

    private static JsonObject metadata(Staged staged, String mimetype, String cacheControl) {
        return new JsonObject()
                .put("eTag", "\"" + staged.etag() + "\"")
                .put("size", staged.size())
                .put("mimetype", mimetype)
                .put("cacheControl", cacheControl)
                .put("lastModified", ISO.format(Instant.now()))
                .put("contentLength", staged.size())
                .put("httpStatusCode", 200);
    }

    /** Waits for database work on this worker thread; storage-api's error vocabulary for the failures. */
    <T> T await(Uni<T> work) {
        try {
            return work.await().atMost(DB_WAIT);
        } catch (RuntimeException e) {
            Throwable t = StorageError.fromDb(e);
            if (t instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
