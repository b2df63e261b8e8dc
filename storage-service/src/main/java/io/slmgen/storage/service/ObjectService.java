package io.slmgen.storage.service;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.Caller;
import io.slmgen.storage.StorageConfig;
import io.slmgen.storage.blob.BlobStore;
import io.slmgen.storage.blob.BlobStore.Blob;
import io.slmgen.storage.blob.BlobStore.Staged;
import io.slmgen.storage.objects.MultipartReader;
import io.slmgen.storage.objects.ObjectNames;
import io.slmgen.storage.objects.SignedTokens;
import io.slmgen.storage.objects.StorageErrors;
import io.slmgen.storage.repository.StorageRepository;
import io.slmgen.storage.repository.StorageRepository.Bucket;
import io.slmgen.storage.repository.StorageRepository.StoredObject;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;

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

    private final CallerTransactions tx;
    private final StorageRepository repo;
    private final BlobStore blobs;
    private final StorageConfig config;
    private final SignedTokens tokens;

    public ObjectService(CallerTransactions tx, StorageRepository repo, BlobStore blobs, StorageConfig config,
                         SignedTokens tokens) {
        this.tx = tx;
        this.repo = repo;
        this.blobs = blobs;
        this.config = config;
        this.tokens = tokens;
    }

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
        UUID owner = null;
        if (grant.owner() != null && !grant.owner().isEmpty()) {
            try {
                owner = UUID.fromString(grant.owner());
            } catch (IllegalArgumentException e) {
                owner = null;
            }
        }
        return store(Caller.serviceRole(), bucketId, name, body, grant.upsert(), owner);
    }

    // ---------------------------------------------------------------- raw-body uploads (streamed natively)

    /**
     * A raw-body upload decided before its bytes are read: where they go (bucket, version), who
     * inserts the row and as whom, the limit enforced while streaming and the metadata to record.
     */
    public record RawUpload(Caller caller, String bucket, String name, UUID owner, boolean upsert, String version,
                            long limit, String mimetype, String cacheControl) {
    }

    /** Checks a raw-body upload as the caller (bucket, Content-Length against the limit, MIME). Blocks. */
    public RawUpload prepareRaw(Caller caller, String bucketId, String name, String contentType, String cacheControl,
                                Long contentLength, boolean upsert) {
        return prepareRaw(caller, bucketId, name, contentType, cacheControl, contentLength, upsert, caller.userId());
    }

    /** Same for a signed upload URL: the token's owner and upsert, inserted as service_role. Blocks. */
    public RawUpload prepareRawSigned(String bucketId, String name, String token, String contentType,
                                      String cacheControl, Long contentLength) {
        SignedTokens.Grant grant = tokens.verify(token, bucketId + "/" + name);
        return prepareRaw(Caller.serviceRole(), bucketId, name, contentType, cacheControl, contentLength,
                grant.upsert(), ownerOf(grant));
    }

    private RawUpload prepareRaw(Caller caller, String bucketId, String name, String contentType, String cacheControl,
                                 Long contentLength, boolean upsert, UUID owner) {
        Bucket bucket = bucket(bucketId);
        long limit = limitOf(bucket);
        if (contentLength != null && contentLength > limit) {
            throw StorageErrors.tooLarge(limit);
        }
        String mimetype = mimeOf(contentType);
        checkMime(bucket, mimetype);
        String version = UUID.randomUUID().toString();
        String cc = cacheControl == null || cacheControl.isBlank() ? "no-cache" : cacheControl;
        return new RawUpload(caller, bucketId, name, owner, upsert, version, limit, mimetype, cc);
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
        try {
            Bucket bucket = bucket(bucketId);
            long limit = limitOf(bucket);
            String version = UUID.randomUUID().toString();
            String boundary = isMultipart(body.contentType()) ? MultipartReader.boundary(body.contentType()) : null;
            Staged staged;
            String mimetype;
            String cacheControl;
            if (boundary != null) {
                Map<String, String> fields = new LinkedHashMap<>();
                MultipartReader reader = new MultipartReader(raw, boundary);
                MultipartReader.Part part;
                staged = null;
                String partType = null;
                while ((part = reader.next()) != null) {
                    if (part.isFile() && staged == null) {
                        partType = part.contentType();
                        checkMime(bucket, mimeOf(fields.getOrDefault("contentType", partType)));
                        staged = blobs.stage(bucketId, version, part.body(), limit);
                    } else if (part.name() != null && fields.size() < 20) {
                        fields.put(part.name(), new String(part.body().readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
                if (staged == null) {
                    throw StorageErrors.invalidRequest("No content provided");
                }
                mimetype = mimeOf(fields.getOrDefault("contentType", partType));
                String cc = fields.get("cacheControl");
                cacheControl = cc == null || cc.isBlank() ? "no-cache" : "max-age=" + cc.trim();
            } else {
                if (body.contentLength() != null && body.contentLength() > limit) {
                    throw StorageErrors.tooLarge(limit);
                }
                mimetype = mimeOf(body.contentType());
                checkMime(bucket, mimetype);
                staged = blobs.stage(bucketId, version, raw, limit);
                cacheControl = body.cacheControl() == null || body.cacheControl().isBlank() ? "no-cache" : body.cacheControl();
            }
            JsonObject metadata = metadata(staged, mimetype, cacheControl);
            return commit(caller, staged, name, owner, metadata, upsert);
        } catch (BlobStore.TooLargeException e) {
            Bodies.drain(raw);
            throw StorageErrors.tooLarge(e.limit());
        } catch (MultipartReader.MalformedMultipartException e) {
            Bodies.drain(raw);
            throw StorageErrors.invalidRequest("malformed multipart body");
        } catch (ApiException e) {
            Bodies.drain(raw);
            throw e;
        } catch (IOException e) {
            throw StorageErrors.invalidRequest("upload interrupted: " + e.getMessage());
        }
    }

    /** Inserts the row as the caller; publishes the staged blob when it committed, discards it otherwise. */
    private Map<String, Object> commit(Caller caller, Staged staged, String name, UUID owner, JsonObject metadata,
                                       boolean upsert) {
        String[] oldVersion = new String[1];
        StoredObject row;
        try {
            row = await(tx.run(caller, c -> (upsert ? repo.find(c, staged.bucket(), name)
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
                .orElseThrow(StorageErrors::objectNotFound);
        return new Download(o, blobOf(o));
    }

    public Download downloadPublic(String bucketId, String name) {
        Bucket bucket = bucket(bucketId);
        if (!bucket.isPublic()) {
            throw StorageErrors.objectNotFound();
        }
        StoredObject o = await(tx.runAsService(c -> repo.find(c, bucketId, name)))
                .orElseThrow(StorageErrors::objectNotFound);
        return new Download(o, blobOf(o));
    }

    public Download downloadSigned(String bucketId, String name, String token) {
        tokens.verify(token, bucketId + "/" + name);
        StoredObject o = await(tx.runAsService(c -> repo.find(c, bucketId, name)))
                .orElseThrow(StorageErrors::objectNotFound);
        return new Download(o, blobOf(o));
    }

    private Blob blobOf(StoredObject o) {
        if (o.version() == null) {
            throw StorageErrors.objectNotFound();
        }
        return blobs.find(o.bucket(), o.version()).orElseThrow(StorageErrors::objectNotFound);
    }

    /** storage-api's object info (storage-js info() camelises it). */
    public Map<String, Object> info(Caller caller, String bucketId, String name) {
        StoredObject o = await(tx.run(caller, c -> repo.find(c, bucketId, name)))
                .orElseThrow(StorageErrors::objectNotFound);
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
            throw StorageErrors.invalidRequest("sortBy.column must be one of name, created_at, updated_at, last_accessed_at");
        }
        boolean desc = order != null && order.equalsIgnoreCase("desc");
        return await(tx.run(caller, c -> repo.list(c, bucketId, p, search == null ? "" : search, lim, off, col, desc)));
    }

    // ---------------------------------------------------------------- deletes

    public Map<String, Object> deleteOne(Caller caller, String bucketId, String name) {
        List<StoredObject> removed = await(tx.run(caller, c -> repo.delete(c, bucketId, new String[] {name})));
        if (removed.isEmpty()) {
            throw StorageErrors.objectNotFound();
        }
        removed.forEach(o -> deleteBlob(o));
        return Map.of("message", "Successfully deleted");
    }

    public List<Map<String, Object>> deleteMany(Caller caller, String bucketId, List<String> prefixes) {
        if (prefixes == null || prefixes.isEmpty()) {
            throw StorageErrors.invalidRequest("body must have required property 'prefixes'");
        }
        if (prefixes.size() > 1000) {
            throw StorageErrors.invalidRequest("body/prefixes must NOT have more than 1000 items");
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
                StoredObject o = src.orElseThrow(StorageErrors::objectNotFound);
                return repo.delete(c, bucketId, new String[] {from}).chain(gone -> {
                    if (gone.isEmpty()) {
                        return Uni.createFrom().failure(StorageErrors.unauthorized("you may not move this object"));
                    }
                    return repo.put(c, o.id(), bucketId, to, ownerOf(o), o.version(), o.metadata(), false);
                });
            })));
            return Map.of("message", "Successfully moved");
        }
        StoredObject src = await(tx.run(caller, c -> repo.find(c, bucketId, from))).orElseThrow(StorageErrors::objectNotFound);
        Staged staged = stageCopy(src, destBucket);
        try {
            await(tx.run(caller, c -> repo.delete(c, bucketId, new String[] {from}).chain(gone -> gone.isEmpty()
                    ? Uni.createFrom().failure(StorageErrors.unauthorized("you may not move this object"))
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
        StoredObject src = await(tx.run(caller, c -> repo.find(c, bucketId, from))).orElseThrow(StorageErrors::objectNotFound);
        Staged staged = stageCopy(src, destBucket);
        JsonObject meta = src.metadata() == null ? new JsonObject() : src.metadata().copy();
        meta.put("lastModified", ISO.format(Instant.now()));
        return commit(caller, staged, to, caller.userId(), meta, upsert);
    }

    private Staged stageCopy(StoredObject src, String destBucket) {
        if (src.version() == null) {
            throw StorageErrors.objectNotFound();
        }
        try {
            return blobs.stageCopy(src.bucket(), src.version(), destBucket, UUID.randomUUID().toString());
        } catch (IOException e) {
            throw StorageErrors.objectNotFound();
        }
    }

    private static UUID ownerOf(StoredObject o) {
        Object v = o.row().get("owner");
        return v == null ? null : UUID.fromString(v.toString());
    }

    // ---------------------------------------------------------------- signing

    public Map<String, Object> sign(Caller caller, String bucketId, String name, Object expiresIn) {
        long seconds = expiresIn(expiresIn);
        await(tx.run(caller, c -> repo.find(c, bucketId, name))).orElseThrow(StorageErrors::objectNotFound);
        return Map.of("signedURL", signedUrl(bucketId, name, seconds));
    }

    public List<Map<String, Object>> signMany(Caller caller, String bucketId, Object expiresIn, List<String> paths) {
        long seconds = expiresIn(expiresIn);
        if (paths == null || paths.isEmpty()) {
            throw StorageErrors.invalidRequest("body must have required property 'paths'");
        }
        if (paths.size() > 1000) {
            throw StorageErrors.invalidRequest("body/paths must NOT have more than 1000 items");
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
        try {
            await(tx.run(caller, c -> (upsert ? Uni.createFrom().<Optional<StoredObject>>item(Optional.empty())
                    : repo.find(c, bucketId, name)).chain(existing -> {
                        if (existing.isPresent()) {
                            return Uni.createFrom().failure(StorageErrors.duplicate());
                        }
                        return repo.put(c, UUID.randomUUID(), bucketId, name, caller.userId(),
                                UUID.randomUUID().toString(), new JsonObject(), upsert);
                    }).chain(ok -> Uni.createFrom().<Void>failure(new PermissionTested()))));
        } catch (PermissionTested ok) {
            // allowed; nothing was written
        }
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
            throw StorageErrors.invalidRequest("body must have required property 'expiresIn'");
        }
        if (seconds < 1) {
            throw StorageErrors.invalidRequest("body/expiresIn must be >= 1");
        }
        return Math.min(seconds, ChronoUnit.YEARS.getDuration().getSeconds() * 10);
    }

    // ---------------------------------------------------------------- helpers

    public Bucket bucket(String id) {
        ObjectNames.bucket(id);
        return await(tx.runAsService(c -> repo.bucket(c, id))).orElseThrow(StorageErrors::bucketNotFound);
    }

    private long limitOf(Bucket bucket) {
        long global = config.maxFileSize().asLongValue();
        Long b = bucket.fileSizeLimit();
        return b == null || b <= 0 ? global : Math.min(b, global);
    }

    static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    static String mimeOf(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return "application/octet-stream";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
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
        throw StorageErrors.invalidMime(m);
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
            Throwable t = StorageErrors.fromDb(e);
            if (t instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
