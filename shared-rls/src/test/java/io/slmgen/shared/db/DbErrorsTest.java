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
}
