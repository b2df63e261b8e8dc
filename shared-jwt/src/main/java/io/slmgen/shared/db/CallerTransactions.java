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

    /**
     * As {@link #run}, but {@code work}'s first statement is sent right behind the statement that
     * becomes the caller instead of after its answer (the pg client pipelines commands on a
     * connection, and PostgreSQL runs them in order): one round trip less. RLS holds as before: the
     * work's statements run in the same transaction after {@code set_config}, and if that fails the
     * transaction is aborted, so they fail too (the caller sees set_config's error). Only for work
     * that starts with a statement on {@code conn} and does nothing else before it (no calls out):
     * that work is started before the caller's settings are confirmed.
     */
    public <T> Uni<T> runPipelined(Caller caller, Function<SqlConnection, Uni<T>> work) {
        // Sequential for now: with the statements pipelined, a PostgreSQL restart under load (e2e/fault)
        // once surfaced a connection loss as an unmapped 500 instead of a retriable 503. Until that path
        // is understood and tested, callers get run()'s proven behaviour (one round trip more).
        return run(caller, work);
    }

    /** Runs {@code work} as service_role: only for work no user asked for (sweepers, migrations' data). */
    public <T> Uni<T> runAsService(Function<SqlConnection, Uni<T>> work) {
        return run(Caller.serviceRole(), work);
    }

    public Pool pool() {
        return pool;
    }
}
