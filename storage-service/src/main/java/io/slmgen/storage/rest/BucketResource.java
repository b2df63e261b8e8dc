package io.slmgen.storage.rest;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.identity.Caller;
import io.slmgen.shared.identity.CurrentCaller;
import io.slmgen.storage.objects.ObjectNames;
import io.slmgen.storage.objects.StorageError;
import io.slmgen.storage.model.Answers.CreatedBucket;
import io.slmgen.storage.model.Answers.Message;
import io.slmgen.storage.model.Bucket;
import io.slmgen.storage.model.BucketRow;
import io.slmgen.storage.model.StoredObject;
import io.slmgen.storage.repository.BucketRepository;
import io.slmgen.storage.repository.ObjectRepository;
import io.slmgen.storage.repository.StorageRepository;
import io.slmgen.storage.service.ObjectStore;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/** storage-api's bucket admin routes, for the service_role key only. */
@Path("/storage/v1/bucket")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class BucketResource {

    /** storage-js createBucket/updateBucket body. */
    public record BucketInput(String id, String name, @JsonProperty("public") Boolean isPublic,
                              Object file_size_limit, List<String> allowed_mime_types) {
    }

    @Inject
    CallerTransactions tx;

    @Inject
    StorageRepository repo;

    @Inject
    BucketRepository buckets;

    @Inject
    ObjectRepository objects;

    @Inject
    ObjectStore objectStore;

    @Inject
    CurrentCaller caller;

    @GET
    public List<Bucket> list() {
        return objectStore.awaitSession(admin(), () -> buckets.allByName()
                .map(rows -> rows.stream().map(BucketRow::toBucket).toList()));
    }

    @GET
    @Path("/{id}")
    public Bucket get(@PathParam("id") String id) {
        Caller c0 = admin();
        ObjectNames.bucket(id);
        BucketRow row = objectStore.awaitSession(c0, () -> buckets.findById(id));
        if (row == null) {
            throw StorageError.NO_SUCH_BUCKET.exception();
        }
        return row.toBucket();
    }

    @POST
    public CreatedBucket create(BucketInput in) {
        Caller c0 = admin();
        if (in == null || (in.id() == null && in.name() == null)) {
            throw StorageError.INVALID_REQUEST.exception("body must have required property 'name'");
        }
        BucketRow row = new BucketRow();
        row.id = ObjectNames.bucket(in.id() != null ? in.id() : in.name());
        row.name = in.name() != null ? in.name() : row.id;
        row.isPublic = Boolean.TRUE.equals(in.isPublic());
        row.fileSizeLimit = size(in.file_size_limit());
        row.allowedMimeTypes = mimes(in.allowed_mime_types());
        objectStore.awaitSession(c0, () -> buckets.persistAndFlush(row));
        return new CreatedBucket(row.id);
    }

    @PUT
    @Path("/{id}")
    public Message update(@PathParam("id") String id, BucketInput in) {
        Caller c0 = admin();
        ObjectNames.bucket(id);
        BucketInput b = in == null ? new BucketInput(null, null, null, null, null) : in;
        boolean isPublic = Boolean.TRUE.equals(b.isPublic());
        Long limit = size(b.file_size_limit());
        String[] mimes = mimes(b.allowed_mime_types());
        boolean found = objectStore.awaitSession(c0, () -> buckets.updateSettings(id, isPublic, limit, mimes));
        if (!found) {
            throw StorageError.NO_SUCH_BUCKET.exception();
        }
        return new Message("Successfully updated");
    }

    @DELETE
    @Path("/{id}")
    public Message delete(@PathParam("id") String id) {
        Caller c0 = admin();
        ObjectNames.bucket(id);
        boolean found = objectStore.awaitSession(c0, () -> objects.anyIn(id).chain(has -> has
                ? Uni.createFrom().failure(StorageError.BUCKET_NOT_EMPTY.exception()) : buckets.delete("id", id).map(n -> n > 0))); // never deleteById (shared-rls README)
        if (!found) {
            throw StorageError.NO_SUCH_BUCKET.exception();
        }
        return new Message("Successfully deleted");
    }

    @POST
    @Path("/{id}/empty")
    public Message empty(@PathParam("id") String id) {
        Caller c0 = admin();
        ObjectNames.bucket(id);
        if (objectStore.awaitSession(c0, () -> buckets.findById(id)) == null) {
            throw StorageError.NO_SUCH_BUCKET.exception();
        }
        // hand-written: one bulk delete returning the versions whose bytes go (StorageRepository.deleteAll)
        List<StoredObject> removed = await(tx.run(c0, c -> repo.deleteAll(c, id)));
        objectStore.deleteBytesOf(removed);
        return new Message("Successfully emptied");
    }

    private Caller admin() {
        Caller c = caller.get();
        if (!c.isServiceRole()) {
            throw StorageError.ACCESS_DENIED.exception("the service_role key is required to manage buckets");
        }
        return c;
    }

    private static String[] mimes(List<String> in) {
        return in == null || in.isEmpty() ? null : in.toArray(String[]::new);
    }

    /** file_size_limit as a number of bytes or a string such as "50MB" / "1GB". */
    static Long size(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.longValue() <= 0 ? null : n.longValue();
        }
        String s = v.toString().trim().toUpperCase(Locale.ROOT).replace(" ", "");
        var m = java.util.regex.Pattern.compile("(\\d+)(B|KB|MB|GB|TB)?").matcher(s);
        if (!m.matches()) {
            throw StorageError.INVALID_REQUEST.exception(
                    "file_size_limit must be a number of bytes or a size such as 50MB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        int shift = switch (unit) {
            case "KB" -> 10;
            case "MB" -> 20;
            case "GB" -> 30;
            case "TB" -> 40;
            default -> 0;
        };
        return n << shift;
    }

    private static <T> T await(Uni<T> u) {
        try {
            return u.await().atMost(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            Throwable t = StorageError.fromDb(e);
            throw t instanceof RuntimeException r ? r : e;
        }
    }
}
