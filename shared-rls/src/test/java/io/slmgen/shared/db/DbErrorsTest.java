package io.slmgen.shared.db;

import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.error.ErrorShape;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class DbErrorsTest {

    static final String CANCELLED = "canceling statement due to statement timeout";

    @Test
    void aStatementCancelledByItsTimeoutIs504InEveryPathsShapeNever500() {
        ApiException e = DbErrors.fromSqlState("57014", CANCELLED, null, null, "authenticated");
        assertEquals(504, e.status());
        assertEquals(Map.of("detail", CANCELLED), ErrorShape.FASTAPI.body(e, false));
        Map<String, Object> pg = ErrorShape.POSTGREST.body(e, false);
        assertEquals("57014", pg.get("code"));
        assertEquals(CANCELLED, pg.get("message"));
        assertEquals("The query ran longer than the statement_timeout of the authenticated role: narrow it "
                + "(filters, limit) and retry.", pg.get("hint"));
        Map<String, Object> storage = ErrorShape.STORAGE.body(e, false);
        assertEquals("504", storage.get("statusCode"));
        assertEquals("DatabaseTimeout", storage.get("error"));
        Map<String, Object> gotrue = ErrorShape.GOTRUE.body(e, false);
        assertEquals(504, gotrue.get("code"));
        assertEquals("request_timeout", gotrue.get("error_code"));
        assertEquals("request_timeout", ErrorShape.API.body(e, false).get("error"));
    }

    @Test
    void aSessionAnsweredOnAnotherEventLoopAfterADatabaseRestartIsTheRetriable503() {
        Throwable hr = new java.util.concurrent.CompletionException(new IllegalStateException(
                "HR000069: Detected use of the reactive Session from a different Thread than the one which was used to open the reactive Session"));
        ApiException e = (ApiException) DbErrors.translate(hr, "authenticated");
        assertEquals(503, e.status());
        assertEquals("PGRST000", ErrorShape.POSTGREST.body(e, false).get("code"));
        Throwable other = new IllegalStateException("something else");
        assertEquals(other, DbErrors.translate(other, "authenticated"), "other failures are not guessed at");
    }

    @Test
    void aDriverErrorWrappedByHibernateIsTranslatedByItsSqlState() {
        var unique = new io.vertx.pgclient.PgException("duplicate key value", "ERROR", "23505", "Key (id) exists.");
        Throwable wrapped = new IllegalStateException("could not execute statement",
                new java.util.concurrent.CompletionException(unique));
        ApiException e = (ApiException) DbErrors.translate(wrapped, "authenticated");
        assertEquals(409, e.status());
        assertEquals("23505", ErrorShape.POSTGREST.body(e, false).get("code"));
    }

    @Test
    void aDriverErrorHibernateReactiveTurnedIntoAnSqlExceptionIsTranslatedByItsSqlState() {
        // as SqlClientConnection.convertException passes it on: message and SQLSTATE, no PgException cause
        java.sql.SQLException sql = new java.sql.SQLException("ERROR: permission denied for table job_secrets (42501)", "42501", 0);
        ApiException e = (ApiException) DbErrors.translate(new IllegalStateException("error executing SQL statement", sql),
                "authenticated");
        assertEquals(403, e.status());
        assertEquals("42501", ErrorShape.POSTGREST.body(e, false).get("code"));
        assertEquals("permission denied for table job_secrets", ErrorShape.POSTGREST.body(e, false).get("message"));
    }

    @Test
    void anApiExceptionWrappedOnTheWayOutIsItself() {
        ApiException own = io.slmgen.shared.error.ApiError.NOT_FOUND.exception("gone");
        assertEquals(own, DbErrors.translate(new java.util.concurrent.CompletionException(own), "anon"));
        IllegalStateException other = new IllegalStateException("boom");
        assertEquals(other, DbErrors.translate(other, "anon"));
    }
}
