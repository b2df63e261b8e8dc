package io.slmgen.storage.service;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.identity.Caller;
import io.slmgen.storage.StorageConfig;
import io.slmgen.storage.objects.StorageError;
import io.slmgen.storage.repository.StorageRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The per-user storage quota (STORAGE_USER_QUOTA; off when unset or 0): the sizes of the objects a
 * user owns, in every bucket, may not add up to more than the quota. Ours: storage-api has none.
 * An object replaced by an upsert counts with its new size only (the delta).
 *
 * <p>Two checks. Before the body is streamed, {@link #allowance} tells how many bytes the new object
 * may have, and the upload streams with that as its limit (413 while streaming, chunked bodies too).
 * That bounds what one upload can write, but uploads running side by side each see the same usage;
 * so at commit, {@link #enforce} takes a transaction-scoped advisory lock on the owner and recounts
 * with the new object, in the transaction that inserts its row: commits of one owner are serialised
 * and the quota holds exactly.
 */
@ApplicationScoped
public class UserQuota {

    private static final Duration DB_WAIT = Duration.ofSeconds(60);

    private final CallerTransactions tx;
    private final StorageRepository repo;
    private final long quota;

    public UserQuota(CallerTransactions tx, StorageRepository repo, StorageConfig config) {
        this.tx = tx;
        this.repo = repo;
        this.quota = config.userQuota().map(q -> q.asLongValue()).orElse(0L);
    }

    /** The quota in bytes, 0 when there is none. */
    public long bytes() {
        return quota;
    }

    private boolean applies(UUID owner) {
        return quota > 0 && owner != null;
    }

    /**
     * Bytes a new object of {@code owner} at {@code bucket/name} may have (negative when the owner is
     * already over), the object it would replace not counted; empty when no quota applies. Blocks.
     */
    public OptionalLong allowance(UUID owner, String bucket, String name) {
        if (!applies(owner)) {
            return OptionalLong.empty();
        }
        long used = tx.runAsService(c -> repo.usage(c, owner, bucket, name)).await().atMost(DB_WAIT);
        return OptionalLong.of(quota - used);
    }

    /**
     * In the transaction about to insert the row of {@code size} bytes at {@code bucket/name}: locks
     * the owner's quota until the transaction ends and fails with 413 when the owner's other objects
     * and this one exceed the quota. The usage is read as service_role (RLS could hide some of the
     * owner's rows from the caller), then the caller's role is restored for the insert.
     */
    public Uni<Void> enforce(SqlConnection c, Caller caller, UUID owner, String bucket, String name, long size) {
        if (!applies(owner)) {
            return Uni.createFrom().voidItem();
        }
        return repo.lockUsage(c, owner)
                .chain(() -> repo.usageBypassingRls(c, owner, bucket, name, caller.role()))
                .chain(used -> used + size > quota
                        ? Uni.createFrom().failure(StorageError.QUOTA_EXCEEDED.exception())
                        : Uni.createFrom().voidItem());
    }
}
