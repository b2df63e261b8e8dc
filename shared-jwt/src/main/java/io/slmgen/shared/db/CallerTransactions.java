package io.slmgen.shared.db;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.shared.error.DbErrors;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The one way to touch the database on behalf of a caller (SPEC §3): a transaction whose first
 * statement switches to the caller's role and publishes the verified claims, exactly as PostgREST
 * does, so the seed's Row Level Security policies decide what the work can see and change.
 * {@code set_config('role', r, true)} is {@code SET LOCAL ROLE r}; both settings end with the
 * transaction, so nothing leaks to the next user of the pooled connection.
 */
@ApplicationScoped
public class CallerTransactions {

    static final String BECOME_CALLER = "select set_config('role', $1, true), "
            + "set_config('request.jwt.claims', $2, true), "
            + "set_config('request.jwt.claim.sub', $3, true), "
            + "set_config('request.jwt.claim.role', $1, true)";

    private final Pool pool;

    @Inject
    public CallerTransactions(Pool pool) {
        this.pool = pool;
    }

    /** Runs {@code work} in one transaction as {@code caller}; database errors become API errors. */
    public <T> Uni<T> run(Caller caller, Function<SqlConnection, Uni<T>> work) {
        String sub = caller.userId() == null ? "" : caller.userId().toString();
        return pool.withTransaction(conn -> conn.preparedQuery(BECOME_CALLER)
                        .execute(Tuple.of(caller.role(), caller.claimsJson(), sub))
                        .chain(() -> work.apply(conn)))
                .onFailure().transform(t -> DbErrors.translate(t, caller.role()));
    }

    /** Runs {@code work} as service_role: only for work no user asked for (sweepers, migrations' data). */
    public <T> Uni<T> runAsService(Function<SqlConnection, Uni<T>> work) {
        return run(Caller.serviceRole(), work);
    }

    public Pool pool() {
        return pool;
    }
}
