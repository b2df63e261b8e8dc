package io.slmgen.postgrest;

import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.db.DbErrors;
import io.vertx.pgclient.PgException;

/** PostgREST's own errors (PGRSTxxx) and its SQLSTATE → HTTP status rules. */
final class PgrstErrors {

    private PgrstErrors() {
    }

    /** PGRST100: the query string could not be parsed. */
    static ApiException parse(String what, String details) {
        return PostgrestError.PARSE_ERROR.exception("\"failed to parse " + what + "\"").details(details);
    }

    /** An identifier that is not a column of the table (PostgreSQL's own 42703 wording). */
    static ApiException unknownColumn(TableSchema t, String column) {
        return PostgrestError.UNDEFINED_COLUMN.exception("column " + t.name() + "." + column + " does not exist");
    }

    /** PGRST204: a body key or {@code columns}/{@code on_conflict} entry that is not a column. */
    static ApiException unknownPayloadColumn(TableSchema t, String column) {
        return PostgrestError.UNKNOWN_PAYLOAD_COLUMN.exception(
                "Could not find the '" + column + "' column of '" + t.name() + "' in the schema cache");
    }

    static ApiException badJson(String details) {
        return PostgrestError.INVALID_BODY.exception().details(details);
    }

    static ApiException singular(long rows) {
        return PostgrestError.NOT_SINGULAR.exception().details("The result contains " + rows + " rows");
    }

    static ApiException schema() {
        return PostgrestError.SCHEMA_NOT_EXPOSED.exception();
    }

    static ApiException mediaType(String accept) {
        return PostgrestError.MEDIA_TYPE_NOT_AVAILABLE.exception("None of these media types are available: " + accept);
    }

    /**
     * A database error as PostgREST reports it: the message, details and hint of PostgreSQL, and
     * PostgREST's status (42501 → 401 for anon, 403 otherwise; 23503/23505 → 409; server-side classes
     * → 500/503; anything else the caller sent → 400).
     */
    static Throwable translate(Throwable t, String role) {
        if (!(t instanceof PgException pg)) {
            return DbErrors.translate(t, role);
        }
        String s = pg.getSqlState() == null ? "" : pg.getSqlState();
        ApiException e = DbErrors.fromSqlState(s, pg.getErrorMessage(), pg.getDetail(), pg.getHint(), role);
        if (e.status() != 500 || serverSide(s)) {
            return e;
        }
        return ApiError.BAD_REQUEST.exception(pg.getErrorMessage()).pgCode(s).details(pg.getDetail())
                .hint(pg.getHint());
    }

    private static boolean serverSide(String s) {
        if (s.equals("P0001")) {
            return false;
        }
        for (String p : new String[] {"09", "25", "2D", "38", "39", "3B", "40", "53", "54", "55", "57", "58",
                "F0", "HV", "P0", "XX"}) {
            if (s.startsWith(p)) {
                return true;
            }
        }
        return s.equals("42P17");
    }
}
