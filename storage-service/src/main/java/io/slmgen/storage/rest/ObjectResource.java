package io.slmgen.storage.rest;

import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.PathPart;

import io.slmgen.shared.identity.Caller;
import io.slmgen.shared.identity.CurrentCaller;
import io.slmgen.storage.model.Answers.Message;
import io.slmgen.storage.model.Answers.SignedDownloadUrl;
import io.slmgen.storage.model.Answers.SignedUploadUrl;
import io.slmgen.storage.model.ListedEntry;
import io.slmgen.storage.model.ObjectInfo;
import io.slmgen.storage.model.StoredObject;
import io.slmgen.storage.model.UploadedObject;
import io.slmgen.storage.objects.ByteRange;
import io.slmgen.storage.objects.ContentSafety;
import io.slmgen.storage.objects.ObjectNames;
import io.slmgen.storage.objects.StorageError;
import io.slmgen.storage.rest.Requests.DeleteBody;
import io.slmgen.storage.rest.Requests.ListBody;
import io.slmgen.storage.rest.Requests.MoveBody;
import io.slmgen.storage.rest.Requests.SignBody;
import io.slmgen.storage.rest.Requests.SignManyBody;
import io.slmgen.storage.service.ObjectChanges;
import io.slmgen.storage.service.ObjectReads;
import io.slmgen.storage.service.ObjectReads.Download;
import io.slmgen.storage.service.ObjectSigning;
import io.slmgen.storage.service.ObjectUploads;
import io.slmgen.storage.service.ObjectUploads.Body;
import io.slmgen.storage.service.RawBodyUploads;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * storage-api's object routes at /storage/v1 (SPEC §9), as storage-js calls them. Object names are
 * taken from the raw request path and percent-decoded exactly once (never from a normalised path, so
 * "..", "%2e%2e" and friends reach validation and are refused). Raw upload bodies stream on the event
 * loop (RawBodyUploads); every other method runs on a worker thread.
 */
@Path("/storage/v1")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class ObjectResource {

    static final String BASE = "/storage/v1";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    @Inject
    ObjectUploads uploads;
    @Inject
    ObjectReads reads;
    @Inject
    ObjectSigning signing;
    @Inject
    ObjectChanges changes;

    @Inject
    RawBodyUploads raw;

    @Inject
    CurrentCaller caller;

    @Context
    HttpServerRequest request;

    // ---- uploads ----
    // Raw bodies (datasets-service, storage-js Buffers/streams) stream natively on the event loop into the
    // staged file (RawBodyUploads); multipart bodies (storage-js Blob/File/FormData, rare here) are parsed
    // as a stream on a worker thread.

    @POST
    @Path("/object/{bucket}/{path: .+}")
    @NonBlocking
    public Uni<UploadedObject> create(@Context RoutingContext rc, @HeaderParam("content-type") String type, @HeaderParam("x-upsert") String upsert,
                                           @HeaderParam("cache-control") String cc,
                                           @HeaderParam("content-length") Long length) {
        String[] bn = target("/object/");
        Caller who = caller.get();
        boolean up = "true".equalsIgnoreCase(upsert);
        return raw.upload(rc.request(), () -> uploads.prepareRaw(who, bn[0], bn[1], type, cc, length, up));
    }

    @POST
    @Path("/object/{bucket}/{path: .+}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public UploadedObject createMultipart(InputStream in, @HeaderParam("content-type") String type,
                                               @HeaderParam("x-upsert") String upsert, @HeaderParam("cache-control") String cc,
                                               @HeaderParam("content-length") Long length) {
        String[] bn = target("/object/");
        return uploads.upload(caller.get(), bn[0], bn[1], new Body(in, type, cc, length), "true".equalsIgnoreCase(upsert));
    }

    /** PUT updates: storage-api's update is an upload with upsert. */
    @PUT
    @Path("/object/{bucket}/{path: .+}")
    @NonBlocking
    public Uni<UploadedObject> update(@Context RoutingContext rc, @HeaderParam("content-type") String type, @HeaderParam("cache-control") String cc,
                                           @HeaderParam("content-length") Long length) {
        String[] bn = target("/object/");
        Caller who = caller.get();
        return raw.upload(rc.request(), () -> uploads.prepareRaw(who, bn[0], bn[1], type, cc, length, true));
    }

    @PUT
    @Path("/object/{bucket}/{path: .+}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public UploadedObject updateMultipart(InputStream in, @HeaderParam("content-type") String type,
                                               @HeaderParam("cache-control") String cc, @HeaderParam("content-length") Long length) {
        String[] bn = target("/object/");
        return uploads.upload(caller.get(), bn[0], bn[1], new Body(in, type, cc, length), true);
    }

    @PUT
    @Path("/object/upload/sign/{bucket}/{path: .+}")
    @NonBlocking
    public Uni<UploadedObject> uploadSigned(@Context RoutingContext rc, @QueryParam("token") String token, @HeaderParam("content-type") String type,
                                                 @HeaderParam("cache-control") String cc,
                                                 @HeaderParam("content-length") Long length) {
        String[] bn = target("/object/upload/sign/");
        return raw.upload(rc.request(), () -> uploads.prepareRawSigned(bn[0], bn[1], token, type, cc, length));
    }

    @PUT
    @Path("/object/upload/sign/{bucket}/{path: .+}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public UploadedObject uploadSignedMultipart(InputStream in, @QueryParam("token") String token,
                                                     @HeaderParam("content-type") String type,
                                                     @HeaderParam("cache-control") String cc,
                                                     @HeaderParam("content-length") Long length) {
        String[] bn = target("/object/upload/sign/");
        return uploads.uploadSigned(bn[0], bn[1], token, new Body(in, type, cc, length));
    }

    @POST
    @Path("/object/upload/sign/{bucket}/{path: .+}")
    public SignedUploadUrl signUpload(@HeaderParam("x-upsert") String upsert) {
        String[] bn = target("/object/upload/sign/");
        return signing.signUpload(caller.get(), bn[0], bn[1], "true".equalsIgnoreCase(upsert));
    }

    // ---- downloads ----

    @GET
    @Path("/object/{bucket}/{path: .+}")
    public Response download(@HeaderParam("range") String range, @HeaderParam("if-none-match") String inm,
                             @HeaderParam("if-modified-since") String ims, @QueryParam("download") String dl) {
        String[] bn = target("/object/");
        return serve(reads.download(caller.get(), bn[0], bn[1]), range, inm, ims, dl, false);
    }

    @HEAD
    @Path("/object/{bucket}/{path: .+}")
    public Response head(@HeaderParam("if-none-match") String inm, @HeaderParam("if-modified-since") String ims) {
        String[] bn = target("/object/");
        return serve(reads.download(caller.get(), bn[0], bn[1]), null, inm, ims, null, true);
    }

    @GET
    @Path("/object/authenticated/{bucket}/{path: .+}")
    public Response downloadAuthenticated(@HeaderParam("range") String range, @HeaderParam("if-none-match") String inm,
                                          @HeaderParam("if-modified-since") String ims, @QueryParam("download") String dl) {
        String[] bn = target("/object/authenticated/");
        return serve(reads.download(caller.get(), bn[0], bn[1]), range, inm, ims, dl, false);
    }

    @HEAD
    @Path("/object/authenticated/{bucket}/{path: .+}")
    public Response headAuthenticated(@HeaderParam("if-none-match") String inm, @HeaderParam("if-modified-since") String ims) {
        String[] bn = target("/object/authenticated/");
        return serve(reads.download(caller.get(), bn[0], bn[1]), null, inm, ims, null, true);
    }

    @GET
    @Path("/object/public/{bucket}/{path: .+}")
    public Response downloadPublic(@HeaderParam("range") String range, @HeaderParam("if-none-match") String inm,
                                   @HeaderParam("if-modified-since") String ims, @QueryParam("download") String dl) {
        String[] bn = target("/object/public/");
        return serve(reads.downloadPublic(bn[0], bn[1]), range, inm, ims, dl, false);
    }

    @HEAD
    @Path("/object/public/{bucket}/{path: .+}")
    public Response headPublic(@HeaderParam("if-none-match") String inm, @HeaderParam("if-modified-since") String ims) {
        String[] bn = target("/object/public/");
        return serve(reads.downloadPublic(bn[0], bn[1]), null, inm, ims, null, true);
    }

    @GET
    @Path("/object/sign/{bucket}/{path: .+}")
    public Response downloadSigned(@QueryParam("token") String token, @HeaderParam("range") String range,
                                   @HeaderParam("if-none-match") String inm, @HeaderParam("if-modified-since") String ims,
                                   @QueryParam("download") String dl) {
        String[] bn = target("/object/sign/");
        return serve(reads.downloadSigned(bn[0], bn[1], token), range, inm, ims, dl, false);
    }

    /**
     * HEAD of a signed URL (storage-api answers HEAD wherever it answers GET). Without it the request fell
     * through to HEAD /object/{bucket}/{path} with "sign" taken for the bucket: a 400 for every valid link.
     */
    @HEAD
    @Path("/object/sign/{bucket}/{path: .+}")
    public Response headSigned(@QueryParam("token") String token, @HeaderParam("if-none-match") String inm,
                               @HeaderParam("if-modified-since") String ims) {
        String[] bn = target("/object/sign/");
        return serve(reads.downloadSigned(bn[0], bn[1], token), null, inm, ims, null, true);
    }

    @GET
    @Path("/object/info/{bucket}/{path: .+}")
    public ObjectInfo info() {
        String[] bn = target("/object/info/");
        return reads.info(caller.get(), bn[0], bn[1]);
    }

    @GET
    @Path("/object/info/authenticated/{bucket}/{path: .+}")
    public ObjectInfo infoAuthenticated() {
        String[] bn = target("/object/info/authenticated/");
        return reads.info(caller.get(), bn[0], bn[1]);
    }

    // ---- listing, deleting, moving ----

    @POST
    @Path("/object/list/{bucket}")
    public List<ListedEntry> list(@jakarta.ws.rs.PathParam("bucket") String bucket, ListBody body) {
        ListBody b = body == null ? new ListBody(null, null, null, null, null) : body;
        return reads.list(caller.get(), ObjectNames.bucket(bucket), b.prefix(), b.search(), b.limit(), b.offset(),
                b.sortBy() == null ? null : b.sortBy().column(), b.sortBy() == null ? null : b.sortBy().order());
    }

    @DELETE
    @Path("/object/{bucket}/{path: .+}")
    public Message deleteOne() {
        String[] bn = target("/object/");
        return changes.deleteOne(caller.get(), bn[0], bn[1]);
    }

    @DELETE
    @Path("/object/{bucket}")
    public List<StoredObject> deleteMany(@jakarta.ws.rs.PathParam("bucket") String bucket, DeleteBody body) {
        return changes.deleteMany(caller.get(), ObjectNames.bucket(bucket), body == null ? null : body.prefixes());
    }

    @POST
    @Path("/object/move")
    public Message move(MoveBody body) {
        requireMove(body);
        return changes.move(caller.get(), ObjectNames.bucket(body.bucketId()), body.sourceKey(), body.destinationKey(),
                body.destinationBucket());
    }

    @POST
    @Path("/object/copy")
    public UploadedObject copy(MoveBody body, @HeaderParam("x-upsert") String upsert) {
        requireMove(body);
        return changes.copy(caller.get(), ObjectNames.bucket(body.bucketId()), body.sourceKey(), body.destinationKey(),
                body.destinationBucket(), "true".equalsIgnoreCase(upsert));
    }

    // ---- signing ----

    @POST
    @Path("/object/sign/{bucket}/{path: .+}")
    public SignedDownloadUrl sign(SignBody body) {
        String[] bn = target("/object/sign/");
        return signing.sign(caller.get(), bn[0], bn[1], body == null ? null : body.expiresIn());
    }

    @POST
    @Path("/object/sign/{bucket}")
    public List<ObjectSigning.SignedUrl> signMany(@jakarta.ws.rs.PathParam("bucket") String bucket, SignManyBody body) {
        return signing.signMany(caller.get(), ObjectNames.bucket(bucket), body == null ? null : body.expiresIn(),
                body == null ? null : body.paths());
    }

    // ---- helpers ----

    private static void requireMove(MoveBody body) {
        if (body == null || body.bucketId() == null || body.sourceKey() == null || body.destinationKey() == null) {
            throw StorageError.INVALID_REQUEST.exception(
                    "body must have required properties 'bucketId', 'sourceKey', 'destinationKey'");
        }
    }

    /** bucket and name from the raw path after {@code /storage/v1<route>}, decoded once and validated. */
    private String[] target(String route) {
        // the URI exactly as sent (Vert.x's path() may already have removed dot segments)
        String raw = request.uri();
        int q = raw == null ? -1 : raw.indexOf('?');
        if (q >= 0) {
            raw = raw.substring(0, q);
        }
        if (raw != null && raw.startsWith("http")) {
            int slash = raw.indexOf('/', raw.indexOf("//") + 2);
            raw = slash < 0 ? "/" : raw.substring(slash);
        }
        String prefix = BASE + route;
        if (raw == null || !raw.startsWith(prefix)) {
            throw StorageError.INVALID_KEY.exception("Invalid key: " + (raw == null ? "" : raw));
        }
        return ObjectNames.bucketAndName(raw.substring(prefix.length()));
    }

    private Response serve(Download d, String rangeHeader, String ifNoneMatch, String ifModifiedSince, String download,
                           boolean head) {
        var m = d.object().metadataJson();
        String etag = d.object().etag();
        String mime = ContentSafety.servedType(d.object().mimetype());
        long size = d.blob().size();
        String lastModified = m == null ? null : m.getString("lastModified");
        Instant modified = parseInstant(lastModified);
        Response.ResponseBuilder r;
        if (notModified(etag, ifNoneMatch, modified, ifModifiedSince)) {
            r = Response.notModified();
            header(r, etag, modified, m);
            return r.build();
        }
        ByteRange range = head ? null : ByteRange.parse(rangeHeader, size);
        java.nio.file.Path file = d.blob().localFile().orElse(null);
        if (range != null) {
            r = Response.status(206).header("Content-Range", "bytes " + range.start() + "-" + range.end() + "/" + size);
            r.entity(file != null ? new PathPart(file, range.start(), range.length())
                    : (jakarta.ws.rs.core.StreamingOutput) out -> copy(d, range.start(), range.length(), out));
            r.header("Content-Length", range.length());
        } else {
            r = Response.ok();
            if (!head) {
                r.entity(file != null ? new PathPart(file, 0, size)
                        : (jakarta.ws.rs.core.StreamingOutput) out -> copy(d, 0, size, out));
            }
            r.header("Content-Length", size);
        }
        r.type(mime);
        r.header("Accept-Ranges", "bytes");
        header(r, etag, modified, m);
        // SPEC §9 content safety: a type a browser would run is sandboxed and downloaded, never a page
        // on our origin (nosniff is on every response: SecurityHeaders)
        boolean inline = ContentSafety.servedInline(mime);
        if (!inline) {
            r.header("Content-Security-Policy", ContentSafety.SANDBOX);
        }
        if (download != null || !inline) {
            String own = d.object().name().substring(d.object().name().lastIndexOf('/') + 1);
            r.header("Content-Disposition", ContentSafety.attachment(download == null || download.isEmpty() ? own : download));
        }
        return r.build();
    }

    /** Streams a non-local blob (S3: a ranged GetObject), closing it so its connection is released. */
    private static void copy(Download d, long offset, long length, java.io.OutputStream out) throws java.io.IOException {
        try (java.io.InputStream in = d.blob().open(offset, length)) {
            in.transferTo(out);
        }
    }

    private static void header(Response.ResponseBuilder r, String etag, Instant modified, io.vertx.core.json.JsonObject m) {
        if (etag != null) {
            r.header("ETag", etag);
        }
        if (modified != null) {
            r.header("Last-Modified", HTTP_DATE.format(modified));
        }
        String cc = m == null ? null : m.getString("cacheControl");
        if (cc != null) {
            r.header("Cache-Control", cc);
        }
    }

    static boolean notModified(String etag, String ifNoneMatch, Instant modified, String ifModifiedSince) {
        if (ifNoneMatch != null && etag != null) {
            for (String t : ifNoneMatch.split(",")) {
                String v = t.trim();
                if (v.startsWith("W/")) {
                    v = v.substring(2);
                }
                if (v.equals("*") || v.equals(etag)) {
                    return true;
                }
            }
            return false;
        }
        if (ifModifiedSince != null && modified != null) {
            try {
                Instant since = Instant.from(HTTP_DATE.parse(ifModifiedSince));
                return !modified.isAfter(since.plusSeconds(1));
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    private static Instant parseInstant(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
