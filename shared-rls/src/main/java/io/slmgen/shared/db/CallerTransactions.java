package io.slmgen.shared.db;

import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The one way to touch the database on behalf of a caller (SPEC §3): a transaction whose first
 * statement switches to the caller's role and publishes the verified claims, exactly as PostgREST
 * does, so the seed's Row Level Security policies decide what the work can see and change.
 * {@code set_config('role', r, true)} is {@code SET LOCAL ROLE r}; the role's statement_timeout
 * ({@link StatementTimeouts}) is set the same way. All settings end with the transaction, so nothing
 * leaks to the next user of the pooled connection.
 */
@ApplicationScoped
public class CallerTransactions {

    static final String BECOME_CALLER = "select set_config('role', $1, true), "
            + "set_config('request.jwt.claims', $2, true), "
            + "set_config('request.jwt.claim.sub', $3, true), "
            + "set_config('request.jwt.claim.role', $1, true)";
    static final String BECOME_CALLER_WITH_TIMEOUT = BECOME_CALLER + ", set_config('statement_timeout', $4, true)";

    @Inject
    Pool pool;
    @Inject
    StatementTimeouts timeouts;

    /** Runs {@code work} in one transaction as {@code caller}; database errors become API errors. */
    public <T> Uni<T> run(Caller caller, Function<SqlConnection, Uni<T>> work) {
        String sub = caller.userId() == null ? "" : caller.userId().toString();
        Optional<String> timeout = timeouts.forRole(caller.role());
        Tuple become = Tuple.of(caller.role(), caller.claimsJson(), sub);
        timeout.ifPresent(become::addString);
        return pool.withTransaction(conn -> conn.preparedQuery(timeout.isPresent() ? BECOME_CALLER_WITH_TIMEOUT : BECOME_CALLER)
                        .execute(become)
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
