package io.slmgen.shared.db;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Writes through a Panache session whose answer is the row exactly as the database holds it, with
 * {@code updated_at} from the database's clock (one clock for every replica, as the SQL's {@code now()}
 * was). Hibernate Reactive 3.2 cannot read generated non-id values back ({@code returning} fails with a
 * ClassCastException), so the stamp is a statement of its own and the row is read again.
 * For entities with an {@code id} and an {@code updatedAt} attribute, in an open session transaction
 * ({@link CallerTransactions#inSession}).
 */
public final class DatabaseStamps {

    private DatabaseStamps() {
    }

    /**
     * Flushes the session's pending changes (inside the caller's transaction, so a refused update fails the
     * request), sets the row's {@code updatedAt} to {@code current_timestamp} and returns the row re-read.
     */
    public static <E> Uni<E> flushStampAndReread(Class<E> type, E row, Object id) {
        return Panache.getSession().chain(session -> session.flush()
                .chain(() -> session.createMutationQuery("update " + session.getFactory().getMetamodel().entity(type).getName()
                                + " set updatedAt = current_timestamp where id = :id")
                        .setParameter("id", id)
                        .executeUpdate())
                .chain(() -> reread(type, row, id)));
    }

    /**
     * The row as the database now holds it: a fresh SELECT of a detached copy. Not {@code session.refresh}:
     * Hibernate Reactive 3.2 asks SessionFactoryOptions.isAllowRefreshDetachedEntity on every refresh, and
     * that default method logs the deprecation HHH90000034 each time, managed entity or not.
     */
    public static <E> Uni<E> reread(Class<E> type, E row, Object id) {
        return Panache.getSession().chain(session -> session.detach(row).find(type, id));
    }
}
