package io.slmgen.shared.db;

import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import io.vertx.pgclient.PgException;

/**
 * Turns database failures into caller-facing errors by SQLSTATE, as PostgREST does, so a policy
 * violation or a bad value is a 4xx and an unreachable database a retriable 503 - never a 500.
 */
public final class DbErrors {

    private static final Logger LOG = Logger.getLogger(DbErrors.class);

    private DbErrors() {
    }

    /** The driver's message as Hibernate Reactive passes it on: "ERROR: permission denied for table t (42501)". */
    private static final Pattern DRIVER_MESSAGE = Pattern.compile("(?s)^[A-Z]+: (.*) \\([0-9A-Z]{5}\\)$");

    /**
     * The caller-facing form of {@code t}: the first {@link ApiException} or {@link PgException} in its
     * cause chain decides (Hibernate Reactive wraps the driver's exception, and may wrap the work's own
     * ApiException, in its own types).
     */
    public static Throwable translate(Throwable t, String role) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ApiException) {
                return c;
            }
            if (c instanceof PgException pg) {
                return fromSqlState(pg.getSqlState(), pg.getErrorMessage(), pg.getDetail(), pg.getHint(), role);
            }
            // Hibernate Reactive 3.2 does not keep the PgException: SqlClientConnection.convertException makes a
            // java.sql.SQLException of its message and SQLSTATE only (PostgreSQL's detail and hint are lost)
            if (c instanceof SQLException sql && sql.getSQLState() != null) {
                Matcher m = DRIVER_MESSAGE.matcher(String.valueOf(sql.getMessage()));
                return fromSqlState(sql.getSQLState(), m.matches() ? m.group(1) : sql.getMessage(), null, null, role);
            }
        }
        if (isConnectivity(t)) {
            return unavailable("PGRST000");
        }
        if (isSessionOnAnotherThread(t)) {
            // retriable for the caller, but a sign of a path Hibernate Reactive mishandles (a deleteById once
            // did this under concurrency: README "Deleting rows"): logged, so it never hides again
            LOG.warnf("answered 503 for a Hibernate Reactive session used across threads: %s", t.getMessage());
            return unavailable("PGRST000");
        }
        return t;
    }

    /**
     * The retriable 503 of a database the service cannot reach or lost (PostgREST's code PGRST000 when no
     * SQLSTATE says more): a client may retry it, the body never a 500.
     */
    public static ApiException unavailable(String pgCode) {
        return ApiError.SERVICE_UNAVAILABLE.exception("database unavailable, retry shortly").pgCode(pgCode);
    }

    public static ApiException fromSqlState(String state, String message, String detail, String hint, String role) {
        String s = state == null ? "" : state;
        ApiException e;
        if (s.equals("42501")) {
            boolean anon = "anon".equals(role);
            e = (anon ? ApiError.NO_AUTHORIZATION : ApiError.INSUFFICIENT_PRIVILEGE)
                    .exception(message == null ? "permission denied" : message);
        } else if (s.equals("23505")) {
            e = ApiError.CONFLICT.exception(message);
        } else if (s.equals("23503")) {
            e = ApiError.FOREIGN_KEY_VIOLATION.exception(message);
        } else if (s.equals("23502") || s.equals("23514") || s.startsWith("22")) {
            e = ApiError.INVALID_VALUE.exception(message);
        } else if (s.equals("57014")) {
            // statement_timeout (SPEC §3) or a cancel: the caller's query took too long. PostgREST answers
            // 500 here; we answer 504 in the path's shape (PostgREST's code stays 57014), never a 500.
            ApiException timeout = message == null ? ApiError.REQUEST_TIMEOUT.exception()
                    : ApiError.REQUEST_TIMEOUT.exception(message);
            return timeout.pgCode(s).hint("The query ran longer than the statement_timeout of the "
                    + (role == null ? "caller's" : role) + " role: narrow it (filters, limit) and retry.")
                    .storage(504, "DatabaseTimeout");
        } else if (s.startsWith("08") || s.startsWith("57P") || s.equals("53300")) {
            return unavailable(s);
        } else if (s.equals("42P01") || s.equals("42703") || s.equals("42883")) {
            e = ApiError.BAD_REQUEST.exception(message);
        } else if (s.equals("40001") || s.equals("40P01")) {
            return ApiError.RETRY.exception().pgCode(s);
        } else {
            e = ApiError.DATABASE_ERROR.exception();
        }
        return e.pgCode(s).details(detail).hint(hint);
    }

    /**
     * Hibernate Reactive's HR000069: the session's connection answered on another event loop than the one
     * that opened the session. Seen right after PostgreSQL came back (a connection made anew during the
     * request), and with Panache's deleteById under concurrency (no longer used); the transaction is not
     * committed, so the caller may retry - a 503, not a 500.
     */
    static boolean isSessionOnAnotherThread(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IllegalStateException && String.valueOf(c.getMessage()).startsWith("HR000069")) {
                return true;
            }
        }
        return false;
    }

    public static boolean isConnectivity(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof TimeoutException
                    || c instanceof java.net.SocketException
                    || c instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
            String m = String.valueOf(c.getMessage()).toLowerCase();
            if (c.getClass().getName().startsWith("io.vertx") && (m.contains("connection") || m.contains("closed")
                    || m.contains("timeout") || m.contains("refused"))) {
                return true;
            }
        }
        return false;
    }
}
