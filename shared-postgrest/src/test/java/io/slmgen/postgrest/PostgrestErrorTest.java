package io.slmgen.postgrest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.slmgen.shared.error.ErrorCatalogues;
import io.slmgen.shared.error.ErrorShape;

class PostgrestErrorTest {

    @Test
    void theCatalogueKeepsTheRules() {
        assertEquals(List.of(), ErrorCatalogues.problems(PostgrestError.values()));
    }

    @Test
    void everyEntryCarriesPostgrestsOwnCode() {
        for (PostgrestError e : PostgrestError.values()) {
            String pg = e.pgCode();
            assertEquals(true, pg.matches("PGRST\\d{3}") || pg.matches("[0-9A-Z]{5}"), e + ": " + pg);
        }
    }

    @Test
    void aSingularResultErrorIsPostgrestsBody() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("code", "PGRST116");
        expected.put("details", "The result contains 2 rows");
        expected.put("hint", null);
        expected.put("message", "Cannot coerce the result to a single JSON object");
        var e = PgrstErrors.singular(2);
        assertEquals(406, e.status());
        assertEquals(expected, ErrorShape.POSTGREST.body(e, false));
    }
}
