package io.slmgen.shared.db;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
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
 * <p>
 * Two forms of the same unit of work: {@link #inSession} for a service's own tables, mapped as Hibernate
 * Reactive Panache entities (the settings run as native statements in the session's transaction, before
 * any entity statement), and {@link #run} for hand-written SQL on the reactive pool, kept where a
 * benchmark showed it matters (lists rendered as JSON by PostgreSQL, bench/read-path.sh) or where the
 * statement is PostgreSQL-specific (locks, upserts, jsonb operators). One unit of work uses one form:
 * the two do not share a connection.
 */
@ApplicationScoped
public class CallerTransactions {

    static final String BECOME_CALLER = "select set_config('role', $1, true), "
            + "set_config('request.jwt.claims', $2, true), "
            + "set_config('request.jwt.claim.sub', $3, true), "
            + "set_config('request.jwt.claim.role', $1, true)";
    static final String BECOME_CALLER_WITH_TIMEOUT = BECOME_CALLER + ", set_config('statement_timeout', $4, true)";
    /** The same statements with JPA's ordinal parameters, for Hibernate's native queries. */
    static final String BECOME_CALLER_HQL = BECOME_CALLER.replaceAll("\\$(\\d)", "?$1");
    static final String BECOME_CALLER_WITH_TIMEOUT_HQL = BECOME_CALLER_WITH_TIMEOUT.replaceAll("\\$(\\d)", "?$1");

    @Inject
    Pool pool;
    @Inject
    Vertx vertx;
    @Inject
    StatementTimeouts timeouts;
    /**
     * How long a Panache unit of work may go without an answer. Hibernate Reactive 3.2 never completes a
     * transaction whose connection PostgreSQL dropped mid-way (its rollback fails and the session stays
     * open): without this bound such a request would hang until the process stops. Past it the caller
     * gets the retriable 503 a lost database gets on the pool path. Longer than any role's
     * statement_timeout, so it never cuts a statement PostgreSQL would still let run.
     */
    @ConfigProperty(name = "slmgen.db.session-timeout", defaultValue = "12s")
    Duration sessionTimeout;

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

    /**
     * Runs {@code work} - Panache entity and repository calls - in one Hibernate Reactive transaction as
     * {@code caller}: its first statement is the same {@code set_config} as {@link #run}'s, on the
     * session's own connection, so the policies decide every statement Hibernate issues after it. A
     * transaction already open in this Vert.x context is joined (its caller was set when it began).
     */
    public <T> Uni<T> inSession(Caller caller, Supplier<Uni<T>> work) {
        String sub = caller.userId() == null ? "" : caller.userId().toString();
        Optional<String> timeout = timeouts.forRole(caller.role());
        Uni<T> unit = Panache.<T>withTransaction(() -> Panache.getSession().chain(session -> {
                    var become = session.createNativeQuery(timeout.isPresent() ? BECOME_CALLER_WITH_TIMEOUT_HQL : BECOME_CALLER_HQL)
                            .setParameter(1, caller.role())
                            .setParameter(2, caller.claimsJson())
                            .setParameter(3, sub);
                    timeout.ifPresent(t -> become.setParameter(4, t));
                    return become.getSingleResult();
                }).chain(() -> work.get()));
        // whichever comes first: the unit's answer, or the retriable 503 at the deadline; the loser is cancelled,
        // which closes the session (and gives up its connection). Hibernate Reactive 3.2 never completes a
        // transaction whose connection PostgreSQL dropped, nor its rollback, so without a deadline such a
        // request hung until its client left. A Vert.x timer, not Mutiny's timeout: it fires on this Vert.x
        // context, so the session is closed on its own thread (Hibernate Reactive refuses any other: HR000069)
        return Uni.combine().any().of(unit, deadline())
                .onFailure().transform(t -> DbErrors.translate(t, caller.role()));
    }

    /** A unit that fails with the retriable 503 once {@link #sessionTimeout} has passed, on the calling Vert.x context. */
    private <T> Uni<T> deadline() {
        return Uni.createFrom().emitter(emitter -> {
            long timer = vertx.setTimer(sessionTimeout.toMillis(), fired -> emitter.fail(DbErrors.unavailable("PGRST000")));
            emitter.onTermination(() -> vertx.cancelTimer(timer));
        });
    }

    /** {@link #inSession} as service_role: only for work no user asked for. */
    public <T> Uni<T> inSessionAsService(Supplier<Uni<T>> work) {
        return inSession(Caller.serviceRole(), work);
    }

    /** Runs {@code work} as service_role: only for work no user asked for (sweepers, migrations' data). */
    public <T> Uni<T> runAsService(Function<SqlConnection, Uni<T>> work) {
        return run(Caller.serviceRole(), work);
    }

    public Pool pool() {
        return pool;
    }
}
