package io.slmgen.shared.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BearerTokenTest {

    /** What the filter accepted when it split with a regex; the hand-written parse must agree. */
    private static String byRegex(String trimmed) {
        String[] parts = trimmed.split("\\s+", 2);
        return parts.length == 2 && parts[0].equalsIgnoreCase("bearer") ? parts[1] : null;
    }

    @Test
    void agreesWithTheRegexSplitOnOrdinaryAndOddHeaders() {
        String[] headers = {"Bearer abc.def.ghi", "bearer abc", "BEARER\tabc", "Bearer   abc", "Bearer\n\u000B\f\rabc",
                "Bearer", "Bearer ", "Bearerabc", "Basic abc", "Bear abc", "Bearers abc", "Bearer a b", "Bearer a\tb ",
                "", " ", "Bearer\u00A0abc", "Beärer abc", "Bearer \u0000", "Token Bearer abc"};
        for (String h : headers) {
            String trimmed = h.trim();
            assertEquals(byRegex(trimmed), CallerAuthMechanism.bearerToken(trimmed), "header [" + h + "]");
        }
    }

    @Test
    void takesTheRestAfterTheScheme() {
        assertEquals("abc.def.ghi", CallerAuthMechanism.bearerToken("Bearer abc.def.ghi"));
        assertEquals(null, CallerAuthMechanism.bearerToken("Bearer"));
        assertEquals(null, CallerAuthMechanism.bearerToken("Basic dXNlcjpwYXNz"));
    }
}
