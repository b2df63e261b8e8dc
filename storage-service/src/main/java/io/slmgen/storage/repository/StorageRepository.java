package io.slmgen.storage.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.slmgen.shared.db.RowJson;
import io.slmgen.storage.model.Bucket;
import io.slmgen.storage.model.ListedEntry;
import io.slmgen.storage.model.StoredObject;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The hand-written SQL on storage.buckets and storage.objects; the connection decides who runs it
 * (RLS). Simple finds and the bucket admin go through Panache ({@link BucketRepository},
 * {@link ObjectRepository}); what stays here says why beside it (README "Database access").
 */
@ApplicationScoped
public class StorageRepository {

    static final String BUCKET_COLUMNS = "id, name, owner, owner_id, public, file_size_limit, allowed_mime_types, "
            + "created_at, updated_at";
    static final String OBJECT_COLUMNS = "id, bucket_id, name, owner, owner_id, version, metadata, user_metadata, "
            + "created_at, updated_at, last_accessed_at";

    // ---- buckets ----

    /** Hand-written: the bucket lookup of every upload and download (the hot path of bench/storage). */
    public Uni<Optional<Bucket>> bucket(SqlConnection c, String id) {
        return c.preparedQuery("select " + BUCKET_COLUMNS + " from storage.buckets where id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(toBucket(rows.iterator().next())) : Optional.empty());
    }

    // ---- objects ----

    /**
     * Hand-written: the lookup of every download (bench/storage's hot path), and of an upsert's commit
     * and a move, which run in one transaction with the upsert / delete below.
     */
    public Uni<Optional<StoredObject>> find(SqlConnection c, String bucket, String name) {
        return c.preparedQuery("select " + OBJECT_COLUMNS + " from storage.objects where bucket_id = $1 and name = $2")
                .execute(Tuple.of(bucket, name))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(toObject(rows.iterator().next())) : Optional.empty());
    }

    /** Hand-written: asked by the staging sweep, which runs off any Vert.x context (TempSweeper). */
    public Uni<Boolean> versionExists(SqlConnection c, String version) {
        return c.preparedQuery("select exists (select 1 from storage.objects where version = $1)")
                .execute(Tuple.of(version)).map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** Namespace of the quota's advisory locks (the two-key form: other users of advisory locks pick others). */
    static final int QUOTA_LOCK_SPACE = 0x73746f71; // "stoq"

    /**
     * Bytes of the objects {@code owner} owns, the one at {@code bucket/name} (which an upload there
     * replaces) left out. A size that is not a plain number counts as 0. Hand-written: jsonb operators
     * and a regex over metadata, summed in PostgreSQL; it runs in the commit's transaction beside the lock.
     */
    public Uni<Long> usage(SqlConnection c, UUID owner, String bucket, String name) {
        return c.preparedQuery("select coalesce(sum(case when metadata->>'size' ~ '^[0-9]{1,18}$' "
                        + "then (metadata->>'size')::bigint else 0 end), 0)::bigint from storage.objects "
                        + "where owner = $1 and not (bucket_id = $2 and name = $3)")
                .execute(Tuple.of(owner, bucket, name))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * {@link #usage} read as service_role inside the caller's transaction, then {@code callerRole}
     * again: the caller's policies may hide rows the owner owns, the quota counts them all.
     */
    public Uni<Long> usageBypassingRls(SqlConnection c, UUID owner, String bucket, String name, String callerRole) {
        return c.query("select set_config('role', 'service_role', true)").execute()
                .chain(() -> usage(c, owner, bucket, name))
                .call(() -> c.preparedQuery("select set_config('role', $1, true)").execute(Tuple.of(callerRole)));
    }

    /** Serialises the quota checks of one owner until the transaction ends. Hand-written: an advisory lock. */
    public Uni<Void> lockUsage(SqlConnection c, UUID owner) {
        return c.preparedQuery("select pg_advisory_xact_lock($1, hashtext($2))")
                .execute(Tuple.of(QUOTA_LOCK_SPACE, owner.toString())).replaceWithVoid();
    }

    /**
     * Inserts (or with upsert replaces) the row; returns the new row. Hand-written: {@code on conflict}
     * upsert with {@code returning}, on the upload's hot path.
     */
    public Uni<StoredObject> put(SqlConnection c, UUID id, String bucket, String name, UUID owner, String version,
                                 JsonObject metadata, boolean upsert) {
        String sql = "insert into storage.objects (id, bucket_id, name, owner, owner_id, version, metadata) "
                + "values ($1, $2, $3, $4, $5, $6, $7)"
                + (upsert ? " on conflict (bucket_id, name) do update set owner = excluded.owner, "
                        + "owner_id = excluded.owner_id, version = excluded.version, metadata = excluded.metadata, "
                        + "updated_at = now(), last_accessed_at = now()" : "")
                + " returning " + OBJECT_COLUMNS;
        Tuple t = Tuple.tuple().addUUID(id).addString(bucket).addString(name).addUUID(owner)
                .addString(owner == null ? null : owner.toString()).addString(version).addJsonObject(metadata);
        return c.preparedQuery(sql).execute(t).map(rows -> toObject(rows.iterator().next()));
    }

    /**
     * Deletes the rows the caller may delete; returns them. Hand-written: one {@code delete ... returning}
     * gives the versions whose bytes go (a Panache delete would select first, then delete row by row).
     */
    public Uni<List<StoredObject>> delete(SqlConnection c, String bucket, String[] names) {
        return c.preparedQuery("delete from storage.objects where bucket_id = $1 and name = any($2) returning "
                        + OBJECT_COLUMNS)
                .execute(Tuple.of(bucket).addArrayOfString(names))
                .map(StorageRepository::toObjects);
    }

    /**
     * Whether auth.users exists and the connection's role may read it (orphan sweep precondition:
     * without auth-service's slice, or without the grant, there is nothing to compare owners with).
     * Hand-written: a catalog function, not a table.
     */
    public Uni<Boolean> usersReadable(SqlConnection c) {
        return c.query("select coalesce(has_table_privilege(to_regclass('auth.users'), 'SELECT'), false)").execute()
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /**
     * Deletes at most {@code limit} rows in {@code buckets} whose owner is no longer in auth.users
     * (rows without an owner stay); returns them (bucket and version name the blobs). Hand-written:
     * {@code for update skip locked} batches, {@code delete ... returning}, auth.users (not ours).
     */
    public Uni<List<StoredObject>> deleteOrphans(SqlConnection c, String[] buckets, int limit) {
        return c.preparedQuery("delete from storage.objects where id in (select o.id from storage.objects o "
                        + "where o.bucket_id = any($1) and o.owner is not null "
                        + "and not exists (select 1 from auth.users u where u.id = o.owner) "
                        + "limit $2 for update skip locked) returning " + OBJECT_COLUMNS)
                .execute(Tuple.tuple().addArrayOfString(buckets).addInteger(limit))
                .map(StorageRepository::toObjects);
    }

    /** Every row of a bucket (bucket empty/delete). Hand-written: bulk {@code delete ... returning}. */
    public Uni<List<StoredObject>> deleteAll(SqlConnection c, String bucket) {
        return c.preparedQuery("delete from storage.objects where bucket_id = $1 returning " + OBJECT_COLUMNS)
                .execute(Tuple.of(bucket))
                .map(StorageRepository::toObjects);
    }

    /**
     * storage.search's listing: entries one level below {@code prefix} ("" or ending in '/'), files with
     * their row, folders with nulls; {@code search} filters entry names (case-insensitive prefix).
     * Hand-written: path splitting, {@code ilike} with escapes, {@code union} of files and distinct
     * folders, ordered and paged in PostgreSQL - storage-api's storage.search, which HQL cannot say.
     */
    public Uni<List<ListedEntry>> list(SqlConnection c, String bucket, String prefix, String search,
                                               int limit, int offset, String column, boolean desc) {
        int level = prefix.isEmpty() ? 1 : prefix.split("/", -1).length;
        String order = switch (column) {
            case "created_at", "updated_at", "last_accessed_at" -> column;
            default -> "name";
        };
        String dir = desc ? "desc" : "asc";
        String sql = "with f as ("
                + " select (string_to_array(name, '/'))[$3] as entry,"
                + " array_length(string_to_array(name, '/'), 1) = $3 as is_file,"
                + " id, updated_at, created_at, last_accessed_at, metadata"
                + " from storage.objects where bucket_id = $1 and left(name, length($2)) = $2"
                + " and ($4 = '' or (string_to_array(name, '/'))[$3] ilike $5 escape '\\'))"
                + " select * from ("
                + " select entry as name, id, updated_at, created_at, last_accessed_at, metadata from f where is_file"
                + " union all"
                + " select distinct entry as name, null::uuid, null::timestamptz, null::timestamptz, null::timestamptz,"
                + " null::jsonb from f where not is_file) e"
                + " order by " + order + " " + dir + " nulls " + (desc ? "last" : "first") + ", name " + dir
                + " limit $6 offset $7";
        String like = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return c.preparedQuery(sql).execute(Tuple.tuple().addString(bucket).addString(prefix).addInteger(level)
                        .addString(search).addString(like).addInteger(limit).addInteger(offset))
                .map(rows -> {
                    List<ListedEntry> out = new ArrayList<>(rows.rowCount());
                    for (Row r : rows) {
                        JsonObject m = r.getJsonObject("metadata");
                        out.add(new ListedEntry(r.getString("name"), r.getUUID("id"), r.getOffsetDateTime("updated_at"),
                                r.getOffsetDateTime("created_at"), r.getOffsetDateTime("last_accessed_at"),
                                m == null ? null : m.getMap()));
                    }
                    return out;
                });
    }

    static Bucket toBucket(Row r) {
        String[] mimes = r.getArrayOfStrings("allowed_mime_types");
        return new Bucket(r.getString("id"), r.getString("name"), r.getUUID("owner"), r.getString("owner_id"),
                r.getBoolean("public"), r.getLong("file_size_limit"), mimes == null ? null : List.of(mimes),
                r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
    }

    /** metadata as the row's JSON object's map, user_metadata as any jsonb (object, array or scalar), as RowJson renders them. */
    static StoredObject toObject(Row r) {
        JsonObject m = r.getJsonObject("metadata");
        return new StoredObject(r.getUUID("id"), r.getString("bucket_id"), r.getString("name"), r.getUUID("owner"),
                r.getString("owner_id"), m == null ? null : m.getMap(), RowJson.value(r.getValue("user_metadata")),
                r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"),
                r.getOffsetDateTime("last_accessed_at"), r.getString("version"));
    }

    private static List<StoredObject> toObjects(RowSet<Row> rows) {
        List<StoredObject> out = new ArrayList<>(rows.rowCount());
        rows.forEach(r -> out.add(toObject(r)));
        return out;
    }
}
